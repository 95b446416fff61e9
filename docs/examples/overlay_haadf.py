"""Put a HAADF (or any) image of the scanned area onto the scan grid of STEMPDF's
maps, correlate it with every map, and put the maps onto the image's grid.

    pvpython docs/examples/overlay_haadf.py MAPS.vti IMAGE [--pixel-size NM] [--origin X Y]
                                            [--flip auto|yes|no] [--array NAME] [--out DIR]

MAPS.vti: maps on the scan grid (scripts/analyze writes maps.vti: the NMF
weights or MLLS fractions, origin and step in nm). IMAGE: a .png, .tif/.tiff or
.vti image of the same area, e.g. the HAADF image recorded with the scan.

1. Reads the image with ParaView's reader (PNG Series Reader, TIFF Reader,
   XML Image Data Reader). Readers of PNG/TIFF give pixel coordinates.
2. Places it in nm with a Transform: pixel size --pixel-size (default: the
   image covers the scanned area, i.e. nx * step of the scan over the image's
   width), first pixel centre at --origin (default: the corner of the scanned
   area, half a scan step before the first position, plus half an image pixel).
   ParaView's PNG and TIFF readers put the file's first row at the top (largest
   y); a microscope writes the first scan line as the first row, and the scan's
   first row is at y = origin, so PNG/TIFF images are flipped (--flip auto; a
   .vti is used as it is, with its own geometry unless --pixel-size/--origin).
3. Resample With Dataset: the image onto the scan grid (bilinear), with the
   maps' own arrays; the correlation of the image with each map (positions the
   image covers) is printed.
4. Resample To Image: the maps onto the image's grid (bounds and dimensions
   of the placed image).
With --out DIR it writes image_on_scan_grid.vti and maps_on_image_grid.vti.
Exits with status 2 and a message on bad input.
"""
import argparse
import os
import sys

import numpy as np


def fail(message):
    print(f"overlay_haadf: {message}", file=sys.stderr, flush=True)
    sys.exit(2)


parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("maps", help="maps on the scan grid (.vti, e.g. maps.vti of scripts/analyze)")
parser.add_argument("image", help="image of the same area: .png, .tif/.tiff or .vti")
parser.add_argument("--pixel-size", type=float, metavar="NM",
                    help="image pixel size in nm (default: the image covers the scanned area)")
parser.add_argument("--origin", type=float, nargs=2, metavar=("X", "Y"),
                    help="position of the image's first pixel centre in nm, in the scan's coordinates "
                         "(default: the corner of the scanned area plus half a pixel)")
parser.add_argument("--flip", choices=("auto", "yes", "no"), default="auto",
                    help="put the file's first row at the scan's first row (auto: yes for PNG/TIFF)")
parser.add_argument("--array", help="the image's point array (default: its first one; colour: mean of R, G, B)")
parser.add_argument("--out", help="folder for image_on_scan_grid.vti and maps_on_image_grid.vti")
args = parser.parse_args()

for path in (args.maps, args.image):
    if not os.path.isfile(path):
        fail(f"'{path}' does not exist")
if args.pixel_size is not None and not args.pixel_size > 0:
    fail(f"--pixel-size is {args.pixel_size}; expected a size > 0 nm")
extension = os.path.splitext(args.image)[1].lower()
if extension not in (".png", ".tif", ".tiff", ".vti"):
    fail(f"'{args.image}': expected a .png, .tif/.tiff or .vti image")
if not args.maps.lower().endswith(".vti"):
    fail(f"'{args.maps}': expected the maps as a .vti (e.g. maps.vti of scripts/analyze)")

from paraview import servermanager  # noqa: E402  (after the argument checks: fast --help and errors)
from paraview import simple  # noqa: E402
from vtkmodules.numpy_interface import dataset_adapter as dsa  # noqa: E402


def fetch(proxy):
    return dsa.WrapDataObject(servermanager.Fetch(proxy))


# --- the maps: the scan grid ---------------------------------------------------
maps = simple.XMLImageDataReader(FileName=[os.path.abspath(args.maps)])
maps.UpdatePipeline()
grid = fetch(maps)
if grid.GetNumberOfPoints() == 0:
    fail(f"could not read maps from '{args.maps}'")
nx, ny, nz = grid.GetDimensions()
step = grid.GetSpacing()[:2]
scan_origin = grid.GetOrigin()[:2]
if nz != 1 or nx < 2 or ny < 2:
    fail(f"'{args.maps}' is not a 2D scan grid (dimensions {nx} x {ny} x {nz})")
map_names = [name for name in grid.PointData.keys()
             if np.asarray(grid.PointData[name]).ndim == 1 and name != "vtkValidPointMask"]
if not map_names:
    fail(f"'{args.maps}' has no one-component point arrays (maps)")

# --- the image: read, then place in nm -----------------------------------------
path = os.path.abspath(args.image)
if extension == ".png":
    image = simple.PNGSeriesReader(FileNames=[path])
