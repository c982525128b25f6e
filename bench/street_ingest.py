"""Benchmark: reading a year of full-volume Metropolitan police.uk street files.

Generates (seeded, in a temporary folder) 12 monthly ``YYYY-MM-metropolitan-street.csv`` files
of ~90,000 rows each with the real police.uk columns, ~4,994 London LSOA codes and ~1.5% rows
with no LSOA, then times, interleaved and best of ``--repeat`` runs each,

(a) a straightforward baseline: ``pandas.read_csv`` every file, ``concat``,
    ``groupby(['LSOA code', 'Month']).size()``;
(b) ``slp.sources.street.read_street`` (its LSOA-type-month counts are summed to LSOA-month
    outside the timing, to compare with (a));
(c) polars parsing the four columns read_street needs, as it does, and nothing else;
(d) polars splitting every line into its fields and building no column: the tokenising that
    any CSV reader must do, a floor for (b);

and, once, (a') = (a) with pandas-2 style object strings, for context. It checks that (a),
(a') and (b) give identical counts and writes the ratios to ``bench/results/``.

Target: (b) reads at least 1 million rows per second, with counts identical to (a). The former
target of 5x faster than (a) is retired: pandas 3's Arrow strings made the baseline itself fast,
and (d) shows no reader built on this tokeniser could reach it; the speedup is reported as
context.

Run: ``.venv/bin/python bench/street_ingest.py`` (``--rows 90000 --months 12 --repeat 3``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
from _results import ROOT, describe, finish, load_average, machine, timestamp

sys.path.insert(0, str(ROOT / "lib"))

from slp.boroughs import LONDON_BOROUGHS  # noqa: E402
from slp.sources.street import NEEDED, read_street  # noqa: E402

ROWS_PER_SECOND = 1_000_000  # the target; the former 5x over the pandas baseline is retired
CRIME_TYPES = {
    "Violence and sexual offences": 0.27,
    "Anti-social behaviour": 0.20,
    "Other theft": 0.09,
    "Vehicle crime": 0.08,
    "Theft from the person": 0.05,
    "Burglary": 0.05,
    "Public order": 0.05,
    "Criminal damage and arson": 0.05,
    "Shoplifting": 0.04,
    "Drugs": 0.04,
    "Robbery": 0.03,
    "Bicycle theft": 0.02,
    "Other crime": 0.02,
    "Possession of weapons": 0.01,
}
OUTCOMES = [
    "Investigation complete; no suspect identified",
    "Unable to prosecute suspect",
    "Under investigation",
    "Status update unavailable",
    "Awaiting court outcome",
    "Offender given a caution",
    "Local resolution",
    "Court result unavailable",
]


def make_lsoas(rng: np.random.Generator, n: int = 4994) -> tuple[np.ndarray, np.ndarray]:
    """n LSOA codes and 'Borough 001A' names spread over the 32 boroughs + City of London."""
    areas = ["City of London", *LONDON_BOROUGHS]
    share = rng.dirichlet(np.full(len(areas), 20.0))
    per = np.maximum(1, np.round(share * n).astype(int))
    per[-1] += n - per.sum()
    codes, names = [], []
    for area, k in zip(areas, per, strict=True):
        for i in range(k):
            codes.append(f"E01{len(codes) + 1:06d}")
            names.append(f"{area} {i // 4 + 1:03d}{'ABCD'[i % 4]}")
    return np.array(codes, dtype=object), np.array(names, dtype=object)


def write_month(folder: Path, month: str, rows: int, rng, codes, names) -> Path:
    """One realistic police.uk street file (no quoting, as police.uk writes them)."""
    weights = rng.gamma(1.5, size=len(codes))
    lsoa = rng.choice(len(codes), size=rows, p=weights / weights.sum())
    no_location = rng.random(rows) < 0.015
    types = np.array(list(CRIME_TYPES), dtype=object)
    probs = np.array(list(CRIME_TYPES.values()))
    crime = types[rng.choice(len(types), size=rows, p=probs / probs.sum())]
    asb = crime == "Anti-social behaviour"
    ids = np.frombuffer(rng.bytes(32 * rows).hex().encode(), dtype="S64").astype(str).astype(object)
    ids[asb] = ""
    outcome = np.array(OUTCOMES, dtype=object)[rng.integers(0, len(OUTCOMES), rows)]
    outcome[asb] = ""
    lon = np.round(-0.1 + rng.normal(0, 0.12, rows), 6)
    lat = np.round(51.5 + rng.normal(0, 0.07, rows), 6)
    streets = np.array(
        [
            f"On or near {w} Road"
            for w in (
                "High",
                "Station",
                "Church",
                "Park",
                "Victoria",
                "Green",
                "Manor",
                "Kings",
                "Queens",
                "Mill",
                "Grove",
                "Albert",
            )
        ],
        dtype=object,
    )
    location = streets[rng.integers(0, len(streets), rows)]
    lsoa_code = codes[lsoa].copy()
    lsoa_name = names[lsoa].copy()
    location[no_location] = "No Location"
    lsoa_code[no_location] = ""
    lsoa_name[no_location] = ""
    lon_s = np.where(no_location, "", lon.astype(str)).astype(object)
    lat_s = np.where(no_location, "", lat.astype(str)).astype(object)
    table = pa.table(
        {
            "Crime ID": ids,
            "Month": np.full(rows, month, dtype=object),
            "Reported by": np.full(rows, "Metropolitan Police Service", dtype=object),
            "Falls within": np.full(rows, "Metropolitan Police Service", dtype=object),
            "Longitude": lon_s,
            "Latitude": lat_s,
            "Location": location,
            "LSOA code": lsoa_code,
            "LSOA name": lsoa_name,
            "Crime type": crime,
            "Last outcome category": outcome,
            "Context": np.full(rows, "", dtype=object),
        }
    )
    path = folder / f"{month}-metropolitan-street.csv"
    with open(path, "wb") as handle:
        handle.write((",".join(table.column_names) + "\n").encode())
        pacsv.write_csv(
            table,
            handle,
            write_options=pacsv.WriteOptions(include_header=False, quoting_style="none"),
        )
    return path


def baseline(files: list[Path]) -> pd.Series:
    frames = [pd.read_csv(f) for f in files]
    return pd.concat(frames).groupby(["LSOA code", "Month"]).size()


def lsoa_month(street) -> pd.Series:
    """read_street's LSOA-type-month counts summed to LSOA-month, to compare with (a)."""
    return street.data.groupby(["lsoa_code", "month"], observed=True)["count"].sum()


