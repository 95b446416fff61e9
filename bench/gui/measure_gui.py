"""Time what a user does with a paper-scale raw 4D-STEM array in ParaView
(docs/gui-responsiveness.md): open the .vti, show it, gather its data
information, colour by the raw array, apply VirtualDetector, show the map.

In the GUI (the real ParaView client, its event loop running between steps):

    STEMPDF_BENCH_VTI=/tmp/guibench/paper_scale.vti \
    STEMPDF_BENCH_JSON=/tmp/guibench/gui_run1.json \
    STEMPDF_BENCH_SHOTS=/tmp/guibench/shots_run1 \
    xvfb-run -a -s "-screen 0 1400x900x24" paraview --dr --script=bench/gui/measure_gui.py

In pvpython (no GUI, for comparison; same steps, no event loop):

    STEMPDF_BENCH_VTI=... STEMPDF_BENCH_JSON=/tmp/guibench/pv_run1.json \
    xvfb-run -a -s "-screen 0 1400x900x24" pvpython bench/gui/measure_gui.py

Environment:
    STEMPDF_BENCH_VTI    the 4D scan (bench/gui/make_paper_scale_vti.py); required
    STEMPDF_BENCH_JSON   where to write the timings (default /tmp/stempdf_gui_bench.json)
    STEMPDF_BENCH_SHOTS  GUI only: folder for a whole-screen PNG after each step
                         (ImageMagick's `import`; Debian package imagemagick)
    STEMPDF_PLUGIN       the plugin (default build/lib/paraview-plugins/STEMPDF/STEMPDF.so)
    STEMPDF_BENCH_STEPS  comma-separated subset of the step names (default: all)

How the GUI is measured: --script runs inside the client's main thread, before
its event loop starts; a script that ran every step at once would hide the
panel updates that Qt defers to the event loop. So this script only installs a
20 ms repeating timer on the render view's interactor (a QVTKInteractor: the
timer is a Qt timer) and runs one step per timer tick. After a step it keeps
counting ticks until they come back regularly for SETTLE_S seconds: the delay
from the end of the step to the first of those regular ticks is time during
which the GUI did not answer (deferred panel updates, colour-map work,
renders). Each step records
    call_s     the Python call itself (what pvpython also pays),
    blocked_s  how long the event loop stayed busy afterwards,
    total_s    call_s + blocked_s: what a user waits,
    max_gap_s  the longest single gap between ticks while settling,
    rss_gib / hwm_gib  the process's resident and peak memory after the step.
At the end the script writes the JSON and ends the client (os._exit: this
ParaView build has no Python binding of QApplication::quit).
"""
import json
import os
import subprocess
import sys
import time

from paraview import servermanager
from paraview import simple

VTI = os.environ.get("STEMPDF_BENCH_VTI")
OUT = os.environ.get("STEMPDF_BENCH_JSON", "/tmp/stempdf_gui_bench.json")
SHOTS = os.environ.get("STEMPDF_BENCH_SHOTS")


def _repo_root():
    """The repository (three levels above this file). The GUI runs --script
    without __file__, so look for the script's path on the command line then."""
    try:
        here = __file__
    except NameError:
        with open("/proc/self/cmdline", "rb") as cmdline:
            args = cmdline.read().decode().split("\0")
        here = next((a.split("=", 1)[-1] for a in args if a.endswith("measure_gui.py")),
                    os.path.join(os.getcwd(), "bench", "gui", "measure_gui.py"))
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(here))))


ROOT = _repo_root()
PLUGIN = os.environ.get("STEMPDF_PLUGIN",
                        os.path.join(ROOT, "build", "lib", "paraview-plugins", "STEMPDF", "STEMPDF.so"))
TICK_MS = 20
SETTLE_S = 1.0          # regular ticks for this long = the GUI is idle again
REGULAR_GAP_S = 0.06    # a tick gap up to this counts as regular
GIVE_UP_S = 600.0       # stop waiting for the GUI to settle after this long


def memory():
    """(VmRSS, VmHWM) of this process in GiB."""
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, kib = line.split()[:2]
                values[key] = int(kib) / 2**20
    return values.get("VmRSS:", 0.0), values.get("VmHWM:", 0.0)


