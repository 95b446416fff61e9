#include "stempdfComposition.h"

#include "stempdfScatteringFactorTables.h"

#include "itkMacro.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace stempdf
{
int
AtomicNumber(const std::string & symbol)
{
  for (const auto & element : ScatteringParameterTable())
  {
    if (symbol == element.Symbol)
    {
      return element.Z;
    }
  }
  return 0;
}

Composition
ParseComposition(const std::string & formula)
{
  Composition result;
  double      total = 0.0;
  size_t      i = 0;
  const auto  skipSpaces = [&] {
    while (i < formula.size() && std::isspace(static_cast<unsigned char>(formula[i])))
    {
      ++i;
    }
  };
  skipSpaces();
  while (i < formula.size())
  {
    if (!std::isupper(static_cast<unsigned char>(formula[i])))
    {
      itkGenericExceptionMacro(<< "Composition \"" << formula << "\": unexpected '" << formula[i] << "' at position "
                               << i << "; expected an element symbol such as Fe or Si");
    }
    std::string symbol(1, formula[i++]);
    if (i < formula.size() && std::islower(static_cast<unsigned char>(formula[i])))
    {
      symbol += formula[i++];
    }
    const int z = AtomicNumber(symbol);
    if (z == 0)
    {
      itkGenericExceptionMacro(<< "Composition \"" << formula << "\": unknown element symbol \"" << symbol << "\"");
    }
    skipSpaces();
    double amount = 1.0;
    if (i < formula.size() && (std::isdigit(static_cast<unsigned char>(formula[i])) || formula[i] == '.' ||
                               formula[i] == '-' || formula[i] == '+'))
    {
      const char * begin = formula.c_str() + i;
      char *       end = nullptr;
      amount = std::strtod(begin, &end);
      if (end == begin)
      {
        itkGenericExceptionMacro(<< "Composition \"" << formula << "\": malformed amount after " << symbol);
      }
      i += static_cast<size_t>(end - begin);
      if (!(amount > 0.0) || !std::isfinite(amount))
      {
        itkGenericExceptionMacro(<< "Composition \"" << formula << "\": the amount of " << symbol << " is " << amount
                                 << "; expected a positive number");
      }
    }
    bool merged = false;
    for (auto & component : result.Components)
    {
      if (component.Z == z)
      {
        component.Fraction += amount;
        merged = true;
      }
    }
    if (!merged)
    {
      result.Components.push_back({ z, symbol, amount });
    }
    total += amount;
    skipSpaces();
  }
  if (result.Components.empty())
  {
    itkGenericExceptionMacro(<< "Composition is empty; expected a formula such as \"Fe85.2Si0.5B9.5P4Cu0.8\"");
  }
  for (auto & component : result.Components)
  {
    component.Fraction /= total;
  }
  return result;
}

std::string
ToString(const Composition & composition)
{
  std::ostringstream os;
  for (const auto & component : composition.Components)
  {
    os << component.Symbol << component.Fraction;
  }
  return os.str();
}
} // namespace stempdf
