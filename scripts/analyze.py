"""The STEMPDF main job, run by pvbatch through scripts/analyze.

    scripts/analyze INPUT --out DIR [options]        (--help for all)

It drives the ParaView plugin — the same filters a GUI user applies — from a
4D-STEM file to the paper's results: read -> Azimuthal Integrate (centre and
ellipse found on the mean pattern unless --center is given) -> Structure
Factor -> Pair Distribution -> NMF Decompose (or, with --reference, MLLS Fit of
a given basis) -> Autocorrelation of the fraction maps -> Peak Analysis of the
basis PDFs. It writes to DIR: summary.json, basis_pdfs.csv, mean_profiles.csv,
mean_pdf.csv, maps.vti (every map, scan geometry in nm) and a PNG per map,
figures (basis PDFs with the connection distances, colour mix, autocorrelation
curves) and analysis.pvsm, a ParaView state that reopens the pipeline.
"""
import argparse
import csv
import json
import os
import sys
import time

import numpy as np

PAPER_COMPOSITION = "Fe85.2Si0.5B9.5P4Cu0.8"


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="scripts/analyze",
        description="Map the local atomic structure of an amorphous sample from a 4D-STEM dataset "
                    "with the STEMPDF ParaView plugin.")
    parser.add_argument("input", help="4D-STEM dataset: .h5/.hdf5/.emd (HDF5, EMD, py4DSTEM), .mib "
                                      "(Merlin) or .vti (STEMPDF data model)")
    parser.add_argument("--out", required=True, help="folder for the results (created)")
    parser.add_argument("--overwrite", "--force", action="store_true", dest="overwrite",
                        help="replace the results of an earlier run in --out")
    data = parser.add_argument_group("data")
    data.add_argument("--dataset", help="HDF5: path of the 4D dataset (default: the file's only one)")
    data.add_argument("--scan-shape", nargs=2, type=int, metavar=("NX", "NY"),
                      help="MIB: scan positions (default: from the .hdr file or a square frame count)")
    data.add_argument("--scan-step", type=float, metavar="NM", help="scan step in nm (default: from the file)")
    calibration = parser.add_argument_group("calibration (default: from the file)")
    calibration.add_argument("--pixel-size", type=float, metavar="S",
                             help="detector pixel size in 1/A per pixel (s = 1/d)")
    calibration.add_argument("--camera-length", type=float, metavar="MM",
                             help="camera length in mm (with --pixel-pitch and --beam-energy)")
    calibration.add_argument("--pixel-pitch", type=float, default=55.0, metavar="UM",
                             help="detector pixel pitch in um (default 55, Medipix/Merlin)")
    calibration.add_argument("--beam-energy", type=float, metavar="KV", help="beam energy in kV")
    calibration.add_argument("--center", nargs=2, type=float, metavar=("X", "Y"),
                             help="centre of the patterns in detector pixels (default: found on the mean "
                                  "pattern, with the ellipse)")
    method = parser.add_argument_group("method")
    method.add_argument("--composition", default=PAPER_COMPOSITION,
                        help=f"atomic composition, e.g. Cu64.5Zr35.5 (default {PAPER_COMPOSITION}, the paper's)")
    method.add_argument("--s-range", nargs=2, type=float, default=(0.25, 1.6), metavar=("S0", "S1"),
                        help="s range of the structure factor in 1/A (default 0.25 1.6)")
    method.add_argument("--r-range", nargs=2, type=float, default=(0.0, 10.0), metavar=("R0", "R1"),
                        help="r range of G(r) in A (default 0 10)")
    method.add_argument("--r-step", type=float, default=0.01, metavar="DR", help="r step in A (default 0.01)")
    method.add_argument("--damping", choices=("none", "lorch"), default="none",
                        help="damping of phi(s) before the transform: lorch suppresses the termination ripples "
                             "of the cut at s_max (broad peaks move less, all peaks get wider; default none)")
    method.add_argument("--components", type=int, default=2, metavar="K",
                        help="NMF components (default 2: two structural types; the paper's 3 adds a noise "
                             "component, which only pays when the data hold positions rich in it; "
                             "summary.json lists the singular values to judge by)")
    method.add_argument("--smoothing", type=float, default=1.5, metavar="SIGMA",
                        help="NMF: Gaussian smoothing over the scan, in scan steps, of the data the basis is "
                             "found on; the fractions come from the unsmoothed G(r). Per-position noise "
                             "otherwise compresses the fractions (docs/method.md section 6). Keep it below "
                             "half the domain size (correlation length in steps); 0 = plain NMF (default 1.5)")
    method.add_argument("--seed", type=int, default=0, help="NMF seed (default 0)")
    method.add_argument("--reference", metavar="BASIS.csv",
                        help="fit this basis (a CSV with an r column in A and one column per component, e.g. "
                             "basis_pdfs.csv of another run) by MLLS instead of NMF")
    method.add_argument("--fraction-components", metavar="LIST",
                        help="components that make up the fractions, e.g. 1,2 (default: all)")
    return parser.parse_args(argv)


