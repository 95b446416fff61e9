#!/usr/bin/env bash
# Screenshots of the GUI walkthrough in docs/user-guide.md, made by a script:
#   docs/images/gui_walkthrough_1_open.png      the simulated scan (.h5) opened:
#       its reader selected in the Pipeline Browser with its Properties, the
#       scan's outline and a virtual bright-field map in the render view;
#   docs/images/gui_walkthrough_2_pdf.png       Azimuthal Integrate (Find Center)
#       -> Structure Factor -> Pair Distribution, Pair Distribution selected,
#       G(r) at the first peak (2.5 A) as a map and the mean G(r) in a line chart;
#   docs/images/gui_walkthrough_3_nmf.png       NMF Decompose with 2 components and Spatial Smoothing 1.5
#       selected, the fraction map "Weight 1" with its colour bar and the basis
#       PDFs (port 1) in a line chart;
#   docs/images/gui_walkthrough_4_colormix.png  Color Mix of the two weight maps
#       (red, green) shown as true colours (Map Scalars off), the radial
#       autocorrelation profiles (Autocorrelation, port 1) in a line chart and
#       the correlation lengths (port 2) in a spreadsheet view.
#
# Usage:  docs/make_gui_walkthrough.sh [OUTPUT_DIR]      (default docs/images)
# Needs:  paraview, xvfb (xvfb-run), xdotool and imagemagick (`import`, `convert`),
#         the plugin and the simulator built (build/lib/paraview-plugins/STEMPDF/STEMPDF.so
#         or $STEMPDF_PLUGIN; build/bin/stempdf-simulate or $STEMPDF_SIMULATE).
#
# How (the technique of docs/make_screenshots.sh): the simulator makes the
# demo's sample (32 x 32 positions of 64 x 64 px, seed 5) in a temporary
# folder; ParaView runs under xvfb-run on a 1400 x 900 screen with a Python
# --script that builds the pipeline with paraview.simple, one screen per step
# of a Qt timer on the render view's interactor (the event loop updates the
# panels between steps); xdotool sizes the window to the whole screen (Xvfb has
# no window manager) and ImageMagick's `import -window root` captures it.
# SHOT_DEBUG=1 SHOT_DEBUG_DIR=DIR saves the screen after every step.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(cd "${1:-$root/docs/images}" && pwd)
plugin=${STEMPDF_PLUGIN:-$root/build/lib/paraview-plugins/STEMPDF/STEMPDF.so}
simulate=${STEMPDF_SIMULATE:-$root/build/bin/stempdf-simulate}
for tool in paraview xvfb-run xdotool import convert; do
  command -v "$tool" >/dev/null || { echo "make_gui_walkthrough: $tool is missing (apt-get install paraview xvfb xauth xdotool imagemagick)" >&2; exit 1; }
done
[ -f "$plugin" ] || { echo "make_gui_walkthrough: plugin not found at $plugin (build it with scripts/setup)" >&2; exit 1; }
[ -x "$simulate" ] || { echo "make_gui_walkthrough: simulator not found at $simulate (build it with scripts/setup)" >&2; exit 1; }

