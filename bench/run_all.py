"""Run every benchmark in bench/ one after another (what `make bench` does).

Each script writes its own results to bench/results/<name>.md and .json and prints its ratios;
this runner only sequences them (never in parallel: they measure the machine) and reports which
targets held.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["street_ingest", "cache", "memory", "full_run", "batch"]


def main() -> int:
    failed = []
    for name in ORDER:
        script = HERE / f"{name}.py"
        if not script.is_file():
            continue
        print(f"== {name}", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        print(f"== {name}: exit {code} after {time.perf_counter() - start:.0f} s", flush=True)
        if code != 0:
            failed.append(name)
    print("results in", HERE / "results")
    if failed:
        print("benchmarks that failed or missed a target:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