def fail(message):
    print(f"[stempdf] ERROR: {message}", file=sys.stderr, flush=True)
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


RESULT_FILES = ("summary.json", "basis_pdfs.csv", "maps.vti", "analysis.pvsm")


def check_arguments(args):
    if not os.path.isfile(args.input):
        fail(f"input file '{args.input}' does not exist")
    if args.reference and not os.path.isfile(args.reference):
        fail(f"--reference '{args.reference}' does not exist")
    if not 0 <= args.s_range[0] < args.s_range[1]:
        fail(f"--s-range {args.s_range[0]} {args.s_range[1]}: expected 0 <= S0 < S1 (1/A)")
    if not 0 <= args.r_range[0] < args.r_range[1]:
        fail(f"--r-range {args.r_range[0]} {args.r_range[1]}: expected 0 <= R0 < R1 (A)")
    if args.r_step <= 0:
        fail(f"--r-step is {args.r_step}; expected a step > 0 A")
    if args.components < 1:
        fail(f"--components is {args.components}; expected at least 1")
    if not args.smoothing >= 0:
        fail(f"--smoothing is {args.smoothing}; expected a standard deviation >= 0 scan steps (0 = off)")
    if args.pixel_size is not None and args.camera_length is not None:
        fail("give either --pixel-size or --camera-length (with --pixel-pitch and --beam-energy), not both")
    if args.camera_length is not None and args.beam_energy is None:
        fail("--camera-length needs --beam-energy (kV) as well")
    for flag, value in (("--pixel-size", args.pixel_size), ("--camera-length", args.camera_length),
                        ("--beam-energy", args.beam_energy), ("--scan-step", args.scan_step)):
        if value is not None and value <= 0:
            fail(f"{flag} is {value}; expected a value > 0")
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        fail(f"--out {args.out} exists and is not a folder")
    earlier = [name for name in RESULT_FILES if os.path.exists(os.path.join(args.out, name))]
    if earlier and not args.overwrite:
        fail(f"--out {args.out} already holds results ({', '.join(earlier)}); choose another folder "
             "or pass --overwrite to replace them")
    os.makedirs(args.out, exist_ok=True)


def table_columns(proxy, port):
    """A table output of a proxy as {column name: numpy array or list of str}."""
    table = proxy.GetClientSideObject().GetOutputDataObject(port)
    columns = {}
    for c in range(table.GetNumberOfColumns()):
        column = table.GetColumn(c)
        name = table.GetColumnName(c)
        if column.IsA("vtkStringArray"):
            columns[name] = [column.GetValue(i) for i in range(column.GetNumberOfValues())]
        else:
            columns[name] = np.array([column.GetTuple1(i) for i in range(column.GetNumberOfTuples())])
    return columns


def write_csv(path, columns):
    names = list(columns)
    rows = len(next(iter(columns.values())))
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(names)
        for i in range(rows):
            writer.writerow([f"{columns[n][i]:.8g}" if not isinstance(columns[n][i], str) else columns[n][i]
                             for n in names])
    return path


def gather_image(proxy, folder):
    """The whole image output of a proxy on this (the first) process. One
    process: servermanager.Fetch. Under MPI Fetch returns only a piece of an
    image, so the pieces go through ParaView's parallel .pvti writer and are
    read back whole."""
    from paraview import servermanager, simple
    from vtkmodules.vtkIOXML import vtkXMLPImageDataReader
    if servermanager.vtkProcessModule.GetProcessModule().GetNumberOfLocalPartitions() < 2:
        return servermanager.Fetch(proxy)
    import shutil
    import tempfile
    work = tempfile.mkdtemp(prefix="gather-", dir=folder)
    try:
        simple.SaveData(os.path.join(work, "maps.pvti"), proxy=proxy)
        reader = vtkXMLPImageDataReader()
        reader.SetFileName(os.path.join(work, "maps.pvti"))
        reader.Update()
        image = reader.GetOutput().NewInstance()
        image.DeepCopy(reader.GetOutput())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return image


