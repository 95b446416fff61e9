"""The STEMPDF main job, run by pvbatch through scripts/analyze.

    scripts/analyze INPUT --out DIR [options]

It drives the ParaView plugin (the same filters a GUI user applies) over a
4D-STEM dataset and writes maps, pictures and a summary to DIR. The stages that
exist so far: read the dataset, virtual bright-field and annular dark-field
images. Later stages (radial profiles, G(r), NMF, ...) append to this pipeline.
"""
import argparse
import json
import os
import sys
import time

import numpy as np


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="scripts/analyze",
        description="Analyse a 4D-STEM dataset with the STEMPDF ParaView plugin.")
    parser.add_argument("input", help="4D-STEM dataset: .h5/.hdf5/.emd (HDF5, EMD, py4DSTEM), .mib "
                                      "(Merlin) or .vti (STEMPDF data model)")
    parser.add_argument("--out", required=True, help="folder for the results (created)")
    parser.add_argument("--center", nargs=2, type=float, metavar=("X", "Y"),
                        help="centre of the diffraction pattern in detector pixels "
                             "(default: the middle of the detector)")
    parser.add_argument("--bf-radius", type=float, default=6.0,
                        help="outer radius of the virtual bright-field disk, px (default 6)")
    parser.add_argument("--adf-radii", nargs=2, type=float, default=(10.0, 20.0),
                        metavar=("INNER", "OUTER"),
                        help="inner and outer radius of the virtual annular dark field, px "
                             "(default 10 20)")
    parser.add_argument("--dataset", help="HDF5: path of the 4D dataset (default: the file's only one)")
    parser.add_argument("--scan-shape", nargs=2, type=int, metavar=("NX", "NY"),
                        help="MIB: scan positions (default: from the .hdr file or a square frame count)")
    parser.add_argument("--scan-step", type=float, help="scan step in nm (default: from the file)")
    parser.add_argument("--force", action="store_true",
                        help="write into an --out folder that already holds results")
    return parser.parse_args(argv)


def fail(message):
    print(f"[stempdf] ERROR: {message}", file=sys.stderr)
    sys.exit(2)


class Stages:
    """Prints each stage as it starts and its time when it ends."""

    def __init__(self, count):
        self.count, self.index, self.timings = count, 0, {}

    def run(self, name, function):
        self.index += 1
        print(f"[stempdf] stage {self.index}/{self.count}: {name} ...", flush=True)
        start = time.perf_counter()
        result = function()
        self.timings[name] = round(time.perf_counter() - start, 4)
        print(f"[stempdf]   done in {self.timings[name]:.2f} s", flush=True)
        return result


def check_output_folder(out, force):
    summary = os.path.join(out, "summary.json")
    if os.path.exists(summary) and not force:
        fail(f"--out {out} already holds results ({summary}); choose another folder "
             "or pass --force to replace them")
    if os.path.exists(out) and not os.path.isdir(out):
        fail(f"--out {out} exists and is not a folder")
    os.makedirs(out, exist_ok=True)


