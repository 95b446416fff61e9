"""Every default is declared alike wherever it is declared.

A parameter of the plugin is declared up to four times: in the ParaView XML
(xml/*.xml, what the GUI and pvpython start with), in the VTK wrapper
(plugin/Core/vtkSTEMPDF*.h, what C++ and ParaView's Python get from New()), in
the ITK filter or parameter struct the wrapper forwards to (filters/), and in
the main job's argparse (scripts/analyze.py). This test reads them all as text
(nothing is built or imported) and fails, naming proxy, property, file and
both values, when

- an XML default differs from the wrapper's, or the wrapper's from the ITK
  side it forwards to (numbers to a relative 1e-12, booleans 0/1 = false/true,
  strings, vectors element by element);
- an XML property with a default has no C++ default that can be found (a new
  property cannot be skipped silently) and is not listed in
  NO_CPP_COUNTERPART;
- an EnumerationDomain entry does not name the C++ enumerator its value maps
  to (the XML order against the enum's declaration order, or the wrapper's
  explicit mapping), or an enumerator has no entry;
- an analyze.py default differs from the proxy's and is not one of the
  ANALYZE_ALLOWED differences;
- a field of a parameter struct a wrapper fills field by field is set from
  no XML property (every ITK parameter reachable from the GUI) and is not
  listed in GUI_UNREACHABLE;
- an entry of the tables below went stale.

Standard library only: runs with /usr/bin/python3.

    /usr/bin/python3 tests/scripts/test_defaults.py --source-dir .
"""
import argparse
import ast
import os
import re
import sys
import xml.etree.ElementTree as ET

# --- The hand-kept tables: the only places a difference may be declared. ---

# analyze.py option -> the proxy properties (Proxy.Property) it sets.
ANALYZE_OPTIONS = {
    "--pixel-pitch": ["AzimuthalIntegrate.DetectorPixelPitch"],
    "--composition": ["StructureFactor.Composition"],
    "--s-range": ["AzimuthalIntegrate.SRange", "StructureFactor.SRange"],
    "--r-range": ["PairDistribution.RRange"],
    "--r-step": ["PairDistribution.RStep"],
    "--damping": ["StructureFactor.Damping"],
    "--components": ["NMFDecompose.NumberOfComponents"],
    "--smoothing": ["NMFDecompose.SpatialSmoothing"],
    "--seed": ["NMFDecompose.Seed"],
}

# (option, Proxy.Property) -> (analyze default, proxy default, why). The
# values are pinned: a change of either side must be looked at again.
ANALYZE_ALLOWED = {
    ("--components", "NMFDecompose.NumberOfComponents"): (
        2, 3, "the main job fits the two structural types; the filter keeps the paper's 3 (two types + noise)"),
    ("--smoothing", "NMFDecompose.SpatialSmoothing"): (
        1.5, 0.0, "the main job smooths the basis search over 1.5 scan steps against per-position noise "
                  "(docs/method.md, section 6); the filter keeps the paper's plain NMF"),
}

# analyze.py options with a default that set no proxy property: option -> why. None today.
ANALYZE_NOT_A_PROPERTY = {}

# (Proxy.Property) -> (XML default, C++ default, why): XML and wrapper differ on purpose.
XML_CPP_ALLOWED = {
    "ColorMix.Red": ("None", "", "ArrayListDomain's none_string; the wrapper reads \"None\" as \"\" (no array: black)"),
    "ColorMix.Green": ("None", "", "ArrayListDomain's none_string; the wrapper reads \"None\" as \"\" (no array: black)"),
    "ColorMix.Blue": ("None", "", "ArrayListDomain's none_string; the wrapper reads \"None\" as \"\" (no array: black)"),
}

# Proxy.Property with an XML default but no C++ member to compare with: -> why. None today.
NO_CPP_COUNTERPART = {}

# Proxy.Property with an EnumerationDomain but no C++ enumeration to name: -> why.
ENUMS_WITHOUT_CPP_ENUM = {
    "ColorMix.RangeMode": "a plain int tested as RangeMode == 0 in vtkSTEMPDFColorMix.cxx; no enumeration exists",
}

# Struct.Field of a parameter struct a wrapper fills field by field that no
# XML property reaches on purpose: -> why.
GUI_UNREACHABLE = {
    "NMFParameters.PowerIterations": "a fixed part of the method: two power iterations of the range finder "
                                     "(docs/method.md, section 6; Halko, Martinsson & Tropp 2011)",
}

RELATIVE_TOLERANCE = 1e-12


# --- Source files: the checkout, or an in-memory fixture for the self-check. ---

class Tree:
    """Text files by path relative to the source root."""

    def __init__(self, root=None, files=None):
        self.root, self.files, self.cache = root, files, {}

    def read(self, path):
        if path not in self.cache:
            if self.files is not None:
                self.cache[path] = self.files.get(path)
            else:
                full = os.path.join(self.root, path)
                self.cache[path] = open(full, encoding="utf-8").read() if os.path.isfile(full) else None
        return self.cache[path]

    def find(self, folder, suffix):
        """Paths under `folder` ending in `suffix`, sorted."""
        if self.files is not None:
            return sorted(p for p in self.files if p.startswith(folder + "/") and p.endswith(suffix))
        found = []
        for directory, _, names in os.walk(os.path.join(self.root, folder)):
            found += [os.path.relpath(os.path.join(directory, n), self.root) for n in names if n.endswith(suffix)]
        return sorted(found)


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


# --- C++ as text: comments out, then statements, declarations, enums. ---

def strip_comments(text):
    """Comments become spaces (newlines kept), so offsets and lines still match the file."""
    def blank(m):
        return m.group(0) if m.group(0).startswith('"') else re.sub(r"[^\n]", " ", m.group(0))
    return re.sub(r'"(?:\\.|[^"\\\n])*"|/\*.*?\*/|//[^\n]*', blank, text, flags=re.S)