def main(argv):
    args = parse_arguments(argv)
    check_arguments(args)

    from paraview import servermanager, simple
    from vtkmodules.numpy_interface import dataset_adapter as dsa
    from vtkmodules.vtkIOXML import vtkXMLImageDataWriter

    from stempdf import figures, plugin
    try:
        plugin.load(globals())
    except FileNotFoundError as error:
        fail(str(error))
    proxies = {name: globals().get(name) for name in ("AzimuthalIntegrate", "StructureFactor", "PairDistribution",
                                                      "NMFDecompose", "MLLSFit", "Autocorrelation", "PeakAnalysis")}
    missing = [name for name, proxy in proxies.items() if proxy is None]
    if missing:
        fail(f"the STEMPDF plugin at {plugin.plugin_path()} lacks {', '.join(missing)}: rebuild it with scripts/setup")
    errors = []

    def watch(proxy):
        """Collect the vtkErrorMacro messages of a proxy's algorithm."""
        def on_error(obj, event, message=None):
            errors.append(str(message))
        on_error.CallDataType = "string0"
        proxy.GetClientSideObject().AddObserver("ErrorEvent", on_error)
        return proxy

    def updated(proxy, what):
        watch(proxy)
        del errors[:]
        proxy.UpdatePipeline()
        # The output itself, not GetDataInformation(): that would compute the
        # ranges of every array (0.6 s for a paper-scale G(r) cube).
        output = proxy.GetClientSideObject().GetOutputDataObject(0)
        size = output.GetNumberOfPoints() if output.IsA("vtkDataSet") else output.GetNumberOfRows()
        if errors or size == 0:
            detail = errors[-1].strip().splitlines()[-1] if errors else "see the messages above"
            fail(f"{what} failed: {detail}")
        return proxy

    stages = Stages(8)

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
        # A pattern field: one array of Kx * Ky components and the detector
        # axis (Kx, Ky) as field data; results of STEMPDF (maps, profiles) are not.
        size = reader.FieldData["STEMPDF_AxisSize"] if "STEMPDF_AxisSize" in reader.FieldData.keys() else None
        low, high = (int(v) for v in size.GetRange(0)) if size is not None else (0, 0)
        candidates = [name for name in reader.PointData.keys()
                      if reader.PointData[name].GetNumberOfComponents() == low * high]
        if low < 8 or not candidates:
            fail(f"'{args.input}' is not a 4D-STEM field: it needs a point-data array of diffraction patterns "
                 "and the STEMPDF_Axis* field data of a detector (docs/data-model.md)")
        return reader, candidates[0]

    reader, patterns = stages.run("read", read)
    info = reader.GetDataInformation()
    extent = info.GetExtent()
    nx, ny = extent[1] - extent[0] + 1, extent[3] - extent[2] + 1
    bounds = info.GetBounds()
    spacing = [(bounds[1] - bounds[0]) / max(nx - 1, 1), (bounds[3] - bounds[2]) / max(ny - 1, 1)]
    origin = [bounds[0], bounds[2]]
    print(f"[stempdf]   {nx} x {ny} scan positions, step {spacing[0]:g} nm; patterns in array '{patterns}'",
          flush=True)

    def integrate():
        options = {"SRange": list(args.s_range)}
        if args.center:
            options.update(CenterOnDetectorMiddle=0, Center=list(args.center))
        else:
            options.update(FindCenter=1, FitEllipse=1)
        if args.pixel_size is not None:
            options.update(PixelSize=args.pixel_size)
        if args.camera_length is not None:
            options.update(CameraLength=args.camera_length, DetectorPixelPitch=args.pixel_pitch,
                           BeamEnergy=args.beam_energy)
        return updated(proxies["AzimuthalIntegrate"](Input=reader, Patterns=["POINTS", patterns], **options),
                       "Azimuthal Integrate")

    az = stages.run("azimuthal integration", integrate)
    az.UpdatePropertyInformation()
    calibration = {"center": list(az.GetProperty("UsedCenter")),
                   "ellipse_ratio": az.GetProperty("UsedEllipseRatio")[0],
                   "ellipse_angle": az.GetProperty("UsedEllipseAngle")[0],
                   "pixel_size": az.GetProperty("UsedPixelSize")[0],
                   "excluded_pixels": az.GetProperty("ExcludedPixels")[0]}
    print(f"[stempdf]   centre ({calibration['center'][0]:.2f}, {calibration['center'][1]:.2f}) px, ellipse "
          f"{calibration['ellipse_ratio']:.4f} at {calibration['ellipse_angle']:.1f} deg, "
          f"{calibration['pixel_size']:.5g} 1/A per px", flush=True)

    sf = stages.run("structure factor", lambda: updated(proxies["StructureFactor"](
        Input=az, Profiles=["POINTS", "Intensity"], Composition=args.composition, SRange=list(args.s_range),
        Damping="Lorch" if args.damping == "lorch" else "None"),
        "Structure Factor"))
    pd = stages.run("pair distribution", lambda: updated(proxies["PairDistribution"](
        Input=sf, ReducedIntensity=["POINTS", "Phi"], RRange=list(args.r_range), RStep=args.r_step),
        "Pair Distribution"))

    if args.reference:
        def fit_reference():
            basis = simple.CSVReader(FileName=[os.path.abspath(args.reference)])
            options = {"Components": args.fraction_components} if args.fraction_components else {}
            return basis, updated(proxies["MLLSFit"](Input=pd, Basis=basis, PairDistribution=["POINTS", "G"],
                                                     **options), "MLLS Fit")
        basis_source, types = stages.run("MLLS fit of the reference basis", fit_reference)
    else:
        basis_source = None
        types = stages.run("NMF decomposition", lambda: updated(proxies["NMFDecompose"](
            Input=pd, PairDistribution=["POINTS", "G"], NumberOfComponents=args.components, Seed=args.seed,
            SpatialSmoothing=args.smoothing),
            "NMF Decompose"))

    maps_data = dsa.WrapDataObject(gather_image(types, args.out))
    if args.reference:
        names = [n[len("Fraction "):] for n in maps_data.PointData.keys() if n.startswith("Fraction ")]
        fraction_arrays = [f"Fraction {n}" for n in names]
        basis_table = table_columns(basis_source, 0)
        rcol = next(c for c in basis_table if c.strip().lower().startswith("r"))
        basis_r = np.asarray(basis_table[rcol], dtype=float)
        basis_curves = {n: np.asarray(basis_table[n], dtype=float) for n in names}
    else:
        names = [str(j) for j in range(1, args.components + 1)]
        fraction_arrays = [f"Weight {n}" for n in names]
        table = table_columns(types, 1)
        basis_r = table["r"]
        basis_curves = {n: table[f"Basis {n}"] for n in names}
    fractions = np.stack([np.asarray(maps_data.PointData[a]) for a in fraction_arrays], axis=1)
    if args.reference:
        populations = table_columns(types, 1)
        mean_fraction = list(populations["MeanFraction"])
        area_fraction = list(populations["AreaFraction"])
    else:
        mean_fraction = list(fractions.mean(axis=0))
        dominant = np.argmax(fractions, axis=1)
        area_fraction = [float(np.mean(dominant == j)) for j in range(len(names))]

    acf = stages.run("autocorrelation of the fraction maps", lambda: updated(proxies["Autocorrelation"](
        Input=types, Maps=fraction_arrays), "Autocorrelation"))
    lengths = table_columns(acf, 2)
    domain_steps = np.nanmin(np.asarray(lengths["CorrelationLength (nm)"], dtype=float)) / spacing[0]
    if not args.reference and args.smoothing > domain_steps / 2:
        print(f"[stempdf] warning: --smoothing {args.smoothing} scan steps is large for domains of "
              f"{domain_steps:.1f} steps (correlation length): the basis mixes the types and the fractions "
              f"spread out; rerun with --smoothing {domain_steps / 2:.1f} or less", flush=True)

    peaks_input = basis_source if args.reference else simple.OutputPort(types, 1)
    peaks = stages.run("peak analysis of the basis PDFs", lambda: updated(proxies["PeakAnalysis"](
        Input=peaks_input), "Peak Analysis"))
    peak_table = table_columns(peaks, 0)

    def write():
        written = []
        mean_s = table_columns(az, 1)
        mean_phi = table_columns(sf, 1)
        mean_g = table_columns(pd, 1)
        written.append(write_csv(os.path.join(args.out, "mean_profiles.csv"),
                                 {"s": mean_s["s"], "MeanIntensity": mean_s["MeanIntensity"],
                                  "MeanPhi": np.interp(mean_s["s"], mean_phi["s"], mean_phi["MeanPhi"],
                                                       left=np.nan, right=np.nan)}))
        written.append(write_csv(os.path.join(args.out, "mean_pdf.csv"), {"r": mean_g["r"], "MeanG": mean_g["MeanG"]}))
        basis_columns = {"r": basis_r}
        basis_columns.update({f"Basis {n}" if not args.reference else n: basis_curves[n] for n in names})
        written.append(write_csv(os.path.join(args.out, "basis_pdfs.csv"), basis_columns))
        # The maps gathered from every rank (servermanager.Fetch), written as
        # one .vti also under MPI (ParaView's own .vti writer is serial only).
        maps_file = os.path.join(args.out, "maps.vti")
        writer = vtkXMLImageDataWriter()
        writer.SetFileName(maps_file)
        writer.SetInputData(maps_data.VTKObject)
        writer.Write()
        written.append(maps_file)
        for j, (name, array) in enumerate(zip(names, fraction_arrays)):
            png = os.path.join(args.out, f"map_{'component_' + name if not args.reference else name}.png")
            png = png.replace(" ", "_")
            figures.save_map(fractions[:, j].reshape(ny, nx), spacing, origin, png,
                             f"{array}: mean {mean_fraction[j]:.3f}", "fraction", cmap="viridis")
            written.append(png)
        written.append(figures.save_basis_pdfs(
            basis_r, [(basis_curves[n], f"component {n}" if not args.reference else n) for n in names],
            [peak_table["R1 (A)"][j] for j in range(len(names))], os.path.join(args.out, "basis_pdfs.png")))
        written.append(figures.save_color_mix(
            fractions[:, :3].reshape(ny, nx, -1), spacing, origin, os.path.join(args.out, "color_mix.png"),
            [f"{fraction_arrays[j]}" for j in range(min(3, len(names)))]))
        radial = table_columns(acf, 1)
        distance = radial.pop(next(c for c in radial if c.lower().startswith("distance")))
        written.append(figures.save_curves(
            distance, [(values, name, {}) for name, values in radial.items()],
            os.path.join(args.out, "autocorrelation.png"), xlabel="distance (nm)",
            ylabel="normalised autocorrelation", title="radial autocorrelation of the fraction maps",
            xlim=(0, float(distance.max()))))
        state = os.path.join(args.out, "analysis.pvsm")
        simple.SaveState(state)
        written.append(state)
        return written

    written = stages.run("write results", write)

    components = []
    for j, name in enumerate(names):
        row = {key: (float(values[j]) if not isinstance(values[j], str) else values[j])
               for key, values in peak_table.items()}
        length_row = {key: values[j] for key, values in lengths.items()}
        components.append({
            "index": j + 1,
            "name": name if args.reference else f"component {name}",
            "first_peak_A": row.get("R1 (A)"),
            "fwhm_A": row.get("FWHM (A)"),
            "second_peak_A": row.get("SecondPeak (A)"),
            "shoulder_A": row.get("Shoulder (A)"),
            "mean_fraction": float(mean_fraction[j]),
            "area_fraction": float(area_fraction[j]),
            "correlation_length_nm": float(length_row.get("CorrelationLength (nm)", np.nan)),
        })
    summary = {
        "input": os.path.abspath(args.input),
        "parameters": {"composition": args.composition, "s_range_invA": list(args.s_range),
                       "r_range_A": list(args.r_range), "r_step_A": args.r_step, "damping": args.damping,
                       "method": "MLLS" if args.reference else "NMF",
                       "components": len(names), "seed": args.seed,
                       "spatial_smoothing_steps": None if args.reference else args.smoothing,
                       "reference": os.path.abspath(args.reference) if args.reference else None},
        "scan": {"nx": nx, "ny": ny, "step_nm": spacing, "origin_nm": origin},
        "calibration": calibration,
        "components": components,
        # NMF: of the G(r) cube, largest first; the components worth fitting stand above the flat tail.
        "singular_values": ([float(v) for v in maps_data.FieldData["STEMPDF_NMFSingularValues"]]
                            if "STEMPDF_NMFSingularValues" in maps_data.FieldData.keys() else None),
        "outputs": [os.path.basename(p) for p in written] + ["summary.json"],
        "timings_s": stages.timings,
    }
    summary["timings_s"]["total"] = round(sum(stages.timings.values()), 4)
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    for c in components:
        print(f"[stempdf]   {c['name']}: first peak {c['first_peak_A']:.3f} A, mean fraction "
              f"{c['mean_fraction']:.3f}, correlation length {c['correlation_length_nm']:.2f} nm")
    print(f"[stempdf] results in {os.path.abspath(args.out)} ({summary['timings_s']['total']:.1f} s): "
          + ", ".join(summary["outputs"]), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