def needed_columns(files: list[Path]) -> pl.DataFrame:
    """(c): the four columns read_street needs, parsed as text by polars; no counting."""
    return pl.scan_csv(files, infer_schema=False).select(list(NEEDED)).collect()


def tokenise_only(files: list[Path]) -> pl.DataFrame:
    """(d): every line split into fields, no column built (only the last one, which is empty
    in these files, is kept)."""
    return pl.scan_csv(files, infer_schema=False).select("Context").collect()


def timed(fn) -> tuple[float, float, object]:
    """Wall-clock seconds, CPU seconds (this process, all threads) and the result of fn()."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def baseline_object_strings(files: list[Path]) -> pd.Series:
    """The same baseline with pandas-2 style object strings (context only: pandas 3 reads
    strings into Arrow, which makes the prescribed baseline itself much faster)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pd.option_context("future.infer_string", False):
            return baseline(files)


LABELS = {
    "a": f"(a) pandas.read_csv + concat + groupby (pandas {pd.__version__} defaults)",
    "b": f"(b) slp read_street (polars {pl.__version__})",
    "c": "(c) polars parsing only the four needed columns, no counting",
    "d": "(d) polars splitting every line into fields, building no column",
}


def identical_counts(base: pd.Series, street, base_obj: pd.Series) -> bool:
    """Whether (a), (a') and (b) give the same LSOA-month counts."""
    ours = lsoa_month(street)
    ours.index = pd.MultiIndex.from_arrays(
        [
            ours.index.get_level_values(0).astype(str),
            ours.index.get_level_values(1).strftime("%Y-%m"),
        ],
        names=["LSOA code", "Month"],
    )
    return bool(
        base.sort_index().astype("int64").equals(ours.sort_index().astype("int64"))
        and base.index.sort_values().equals(ours.index.sort_values())
        and base_obj.sort_index().tolist() == base.sort_index().tolist()
    )


