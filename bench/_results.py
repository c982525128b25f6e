"""What every benchmark does at the end: describe the machine, write its results, give a verdict.

Each script builds a JSON payload (its own measurements, ``"met"``, :func:`machine` and
:func:`timestamp`) and a Markdown summary, then returns :func:`finish`'s exit code. Results go
to ``bench/results/<name>.json`` and ``.md``, or to ``$SLP_BENCH_RESULTS`` when set (for a
quick try-out that should not replace the recorded results).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(os.environ.get("SLP_BENCH_RESULTS") or ROOT / "bench" / "results")


def load_average() -> list[float]:
    """The 1, 5 and 15-minute load averages: the machine is shared, timings move with them."""
    return [round(x, 2) for x in os.getloadavg()]


def total_memory_gb() -> float | None:
    """Total memory of the machine in GB (from /proc/meminfo), or None when unknown."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return None


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def machine(**extra) -> dict:
    """Cores this process may use, memory, CPU model, Python, platform and load, plus ``extra``."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count()
    return {
        "cores": cores,
        "memory_gb": total_memory_gb(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": load_average(),
        **extra,
    }


def timestamp() -> str:
    """Now, in UTC, to the second (ISO 8601)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def finish(name: str, payload: dict, markdown: str, *, echo: bool = True) -> int:
    """Write ``<name>.json`` and ``<name>.md``; return 0 when ``payload["met"]``, else 1."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(payload, indent=2, default=str) + "\n")
    (RESULTS / f"{name}.md").write_text(markdown)
    if echo:
        print(markdown)
    return 0 if payload["met"] else 1


def describe(machine: dict) -> str:
    """One sentence on the machine for a results page, e.g. ``2 cores (...), 8.0 GB, ...``."""
    before = machine.get("load_average_before", machine["load_average"])
    after = machine.get("load_average_after")
    load = f"{before} before, {after} after" if after else f"{before}"
    return (
        f"{machine['cores']} cores ({machine['cpu']}), {machine['memory_gb']} GB, Python "
        f"{machine['python']}; load average {load} (the machine is shared)"
    )