work=$(mktemp -d /tmp/stempdf-walkthrough.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$simulate" --out "$work/demo" --scan 32 32 --detector 64 64 --pixel-size 0.055 --center 32.4 31.2 --seed 5 \
  >"$work/simulate.log" 2>&1 || { cat "$work/simulate.log" >&2; exit 1; }

cat > "$work/shots.py" <<'PY'
import os
import sys

from paraview import simple

PLUGIN, SAMPLE, OUT, WORK = (os.environ[k] for k in ("SHOT_PLUGIN", "SHOT_SAMPLE", "SHOT_OUT", "SHOT_WORK"))
sys.path.insert(0, os.path.join(os.environ["SHOT_ROOT"], "python"))
from stempdf import gui_steps, render  # noqa: E402
from stempdf.gui_steps import sh  # noqa: E402

P = {}                                    # the proxies, by step


def save(name):
    """The whole screen, as a 256-colour PNG (the screens are flat GUI colours)."""
    path = gui_steps.screenshot(os.path.join(WORK, name))
    sh("convert", path, "-strip", "+dither", "-colors", "256", "PNG8:" + os.path.join(OUT, name))


def render_all():
    """Render every view; the GUI paints them in the next turns of the event loop."""
    for view in simple.GetViews():
        simple.Render(view)


def settle():
    render_all()                          # one more tick: the GUI finishes painting the charts


def hide_all(view):
    """Hide every source and colour bar in the render view."""
    for proxy in simple.GetSources().values():
        for port in range(proxy.GetNumberOfOutputPorts()):
            simple.Hide(simple.OutputPort(proxy, port), view)
    for name in P.get("bars", []):
        simple.GetScalarBar(simple.GetColorTransferFunction(name), view).Visibility = 0


def show_map(source, array, preset, title, component=None, port=0):
    """Only `source` in the render view, as a slice coloured by `array`, with a colour bar."""
    view = P["render"]
    hide_all(view)
    display, lut = render.show_slice(source, view, array, preset, component, port)
    P.setdefault("bars", []).append(array)
    bar = simple.GetScalarBar(lut, view)
    bar.Title = title
    bar.ComponentTitle = ""
    place_left(view, source.GetDataInformation().GetBounds())
    return display


def place_left(view, bounds, margin=1.45, shift=0.12):
    """The scan filling 1/margin of the view's height, moved left by `shift` of its
    width: the colour bar on the right then does not cover it."""
    render.fit_camera_to_scan(view, bounds)
    view.CameraParallelScale *= margin
    x = 0.5 * (bounds[0] + bounds[1]) + shift * (bounds[1] - bounds[0])
    view.CameraPosition = [x, view.CameraPosition[1], view.CameraPosition[2]]
    view.CameraFocalPoint = [x, view.CameraFocalPoint[1], 0.0]


def open_scan():
    gui_steps.fill_screen()
    simple.LoadPlugin(PLUGIN, remote=False, ns=globals())
    scan = simple.OpenDataFile(SAMPLE)
    simple.RenameSource("demo.h5", scan)
    scan.UpdatePipeline()
    bf = VirtualDetector(Input=scan, OuterRadius=6.0, OutputArrayName="VirtualBF")
    simple.RenameSource("VirtualDetector1", bf)
    P.update(scan=scan, bf=bf, render=simple.GetActiveViewOrCreate("RenderView"))
    P["render"].OrientationAxesVisibility = 1
    show_map(bf, "VirtualBF", "Grayscale", "virtual BF (counts)")
    # The reader's output as an outline. (Named explicitly: the readers' XML hint
    # <Representation type="Outline"> names no representation proxy.)
    outline = simple.Show(scan, P["render"], "GeometryRepresentation")
    outline.Representation = "Outline"
    outline.AmbientColor = outline.DiffuseColor = [1.0, 0.6, 0.0]
    outline.LineWidth = 2.0
    simple.SetActiveSource(scan)                     # the reader selected: its Properties
    render_all()


def shot_open():
    save("gui_walkthrough_1_open.png")


def pair_distribution():
    scan, view = P["scan"], P["render"]
    hide_all(view)
    simple.Delete(P.pop("bf"))
    simple.SetActiveSource(scan)
    az = AzimuthalIntegrate(Input=scan, Patterns=["POINTS", "Counts"], FindCenter=1, SRange=[0.25, 1.6])
    simple.RenameSource("AzimuthalIntegrate1", az)
    sf = StructureFactor(Input=az, Profiles=["POINTS", "Intensity"], SRange=[0.25, 1.6])
    simple.RenameSource("StructureFactor1", sf)
    pd = PairDistribution(Input=sf, ReducedIntensity=["POINTS", "Phi"])
    simple.RenameSource("PairDistribution1", pd)
    pd.UpdatePipeline()
    layout = simple.GetLayout(view)
    chart = render.chart_beside(layout, 0.55)
    render.show_curves(pd, 1, chart, "r", ["MeanG"])
    chart.BottomAxisTitle = "r (A)"
    chart.LeftAxisTitle = "mean G(r) (1/A^2)"
    chart.ChartTitle = "Pair Distribution, port 1: Mean G(r)"
    P.update(az=az, sf=sf, pd=pd, chart=chart, layout=layout)
    show_map(pd, "G", "Viridis (matplotlib)", "G(r = 2.5 A)", component=250)
    simple.SetActiveSource(pd)
    simple.SetActiveView(view)
    render_all()


def shot_pdf():
    save("gui_walkthrough_2_pdf.png")


def nmf():
    pd, chart, view = P["pd"], P["chart"], P["render"]
    simple.SetActiveSource(pd)
    nmf = NMFDecompose(Input=pd, PairDistribution=["POINTS", "G"], NumberOfComponents=2, SpatialSmoothing=1.5)
    simple.RenameSource("NMFDecompose1", nmf)
    nmf.UpdatePipeline()
    simple.Hide(simple.OutputPort(pd, 1), chart)
    render.show_curves(nmf, 1, chart, "r", ["Basis 1", "Basis 2"])
    chart.LeftAxisTitle = "basis G(r) (1/A^2)"
    chart.ChartTitle = "NMF Decompose, port 1: Basis PDFs"
    P["nmf"] = nmf
    show_map(nmf, "Weight 1", "Viridis (matplotlib)", "Weight 1 (fraction)")
    simple.SetActiveSource(nmf)
    simple.SetActiveView(view)
    render_all()
    scroll_browser()


def shot_nmf():
    save("gui_walkthrough_3_nmf.png")


def color_mix():
    nmf, chart, view, layout = P["nmf"], P["chart"], P["render"], P["layout"]
    simple.SetActiveSource(nmf)
    acf = Autocorrelation(Input=nmf, Maps=["Weight 1", "Weight 2"])
    simple.RenameSource("Autocorrelation1", acf)
    acf.UpdatePipeline()
    simple.SetActiveSource(nmf)
    mix = ColorMix(Input=nmf, Red="Weight 1", Green="Weight 2", Blue="None", RangeMode="Fixed 0-1")
    simple.RenameSource("ColorMix1", mix)
    mix.UpdatePipeline()
    table = acf.GetClientSideObject().GetOutputDataObject(1)
    columns = [table.GetColumnName(c) for c in range(table.GetNumberOfColumns())]
    distance = next(c for c in columns if c.lower().startswith("distance"))
    simple.Hide(simple.OutputPort(nmf, 1), chart)
    render.show_curves(acf, 1, chart, distance, [c for c in columns if c != distance])
    chart.BottomAxisTitle = "distance (nm)"
    chart.LeftAxisTitle = "normalised autocorrelation"
    chart.ChartTitle = "Autocorrelation, port 1: Radial Profiles"
    sheet = simple.CreateView("SpreadSheetView")
    layout.SplitVertical(2, 0.55)
    simple.AssignViewToLayout(view=sheet, layout=layout, hint=6)
    simple.Show(simple.OutputPort(acf, 2), sheet)
    sheet.ColumnToSort = ""
    hide_all(view)
    display = simple.Show(mix, view)
    display.Representation = "Slice"
    simple.ColorBy(display, ("POINTS", "RGB"))
    display.MapScalars = 0                           # true colours: red Weight 1, green Weight 2
    display.SetScalarBarVisibility(view, False)
    render.fit_camera_to_scan(view, mix.GetDataInformation().GetBounds())
    view.CameraParallelScale *= 1.65                 # the view is narrow: the scan's width fits
    P.update(acf=acf, mix=mix, sheet=sheet)
    layout.SetSplitFraction(0, 0.42)               # more room for the table's columns
    simple.SetActiveSource(mix)
    simple.SetActiveView(view)
    render_all()
    scroll_browser()


def shot_colormix():
    save("gui_walkthrough_4_colormix.png")


def scroll_browser():
    """Scroll the Pipeline Browser to its end, where the new filter is."""
    sh("xdotool", "mousemove", "140", "250", "click", "--repeat", "10", "5", "mousemove", "900", "880")


STEPS = [open_scan, settle, shot_open, pair_distribution, settle, shot_pdf, nmf, settle, shot_nmf,
         color_mix, settle, shot_colormix]
gui_steps.run_steps(STEPS, "make_gui_walkthrough",
                    debug_shot=lambda n: gui_steps.screenshot(os.path.join(WORK, f"debug_{n}.png")))
PY

SHOT_PLUGIN=$plugin SHOT_SAMPLE=$work/demo.h5 SHOT_OUT=$out SHOT_WORK=${SHOT_DEBUG_DIR:-$work} SHOT_ROOT=$root \
  timeout 300 xvfb-run -a -s "-screen 0 1400x900x24" \
  paraview --dr --script="$work/shots.py" >"$work/paraview.log" 2>&1 || {
    echo "make_gui_walkthrough: ParaView failed; its log:" >&2; cat "$work/paraview.log" >&2; exit 1; }
grep -q "make_gui_walkthrough: done" "$work/paraview.log" || { cat "$work/paraview.log" >&2; exit 1; }
ls -l "$out"/gui_walkthrough_[1-4]_*.png
