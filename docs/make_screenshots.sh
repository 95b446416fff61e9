#!/usr/bin/env bash
# Screenshots of ParaView's real GUI for the user guide, made by a script:
#   docs/images/gui_virtual_detector.png  the whole window: Pipeline Browser with
#       the VirtualDetector selected, its Properties panel (advanced properties
#       shown, so Output Array Name = VirtualBF is visible) and the virtual
#       bright-field map in Grayscale in the render view;
#   docs/images/gui_filters_menu.png      the Filters menu open on its STEM-PDF
#       category, which lists Virtual Detector;
#   docs/images/gui_azimuthal_integrate.png  Azimuthal Integrate (Find Center
#       on) on the simulated sample selected, its Properties panel, and the
#       mean profile I(s) of the scan in a line chart beside the render view.
#
# Usage:  docs/make_screenshots.sh [OUTPUT_DIR]      (default docs/images)
# Needs:  paraview, xvfb (xvfb-run), xdotool and imagemagick (`import`, `convert`),
#         the plugin built (build/lib/paraview-plugins/STEMPDF/STEMPDF.so or
#         $STEMPDF_PLUGIN).
#
# How: ParaView runs under xvfb-run on a 1400 x 900 screen with a Python
# --script. The script cannot drive Qt directly (this ParaView has no Python
# binding of Qt), so it builds the pipeline with paraview.simple, then runs the
# remaining steps from a Qt timer on the render view's interactor, letting the
# event loop update the panels between steps: xdotool moves and sizes the
# window to the whole screen (Xvfb has no window manager), turns on the
# advanced properties (gear button) and opens the menu; ImageMagick's
# `import -window root` captures the screen. The click positions are those of
# ParaView 5.11's default layout on a 1400 x 900 screen (SHOT_GEAR_X and
# SHOT_CATEGORY_XY override them; SHOT_DEBUG=1 SHOT_DEBUG_DIR=DIR saves the
# screen after every step to find new ones).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(cd "${1:-$root/docs/images}" && pwd)
plugin=${STEMPDF_PLUGIN:-$root/build/lib/paraview-plugins/STEMPDF/STEMPDF.so}
sample=$root/testing-data/virtual_detector_sample.vti
for tool in paraview xvfb-run xdotool import convert; do
  command -v "$tool" >/dev/null || { echo "make_screenshots: $tool is missing (apt-get install paraview xvfb xauth xdotool imagemagick)" >&2; exit 1; }
done
[ -f "$plugin" ] || { echo "make_screenshots: plugin not found at $plugin (build it with scripts/setup)" >&2; exit 1; }

work=$(mktemp -d /tmp/stempdf-screenshots.XXXXXX)
trap 'rm -rf "$work"' EXIT
cat > "$work/shots.py" <<'PY'
import os
import sys
import time

from paraview import simple

PLUGIN, SAMPLE, SIMULATED, OUT, WORK = (os.environ[k] for k in
                                        ("SHOT_PLUGIN", "SHOT_SAMPLE", "SHOT_SIMULATED", "SHOT_OUT", "SHOT_WORK"))
sys.path.insert(0, os.path.join(os.environ["SHOT_ROOT"], "python"))
from stempdf import gui_steps, render  # noqa: E402
from stempdf.gui_steps import sh  # noqa: E402


def shot(name):
    return gui_steps.screenshot(os.path.join(WORK, name))


def pipeline():
    gui_steps.fill_screen()
    simple.LoadPlugin(PLUGIN, remote=False, ns=globals())
    reader = simple.OpenDataFile(SAMPLE)
    simple.RenameSource("virtual_detector_sample.vti", reader)
    reader.UpdatePipeline()             # so the Patterns list of the filter is filled
    bf = VirtualDetector(Input=reader, OuterRadius=6.0, OutputArrayName="VirtualBF")
    simple.RenameSource("VirtualDetector1", bf)
    view = simple.GetActiveViewOrCreate("RenderView")
    view.OrientationAxesVisibility = 1
    render.show_slice(bf, view, "VirtualBF", "Grayscale")
    simple.SetActiveSource(bf)          # selected in the Pipeline Browser
    simple.Render(view)
    render.fit_camera_to_scan(view, bf.GetDataInformation().GetBounds())
    view.CameraParallelScale *= 1.15    # a margin around the scan
    simple.Render(view)


