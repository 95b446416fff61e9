"""Maps over the scan grid rendered by ParaView, as a user sees them in a
render view, and curves in a line chart beside it (needs an X server: run
under `xvfb-run -a` without a display)."""
from paraview import simple


def fit_camera_to_scan(view, bounds):
    """Look straight down on the scan plane, x to the right and y up (scan row 0
    at the bottom, as ParaView shows images), the scan's height filling the view."""
    x0, x1, y0, y1 = bounds[:4]
    cx, cy = 0.5 * (x0 + x1), 0.5 * (y0 + y1)
    view.CameraParallelProjection = 1
    view.CameraPosition = [cx, cy, 10.0 * max(x1 - x0, y1 - y0, 1.0)]
    view.CameraFocalPoint = [cx, cy, 0.0]
    view.CameraViewUp = [0.0, 1.0, 0.0]
    view.CameraParallelScale = 0.5 * (y1 - y0)


def color_by(display, array, preset, component=None):
    """Colour `display` by point-data `array` (its `component` alone when
    given) with the colour preset `preset`. Returns the colour map."""
    if component is None:
        simple.ColorBy(display, ("POINTS", array))
    else:
        simple.ColorBy(display, ("POINTS", array, str(component)))
    lut = simple.GetColorTransferFunction(array)
    if component is not None:
        lut.VectorMode = "Component"
        lut.VectorComponent = component
    lut.ApplyPreset(preset, True)
    return lut


def show_slice(source, view, array, preset, component=None, port=0):
    """Show output `port` of `source` in `view` as a slice coloured by `array`
    (see color_by) over its data range, with a colour bar. Returns the
    display and its colour map."""
    display = simple.Show(simple.OutputPort(source, port), view)
    display.Representation = "Slice"
    lut = color_by(display, array, preset, component)
    display.RescaleTransferFunctionToDataRange(True, False)
    display.SetScalarBarVisibility(view, True)
    return display, lut


def chart_beside(layout, fraction):
    """A new line chart view right of the layout's first view, which keeps
    `fraction` of the width."""
    chart = simple.CreateView("XYChartView")
    layout.SplitHorizontal(0, fraction)
    simple.AssignViewToLayout(view=chart, layout=layout, hint=2)
    return chart


def show_curves(source, port, chart, x, series):
    """Show the table on output `port` of `source` in the line chart `chart`:
    the columns `series` over the column `x`. Returns the display."""
    line = simple.Show(simple.OutputPort(source, port), chart)
    line.UseIndexForXAxis = 0
    line.XArrayName = x
    line.SeriesVisibility = series
    return line


def render_map(source, array, png, preset="Grayscale", pixels_per_step=20):
    """Render point-data `array` of `source` with colour preset `preset` into
    `png`, pixels_per_step screen pixels per scan step, the scan filling the
    picture. Returns the (min, max) of the colour map."""
    source.UpdatePipeline()
    info = source.GetDataInformation()
    bounds, extent = info.GetBounds(), info.GetExtent()
    size = [max(extent[1] - extent[0], 1) * pixels_per_step,
            max(extent[3] - extent[2], 1) * pixels_per_step]

    view = simple.CreateRenderView()
    view.OrientationAxesVisibility = 0
    view.ViewSize = size
    display = simple.Show(source, view)
    display.Representation = "Slice"
    lut = color_by(display, array, preset)
    value_range = source.PointData[array].GetRange()
    lut.RescaleTransferFunction(*value_range)
    simple.Render(view)  # the first render resets the camera: place it after
    fit_camera_to_scan(view, bounds)
    simple.Render(view)
    simple.SaveScreenshot(png, view, ImageResolution=size)
    simple.Delete(display)
    simple.Delete(view)
    return value_range