def main(argv):
    args = parse_arguments(argv)
    if not os.path.isfile(args.input):
        fail(f"input file '{args.input}' does not exist")
    if args.bf_radius <= 0:
        fail(f"--bf-radius is {args.bf_radius}; expected a radius > 0 px")
    if not 0 <= args.adf_radii[0] < args.adf_radii[1]:
        fail(f"--adf-radii {args.adf_radii[0]} {args.adf_radii[1]}: expected 0 <= INNER < OUTER")
    check_output_folder(args.out, args.force)

    from paraview import servermanager, simple
    from vtkmodules.numpy_interface import dataset_adapter as dsa

    from stempdf import figures, plugin
    plugin.load(globals())
    VirtualDetector = globals()["VirtualDetector"]

    stages = Stages(4)

    def read():
        reader = simple.OpenDataFile(args.input)
        if reader is None:
            fail(f"ParaView has no reader for '{args.input}'")
        options = (("--dataset", "DatasetPath", args.dataset), ("--scan-step", "ScanStep", args.scan_step),
                   ("--scan-shape", "ScanShape", list(args.scan_shape) if args.scan_shape else None))
        for flag, name, value in options:
            if value is None:
                continue
            if name not in reader.ListProperties():
                fail(f"{flag} does not apply to '{args.input}' (its reader has no {name})")
            setattr(reader, name, value)
        reader.UpdatePipeline()
        if reader.GetDataInformation().GetNumberOfPoints() == 0:
            fail(f"could not read '{args.input}'; see the error above")
        fields = reader.FieldData.keys()
        if "STEMPDF_AxisSize" not in fields or not reader.PointData.keys():
            fail(f"'{args.input}' is not a 4D-STEM field: it needs a point-data array of patterns "
                 "and the STEMPDF_Axis* field data (docs/data-model.md)")
        return reader

    reader = stages.run("read", read)
    patterns = reader.PointData.keys()[0]
    data = servermanager.Fetch(reader)
    kx, ky = (int(v) for v in dsa.WrapDataObject(data).FieldData["STEMPDF_AxisSize"])
    nx, ny, _ = data.GetDimensions()
    spacing, origin = data.GetSpacing()[:2], data.GetOrigin()[:2]
    print(f"[stempdf]   {nx} x {ny} scan positions, step {spacing[0]:g} nm; "
          f"{kx} x {ky} px patterns in array '{patterns}'")

    center = {"CenterOnDetectorMiddle": 1}
    if args.center:
        center = {"CenterOnDetectorMiddle": 0, "Center": list(args.center)}
    used_center = list(args.center) if args.center else [0.5 * (kx - 1), 0.5 * (ky - 1)]

    def virtual(name, inner, outer):
        proxy = VirtualDetector(Input=reader, Patterns=["POINTS", patterns], InnerRadius=inner,
                                OuterRadius=outer, OutputArrayName=name, **center)
        proxy.UpdatePipeline()
        if proxy.GetDataInformation().GetNumberOfPoints() == 0:
            fail(f"VirtualDetector {name} failed; see the error above")
        return proxy

    bf = stages.run("virtual bright field", lambda: virtual("VirtualBF", 0.0, args.bf_radius))
    adf = stages.run("virtual annular dark field",
                     lambda: virtual("VirtualADF", args.adf_radii[0], args.adf_radii[1]))

    def write():
        written = []
        for proxy, name, title in ((bf, "VirtualBF", f"virtual bright field, d < {args.bf_radius:g} px"),
                                   (adf, "VirtualADF", f"virtual ADF, {args.adf_radii[0]:g} <= d < "
                                                       f"{args.adf_radii[1]:g} px")):
            stem = os.path.join(args.out, name.replace("Virtual", "virtual_").lower())
            simple.SaveData(stem + ".vti", proxy=proxy)
            values = np.asarray(dsa.WrapDataObject(servermanager.Fetch(proxy)).PointData[name])
            figures.save_map(values.reshape(ny, nx), spacing, origin, stem + ".png", title, "counts")
            written += [stem + ".vti", stem + ".png"]
        counts = np.asarray(dsa.WrapDataObject(data).PointData[patterns])
        mean = counts.reshape(nx * ny, ky, kx).mean(axis=0)
        written.append(figures.save_pattern(
            mean, os.path.join(args.out, "mean_pattern.png"), "mean diffraction pattern",
            circles=[(used_center[0], used_center[1], args.bf_radius, "cyan"),
                     (used_center[0], used_center[1], args.adf_radii[0], "lime"),
                     (used_center[0], used_center[1], args.adf_radii[1], "lime")]))
        return written

    written = stages.run("write results", write)
    summary = {
        "input": os.path.abspath(args.input),
        "parameters": {"center": used_center, "bf_radius_px": args.bf_radius,
                       "adf_radii_px": list(args.adf_radii)},
        "scan": {"nx": nx, "ny": ny, "step_nm": list(spacing), "origin_nm": list(origin)},
        "detector": {"kx": kx, "ky": ky},
        "outputs": [os.path.basename(p) for p in written],
        "timings_s": stages.timings,
    }
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print(f"[stempdf] results in {os.path.abspath(args.out)}: "
          + ", ".join(summary["outputs"] + ["summary.json"]))


if __name__ == "__main__":
    main(sys.argv[1:])