def matching(text, start, opening="{", closing="}"):
    """Index just past the bracket that closes the one at `start`."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == opening:
            depth += 1
        elif text[i] == closing:
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


BLOCK_KEYWORDS = {"else", "do", "try", "namespace", "const", "override", "noexcept", "final", "mutable"}


def statements(text, start=0, end=None):
    """(statement, offset) of the code in text[start:end]: split at ';' and at
    block braces; initialiser braces (after '=', a name, '>' ...) stay inside.
    Nested class, struct and enum bodies are skipped."""
    end = len(text) if end is None else end
    found, begin, i, paren = [], start, start, 0
    while i < end:
        c = text[i]
        if c == '"':
            i = text.index('"', i + 1) + 1 if '"' in text[i + 1:end] else end
            continue
        if c in "([":
            paren += 1
        elif c in ")]":
            paren -= 1
        elif c == ";" and paren == 0:
            found.append((text[begin:i], begin))
            begin = i + 1
        elif c == "{" and paren == 0:
            before = text[begin:i].rstrip()
            word = re.search(r"(\w+)$", before)
            head = before.strip()
            if re.match(r"(template\s*<.*>\s*)?(enum|struct|class|union)\b", head):
                i = begin = matching(text, i)  # a nested type: not statements of this scope
                continue
            initialiser = before.endswith(("=", ",", "{", ">", "]")) or (word and word.group(1) not in BLOCK_KEYWORDS
                                                                        and not before.endswith(")"))
            if initialiser:
                i = matching(text, i)
                continue
            found.append((text[begin:i], begin))  # the head of a block (if, a function ...)
            begin = i + 1
        elif c == "}" and paren == 0:
            begin = i + 1
        i += 1
    return [(s, o) for s, o in found if s.strip()]


def type_body(text, name):
    """(start, end) of the body of class/struct `name` in text, or None."""
    m = re.search(r"\b(?:class|struct)\s+(?:[A-Z_]+\s+)?%s\b[^;{(]*\{" % re.escape(name), text)
    if not m:
        return None
    return m.end(), matching(text, m.end() - 1) - 1


class Enumerator:
    """A C++ enumerator in a default, e.g. NMFAlgorithm::HALS or HALS."""

    def __init__(self, enum, name):
        self.enum, self.name = enum, name

    def __repr__(self):
        return f"{self.enum}::{self.name}" if self.enum else self.name


class Fill:
    """m_X.Fill(v): every element v."""

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return f"Fill({self.value!r})"


NULL = "nullptr"


def parse_scalar(token):
    token = token.strip()
    if re.fullmatch(r'"(?:\\.|[^"\\])*"', token):
        return bytes(token[1:-1], "utf-8").decode("unicode_escape")
    if token in ("true", "false"):
        return token == "true"
    if token == "nullptr":
        return NULL
    number = re.fullmatch(r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)[uUlLfF]*", token)
    if number:
        text = number.group(1)
        return float(text) if re.search(r"[.eE]", text) else int(text)
    name = re.fullmatch(r"(?:stempdf::)?(?:(\w+)::)?(\w+)", token)
    if name:
        return Enumerator(name.group(1), name.group(2))
    raise ValueError(f"cannot read the C++ value {token!r}")


def template_bracket(text, i):
    """'<' or '>' of a template (std::array<double, 2>), not '->', '<<' or a comparison."""
    before, after = text[i - 1:i], text[i + 1:i + 2]
    return before not in ("-", " ", "<", ">") and after not in ("<", ">", "=") and not (text[i] == "<" and after == " ")


def split_top(text, separator=","):
    """Split at separators outside brackets and strings."""
    parts, depth, begin, quote = [], 0, 0, False
    for i, c in enumerate(text):
        if c == '"' and (i == 0 or text[i - 1] != "\\"):
            quote = not quote
        elif quote:
            continue
        elif c in "([{" or (c == "<" and template_bracket(text, i)):
            depth += 1
        elif c in ")]}" or (c == ">" and template_bracket(text, i)):
            depth -= 1
        elif c == separator and depth == 0:
            parts.append(text[begin:i])
            begin = i + 1
    parts.append(text[begin:])
    return parts


def parse_initialiser(init):
    """The values of '= 0.5', '{ 3 }', '{ { 0.25, 1.6 } }', '= { 2.0, 3.2 }'."""
    init = init.strip()
    if init.startswith("="):
        init = init[1:].strip()
    flat = re.sub(r'[{}]', " ", init) if not init.startswith('"') else init
    return [parse_scalar(t) for t in split_top(flat) if t.strip()]


def member_default(text, start, end, name):
    """(values, offset) of the declaration of data member `name` in text[start:end]
    (a class body); values None when it has no initialiser; None when not declared."""
    for statement, offset in statements(text, start, end):
        body = re.sub(r"^\s*(?:(?:public|protected|private)\s*:\s*)+", "", statement)
        if "(" in body.split("=")[0].split("{")[0] or re.match(r"\s*(using|typedef|friend|return|static_assert)\b",
                                                                body):
            continue  # a function, a macro, an alias
        declarators = split_top(body)
        first = re.match(r"\s*(?P<type>.*?)\s*\b(?P<name>\w+)\s*(?P<dims>\[[^\]]*\])?\s*(?P<init>[={].*)?$",
                         declarators[0], re.S)
        if not first:
            continue
        type_name = first.group("type")
        for index, declarator in enumerate(declarators):
            m = first if index == 0 else re.match(r"\s*(?P<name>\w+)\s*(?P<dims>\[[^\]]*\])?\s*(?P<init>[={].*)?$",
                                                   declarator, re.S)
            if m and m.group("name") == name:
                at = offset + re.search(r"\b%s\b" % name, statement).start()
                if m.group("init"):
                    return parse_initialiser(m.group("init")), at
                # std::string is "" without an initialiser; anything else is left unset.
                return ([""] if re.search(r"\bstd::string\b", type_name) else None), at
    return None


def enums_in(text):
    """{enum name: [(enumerator, value), ...]} of every enum in text."""
    found = {}
    for m in re.finditer(r"\benum\s+(?:class\s+)?(\w+)\s*(?::\s*[\w:]+\s*)?\{", text):
        body = text[m.end():matching(text, m.end() - 1) - 1]
        value, entries = -1, []
        for item in split_top(body):
            parts = item.split("=")
            if not parts[0].strip():
                continue
            value = int(parts[1].strip(), 0) if len(parts) > 1 else value + 1
            entries.append((parts[0].strip(), value))
        found[m.group(1)] = entries
    return found


# --- Where each default lives. ---

class Sources:
    """Lookups in the tree, cached: wrapper classes, ITK types and their enums."""

    def __init__(self, tree):
        self.tree = tree
        self.headers = {os.path.basename(p)[:-2]: p for p in tree.find("plugin", ".h")}
        self.itk_headers = tree.find("filters", ".h")
        self.itk_sources = tree.find("filters", ".cxx") + tree.find("filters", ".hxx")
        self.unresolved = set()  # forwards to a variable of no type found in filters/
        self.stripped = {}

    def text(self, path):
        """The file without its comments (cached), None when there is none."""
        if path not in self.stripped:
            raw = self.tree.read(path)
            self.stripped[path] = None if raw is None else strip_comments(raw)
        return self.stripped[path]

    # The VTK wrapper side.
    def class_chain(self, cls):
        """[(class, header path, source path)] from `cls` up its plugin base classes."""
        chain = []
        while cls in self.headers:
            header = self.headers[cls]
            chain.append((cls, header, header[:-2] + ".cxx"))
            base = re.search(r"\bclass\s+(?:\w+\s+)?%s\s*:\s*public\s+(\w+)" % cls, self.text(header) or "")
            cls = base.group(1) if base else None
        return chain

    def wrapper_default(self, cls, member):
        """(values, 'file:line') of a wrapper member's default: the constructor's
        Set call, else the member initialiser, up the base classes; None if none."""
        for name, header, source in self.class_chain(cls):
            text = self.text(source) or ""
            ctor = re.search(r"\b%s::%s\s*\(\s*\)\s*(?::[^{;]*)?\{" % (name, name), text)
            if ctor:
                body = text[ctor.end():matching(text, ctor.end() - 1) - 1]
                call = re.search(r"(?:this->)?(?:Set%s\s*\((.*?)\)|%s\s*=\s*([^;]+))\s*;" % (member, member), body)
                if call:
                    args = call.group(1) if call.group(1) is not None else call.group(2)
                    return [parse_scalar(a) for a in split_top(args)], f"{source}:{line_of(text, ctor.end() + call.start())}"
            htext = self.text(header)
            body = type_body(htext, name)
            found = body and member_default(htext, body[0], body[1], member)
            if found:
                return found[0], f"{header}:{line_of(htext, found[1])}"
        return None

    def wrapper_enum(self, cls, member):
        """[(enumerator, value)] of the wrapper's own enum a clamp macro bounds `member` with, or None."""
        for name, header, _ in self.class_chain(cls):
            text = self.text(header)
            clamp = re.search(r"vtkSetClampMacro\(\s*%s\s*,\s*int\s*,\s*(\w+)\s*," % member, text)
            if clamp:
                for entries in enums_in(text).values():
                    if clamp.group(1) in [e for e, _ in entries]:
                        return entries
        return None

    def wrapper_enum_value(self, cls, enumerator):
        for _, header, _ in self.class_chain(cls):
            for entries in enums_in(self.text(header)).values():
                for name, value in entries:
                    if name == enumerator:
                        return value
        return None

    # The ITK side.
    def itk_type(self, name):
        """(path, text, start, end) of the class or struct `name` in filters/, or None."""
        for path in self.itk_headers:
            text = self.text(path)
            body = type_body(text, name)
            if body:
                return path, text, body[0], body[1]
        return None

    def itk_enum(self, name):
        for path in self.itk_headers:
            entries = enums_in(self.text(path)).get(name)
            if entries is not None:
                return entries
        return None

    def itk_to_string(self, enum):
        """{enumerator: name} from ToString(enum) in filters/*.cxx."""
        for path in self.itk_sources:
            text = self.text(path)
            m = re.search(r"\bToString\s*\(\s*%s\s+\w+\s*\)\s*\{" % enum, text)
            if not m:
                continue
            body = text[m.end():matching(text, m.end() - 1)]
            names = dict(re.findall(r'case\s+%s::(\w+)\s*:\s*return\s+"([^"]*)"' % enum, body))
            otherwise = re.search(r'default\s*:\s*return\s+"([^"]*)"', body)
            if otherwise:  # switch with a default: the enumerators without a case
                names.update({e: otherwise.group(1) for e, _ in self.itk_enum(enum) or [] if e not in names})
            two = re.search(r'==\s*%s::(\w+)\s*\?\s*"([^"]*)"\s*:\s*"([^"]*)"' % enum, body)
            if two:
                others = [e for e, _ in self.itk_enum(enum) or [] if e != two.group(1)]
                names[two.group(1)] = two.group(2)
                if len(others) == 1:
                    names[others[0]] = two.group(3)
            return names
        return {}

    def itk_default(self, type_name, member):
        """(values, 'file:line') of member `member` of ITK type `type_name`: its
        initialiser (m_Member in a class, Member in a struct), else the constructor;
        a setter that writes m_Struct.Field leads to that field. None if not found."""
        found = self.itk_type(type_name)
        if not found:
            return None
        path, text, start, end = found
        for name in ("m_" + member, member):
            declared = member_default(text, start, end, name)
            if declared and declared[0] is not None:
                return declared[0], f"{path}:{line_of(text, declared[1])}"
            if declared:
                assigned = self.itk_constructor_value(type_name, name)
                if assigned:
                    return assigned
                return [f"<no initialiser for {name}>"], f"{path}:{line_of(text, declared[1])}"
        setter = re.search(r"\bSet%s\s*\([^)]*\)\s*\{([^}]*)\}" % member, text[start:end])
        inner = setter and re.search(r"\bm_(\w+)\.(\w+)", setter.group(1))
        struct = inner and re.search(r"\b(?!return\b)(\w+)\s+m_%s\s*[;{=]" % inner.group(1), text[start:end])
        if struct:  # SetNumberOfComponents(k) { ...m_Parameters.Rank... } -> NMFParameters::Rank
            return self.itk_default(struct.group(1), inner.group(2))
        return None

    def itk_constructor_value(self, type_name, name):
        for path in self.itk_sources + self.itk_headers:
            text = self.text(path)
            ctor = re.search(r"\b%s(?:<[^>]*>)?::%s\s*\(\s*\)\s*(?::[^{;]*)?\{" % (type_name, type_name), text)
            if not ctor:
                continue
            body = text[ctor.end():matching(text, ctor.end() - 1)]
            m = re.search(r"\b%s\.Fill\(([^)]*)\)|\b%s\s*=\s*([^;]+);" % (name, name), body)
            if m:
                where = f"{path}:{line_of(text, ctor.end() + m.start())}"
                return ([Fill(parse_scalar(m.group(1)))] if m.group(1) is not None
                        else parse_initialiser(m.group(2))), where
        return None