def measure(folder: Path, files: list[Path], repeat: int) -> dict:
    """Best wall and CPU seconds of (a)-(d), interleaved; (a') once; whether counts agree."""
    steps = {
        "a": lambda: baseline(files),
        "b": lambda: read_street(folder),
        "c": lambda: needed_columns(files),
        "d": lambda: tokenise_only(files),
    }
    # Interleaved, so that a change in the shared machine's load hits every step alike.
    runs: dict[str, list[tuple[float, float]]] = {k: [] for k in steps}
    results = {}
    for _ in range(max(1, repeat)):
        for key, fn in steps.items():
            wall, cpu, results[key] = timed(fn)
            runs[key].append((wall, cpu))
    best = {k: (min(w for w, _ in v), min(c for _, c in v)) for k, v in runs.items()}
    wall_obj, cpu_obj, base_obj = timed(lambda: baseline_object_strings(files))
    return {
        "best": best,
        "object_strings": (wall_obj, cpu_obj),
        "identical": identical_counts(results["a"], results["b"], base_obj),
        "groups": len(results["b"].data),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=90_000, help="rows per monthly file")
    parser.add_argument("--months", type=int, default=12, help="number of monthly files")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (best is kept)")
    parser.add_argument("--seed", type=int, default=20220930)
    args = parser.parse_args(argv)

    rng = np.random.default_rng(args.seed)
    codes, names = make_lsoas(rng)
    months = [str(p) for p in pd.period_range("2021-10", periods=args.months, freq="M")]
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="slp-bench-street-") as tmp:
        folder = Path(tmp)
        files = [write_month(folder, m, args.rows, rng, codes, names) for m in months]
        total_rows = args.rows * args.months
        size_mb = sum(f.stat().st_size for f in files) / 1e6
        print(f"generated {len(files)} files, {total_rows:,} rows, {size_mb:.0f} MB in {folder}")
        measured = measure(folder, files, args.repeat)
    for key, (wall, cpu) in measured["best"].items():
        print(f"{LABELS[key]}: {wall:.2f} s (CPU {cpu:.2f} s)")
    print("(a') (a) with pandas-2 object strings: {:.2f} s (CPU {:.2f} s)".format(
        *measured["object_strings"]))
    result = payload(args, total_rows, size_mb, measured, load_before)
    print(
        f"{result['rows_per_second']:,.0f} rows/s (target 1,000,000); speedup over the pandas "
        f"baseline {result['speedup']:.1f}x (context); CPU-time ratio {result['cpu_ratio']:.1f}x; "
        f"vs object strings {result['speedup_vs_object_strings']:.1f}x; tokenising ceiling "
        f"{result['speedup_ceiling_from_tokenising']:.1f}x; identical counts: "
        f"{result['identical_counts']}"
    )
    return finish("street_ingest", result, markdown(result, measured), echo=False)


