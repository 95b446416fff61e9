"""Color Mix in ParaView on three maps made in NumPy (.vti): the RGB bytes
equal NumPy's scaling (each channel from its own min to max, or 0-1 clamped),
a None channel is black, NaN gives 0, "RGB" is the active unsigned char
3-component array on the same grid, and bad input is reported naming the
property."""
import os
import tempfile

import numpy as np
from paraview import servermanager
from paraview.simple import OpenDataFile
from vtkmodules.vtkCommonDataModel import vtkImageData

import stempdf_testing as t

t.load_plugin(globals())
work = tempfile.mkdtemp(prefix="stempdf-colormix-")
NX, NY = 9, 7
rng = np.random.default_rng(4)
maps = {
    "Weight 1": rng.uniform(0.0, 1.0, (NY, NX)),
    "Weight 2": rng.uniform(-0.2, 1.3, (NY, NX)),  # outside 0-1: clamped in the fixed mode
    "Weight 3": 5.0 + 2.0 * rng.standard_normal((NY, NX)),
}
maps["Weight 3"][2, 3] = np.nan
image = vtkImageData()
image.SetDimensions(NX, NY, 1)
image.SetSpacing(1.2, 1.2, 1.0)
image.SetOrigin(3.0, -1.0, 0.0)
for name, values in maps.items():
    t.add_point_array(image, name, values.ravel())
t.add_point_array(image, "Weights", np.column_stack([maps[f"Weight {k}"].ravel() for k in (1, 2, 3)]))
path = os.path.join(work, "maps.vti")
t.write_vti(path, image)
source = OpenDataFile(path)


def scaled(values, lo, hi):
    """NumPy: round(255 (v - lo) / (hi - lo)) clamped to 0..255 (half away from zero); NaN -> 0."""
    v = np.clip((values - lo) / (hi - lo), 0.0, 1.0)
    return np.where(np.isfinite(v), np.floor(255.0 * np.nan_to_num(v) + 0.5), 0).astype(np.uint8)


mix = ColorMix(Input=source, Red="Weight 1", Green="Weight 2", Blue="Weight 3")
mix.UpdatePipeline()
rgb, out = t.point_array(mix, "RGB")
t.check(out.GetPointData().GetScalars().GetName() == "RGB" and out.GetPointData().GetScalars().GetDataTypeAsString()
        == "unsigned char" and rgb.shape == (NY, NX, 3), "RGB: the active scalars, unsigned char, 3 components")
t.check(out.GetDimensions() == (NX, NY, 1) and np.allclose(out.GetSpacing(), (1.2, 1.2, 1.0))
        and np.allclose(out.GetOrigin(), (3.0, -1.0, 0.0)) and out.GetPointData().GetArray("Weight 2") is not None,
        "the same grid, with the input's arrays")
expected = np.stack([scaled(maps[f"Weight {k}"], np.nanmin(maps[f"Weight {k}"]), np.nanmax(maps[f"Weight {k}"]))
                     for k in (1, 2, 3)], axis=-1)
t.check(np.array_equal(rgb, expected), f"min-max per channel equals NumPy (worst {np.abs(rgb.astype(int) - expected).max()})")
t.check(rgb[2, 3, 2] == 0 and rgb[..., 0].min() == 0 and rgb[..., 0].max() == 255, "NaN gives 0; each channel spans 0-255")

fixed = ColorMix(Input=source, Red="Weight 2", Green="None", Blue="Weight 1", RangeMode="Fixed 0-1")
fixed.UpdatePipeline()
rgb2 = t.point_array(fixed, "RGB")[0]
t.check(np.array_equal(rgb2[..., 0], scaled(maps["Weight 2"], 0.0, 1.0)) and np.all(rgb2[..., 1] == 0)
        and np.array_equal(rgb2[..., 2], scaled(maps["Weight 1"], 0.0, 1.0)),
        "Fixed 0-1: clamped fractions; a None channel is black")

constant = ColorMix(Input=source, Red="Weight 1")
constant.UpdatePipeline()
rgb3 = t.point_array(constant, "RGB")[0]
t.check(np.all(rgb3[..., 1:] == 0) and np.array_equal(rgb3[..., 0], expected[..., 0]),
        "only Red set (Green and Blue default to None): the other channels are black")


def error_of(**properties):
    bad = ColorMix(Input=source, **properties)
    catcher = t.ErrorCatcher(bad)
    bad.UpdatePipeline()
    return catcher.text()


message = error_of()
t.check("no channel is set" in message, f"no channel: {message[:200]!r}")
message = error_of(Red="Weight 1", Green="Weight 9")
t.check("Green: the input has no numeric point array 'Weight 9'" in message and "'Weight 1'" in message,
        f"a missing array: {message[:200]!r}")
message = error_of(Blue="Weights")
t.check("Blue: the array 'Weights' has 3 components; expected a scalar map" in message,
        f"a multi-component array: {message[:300]!r}")