# --- How the wrapper forwards a member to the ITK side. ---

class Forward:
    """`this->Member` reaches `type_name`'s `member` through `expression`."""

    def __init__(self, type_name, member, expression, where):
        self.type_name, self.member, self.expression, self.where = type_name, member, expression, where


def variable_type(sources, text, variable, before):
    """The stempdf type of a local variable declared before offset `before`, or None:
    stempdf::T v; auto v = stempdf::T::New(); auto v = Alias::New() (using Alias =
    stempdf::T); auto* v = w->GetX() (the type GetX returns in w's ITK class)."""
    patterns = [r"\bstempdf::(\w+)(?:<[^;]*?>)?(?:::Pointer)?\s+%s\s*[;={(]" % variable,
                r"\bauto\s+%s\s*=\s*stempdf::(\w+)(?:<[^;]*?>)?::New\s*\(" % variable,
                r"\bauto\s+%s\s*=\s*(\w+)::New\s*\(" % variable,
                r"\bauto\s*\*?\s*%s\s*=\s*(\w+)\s*->\s*(Get\w+)\s*\(\s*\)" % variable]
    best = None
    for kind, pattern in enumerate(patterns):
        for m in re.finditer(pattern, text[:before]):
            if best is None or m.start() > best[0].start():
                best = (m, kind)
    if best is None:
        return None
    m, kind = best
    if kind == 2:  # follow 'using Filter = stempdf::...'
        alias = re.findall(r"\busing\s+%s\s*=\s*stempdf::(\w+)" % m.group(1), text[:before])
        return alias[-1] if alias else None
    if kind == 3:
        return getter_type(sources, variable_type(sources, text, m.group(1), m.start()), m.group(2))
    return m.group(1)


