"""Rendering (under xvfb-run): the virtual bright-field map shown in a ParaView
render view looks like the data. The screenshot is sampled at the centre of
every scan position's texel and compared with the computed values."""
import os
import tempfile

import numpy as np
from paraview.simple import OpenDataFile
from vtkmodules.numpy_interface import dataset_adapter as dsa
from vtkmodules.vtkIOImage import vtkPNGReader

import stempdf_testing as t
from stempdf import render

t.load_plugin(globals())
bf = VirtualDetector(Input=OpenDataFile(t.SAMPLE), OuterRadius=6.0, OutputArrayName="VirtualBF")
values, _ = t.point_array(bf, "VirtualBF")
ny, nx = values.shape

png = os.path.join(tempfile.mkdtemp(prefix="stempdf-render-"), "bf.png")
render.render_map(bf, "VirtualBF", png, preset="Grayscale", pixels_per_step=20)
t.check(os.path.getsize(png) > 0, f"screenshot written to {png}")

reader = vtkPNGReader()
reader.SetFileName(png)
reader.Update()
shot = reader.GetOutput()
width, height, _ = shot.GetDimensions()
pixels = np.asarray(dsa.WrapDataObject(shot).PointData[0]).reshape(height, width, -1)[..., :3]
t.check((width, height) == ((nx - 1) * 20, (ny - 1) * 20), f"picture is {width} x {height} px")

# vtkPNGReader puts image row 0 at the bottom, like scan row 0 in the view.
cols = ((np.arange(nx) + 0.5) * width / nx).astype(int)
rows = ((np.arange(ny) + 0.5) * height / ny).astype(int)
grey = pixels[rows[:, None], cols[None, :]].astype(float).mean(axis=2)
r = np.corrcoef(grey.ravel(), values.ravel())[0, 1]
t.check(r > 0.98, f"rendered grey levels follow the virtual BF values (r = {r:.4f})")
thick, thin = grey[6, 7], grey[2, 20]
t.check(thick < thin - 100, f"the thick area is dark and a thin one bright ({thick:.0f} vs {thin:.0f})")
print("rendering check passed")
