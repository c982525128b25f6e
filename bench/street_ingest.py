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

Targets: (b) at least 5x faster than (a) and at least 1 million rows per second.

Run: ``.venv/bin/python bench/street_ingest.py`` (``--rows 90000 --months 12 --repeat 3``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from slp.boroughs import LONDON_BOROUGHS  # noqa: E402
from slp.sources.street import NEEDED, read_street  # noqa: E402

RESULTS = ROOT / "bench" / "results"
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
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="slp-bench-street-") as tmp:
        folder = Path(tmp)
        files = [write_month(folder, m, args.rows, rng, codes, names) for m in months]
        total_rows = args.rows * args.months
        size_mb = sum(f.stat().st_size for f in files) / 1e6
        print(f"generated {len(files)} files, {total_rows:,} rows, {size_mb:.0f} MB in {folder}")

        steps = {
            "a": lambda: baseline(files),
            "b": lambda: read_street(folder),
            "c": lambda: needed_columns(files),
            "d": lambda: tokenise_only(files),
        }
        # Interleaved, so that a change in the shared machine's load hits every step alike.
        runs: dict[str, list[tuple[float, float]]] = {k: [] for k in steps}
        results = {}
        for _ in range(max(1, args.repeat)):
            for key, fn in steps.items():
                wall, cpu, results[key] = timed(fn)
                runs[key].append((wall, cpu))
        best = {k: (min(w for w, _ in v), min(c for _, c in v)) for k, v in runs.items()}
        t_obj, c_obj, base_obj = timed(lambda: baseline_object_strings(files))
        base, ours, groups = results["a"], lsoa_month(results["b"]), len(results["b"].data)

        ours_cmp = ours.copy()
        ours_cmp.index = pd.MultiIndex.from_arrays(
            [
                ours.index.get_level_values(0).astype(str),
                ours.index.get_level_values(1).strftime("%Y-%m"),
            ],
            names=["LSOA code", "Month"],
        )
        identical = bool(
            base.sort_index().astype("int64").equals(ours_cmp.sort_index().astype("int64"))
            and base.index.sort_values().equals(ours_cmp.index.sort_values())
            and base_obj.sort_index().tolist() == base.sort_index().tolist()
        )
    load_after = os.getloadavg()

    (t_base, c_base), (t_slp, c_slp) = best["a"], best["b"]
    (t_needed, c_needed), (t_floor, c_floor) = best["c"], best["d"]
    labels = {
        "a": f"(a) pandas.read_csv + concat + groupby (pandas {pd.__version__} defaults)",
        "b": f"(b) slp read_street (polars {pl.__version__})",
        "c": "(c) polars parsing only the four needed columns, no counting",
        "d": "(d) polars splitting every line into fields, building no column",
    }
    for key, (wall, cpu) in best.items():
        print(f"{labels[key]}: {wall:.2f} s (CPU {cpu:.2f} s)")
    print(f"(a') (a) with pandas-2 object strings: {t_obj:.2f} s (CPU {c_obj:.2f} s)")

    ratio, ratio_cpu, ratio_obj = t_base / t_slp, c_base / c_slp, t_obj / t_slp
    rows_per_s = total_rows / t_slp
    fast_enough, rows_enough = ratio >= 5, rows_per_s >= 1_000_000
    ok = identical and fast_enough and rows_enough
    ceiling, ceiling_cpu = t_base / t_floor, c_base / c_floor
    result = {
        "benchmark": "street_ingest",
        "rows": total_rows,
        "files": args.months,
        "megabytes": round(size_mb, 1),
        "repeat": args.repeat,
        "baseline_seconds": round(t_base, 3),
        "read_street_seconds": round(t_slp, 3),
        "speedup": round(ratio, 2),
        "rows_per_second": round(rows_per_s),
        "baseline_cpu_seconds": round(c_base, 3),
        "read_street_cpu_seconds": round(c_slp, 3),
        "cpu_ratio": round(ratio_cpu, 2),
        "parse_needed_columns_seconds": round(t_needed, 3),
        "parse_needed_columns_cpu_seconds": round(c_needed, 3),
        "tokenise_only_seconds": round(t_floor, 3),
        "tokenise_only_cpu_seconds": round(c_floor, 3),
        "tokenise_share_of_read_street_cpu": round(c_floor / c_slp, 3),
        "speedup_ceiling_from_tokenising": round(ceiling, 2),
        "baseline_object_strings_seconds": round(t_obj, 3),
        "speedup_vs_object_strings": round(ratio_obj, 2),
        "identical_counts": identical,
        "targets": {"speedup": 5, "rows_per_second": 1_000_000},
        "speedup_met": fast_enough,
        "rows_per_second_met": rows_enough,
        "met": ok,
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in load_after],
            "python": platform.python_version(),
            "pandas": pd.__version__,
            "polars": pl.__version__,
            "pyarrow": pa.__version__,
        },
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    print(
        f"speedup {ratio:.1f}x (target 5x); {rows_per_s:,.0f} rows/s (target 1,000,000); "
        f"CPU-time ratio {ratio_cpu:.1f}x; vs object strings {ratio_obj:.1f}x; "
        f"tokenising ceiling {ceiling:.1f}x; identical counts: {identical}"
    )

    def verdict(met: bool) -> str:
        return "met" if met else "**not met**"

    if ceiling < 5:
        why = (
            f"So 5x is not reachable here by any reader built on this tokeniser, however it "
            f"counts: a reader doing nothing but (d) would be {ceiling:.1f}x faster than (a) "
            f"(CPU-time ratio {ceiling_cpu:.1f}x)."
        )
    else:
        why = (
            f"A reader doing nothing but (d) would be {ceiling:.1f}x faster than (a) (CPU-time "
            f"ratio {ceiling_cpu:.1f}x); the rest of (b) is building and counting the columns."
        )
    md = (
        "# street_ingest\n\n"
        f"{total_rows:,} rows in {args.months} generated Metropolitan street files "
        f"({size_mb:.0f} MB); {os.cpu_count()} CPUs shared with other work (load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after); steps run interleaved, best "
        f"of {args.repeat} runs each ((a') once).\n\n"
        "| step | wall s | CPU s |\n|---|---|---|\n"
        + "".join(f"| {labels[k]} | {w:.2f} | {c:.2f} |\n" for k, (w, c) in best.items())
        + f"| (a') as (a) with pandas-2 object strings (context only) | {t_obj:.2f} "
        f"| {c_obj:.2f} |\n\n"
        f"- Speedup (a)/(b): **{ratio:.1f}x**; target 5x: {verdict(fast_enough)}.\n"
        f"- Throughput of (b): **{rows_per_s:,.0f} rows/s**; target 1,000,000: "
        f"{verdict(rows_enough)}.\n"
        f"- CPU-time ratio (a)/(b): {ratio_cpu:.1f}x. Identical LSOA-month counts in (a), (a') "
        f"and (b): {identical}.\n"
        f"- Context: (a')/(b) = {ratio_obj:.1f}x; (a')/(a) = {t_obj / t_base:.1f}x.\n\n"
        "Where the time goes. (d) is the part no CSV reader avoids: finding every field of every "
        f"line. It took {c_floor:.2f} CPU-s, {c_floor / c_slp:.0%} of read_street's "
        f"{c_slp:.2f}; with the four needed columns built as text (c) it is {c_needed:.2f} "
        f"CPU-s, {c_needed / c_slp:.0%}. The rest of (b), {c_slp - c_needed:.2f} CPU-s, is "
        "encoding LSOA code and crime type, the checks (months, empty cells, one name per "
        f"LSOA), counting into {groups:,} LSOA-type-month rows and building the pandas output. "
        f"{why} pandas 3 reads strings into Arrow (partly on a second thread), which makes the "
        "prescribed baseline itself several times faster than with pandas 2's object strings "
        "(see (a')). Timings move with the shared machine's load; the ratios, measured "
        "interleaved in one run, move less.\n"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "street_ingest.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "street_ingest.md").write_text(md)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