def getter_type(sources, owner, getter):
    """The ITK type `owner`::`getter`() returns (through a 'using Alias = T<...>' of owner)."""
    found = owner and sources.itk_type(owner)
    if not found:
        return None
    _, text, start, end = found
    body = text[start:end]
    returned = re.search(r"(\w+)\s*\*?\s*\b%s\s*\(\s*\)" % getter, body)
    if not returned:
        return None
    alias = re.search(r"\busing\s+%s\s*=\s*(?:typename\s+)?(?:stempdf::)?(\w+)" % returned.group(1), body)
    return alias.group(1) if alias else returned.group(1)


def enclosing_call(statement, position, pattern):
    """The last match of `pattern` (ending at its '(') whose argument list holds `position`."""
    found = None
    for m in re.finditer(pattern, statement):
        close = matching(statement, m.end() - 1, "(", ")")
        if m.end() <= position < close:
            found = (m, statement[m.end():close - 1])
    return found


def forwards_in(text, path, start, end, reference, others, member=None):
    """(variable, its member, expression, offset, 'file:line') of each forward in
    text[start:end] of the value the regex `reference` names ('this->Member' or
    a helper's parameter). A statement that also names one of `others` (the
    other values) is not this value's alone and is skipped. With `member`,
    var.Member anywhere in the statement counts too (std::copy into a struct)."""
    found = []
    for statement, offset in statements(text, start, end):
        use = re.search(reference, statement)
        if not use:
            continue
        where = f"{path}:{line_of(text, offset + use.start())}"
        assign = re.match(r"\s*(\w+)\s*\.\s*(\w+)\s*=(?!=)(.*)$", statement, re.S)
        if assign and not any(re.search(o, assign.group(3)) for o in others):
            # parameters.Rank = static_cast<unsigned int>(this->NumberOfComponents)
            found.append((assign.group(1), assign.group(2), assign.group(3), offset, where))
            continue
        call = enclosing_call(statement, use.start(), r"(\w+)\s*->\s*Set(\w+)\s*\(")
        if call and call[0].group(1) != "this" and not any(re.search(o, call[1]) for o in others):
            # filter->SetSRange(RangeType{ { this->SRange[0], this->SRange[1] } })
            found.append((call[0].group(1), call[0].group(2), call[1], offset, where))
            continue
        same = member and re.search(r"\b(\w+)\s*\.\s*%s\b" % member, statement)
        if same:  # std::copy(this->Window, this->Window + 2, options.Window)
            found.append((same.group(1), member, statement, offset, where))
    return found


def forwards(sources, cls, member, members):
    """[Forward] of wrapper member `member` of `cls` to stempdf types in its .cxx files."""
    result = []
    for _, _, source in sources.class_chain(cls):
        text = sources.text(source)
        if text is None:
            continue
        reference = r"this->%s\b" % member
        others = [r"this->%s\b" % m for m in members if m != member]
        hits = forwards_in(text, source, 0, len(text), reference, others, member)
        hits += helper_forwards(text, source, reference)
        for variable, target, expression, offset, where in hits:
            type_name = variable_type(sources, text, variable, offset)
            if type_name and sources.itk_type(type_name):
                result.append(Forward(type_name, target, expression, where))
            elif not re.search(r"\bvtk\w*(?:<[^;>]*>)?\s*\*?\s*%s\b|\bauto\s*\*?\s*%s\s*=\s*vtk"
                               % (variable, variable), text[:offset]):
                # not a VTK object: a way of forwarding this test cannot follow yet
                sources.unresolved.add(f"{cls}::{member} -> {variable}.{target} ({where})")
    unique = {}
    for f in result:
        unique.setdefault((f.type_name, f.member), f)
    return list(unique.values())