class Bench:
    """The steps, in order. Each returns a dict of facts worth recording."""

    def __init__(self, gui):
        self.gui = gui
        self.view = simple.GetActiveViewOrCreate("RenderView")
        self.reader = self.raw_display = self.vd = self.vd_display = None

    def load_plugin(self):
        simple.LoadPlugin(PLUGIN, remote=False, ns=globals())
        return {"plugin": PLUGIN}

    def open_update(self):
        self.reader = simple.OpenDataFile(VTI)
        simple.RenameSource("paper_scale.vti", self.reader)
        self.reader.UpdatePipeline()
        info = self.reader.GetDataInformation().DataInformation
        array = self.reader.PointData["Counts"]
        return {"file_gib": os.path.getsize(VTI) / 2**30,
                "points": info.GetNumberOfPoints(),
                "components": array.GetNumberOfComponents(),
                "memory_mib_reported": info.GetMemorySize() / 1024.0}

    def show_raw(self):
        """Show + Render with ParaView's defaults (what Apply in the GUI does)."""
        self.raw_display = simple.Show(self.reader, self.view)
        simple.Render(self.view)
        return {"representation": str(self.raw_display.Representation),
                "color_array": [str(v) for v in self.raw_display.ColorArrayName],
                "lut_vector_mode": (str(simple.GetColorTransferFunction("Counts").VectorMode)
                                    if self.raw_display.ColorArrayName[1] == "Counts" else None)}

    def show_outline(self):
        """Show as an Outline, not coloured (not in the default run:
        STEMPDF_BENCH_STEPS=load_plugin,open_update,show_outline)."""
        self.raw_display = simple.Show(self.reader, self.view)
        self.raw_display.Representation = "Outline"
        simple.ColorBy(self.raw_display, None)
        simple.Render(self.view)
        return {"representation": "Outline"}

    def data_information(self):
        """Gather the data information again (ParaView does it after every update;
        it computes the range of each of the 65,536 components)."""
        port = self.reader.SMProxy.GetOutputPort(0)
        port.InvalidateDataInformation()
        info = port.GetDataInformation()
        array = info.GetPointDataInformation().GetArrayInformation("Counts")
        return {"magnitude_range": list(array.GetComponentRange(-1)),
                "component0_range": list(array.GetComponentRange(0))}

    def select_raw(self):
        """Make the raw source active: Pipeline Browser selection, Properties and
        Information panels, colour toolbar follow."""
        simple.SetActiveSource(self.reader)
        return {}

    def color_magnitude(self):
        simple.ColorBy(self.raw_display, ("POINTS", "Counts", "Magnitude"))
        simple.Render(self.view)
        points = simple.GetColorTransferFunction("Counts").RGBPoints
        return {"lut_range": [points[0], points[-4]]}

    def color_component(self):
        """Colour by one detector pixel (the middle one: a virtual point detector)."""
        n = self.reader.PointData["Counts"].GetNumberOfComponents()
        side = int(round(n ** 0.5))
        component = (side // 2) * side + side // 2 if side * side == n else n // 2
        self.raw_display.SetScalarColoring("Counts", servermanager.GetAssociationFromString("POINTS"),
                                           component)
        self.raw_display.RescaleTransferFunctionToDataRange(False, True)
        simple.Render(self.view)
        points = simple.GetColorTransferFunction("Counts").RGBPoints
        return {"component": component, "lut_range": [points[0], points[-4]]}

    # GUI only: real mouse clicks (xdotool) on the 1400 x 900 screen layout of
    # ParaView 5.11's default window, the raw source active and coloured by
    # one of its 65,536 components.
    def click_information_tab(self):
        """Click the Information tab (lists the arrays and their ranges)."""
        return xdo("mousemove", "141", "418", "click", "1")

    def scroll_information(self):
        """Scroll the Information panel down to its Data Arrays table."""
        return xdo("mousemove", "140", "700", "click", "--repeat", "15", "--delay", "30", "5")

    def click_properties_tab(self):
        return xdo("mousemove", "45", "418", "click", "1")

    def open_component_menu(self):
        """Open the colour toolbar's component drop-down (Magnitude, 0 ... 65535)."""
        return xdo("mousemove", "490", "81", "click", "1")

    def close_component_menu(self):
        return xdo("key", "Escape")

    def virtual_detector(self):
        """Apply VirtualDetector (bright field) and show its map, the raw data hidden."""
        self.vd = VirtualDetector(Input=self.reader, InnerRadius=0.0, OuterRadius=20.0,
                                  CenterOnDetectorMiddle=1, OutputArrayName="VirtualBF")
        self.vd.UpdatePipeline()
        self.vd_display = simple.Show(self.vd, self.view)
        simple.Hide(self.reader, self.view)
        simple.ColorBy(self.vd_display, ("POINTS", "VirtualBF"))
        simple.GetColorTransferFunction("VirtualBF").ApplyPreset("Grayscale", True)
        self.vd_display.RescaleTransferFunctionToDataRange(True, False)
        simple.SetActiveSource(self.vd)
        simple.ResetCamera(self.view)
        simple.Render(self.view)
        return {"bf_range": list(self.vd.PointData["VirtualBF"].GetRange())}

    def vd_change_radius(self):
        """Change the radii to an annular dark field and re-render: what a user does often."""
        side = self.reader.PointData["Counts"].GetNumberOfComponents() ** 0.5
        self.vd.InnerRadius = round(0.2 * side)
        self.vd.OuterRadius = round(0.4 * side)
        self.vd.UpdatePipeline()
        self.vd_display.RescaleTransferFunctionToDataRange(False, True)
        simple.Render(self.view)
        return {"range": list(self.vd.PointData["VirtualBF"].GetRange())}

    def select_raw_again(self):
        """Click back on the raw source (hidden now) in the Pipeline Browser."""
        simple.SetActiveSource(self.reader)
        return {}

    def show_raw_again(self):
        """Make the raw source visible again, coloured by a component (eye icon)."""
        simple.Show(self.reader, self.view)
        simple.Render(self.view)
        return {}

    def select_vd(self):
        """Click the VirtualDetector map in the Pipeline Browser (raw data visible too)."""
        simple.SetActiveSource(self.vd)
        return {}

    def select_raw_visible(self):
        """Click back on the raw source, now visible and coloured by a component."""
        simple.SetActiveSource(self.reader)
        return {}

    def spreadsheet(self):
        """Split the layout and show the raw source in a spreadsheet view (not in
        the default run: STEMPDF_BENCH_STEPS=load_plugin,open_update,spreadsheet)."""
        layout = simple.GetLayout(self.view)
        sheet = simple.CreateView("SpreadSheetView")
        simple.AssignViewToLayout(view=sheet, layout=layout, hint=0)
        simple.Show(self.reader, sheet)
        simple.Render(sheet)
        return {}

    def delete_all(self):
        simple.Delete(self.vd)
        simple.Delete(self.reader)
        simple.Render(self.view)
        return {}

    ORDER = ["load_plugin", "open_update", "show_raw", "data_information", "select_raw",
             "color_magnitude", "color_component", "click_information_tab",
             "scroll_information", "click_properties_tab", "open_component_menu",
             "close_component_menu", "virtual_detector", "vd_change_radius",
             "select_raw_again", "show_raw_again", "select_vd", "select_raw_visible",
             "delete_all"]
    GUI_ONLY = {"click_information_tab", "scroll_information", "click_properties_tab",
                "open_component_menu", "close_component_menu"}


def xdo(*args):
    """Send X events to the client with xdotool (they are handled once the
    step returns to the event loop, so the wait shows up in blocked_s)."""
    subprocess.run(["xdotool", *args], check=True, timeout=30)
    return {"xdotool": " ".join(args)}


def run_step(bench, name):
    t0 = time.perf_counter()
    error = None
    try:
        facts = getattr(bench, name)()
    except Exception as exc:  # keep measuring the other steps, report the failure
        facts, error = {}, f"{type(exc).__name__}: {exc}"
    call = time.perf_counter() - t0
    record = {"step": name, "call_s": round(call, 4), "facts": facts,
              "loadavg_1min": round(os.getloadavg()[0], 2)}
    if error:
        record["error"] = error
        print(f"step {name} failed: {error}", flush=True)
        if name in ("load_plugin", "open_update"):  # nothing else can run
            raise RuntimeError(f"step {name} failed: {error}")
    return record, t0 + call


def finish(records, mode):
    rss, hwm = memory()
    result = {"mode": mode, "vti": VTI, "cpus": os.cpu_count(),
              "loadavg_end": [round(v, 2) for v in os.getloadavg()], "steps": records,
              "final_rss_gib": round(rss, 3), "peak_rss_gib": round(hwm, 3)}
    with open(OUT, "w") as out:
        json.dump(result, out, indent=1, default=str)
    for r in records:
        print(f"{mode:8s} {r['step']:18s} call {r['call_s']:8.3f} s  blocked "
              f"{r.get('blocked_s', 0.0):8.3f} s  rss {r['rss_gib']:.2f} GiB  {r.get('error', '')}",
              flush=True)
    print(f"wrote {OUT}; peak RSS {hwm:.2f} GiB", flush=True)


def screenshot(name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        subprocess.run(["import", "-window", "root", os.path.join(SHOTS, name + ".png")],
                       check=False, timeout=60)


def run_pvpython(steps):
    bench = Bench(gui=False)
    records = []
    for name in (s for s in steps if s not in Bench.GUI_ONLY):
        record, _ = run_step(bench, name)
        record["rss_gib"], record["hwm_gib"] = (round(v, 3) for v in memory())
        records.append(record)
    finish(records, "pvpython")


def run_gui(steps, interactor):
    """One step per timer tick; between steps, wait for the event loop to settle."""
    # The client window as big as the screen (Xvfb has no window manager).
    subprocess.run("xdotool search --name 'ParaView 5' | head -1 | "
                   "xargs -I{} xdotool windowmove {} 0 0 windowsize {} 100% 100%",
                   shell=True, check=False, timeout=30)
    bench = Bench(gui=True)
    records = []
    state = {"i": 0, "phase": "run", "end": 0.0, "last": time.perf_counter(),
             "streak_start": None, "max_gap": 0.0, "record": None}

    def tick(obj, event):
        now = time.perf_counter()
        gap = now - state["last"]
        state["last"] = now
        if state["phase"] == "settle":
            state["max_gap"] = max(state["max_gap"], gap)
            if gap > REGULAR_GAP_S:
                state["streak_start"] = now
            elif state["streak_start"] is None:
                state["streak_start"] = now
            if now - state["streak_start"] >= SETTLE_S or now - state["end"] > GIVE_UP_S:
                record = state["record"]
                blocked = max(0.0, state["streak_start"] - state["end"] - TICK_MS / 1000.0)
                record["blocked_s"] = round(blocked, 4)
                record["total_s"] = round(record["call_s"] + blocked, 4)
                record["max_gap_s"] = round(state["max_gap"], 4)
                record["rss_gib"], record["hwm_gib"] = (round(v, 3) for v in memory())
                records.append(record)
                print(f"gui {record['step']}: call {record['call_s']:.3f} s, blocked {blocked:.3f} s",
                      flush=True)
                screenshot(f"{len(records):02d}_{record['step']}")
                state["phase"] = "run"
                state["last"] = time.perf_counter()
            return
        if state["i"] >= len(steps):
            interactor.DestroyTimer(timer)
            finish(records, "gui")
            sys.stdout.flush()
            os._exit(0)
        name = steps[state["i"]]
        state["i"] += 1
        record, end = run_step(bench, name)
        state.update(phase="settle", end=end, last=end, streak_start=None, max_gap=0.0,
                     record=record)

    interactor.AddObserver("TimerEvent", tick)
    timer = interactor.CreateRepeatingTimer(TICK_MS)
    print(f"measure_gui: {len(steps)} steps queued on a {TICK_MS} ms timer", flush=True)


def main():
    if not VTI or not os.path.isfile(VTI):
        sys.exit("set STEMPDF_BENCH_VTI to a 4D-STEM .vti (bench/gui/make_paper_scale_vti.py)")
    wanted = os.environ.get("STEMPDF_BENCH_STEPS")
    steps = wanted.split(",") if wanted else list(Bench.ORDER)
    view = simple.GetActiveView()
    interactor = view.GetInteractor() if view is not None else None
    if interactor is not None and interactor.GetClassName() == "QVTKInteractor":
        run_gui(steps, interactor)
    else:
        run_pvpython(steps)


try:
    main()
except BaseException as exc:  # in the GUI, an error here would leave the client open forever
    import traceback
    traceback.print_exc()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(1)
