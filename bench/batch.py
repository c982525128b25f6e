"""Benchmark: a batch of boroughs in parallel against the same runs one after another.

For ``--boroughs`` demo boroughs (default 4, the demo borough first), times

1. each borough alone, ``slp run params/demo.yaml --boroughs X --jobs 1`` (one notebook at a
   time: the work of one run on one core), and their sum;
2. the same boroughs as one batch, ``slp run params/demo.yaml --boroughs A,B,... --jobs N``
   (N = the CPU cores);

parallel efficiency = sum of single runs / (N x batch time); target at least 80%.

Then, for memory, a larger batch (``--memory-batch``, default 8 boroughs, ``--jobs N``) through
the same executor the command uses (``slp.batch.run_local``), recording each worker process's
resident memory after every run it did and the peak of its largest kernel: memory per worker
should stay flat as the batch grows.

Run: ``.venv/bin/python bench/batch.py`` (``--boroughs 4 --memory-batch 8 --jobs 2``).
Writes ``bench/results/batch.md`` and ``bench/results/batch.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _results import ROOT, describe, finish, load_average, machine, timestamp

sys.path.insert(0, str(ROOT / "lib"))
TARGET = 0.80
PARAMS = "params/demo.yaml"


def boroughs(n: int) -> list[str]:
    """The demo borough, then other demo boroughs in alphabetical order."""
    from slp.boroughs import DEMO_BOROUGH, DEMO_BOROUGHS

    return [DEMO_BOROUGH] + [b for b in DEMO_BOROUGHS if b != DEMO_BOROUGH][: n - 1]


def slp_run(reports: Path, names: list[str], jobs: int) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "slp.cli", "run", PARAMS, "--boroughs",
                             ",".join(names), "--jobs", str(jobs), "--reports", str(reports)],
                            cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(f"slp run {names} failed ({result.returncode}):\n"
                         f"{result.stderr[-3000:]}")
    return seconds


def child_memory(args) -> dict:
    """A batch through slp.batch.run_local; every outcome, in the order the runs finished."""
    from slp import batch
    from slp import params as params_mod

    runs = batch.for_boroughs(params_mod.load(PARAMS), ",".join(boroughs(args.memory_batch)))
    finished = []

    def on_event(i, kind, text):
        if kind == "done":
            finished.append(i)

    start = time.perf_counter()
    outcomes = batch.run_local(runs, args.folder, jobs=args.jobs, on_event=on_event)
    return {"seconds": time.perf_counter() - start,
            "outcomes": [dataclasses.asdict(outcomes[i]) for i in finished]}


def main() -> int:
    from slp.execution import default_jobs

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--boroughs", type=int, default=4, help="boroughs timed (default 4)")
    parser.add_argument("--memory-batch", type=int, default=8,
                        help="boroughs in the memory batch (default 8; 0 to skip)")
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print("RESULT " + json.dumps(child_memory(args), default=str))
        return 0

    names = boroughs(args.boroughs)
    load_before = load_average()
    tmp = Path(tempfile.mkdtemp(prefix="slp-bench-batch-"))
    try:
        slp_run(tmp / "warm", names[:1], args.jobs)  # fills the data cache: every run is warm
        singles = {}
        for name in names:
            singles[name] = slp_run(tmp / f"single-{name}", [name], 1)
            print(f"{name} alone, one notebook at a time: {singles[name]:.1f} s", flush=True)
        batch_seconds = slp_run(tmp / "batch", names, args.jobs)
        print(f"batch of {len(names)}, --jobs {args.jobs}: {batch_seconds:.1f} s", flush=True)
        memory = None
        if args.memory_batch:
            result = subprocess.run([sys.executable, __file__, "--child", "--folder",
                                     str(tmp / "memory"), "--jobs", str(args.jobs),
                                     "--memory-batch", str(args.memory_batch)],
                                    cwd=ROOT, capture_output=True, text=True)
            if result.returncode:
                raise SystemExit(f"memory batch failed:\n{result.stderr[-3000:]}")
            memory = json.loads(result.stdout.split("RESULT ", 1)[1])
            failed = [o["label"] for o in memory["outcomes"] if not o["ok"]]
            if failed:
                raise SystemExit(f"memory batch: runs failed: {failed}")
            print(f"memory batch of {args.memory_batch}: {memory['seconds']:.1f} s", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    total = sum(singles.values())
    efficiency = total / (args.jobs * batch_seconds)
    payload = {
        "params": PARAMS, "boroughs": names, "jobs": args.jobs, "single_seconds": singles,
        "sum_single_seconds": total, "batch_seconds": batch_seconds, "efficiency": efficiency,
        "target": TARGET, "met": efficiency >= TARGET, "memory_batch": memory,
        "machine": machine(load_average_before=load_before, load_average_after=load_average()),
        "run_at": timestamp(),
    }
    return finish("batch", payload, markdown(payload))


def markdown(p: dict) -> str:
    """The Markdown record: single runs, the batch, its efficiency and workers' memory."""
    lines = [
        "# batch",
        "",
        f"The demo assessment (all notebooks) for {len(p['boroughs'])} demo boroughs; "
        f"{describe(p['machine'])}.",
        "",
        "| run | seconds |",
        "|---|---|",
    ]
    lines += [f"| {name} alone (`--jobs 1`) | {s:.1f} |" for name, s in p["single_seconds"].items()]
    lines += [
        f"| **sum of single runs** | **{p['sum_single_seconds']:.1f}** |",
        f"| all {len(p['boroughs'])} as one batch (`--jobs {p['jobs']}`) | "
        f"**{p['batch_seconds']:.1f}** |",
        "",
        f"Parallel efficiency = {p['sum_single_seconds']:.1f} / ({p['jobs']} x "
        f"{p['batch_seconds']:.1f}) = **{p['efficiency']:.0%}**. Target: at least "
        f"{p['target']:.0%}. Met: {p['met']}.",
    ]
    memory = p.get("memory_batch")
    if memory:
        lines += [
            "",
            f"## Memory per worker as the batch grows ({len(memory['outcomes'])} boroughs, "
            f"{memory['seconds']:.0f} s)",
            "",
            "Each row is one run, in the order the runs finished; a worker process runs one "
            "borough after another. RSS after the run is the worker's resident memory once the "
            "run is over (what it carries into its next run); the peaks are the largest so far "
            "of the worker itself and of the biggest kernel it started.",
            "",
            "| run | worker | run # on this worker | seconds | worker RSS after MB | "
            "worker peak MB | largest kernel peak MB |",
            "|---|---|---|---|---|---|---|",
        ]
        count: dict[str, int] = {}
        for o in memory["outcomes"]:
            count[o["worker"]] = count.get(o["worker"], 0) + 1
            lines.append(f"| {o['label']} | {o['worker'].split(':')[-1]} | "
                         f"{count[o['worker']]} | {o['seconds']:.0f} | {o['worker_rss_mb']:.0f} | "
                         f"{o['worker_peak_mb']:.0f} | {o['kernel_peak_mb']:.0f} |")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