def helper_forwards(text, path, reference):
    """Forwards through a function of the same file: Parameters(this->A, this->B)
    -> its parameter at A's position -> p.A = a inside it."""
    found = []
    for statement, offset in statements(text):
        use = re.search(reference, statement)
        call = use and enclosing_call(statement, use.start(), r"(?<![\w>.:])(\w+)\s*\(")
        if not call:
            continue
        name, arguments = call[0].group(1), split_top(call[1])
        index = next((i for i, a in enumerate(arguments) if re.search(reference, a)), None)
        definition = re.search(r"\b%s\s*\(([^)]*)\)\s*\{" % name, text)
        if index is None or not definition:
            continue
        parameters = [re.sub(r"\[.*?\]|=.*", "", p).split()[-1] for p in split_top(definition.group(1)) if p.strip()]
        if index >= len(parameters) or len(parameters) != len(arguments):
            continue
        body_start = definition.end()
        body_end = matching(text, body_start - 1) - 1
        own = r"\b%s\b" % parameters[index]
        others = [r"\b%s\b" % p for i, p in enumerate(parameters) if i != index]
        found += forwards_in(text, path, body_start, body_end, own, others)
    return found


def enum_mapping(expression, sources):
    """(enum, {int value: enumerator} or None for declaration order, default enumerator)
    of a forwarding expression, or None when it converts to no stempdf enum."""
    cast = re.search(r"static_cast<\s*(?:stempdf::)?(\w+)\s*>", expression)
    if cast and sources.itk_enum(cast.group(1)) is not None:
        return cast.group(1), None, None
    # value == 1 ? stempdf::E::A : value == 2 ? stempdf::E::B : stempdf::E::C
    branches = re.findall(r"==\s*(\d+)\s*\?\s*(?:stempdf::)?(\w+)::(\w+)", expression)
    last = re.search(r":\s*(?:stempdf::)?(\w+)::(\w+)\s*$", expression.strip())
    if branches and last:
        return last.group(1), {int(v): e for v, _, e in branches}, last.group(2)
    return None


def map_value(mapping, sources, value):
    """The enumerator an int value becomes under a mapping from enum_mapping."""
    enum, explicit, otherwise = mapping
    if explicit is None:
        return next((e for e, v in sources.itk_enum(enum) if v == value), None)
    return explicit.get(value, otherwise)


# --- The XML side. ---

class Property:
    def __init__(self, proxy, element, path, text):
        self.proxy, self.name, self.path = proxy, element.get("name"), path
        self.member = element.get("command")[3:]  # SetFoo -> Foo, the C++ member
        self.kind = element.tag
        self.boolean = element.find("BooleanDomain") is not None
        domain = element.find("EnumerationDomain")
        self.entries = None if domain is None else [(int(e.get("value")), e.get("text")) for e in domain.iter("Entry")]
        raw = element.get("default_values")
        if self.kind == "StringVectorProperty" and int(element.get("number_of_elements", "1")) <= 1:
            self.values = [raw]
        else:
            convert = float if self.kind == "DoubleVectorProperty" else (int if self.kind == "IntVectorProperty" else str)
            self.values = [convert(v) for v in raw.split()]
        key = re.search(r'name="%s"' % re.escape(self.name), text[text.find('name="%s"' % proxy):])
        self.line = line_of(text, text.find('name="%s"' % proxy) + key.start()) if key else 0

    @property
    def key(self):
        return f"{self.proxy}.{self.name}"

    @property
    def where(self):
        return f"{self.path}:{self.line}"


def xml_proxies(tree):
    """[(proxy name, class, [Property])] of every proxy that is not only a base of others."""
    declared, bases = {}, set()
    for path in tree.find("xml", ".xml"):
        text = tree.read(path)
        for group in ET.fromstring(text).iter("ProxyGroup"):
            for element in group:
                if element.get("class") is None:
                    continue
                properties = [Property(element.get("name"), p, path, text) for p in element
                              if p.tag.endswith("VectorProperty") and (p.get("command") or "").startswith("Set")
                              and p.get("default_values") is not None and p.get("information_only") != "1"]
                base = element.get("base_proxyname")
                declared[element.get("name")] = (element.get("class"), properties, base)
                if base:
                    bases.add(base)
    proxies = []
    for name, (cls, properties, base) in declared.items():
        if name in bases:
            continue
        inherited = []
        while base in declared:  # a base proxy's properties, checked against this class
            inherited = declared[base][1] + inherited
            base = declared[base][2]
        proxies.append((name, cls, [copy_for(p, name) for p in inherited] + properties))
    return proxies


def copy_for(prop, proxy):
    clone = object.__new__(Property)
    clone.__dict__.update(prop.__dict__)
    clone.proxy = proxy
    return clone


# --- Comparing values. ---

