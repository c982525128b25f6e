"""Benchmark: peak memory of loading a whole-London street-level year and the borough history.

Generates, with a fixed seed, 12 monthly data.police.uk street-level files for the Metropolitan
Police area (``YYYY-MM/YYYY-MM-metropolitan-street.csv``, the published 12 columns ``Crime ID,
Month, Reported by, Falls within, Longitude, Latitude, Location, LSOA code, LSOA name, Crime
type, Last outcome category, Context``): about 1.1 million rows, London LSOA codes and names
from the ONS lookup in ``../shared/data`` (made-up ones when it is absent), ~1.5% of rows with
no location and anti-social behaviour with no Crime ID, as in the real files. Then, each in a
fresh child process, it measures the peak resident memory (``VmHWM``) of

1. Python and the libraries alone (the baseline every process pays);
2. ``slp.sources.street.read_street`` on the 12 files, with the LSOA-ward lookup, as a run does;
3. ``slp.sources.borough.read_borough_crime`` on the real MPS borough history
   (``../shared/data/mps-borough/vintage-2025-03``, 2010 onwards);
4. both in one process, as an assessment loads them.

Target: each well under 2 GB (here: at most 1 GB).

Run: ``.venv/bin/python bench/memory.py`` (``--rows-per-month 92000 --seed 20220930``).
Writes ``bench/results/memory.md`` and ``bench/results/memory.json``.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _results import ROOT, describe, finish, machine, timestamp

sys.path.insert(0, str(ROOT / "lib"))
SHARED = (ROOT.parent / "shared" / "data").resolve()
BOROUGH_HISTORY = SHARED / "mps-borough" / "vintage-2025-03"
LOOKUP = SHARED / "population" / "lsoa21-ward25-lad25-lookup.csv"
TARGET_MB = 1024  # "well under 2 GB"

CRIME_TYPES = {
    "Violence and sexual offences": 0.27, "Anti-social behaviour": 0.20, "Other theft": 0.09,
    "Vehicle crime": 0.08, "Theft from the person": 0.05, "Burglary": 0.05,
    "Public order": 0.05, "Criminal damage and arson": 0.05, "Shoplifting": 0.04,
    "Drugs": 0.04, "Robbery": 0.03, "Bicycle theft": 0.02, "Other crime": 0.02,
    "Possession of weapons": 0.01,
}
OUTCOMES = [
    "Investigation complete; no suspect identified", "Unable to prosecute suspect",
    "Under investigation", "Status update unavailable", "Awaiting court outcome",
    "Offender given a caution", "Local resolution", "Court result unavailable",
]
STREETS = ["High Street", "Church Road", "Station Road", "Park Lane", "Victoria Road",
           "Green Lane", "Manor Road", "Kings Road", "Queens Road", "Mill Lane", "Supermarket",
           "Petrol Station", "Sports/Recreation Area", "Shopping Area", "Nightclub",
           "Parking Area", "Hospital", "Police Station", "Further/Higher Educational Building"]


# --------------------------------------------------------------------------------------------
# the generated street-level year


def london_lsoas(rng) -> tuple[list[str], list[str]]:
    """London LSOA codes and names (from the ONS lookup, else 4,994 made-up ones)."""
    import pandas as pd

    from slp.boroughs import LONDON_BOROUGHS

    if LOOKUP.is_file():
        lookup = pd.read_csv(LOOKUP, usecols=["LSOA21CD", "LSOA21NM", "LAD25NM"],
                             encoding="utf-8-sig", dtype=str)
        london = lookup[lookup["LAD25NM"].isin(set(LONDON_BOROUGHS) | {"City of London"})]
        london = london.drop_duplicates("LSOA21CD").sort_values("LSOA21CD")
        return london["LSOA21CD"].tolist(), london["LSOA21NM"].tolist()
    areas = ["City of London", *LONDON_BOROUGHS]
    codes, names = [], []
    for i in range(4994):
        area = areas[i % len(areas)]
        codes.append(f"E01{i + 1:06d}")
        names.append(f"{area} {i // len(areas) + 1:03d}{'ABCD'[i % 4]}")
    return codes, names


def write_year(folder: Path, *, rows_per_month: int, seed: int, year: int = 2022) -> int:
    """Write 12 monthly files; returns the number of rows."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed)
    codes, names = london_lsoas(rng)
    codes, names = np.array(codes, dtype=object), np.array(names, dtype=object)
    weights = rng.gamma(2.0, 1.0, len(codes))
    weights /= weights.sum()
    types = np.array(list(CRIME_TYPES), dtype=object)
    p_types = np.array(list(CRIME_TYPES.values()))
    p_types /= p_types.sum()
    hexdigits = np.frombuffer(b"0123456789abcdef", dtype="S1")
    total = 0
    for month in range(1, 13):
        n = int(rows_per_month * rng.uniform(0.93, 1.07))
        label = f"{year}-{month:02d}"
        where = rng.choice(len(codes), n, p=weights)
        crime = types[rng.choice(len(types), n, p=p_types)]
        asb = crime == "Anti-social behaviour"
        ids = hexdigits[rng.integers(0, 16, (n, 64))].view("S64").ravel().astype(str)
        ids = np.where(asb, "", ids)
        no_location = rng.random(n) < 0.015
        lon = np.round(-0.1276 + rng.normal(0, 0.12, n), 6)
        lat = np.round(51.5072 + rng.normal(0, 0.07, n), 6)
        location = np.array([f"On or near {s}" for s in STREETS], dtype=object)[
            rng.integers(0, len(STREETS), n)]
        outcome = np.array(OUTCOMES, dtype=object)[rng.integers(0, len(OUTCOMES), n)]
        table = pa.table({
            "Crime ID": ids,
            "Month": [label] * n,
            "Reported by": ["Metropolitan Police Service"] * n,
            "Falls within": ["Metropolitan Police Service"] * n,
            "Longitude": pa.array(np.where(no_location, np.nan, lon), from_pandas=True),
            "Latitude": pa.array(np.where(no_location, np.nan, lat), from_pandas=True),
            "Location": np.where(no_location, "No Location", location),
            "LSOA code": np.where(no_location, "", codes[where]),
            "LSOA name": np.where(no_location, "", names[where]),
            "Crime type": crime,
            "Last outcome category": np.where(asb, "", outcome),
            "Context": [""] * n,
        })
        out = folder / label / f"{label}-metropolitan-street.csv"
        out.parent.mkdir(parents=True, exist_ok=True)
        pacsv.write_csv(table, out, pacsv.WriteOptions(quoting_style="needed"))
        total += n
    return total