def payload(args, total_rows: int, size_mb: float, measured: dict, load_before) -> dict:
    """The JSON record: timings, ratios and the verdict (>= 1M rows/s and identical counts)."""
    best = measured["best"]
    (t_base, c_base), (t_slp, c_slp) = best["a"], best["b"]
    (t_needed, c_needed), (t_floor, c_floor) = best["c"], best["d"]
    t_obj, _ = measured["object_strings"]
    rows_per_s = total_rows / t_slp
    rows_enough = rows_per_s >= ROWS_PER_SECOND
    return {
        "benchmark": "street_ingest",
        "rows": total_rows,
        "files": args.months,
        "megabytes": round(size_mb, 1),
        "repeat": args.repeat,
        "baseline_seconds": round(t_base, 3),
        "read_street_seconds": round(t_slp, 3),
        "speedup": round(t_base / t_slp, 2),
        "rows_per_second": round(rows_per_s),
        "baseline_cpu_seconds": round(c_base, 3),
        "read_street_cpu_seconds": round(c_slp, 3),
        "cpu_ratio": round(c_base / c_slp, 2),
        "parse_needed_columns_seconds": round(t_needed, 3),
        "parse_needed_columns_cpu_seconds": round(c_needed, 3),
        "tokenise_only_seconds": round(t_floor, 3),
        "tokenise_only_cpu_seconds": round(c_floor, 3),
        "tokenise_share_of_read_street_cpu": round(c_floor / c_slp, 3),
        "speedup_ceiling_from_tokenising": round(t_base / t_floor, 2),
        "speedup_ceiling_cpu_from_tokenising": round(c_base / c_floor, 2),
        "baseline_object_strings_seconds": round(t_obj, 3),
        "speedup_vs_object_strings": round(t_obj / t_slp, 2),
        "identical_counts": measured["identical"],
        "targets": {"rows_per_second": ROWS_PER_SECOND},
        "rows_per_second_met": rows_enough,
        "met": rows_enough and measured["identical"],
        "machine": machine(
            load_average_before=load_before,
            load_average_after=load_average(),
            pandas=pd.__version__,
            polars=pl.__version__,
            pyarrow=pa.__version__,
        ),
        "run_at": timestamp(),
    }


def markdown(r: dict, measured: dict) -> str:
    """The Markdown record: the steps' timings, the verdict and where the time goes."""
    m, best = r["machine"], measured["best"]
    c_obj = measured["object_strings"][1]
    c_slp, c_needed, c_floor = best["b"][1], best["c"][1], best["d"][1]
    verdict = "met" if r["rows_per_second_met"] else "**not met**"
    return (
        "# street_ingest\n\n"
        f"{r['rows']:,} rows in {r['files']} generated Metropolitan street files "
        f"({r['megabytes']:.0f} MB); {describe(m)}; steps run interleaved, best of {r['repeat']} runs each ((a') once).\n\n"
        "| step | wall s | CPU s |\n|---|---|---|\n"
        + "".join(f"| {LABELS[k]} | {w:.2f} | {c:.2f} |\n" for k, (w, c) in best.items())
        + f"| (a') as (a) with pandas-2 object strings (context only) | "
        f"{r['baseline_object_strings_seconds']:.2f} | {c_obj:.2f} |\n\n"
        f"- Throughput of (b): **{r['rows_per_second']:,.0f} rows/s**; target 1,000,000: "
        f"{verdict}. Identical LSOA-month counts in (a), (a') and (b): "
        f"{r['identical_counts']}.\n"
        f"- Speedup (a)/(b): {r['speedup']:.1f}x; CPU-time ratio {r['cpu_ratio']:.1f}x "
        "(context: the former 5x target over this baseline is retired, see below).\n"
        f"- Context: (a')/(b) = {r['speedup_vs_object_strings']:.1f}x; (a')/(a) = "
        f"{r['baseline_object_strings_seconds'] / r['baseline_seconds']:.1f}x.\n\n"
        "Where the time goes. (d) is the part no CSV reader avoids: finding every field of every "
        f"line. It took {c_floor:.2f} CPU-s, {c_floor / c_slp:.0%} of read_street's "
        f"{c_slp:.2f}; with the four needed columns built as text (c) it is {c_needed:.2f} "
        f"CPU-s, {c_needed / c_slp:.0%}. The rest of (b), {c_slp - c_needed:.2f} CPU-s, is "
        "encoding LSOA code and crime type, the checks (months, empty cells, one name per "
        f"LSOA), counting into {measured['groups']:,} LSOA-type-month rows and building the "
        f"pandas output. A reader doing nothing but (d) would be "
        f"{r['speedup_ceiling_from_tokenising']:.1f}x faster than (a) (CPU-time ratio "
        f"{r['speedup_ceiling_cpu_from_tokenising']:.1f}x). pandas 3 reads strings into Arrow (partly on a second thread), which makes "
        "the baseline itself several times faster than with pandas 2's object strings (see "
        "(a')). Timings move with the shared machine's load; the ratios, measured interleaved "
        "in one run, move less.\n"
    )


if __name__ == "__main__":
    raise SystemExit(main())