elif extension == ".vti":
    image = simple.XMLImageDataReader(FileName=[path])
else:
    image = simple.TIFFReader(FileName=path)
image.UpdatePipeline()
info = image.GetDataInformation()
extent = info.GetExtent()
width, height = extent[1] - extent[0] + 1, extent[3] - extent[2] + 1
names = list(image.PointData.keys())
if info.GetNumberOfPoints() == 0 or not names or extent[5] != extent[4]:
    fail(f"could not read a 2D image with point data from '{args.image}'")
array = args.array or names[0]
if array not in names:
    fail(f"'{args.image}' has no point array '{array}' (it has {', '.join(names)})")
bounds = info.GetBounds()          # the reader's own coordinates
own = [(bounds[1] - bounds[0]) / max(width - 1, 1), (bounds[3] - bounds[2]) / max(height - 1, 1)]

use_own_geometry = extension == ".vti" and args.pixel_size is None and args.origin is None
if use_own_geometry:
    pixel = own
    origin = [bounds[0], bounds[2]]
else:
    if args.pixel_size is not None:
        pixel = [args.pixel_size, args.pixel_size]
    else:                          # the image covers the scanned area: nx steps over its width
        pixel = [nx * step[0] / width, ny * step[1] / height]
        if abs(pixel[0] - pixel[1]) > 0.01 * max(pixel):
            fail(f"the image ({width} x {height} px) does not have the scan's aspect ratio ({nx} x {ny} "
                 "positions): give its pixel size with --pixel-size (and --origin)")
    origin = list(args.origin) if args.origin else \
        [scan_origin[k] - step[k] / 2 + pixel[k] / 2 for k in range(2)]
flip = args.flip == "yes" or (args.flip == "auto" and extension != ".vti")

# x' = origin + pixel * (x - x0) / own; with flip, row 0 (largest y in ParaView) goes to origin.
placed = image
if not use_own_geometry or flip:
    scale = [pixel[0] / own[0], pixel[1] / own[1]]
    placed = simple.Transform(Input=image)
    placed.Transform = "Transform"
    placed.Transform.Scale = [scale[0], -scale[1] if flip else scale[1], 1]
    placed.Transform.Translate = [origin[0] - scale[0] * bounds[0],
                                  origin[1] + scale[1] * bounds[3] if flip else origin[1] - scale[1] * bounds[2],
                                  0]
    placed.UpdatePipeline()
print(f"image {os.path.basename(args.image)}: {width} x {height} px, array '{array}', pixel "
      f"{pixel[0]:.4g} x {pixel[1]:.4g} nm, first pixel centre ({origin[0]:.4g}, {origin[1]:.4g}) nm"
      f"{', rows flipped' if flip else ''}")
print(f"scan grid {os.path.basename(args.maps)}: {nx} x {ny} positions, step {step[0]:.4g} nm, "
      f"origin ({scan_origin[0]:.4g}, {scan_origin[1]:.4g}) nm")

# --- the image onto the scan grid, next to the maps ----------------------------
on_scan = simple.ResampleWithDataset(SourceDataArrays=placed, DestinationMesh=maps)
on_scan.PassPointArrays = 1        # keep the maps' arrays in the output
on_scan.UpdatePipeline()
result = fetch(on_scan)
valid = np.asarray(result.PointData["vtkValidPointMask"]) > 0
if valid.sum() < 3:
    fail("the image does not cover the scan grid: check --pixel-size and --origin")
values = np.asarray(result.PointData[array], dtype=float)
if values.ndim == 2:               # colour: the mean of R, G, B (alpha left out)
    values = values[:, :3].mean(axis=1)
print(f"image on the scan grid: {valid.sum()} of {valid.size} positions covered")
print("correlation (Pearson) of the image with each map:")
for name in map_names:
    m = np.asarray(result.PointData[name], dtype=float)[valid]
    v = values[valid]
    r = np.corrcoef(v, m)[0, 1] if v.std() > 0 and m.std() > 0 else float("nan")
    print(f"  {name!r:30s} {r:+.4f}")

# --- the reverse: the maps onto the image's grid -------------------------------
on_image = simple.ResampleToImage(Input=maps, UseInputBounds=0, SamplingDimensions=[width, height, 1],
                                  SamplingBounds=[origin[0], origin[0] + pixel[0] * (width - 1),
                                                  origin[1], origin[1] + pixel[1] * (height - 1), 0, 0])
on_image.UpdatePipeline()
covered = np.asarray(fetch(on_image).PointData["vtkValidPointMask"]) > 0
print(f"maps on the image grid: {width} x {height} px, {covered.sum()} of {covered.size} inside the scan")

if args.out:
    os.makedirs(args.out, exist_ok=True)
    for name, proxy in (("image_on_scan_grid.vti", on_scan), ("maps_on_image_grid.vti", on_image)):
        simple.SaveData(os.path.join(args.out, name), proxy=proxy)
        print(f"wrote {os.path.join(args.out, name)}")