def close(a, b):
    if isinstance(a, bool) or isinstance(b, bool):  # a BooleanDomain's 0/1 against false/true
        return all(isinstance(v, (bool, int)) for v in (a, b)) and int(a) == int(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b or abs(a - b) <= RELATIVE_TOLERANCE * max(abs(a), abs(b))
    return a == b


def same(left, right):
    """Element by element; nullptr reads as "" (ParaView sends "", the wrappers treat both as unset)."""
    left = ["" if v is NULL else v for v in left]
    right = ["" if v is NULL else v for v in right]
    if len(right) == 1 and isinstance(right[0], Fill):
        return all(close(v, right[0].value) for v in left)
    return len(left) == len(right) and all(close(a, b) for a, b in zip(left, right))


def show(values):
    values = ["" if v is NULL else v for v in values]
    text = " ".join(repr(v) if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else str(v)
                    for v in values)
    return text if len(values) == 1 or not values else f"({text})"


def normalised(name):
    return re.sub(r"[^a-z0-9]", "", name.lower())


# --- The checks. ---

class Report:
    def __init__(self):
        self.passed, self.failures, self.notes = 0, [], []
        self.compared, self.itk_compared, self.enums, self.analyze, self.proxies, self.allowed = 0, 0, 0, 0, 0, 0

    def check(self, ok, message):
        if ok:
            self.passed += 1
        else:
            self.failures.append(message)
        return ok


def resolved_wrapper_values(sources, cls, values):
    """Wrapper enumerators (int Algorithm = HALS) as their ints."""
    out = []
    for v in values:
        if isinstance(v, Enumerator):
            value = sources.wrapper_enum_value(cls, v.name)
            out.append(value if value is not None else v)
        else:
            out.append(v)
    return out


def check_property(report, sources, cls, prop, members, config):
    """XML default against the wrapper's, and the wrapper's against each ITK side it forwards to."""
    found = sources.wrapper_default(cls, prop.member)
    if found is None or found[0] is None:
        if prop.key in config["no_cpp"]:
            report.allowed += 1
            return
        report.check(False, f"{prop.key} ({prop.where}): XML default {show(prop.values)} but no C++ default "
                            f"of {cls}::{prop.member} found (add one, or list it in NO_CPP_COUNTERPART with a reason)")
        return
    report.check(prop.key not in config["no_cpp"],
                 f"{prop.key}: listed in NO_CPP_COUNTERPART but {cls}::{prop.member} has a default: remove the entry")
    values, where = found
    values = resolved_wrapper_values(sources, cls, values)
    report.compared += 1
    report.check(not prop.boolean or prop.values in ([0], [1]),
                 f"{prop.key} ({prop.where}): a BooleanDomain with the default {show(prop.values)}, not 0 or 1")
    allowed = config["xml_cpp"].get(prop.key)
    if allowed:
        report.allowed += 1
        report.check(same([allowed[0]], prop.values) and same([allowed[1]], values),
                     f"{prop.key}: the allowed difference XML {allowed[0]!r} / C++ {allowed[1]!r} is now XML "
                     f"{show(prop.values)} ({prop.where}) / C++ {show(values)} ({where}): look again, then update "
                     f"XML_CPP_ALLOWED")
    else:
        report.check(same(prop.values, values),
                     f"{prop.key}: XML default {show(prop.values)} ({prop.where}) != {cls}::{prop.member} "
                     f"default {show(values)} ({where})")
    for forward in forwards(sources, cls, prop.member, members):
        check_itk(report, sources, cls, prop, values, where, forward)


def check_itk(report, sources, cls, prop, values, where, forward):
    itk = sources.itk_default(forward.type_name, forward.member)
    label = f"{forward.type_name}::{forward.member}"
    if itk is None:
        report.check(False, f"{prop.key}: {cls}::{prop.member} is forwarded to {label} ({forward.where}) "
                            f"but no default of it was found in filters/")
        return
    itk_values, itk_where = itk
    report.itk_compared += 1
    if any(isinstance(v, Enumerator) for v in itk_values):  # the wrapper's int through its conversion
        mapping = enum_mapping(forward.expression, sources)
        mapped = [f"{mapping[0]}::{map_value(mapping, sources, v)}" for v in values] if mapping else []
        report.check(mapped == [f"{mapping[0]}::{v.name}" for v in itk_values] if mapping else False,
                     f"{prop.key}: {cls}::{prop.member} default {show(values)} ({where}) becomes "
                     f"{' '.join(mapped) if mapping else 'no enumerator (no conversion read)'} at {forward.where} "
                     f"!= {label} default {show(itk_values)} ({itk_where})")
        return
    report.check(same(values, itk_values),
                 f"{prop.key}: {cls}::{prop.member} default {show(values)} ({where}) != {label} default "
                 f"{show(itk_values)} ({itk_where})")


def check_enumeration(report, sources, cls, prop, members, config):
    """Each entry's text names the enumerator its value maps to, in the ITK
    enum the wrapper converts to and in the wrapper's own enum; none is missing."""
    report.enums += 1
    named = False
    for forward in forwards(sources, cls, prop.member, members):
        mapping = enum_mapping(forward.expression, sources)
        if mapping is None:
            continue
        named = True
        enum = mapping[0]
        to_string = sources.itk_to_string(enum)
        reached = set()
        for value, text in prop.entries:
            enumerator = map_value(mapping, sources, value)
            reached.add(enumerator)
            expected = to_string.get(enumerator, enumerator)
            order = "in declaration order" if mapping[1] is None else f"as mapped at {forward.where}"
            report.check(enumerator is not None and (text == expected if enumerator in to_string
                                                     else normalised(text) == normalised(enumerator or "")),
                         f"{prop.key} ({prop.where}): entry {value} \"{text}\" but {value} becomes {enum}::"
                         f"{enumerator} ({order}; ToString \"{expected}\")")
        missing = [e for e, _ in sources.itk_enum(enum) if e not in reached]
        report.check(not missing, f"{prop.key} ({prop.where}): {enum}::{', '.join(missing)} has no XML entry")
    own = sources.wrapper_enum(cls, prop.member)
    if own:
        named = True
        by_value = dict((v, e) for e, v in own)
        for value, text in prop.entries:
            report.check(normalised(by_value.get(value, "?")) == normalised(text),
                         f"{prop.key} ({prop.where}): entry {value} \"{text}\" but {cls} has {value} = "
                         f"{by_value.get(value, 'nothing')}")
        unused = [e for e, v in own if v not in [value for value, _ in prop.entries]]
        report.check(not unused, f"{prop.key} ({prop.where}): {cls}::{', '.join(unused)} has no XML entry")
    report.check(prop.values[0] in [v for v, _ in prop.entries],
                 f"{prop.key} ({prop.where}): default {prop.values[0]} is no entry")
    if not named and prop.key in config["no_enum"]:
        report.allowed += 1
        return
    report.check(named,
                 f"{prop.key} ({prop.where}): an EnumerationDomain but no C++ enum found to name its entries "
                 f"(convert with static_cast<stempdf::Enum> or list it in ENUMS_WITHOUT_CPP_ENUM)")
    report.check(prop.key not in config["no_enum"],
                 f"{prop.key}: listed in ENUMS_WITHOUT_CPP_ENUM but a C++ enum names it now: remove the entry")


def check_proxies(report, sources, proxies, config):
    for name, cls, properties in proxies:
        report.proxies += 1
        members = [p.member for p in properties]
        if not sources.class_chain(cls):
            report.check(False, f"{name}: class {cls} has no header in plugin/")
            continue
        before = len(report.failures)
        for prop in properties:
            check_property(report, sources, cls, prop, members, config)
            if prop.entries is not None:
                check_enumeration(report, sources, cls, prop, members, config)
        if len(report.failures) == before and config["verbose"]:
            print(f"ok: {name}: {len(properties)} defaults agree (XML, {cls} and what it forwards to)")


def analyze_options(text):
    """{option: (default, choices, line)} of every option of analyze.py with a default, read with ast."""
    module = ast.parse(text)
    constants = {t.id: n.value for n in module.body if isinstance(n, ast.Assign)
                 for t in n.targets if isinstance(t, ast.Name)}
    options = {}
    for node in ast.walk(module):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add_argument"):
            continue
        names = [a.value for a in node.args if isinstance(a, ast.Constant) and str(a.value).startswith("--")]
        keywords = {k.arg: k.value for k in node.keywords}
        if not names or "default" not in keywords:
            continue  # positional, flags and options that keep the proxy default when not given
        default = keywords["default"]
        value = ast.literal_eval(constants.get(default.id, default) if isinstance(default, ast.Name) else default)
        choices = ast.literal_eval(keywords["choices"]) if "choices" in keywords else None
        options[names[0]] = (value, choices, node.lineno)
    return options


def check_analyze(report, sources, proxies, config):
    """analyze.py defaults against the proxies', through the explicit tables."""
    path = "scripts/analyze.py"
    options = analyze_options(sources.tree.read(path))
    by_key = {p.key: (cls, p) for _, cls, props in proxies for p in props}
    for option, (value, _, line) in options.items():
        report.check(option in config["analyze"] or option in config["analyze_not"],
                     f"{path}:{line}: {option} has a default ({value!r}) but is in neither ANALYZE_OPTIONS nor "
                     f"ANALYZE_NOT_A_PROPERTY")
    for option, targets in config["analyze"].items():
        if not report.check(option in options, f"ANALYZE_OPTIONS names {option}, which {path} has not (with a default)"):
            continue
        value, choices, line = options[option]
        for target in targets:
            if not report.check(target in by_key, f"ANALYZE_OPTIONS maps {option} to {target}: no such XML property"):
                continue
            cls, prop = by_key[target]
            report.analyze += 1
            check_analyze_value(report, sources, option, f"{path}:{line}", value, choices, cls, prop, config)
    for option, target in config["analyze_allowed"]:
        report.check(option in config["analyze"] and target in config["analyze"][option],
                     f"ANALYZE_ALLOWED lists {option} -> {target}, which ANALYZE_OPTIONS does not map")


def as_proxy_values(prop, value):
    """An analyze default as the property's values (enum text -> its entry value)."""
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if prop.entries is not None:
        return [next((v for v, t in prop.entries if t.lower() == str(x).lower()), x) for x in values]
    return values


def check_analyze_value(report, sources, option, where, value, choices, cls, prop, config):
    mine = as_proxy_values(prop, value)
    for choice in choices or []:
        report.check(prop.entries is None or any(t.lower() == choice.lower() for _, t in prop.entries),
                     f"{where}: {option} choice {choice!r} names no entry of {prop.key} ({prop.where})")
    cpp = sources.wrapper_default(cls, prop.member)
    theirs = [("XML", prop.values, prop.where)]
    if cpp and cpp[0] is not None and prop.key not in config["xml_cpp"]:
        theirs.append((f"{cls}::{prop.member}", resolved_wrapper_values(sources, cls, cpp[0]), cpp[1]))
    allowed = config["analyze_allowed"].get((option, prop.key))
    if allowed:
        report.allowed += 1
        report.check(same([allowed[0]], mine) and same([allowed[1]], prop.values),
                     f"{option} -> {prop.key}: the allowed difference analyze {allowed[0]!r} / proxy {allowed[1]!r} "
                     f"is now analyze {show(mine)} ({where}) / XML {show(prop.values)} ({prop.where}): look again, "
                     f"then update ANALYZE_ALLOWED")
        return
    for label, values, at in theirs:
        report.check(same(mine, values), f"{option} default {show(mine)} ({where}) != {prop.key} {label} default "
                                         f"{show(values)} ({at}); not an ANALYZE_ALLOWED difference")


def check_reachability(report, sources, proxies, config):
    """Every field of a parameter struct a wrapper fills field by field is set
    from an XML property, unless listed in GUI_UNREACHABLE."""
    seen = set()
    for name, cls, properties in proxies:
        members = [p.member for p in properties]
        filled = {}
        for member in members:
            for f in forwards(sources, cls, member, members):
                kind = sources.itk_type(f.type_name)
                if kind and re.search(r"\bstruct\s+%s\b" % f.type_name, kind[1]):
                    filled.setdefault(f.type_name, set()).add(f.member)
        for struct, reached in sorted(filled.items()):
            path, text, start, end = sources.itk_type(struct)
            fields = [m for s, _ in statements(text, start, end)
                      for m in re.findall(r"\b(\w+)\s*(?:\[[^\]]*\])?\s*(?:\{|=)", s.split("(")[0])[:1]]
            for field in fields:
                key = f"{struct}.{field}"
                seen.add(key)
                if key in config["unreachable"]:
                    report.allowed += 1
                    report.check(field not in reached, f"{key}: listed in GUI_UNREACHABLE but {name} sets it "
                                                       f"now: remove the entry")
                    continue
                report.check(field in reached, f"{name}: {struct}::{field} ({path}) is not reachable from the GUI: "
                                               f"no XML property of {name} sets it (add one, or list it in "
                                               f"GUI_UNREACHABLE with a reason)")
    for key in config["unreachable"]:
        report.check(key in seen, f"GUI_UNREACHABLE lists {key}, which no wrapper fills field by field any more")


def run(tree, config):
    report = Report()
    sources = Sources(tree)
    if not report.check(tree.find("xml", ".xml") and tree.read("scripts/analyze.py"),
                        "no xml/*.xml or no scripts/analyze.py in the source tree: a wrong --source-dir?"):
        return report
    proxies = xml_proxies(tree)
    check_proxies(report, sources, proxies, config)
    check_analyze(report, sources, proxies, config)
    check_reachability(report, sources, proxies, config)
    report.notes += [f"not compared with the ITK side: {u}" for u in sorted(sources.unresolved)]
    return report


def config_of(verbose=True, **tables):
    config = {"analyze": ANALYZE_OPTIONS, "analyze_allowed": ANALYZE_ALLOWED, "analyze_not": ANALYZE_NOT_A_PROPERTY,
              "xml_cpp": XML_CPP_ALLOWED, "no_cpp": NO_CPP_COUNTERPART, "no_enum": ENUMS_WITHOUT_CPP_ENUM,
              "unreachable": GUI_UNREACHABLE, "verbose": verbose}
    config.update(tables)
    return config


# --- Self-check: the comparison finds a planted mismatch of every kind. ---

FIXTURE = {
    "xml/Fixture.xml": """<ServerManagerConfiguration><ProxyGroup name="filters">
  <SourceProxy name="Fixture" class="vtkFixture">
    <DoubleVectorProperty name="Width" command="SetWidth" number_of_elements="1" default_values="2.5" />
    <IntVectorProperty name="Count" command="SetCount" number_of_elements="1" default_values="3" />
    <IntVectorProperty name="Flag" command="SetFlag" number_of_elements="1" default_values="1">
      <BooleanDomain name="bool" />
    </IntVectorProperty>
    <IntVectorProperty name="Mode" command="SetMode" number_of_elements="1" default_values="0">
      <EnumerationDomain name="enum"><Entry value="0" text="Fast" /><Entry value="1" text="Exact" /></EnumerationDomain>
    </IntVectorProperty>
    <StringVectorProperty name="Label" command="SetLabel" number_of_elements="1" default_values="x" />
  </SourceProxy>
</ProxyGroup></ServerManagerConfiguration>""",
    "plugin/Core/vtkFixture.h": """class STEMPDFCORE_EXPORT vtkFixture : public vtkImageAlgorithm
{
public:
  vtkSetMacro(Width, double);
private:
  double Width = 2.0; // planted: XML 2.5
  int Count = 3;
  bool Flag = true;
  int Mode = 0;
  std::string Other;
};""",
    "plugin/Core/vtkFixture.cxx": """int vtkFixture::RequestData()
{
  stempdf::FixtureParameters parameters;
  parameters.Count = static_cast<unsigned int>(this->Count);
  parameters.Mode = static_cast<stempdf::FixtureMode>(this->Mode);
  return 1;
}""",
    "filters/Fixture.h": """namespace stempdf {
enum class FixtureMode { Exact, Fast }; // planted: the XML says 0 = Fast
struct FixtureParameters
{
  unsigned int Count{ 4 }; // planted: the wrapper says 3
  FixtureMode Mode{ FixtureMode::Exact };
  double Hidden{ 1.0 }; // planted: no XML property sets it
};
}""",
    "scripts/analyze.py": """parser.add_argument("--width", type=float, default=2.5)
parser.add_argument("--count", type=int, default=5)  # planted: the proxy says 3
""",
}
FIXTURE_FIXES = {  # path -> (planted, fixed)
    "plugin/Core/vtkFixture.h": ("double Width = 2.0;", "double Width = 2.5; std::string Label = \"x\";"),
    "filters/Fixture.h": ("enum class FixtureMode { Exact, Fast };|unsigned int Count{ 4 };|FixtureMode::Exact|"
                          "double Hidden{ 1.0 };",
                          "enum class FixtureMode { Fast, Exact };|unsigned int Count{ 3 };|FixtureMode::Fast|"),
    "scripts/analyze.py": ("default=5", "default=3"),
}
FIXTURE_EXPECTED = [  # every planted mismatch, by words its message must hold
    ("Fixture.Width", "2.5", "2.0", "vtkFixture.h"),
    ("Fixture.Count", "FixtureParameters::Count", "4"),
    ("Fixture.Mode", "entry 0 \"Fast\"", "FixtureMode::Exact"),
    ("Fixture.Label", "no C++ default"),
    ("--count", "5", "3"),
    ("FixtureParameters::Hidden", "not reachable from the GUI"),
]


def self_check():
    """The planted mismatches are each reported; once fixed, nothing is."""
    config = config_of(verbose=False, analyze={"--width": ["Fixture.Width"], "--count": ["Fixture.Count"]},
                       analyze_allowed={}, analyze_not={}, xml_cpp={}, no_cpp={}, no_enum={}, unreachable={})
    failures = run(Tree(files=FIXTURE), config).failures
    missed = [words for words in FIXTURE_EXPECTED if not any(all(w in f for w in words) for f in failures)]
    fixed = dict(FIXTURE)
    for path, (planted, repaired) in FIXTURE_FIXES.items():
        for a, b in zip(planted.split("|"), repaired.split("|")):
            fixed[path] = fixed[path].replace(a, b)
    leftover = run(Tree(files=fixed), config).failures
    problems = [f"self-check: a planted mismatch was not reported: {w}" for w in missed]
    problems += [f"self-check: reported on the repaired fixture: {f}" for f in leftover]
    return problems


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."),
                        help="the STEMPDF source tree (default: this file's)")
    args = parser.parse_args(argv)

    problems = self_check()
    for problem in problems:
        print("FAILED:", problem)
    if not problems:
        print(f"ok: self-check: the {len(FIXTURE_EXPECTED)} planted mismatches of the fixture are reported, "
              f"the repaired fixture passes")

    report = run(Tree(root=os.path.abspath(args.source_dir)), config_of())
    report.passed += 0 if problems else 1
    for failure in report.failures:
        print("FAILED:", failure)
    for note in report.notes:
        print("note:", note)
    print(f"defaults: {report.compared} parameters compared across {report.proxies} proxies "
          f"({report.itk_compared} also against the ITK side, {report.enums} enumerations, "
          f"{report.analyze} analyze.py defaults), {report.allowed} allowed differences")
    failed = len(report.failures) + len(problems)
    print(f"{report.passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
