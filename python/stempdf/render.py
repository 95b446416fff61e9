"""Maps over the scan grid rendered by ParaView, as a user sees them in a
render view (needs an X server: run under `xvfb-run -a` without a display)."""
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
    simple.ColorBy(display, ("POINTS", array))
    lut = simple.GetColorTransferFunction(array)
    lut.ApplyPreset(preset, True)
    value_range = source.PointData[array].GetRange()
    lut.RescaleTransferFunction(*value_range)
    simple.Render(view)  # the first render resets the camera: place it after
    fit_camera_to_scan(view, bounds)
    simple.Render(view)
    simple.SaveScreenshot(png, view, ImageResolution=size)
    simple.Delete(display)
    simple.Delete(view)
    return value_range