# --------------------------------------------------------------------------------------------
# the children


def child(args) -> dict:
    """Load what ``args.child`` names; report memory and time."""
    import pandas  # noqa: F401  (the baseline: every loader needs these)

    from slp.kernels import peak_rss_mb, rss_mb
    from slp.sources import borough, boundaries, street  # noqa: F401

    after_imports = rss_mb()
    result: dict = {"rss_after_imports_mb": after_imports}
    start = time.perf_counter()
    frames = []
    if args.child in ("street", "both"):
        lookup = str(LOOKUP) if LOOKUP.is_file() else None
        found = street.read_street(args.folder, lookup=lookup)
        frames.append(found.data)
        result["street_rows_counted"] = int(found.data["count"].sum() + found.no_location)
        result["street_frame_rows"] = len(found.data)
    if args.child in ("borough", "both"):
        found = borough.read_borough_crime(str(BOROUGH_HISTORY))
        frames.append(found.data)
        result["borough_frame_rows"] = len(found.data)
        result["borough_months"] = [str(found.data["month"].min()),
                                    str(found.data["month"].max())]
    result["seconds"] = time.perf_counter() - start
    result["frames_mb"] = sum(f.memory_usage(deep=True).sum() for f in frames) / 1024**2
    result["rss_after_load_mb"] = rss_mb()
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child would be charged
    # with the memory of this benchmark's parent process (which holds the generated data)
    result["peak_rss_mb"] = peak_rss_mb()
    result["ru_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


# --------------------------------------------------------------------------------------------
# the parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows-per-month", type=int, default=92_000)
    parser.add_argument("--seed", type=int, default=20220930)
    parser.add_argument("--child", choices=["baseline", "street", "borough", "both"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print("RESULT " + json.dumps(child(args)))
        return 0
    if not BOROUGH_HISTORY.is_dir():
        raise SystemExit(f"the real borough history {BOROUGH_HISTORY} is absent")

    tmp = Path(tempfile.mkdtemp(prefix="slp-bench-memory-"))
    rows_written = 0
    measured = {}
    try:
        start = time.perf_counter()
        rows_written = write_year(tmp / "street", rows_per_month=args.rows_per_month,
                                  seed=args.seed)
        size_mb = sum(p.stat().st_size for p in (tmp / "street").rglob("*.csv")) / 1024**2
        print(f"generated {rows_written:,} rows ({size_mb:.0f} MB) in "
              f"{time.perf_counter() - start:.1f} s", flush=True)
        for what in ("baseline", "street", "borough", "both"):
            result = subprocess.run([sys.executable, __file__, "--child", what, "--folder",
                                     str(tmp / "street")], cwd=ROOT, capture_output=True,
                                    text=True)
            if result.returncode:
                raise SystemExit(f"{what} failed:\n{result.stderr[-3000:]}")
            measured[what] = json.loads(result.stdout.split("RESULT ", 1)[1])
            print(f"{what}: peak {measured[what]['peak_rss_mb']:.0f} MB", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if measured["street"].get("street_rows_counted") != rows_written:
        raise SystemExit(f"read_street counted {measured['street'].get('street_rows_counted')} "
                         f"rows; {rows_written} were written")
    payload = {
        "rows_written": rows_written, "csv_mb": round(size_mb, 1), "seed": args.seed,
        "borough_history": str(BOROUGH_HISTORY.relative_to(SHARED.parent)),
        "lookup": LOOKUP.is_file(), "measured": measured, "target_mb": TARGET_MB,
        "met": all(m["peak_rss_mb"] <= TARGET_MB for m in measured.values()),
        "machine": machine(),
        "run_at": timestamp(),
    }
    return finish("memory", payload, markdown(payload))


def markdown(p: dict) -> str:
    m = p["measured"]
    rows = [
        ("Python + pandas, pyarrow, polars and slp's loaders (baseline)", "baseline"),
        (f"street-level year: {p['rows_written']:,} rows in 12 files ({p['csv_mb']:.0f} MB of "
         "CSV), `read_street` with the LSOA-ward lookup", "street"),
        (f"MPS borough history ({p['borough_history']}, "
         f"{m['borough']['borough_months'][0]} to {m['borough']['borough_months'][1]}), "
         "`read_borough_crime`", "borough"),
        ("both in one process, as an assessment loads them", "both"),
    ]
    lines = [
        "# memory",
        "",
        f"Peak resident memory (`VmHWM` from /proc, which starts afresh at exec; `ru_maxrss` "
        f"would also count the benchmark's own memory, inherited at fork) of a fresh child "
        f"process per row; "
        f"{describe(p['machine'])}. The street "
        f"files are generated with seed {p['seed']} in the data.police.uk layout, with "
        f"{'real London LSOA codes from the ONS lookup' if p['lookup'] else 'made-up LSOAs'}.",
        "",
        "| what is loaded | seconds | result frames MB | RSS after imports MB | "
        "RSS after loading MB | **peak RSS MB** |",
        "|---|---|---|---|---|---|",
    ]
    for label, key in rows:
        r = m[key]
        lines.append(f"| {label} | {r['seconds']:.1f} | {r['frames_mb']:.1f} | "
                     f"{r['rss_after_imports_mb']:.0f} | {r['rss_after_load_mb']:.0f} | "
                     f"**{r['peak_rss_mb']:.0f}** |")
    lines += ["", f"Target: well under 2 GB (at most {p['target_mb']} MB each). Met: {p['met']}.",
              ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
