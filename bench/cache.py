"""Benchmark: loading sources through the Parquet cache, cold (parse + store) then warm (read).

Uses the real files in ``../shared/data`` when present (MPS borough and ward crime, ONS
population, police.uk street files, LSOA boundaries); otherwise generates a borough file and a
year of street files. Each loader is run once outside the cache first, so both timings see the
same warm OS file cache and imported code; then it is timed through an empty cache folder
(cold) and again (warm), three times, keeping the best of each. Results:
``bench/results/cache.md`` and ``.json``.

Target: warm at least 10x faster than cold (over all the sources together).

Run: ``.venv/bin/python bench/cache.py``
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _results import ROOT, describe, finish, machine, timestamp

sys.path.insert(0, str(ROOT / "lib"))

from slp.boroughs import LONDON_BOROUGHS  # noqa: E402
from slp.cache import cached  # noqa: E402
from slp.sources.borough import read_borough_crime  # noqa: E402
from slp.sources.boundaries import read_boundaries  # noqa: E402
from slp.sources.population import read_population  # noqa: E402
from slp.sources.street import read_street  # noqa: E402
from slp.sources.ward import read_ward_crime  # noqa: E402

REPEAT = 3  # best of 3 for both cold and warm: the same statistic on a shared machine
SHARED = ROOT.parent / "shared" / "data"


def real_inputs() -> list[tuple[str, object, Path]]:
    return [
        (
            "borough crime (vintage-2023-08)",
            read_borough_crime,
            SHARED / "mps-borough" / "vintage-2023-08",
        ),
        ("ward crime (vintage-2023-09)", read_ward_crime, SHARED / "mps-ward" / "vintage-2023-09"),
        (
            "population (ONS mid-2020)",
            read_population,
            SHARED / "population" / "ons-mid2020-lsoa11-london.csv",
        ),
        (
            "police.uk street (26 months)",
            read_street,
            SHARED / "police-uk" / "metropolitan-burglary-only",
        ),
        (
            "LSOA boundaries (4,994)",
            read_boundaries,
            SHARED / "boundaries" / "london-lsoa-2021" / "london-2021-lsoa-gen20.shp",
        ),
    ]


def generated_inputs(folder: Path) -> list[tuple[str, object, Path]]:
    from street_ingest import make_lsoas, write_month

    rng = np.random.default_rng(7)
    months = pd.period_range("2010-04", "2023-07", freq="M")
    cats = [("Theft", f"Theft {i}") for i in range(20)] + [
        ("Burglary", f"Burglary {i}") for i in range(10)
    ]
    rows = []
    for borough in [*LONDON_BOROUGHS, "London Heathrow and London City Airports"]:
        for major, minor in cats:
            rows.append([major, minor, borough, *rng.poisson(40, len(months))])
    header = ["MajorText", "MinorText", "LookUp_BoroughName", *months.strftime("%Y%m")]
    borough_file = folder / "MPS Borough Level Crime (Historical).csv"
    pd.DataFrame(rows, columns=header).to_csv(borough_file, index=False)
    street = folder / "street"
    street.mkdir()
    codes, names = make_lsoas(rng)
    for month in pd.period_range("2021-10", periods=12, freq="M"):
        write_month(street, str(month), 90_000, rng, codes, names)
    return [
        ("borough crime (generated)", read_borough_crime, borough_file),
        ("police.uk street (generated, 12 x 90,000 rows)", read_street, street),
    ]


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="slp-bench-cache-") as tmp:
        tmp = Path(tmp)
        inputs = real_inputs() if SHARED.is_dir() else generated_inputs(tmp)
        kind = "real files from ../shared/data" if SHARED.is_dir() else "generated files"
        rows = []
        for label, loader, path in inputs:
            loader(path)  # warm the OS file cache and code paths for both timings
            colds, warms = [], []
            for run in range(REPEAT):
                cache_dir = tmp / f"cache-{label[:8]}-{run}"  # empty: a cold start each run
                start = time.perf_counter()
                cached(loader, path, cache_dir=cache_dir)
                colds.append(time.perf_counter() - start)
                start = time.perf_counter()
                cached(loader, path, cache_dir=cache_dir)
                warms.append(time.perf_counter() - start)
            cold, warm = min(colds), min(warms)
            rows.append(
                {
                    "source": label,
                    "cold_seconds": round(cold, 4),
                    "warm_seconds": round(warm, 4),
                    "speedup": round(cold / warm, 1),
                }
            )
            print(f"{label:48s} cold {cold:6.3f} s   warm {warm:6.3f} s   {cold / warm:5.1f}x")
    cold_total = sum(r["cold_seconds"] for r in rows)
    warm_total = sum(r["warm_seconds"] for r in rows)
    ratio = cold_total / warm_total
    ok = ratio >= 10
    print(
        f"{'all sources':48s} cold {cold_total:6.3f} s   warm {warm_total:6.3f} s   "
        f"{ratio:5.1f}x (target 10x)"
    )
    result = {
        "benchmark": "cache",
        "inputs": kind,
        "sources": rows,
        "cold_seconds": round(cold_total, 3),
        "warm_seconds": round(warm_total, 3),
        "speedup": round(ratio, 1),
        "target": 10,
        "met": ok,
        "machine": machine(pandas=pd.__version__),
        "run_at": timestamp(),
    }
    table = "\n".join(
        f"| {r['source']} | {r['cold_seconds']:.3f} | {r['warm_seconds']:.3f} | {r['speedup']}x |"
        for r in rows
    )
    markdown = (
        f"# cache\n\nLoading {kind} through the Parquet cache, cold (parse + store) then warm "
        f"(hash inputs + read Parquet), best of {REPEAT} each; {describe(result['machine'])}.\n\n"
        "| source | cold s | warm s | speedup |\n|---|---|---|---|\n"
        f"{table}\n| **all sources** | {cold_total:.3f} | {warm_total:.3f} | **{ratio:.1f}x** |\n\n"
        f"Target: warm at least 10x faster. Met: {ok}.\n"
    )
    return finish("cache", result, markdown, echo=False)


if __name__ == "__main__":
    raise SystemExit(main())