def advanced():
    # the gear ("toggle advanced properties") right of the Properties search box
    sh("xdotool", "mousemove", str(GEAR_X), "504", "click", "1", "mousemove", "900", "880")


def main_shot():
    path = shot("main.png")
    sh("convert", path, "-strip", "-colors", "256", "PNG8:" + os.path.join(OUT, "gui_virtual_detector.png"))


def open_filters_menu():
    sh("xdotool", "mousemove", "215", "10", "click", "1")


def open_category():
    x, y = CATEGORY_XY
    sh("xdotool", "mousemove", str(x - 20), str(y), "sleep", "0.2", "mousemove", str(x), str(y),
       "sleep", "0.2", "click", "1")


def menu_shot():
    path = shot("menu.png")
    sh("convert", path, "-crop", "760x560+0+0", "+repage", "-strip", "-colors", "256",
       "PNG8:" + os.path.join(OUT, "gui_filters_menu.png"))
    sh("xdotool", "key", "Escape", "key", "Escape")


def azimuthal():
    scan = simple.OpenDataFile(SIMULATED)
    simple.RenameSource(os.path.basename(SIMULATED), scan)
    scan.UpdatePipeline()
    az = AzimuthalIntegrate(Input=scan, Patterns=["POINTS", "Counts"], FindCenter=1, SRange=[0.25, 1.4])
    simple.RenameSource("AzimuthalIntegrate1", az)
    layout = simple.GetLayout()
    chart = render.chart_beside(layout, 0.45)
    render.show_curves(az, 1, chart, "s", ["MeanIntensity"])
    chart.BottomAxisTitle = "s (1/A)"
    chart.LeftAxisTitle = "mean I(s) (counts per pixel)"
    view = simple.FindViewOrCreate("RenderView1", "RenderView")
    for source in simple.GetSources().values():
        simple.Hide(source, view)
    render.show_slice(az, view, "Intensity", "Viridis (matplotlib)", component=10)  # the bin at the first peak
    simple.SetActiveSource(az)
    simple.SetActiveView(view)
    render.fit_camera_to_scan(view, az.GetDataInformation().GetBounds())
    view.CameraParallelScale *= 1.15
    simple.Render(view)
    simple.Render(chart)


def settle():
    pass                                 # one more tick: the GUI finishes drawing the chart


def azimuthal_shot():
    for view in simple.GetViews():
        simple.Render(view)
    time.sleep(1.0)
    path = shot("azimuthal.png")
    sh("convert", path, "-strip", "-colors", "256", "PNG8:" + os.path.join(OUT, "gui_azimuthal_integrate.png"))


GEAR_X = int(os.environ.get("SHOT_GEAR_X", "270"))
CATEGORY_XY = tuple(int(v) for v in os.environ.get("SHOT_CATEGORY_XY", "253,386").split(","))
STEPS = [pipeline, advanced, main_shot, open_filters_menu, open_category, menu_shot, azimuthal, settle, azimuthal_shot]
gui_steps.run_steps(STEPS, "make_screenshots", debug_shot=lambda n: shot(f"debug_{n}.png"))
PY

SHOT_PLUGIN=$plugin SHOT_SAMPLE=$sample SHOT_SIMULATED=$root/testing-data/simulated/sim_16x16.h5 SHOT_OUT=$out SHOT_WORK=${SHOT_DEBUG_DIR:-$work} SHOT_ROOT=$root \
  timeout 300 xvfb-run -a -s "-screen 0 1400x900x24" \
  paraview --dr --script="$work/shots.py" >"$work/paraview.log" 2>&1 || {
    echo "make_screenshots: ParaView failed; its log:" >&2; cat "$work/paraview.log" >&2; exit 1; }
grep -q "make_screenshots: done" "$work/paraview.log" || { cat "$work/paraview.log" >&2; exit 1; }
ls -l "$out/gui_virtual_detector.png" "$out/gui_filters_menu.png" "$out/gui_azimuthal_integrate.png"
