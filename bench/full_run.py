"""Benchmark: where the time of a full assessment goes, against the floor.

Times, as a user runs it, ``slp run params/demo.yaml`` (every notebook executed by papermill,
every page rendered by nbconvert, ``--jobs`` default = the CPU cores) and, in the same
benchmark, the **floor**: the same notebooks cut down to their parameters cell and their import
lines (``from slp import assessment, sections``), executed and rendered by the same runner code
with the same number of kernels at once. Floor and full runs alternate (``--repeat`` pairs) and
the best of each is compared; the target is full <= 1.5 x floor.

The sequential, instrumented pass breaks the work down: kernel start (with papermill
and shutdown), imports, data loading (once in the runner, then reading the prepared assessment
in each notebook), computation, plotting (time inside ``slp.charts`` and ``slp.maps``), and
rendering, plus the runner's own work (its imports, the headline figures, the contents page).

It also checks that no kernel outlives a run.

Imports are most of the floor, and they are twice as slow when Python cannot use compiled
bytecode (a read-only or ``PYTHONDONTWRITEBYTECODE=1`` environment whose packages were installed
without ``--compile-bytecode``). ``--compiled DIR`` compiles the environment and slp into DIR
(``PYTHONPYCACHEPREFIX``, nothing in the environment is touched) and times one more floor/full
pair with it.

Run: ``.venv/bin/python bench/full_run.py`` (``--params params/demo.yaml --repeat 2 --jobs N
--compiled /tmp/slp-pycache``).
Writes ``bench/results/full_run.md`` and ``bench/results/full_run.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _results
from _results import ROOT, describe, finish, load_average, timestamp

sys.path.insert(0, str(ROOT / "lib"))
TARGET = 1.5
_IMPORT_LINE = re.compile(r"^\s*(from\s+\S+\s+)?import\s")


# --------------------------------------------------------------------------------------------
# the machine


def machine() -> dict:
    """The machine (:func:`_results.machine`) and whether libraries' bytecode is compiled."""
    import pandas

    pandas_dir = Path(pandas.__file__).parent
    return _results.machine(
        bytecode_cached=any(pandas_dir.glob("__pycache__/*.pyc")),
        PYTHONDONTWRITEBYTECODE=os.environ.get("PYTHONDONTWRITEBYTECODE"),
        PYTHONPYCACHEPREFIX=os.environ.get("PYTHONPYCACHEPREFIX"),
    )


# --------------------------------------------------------------------------------------------
# floor notebooks


def make_floor(sections, folder: Path, modules: dict[str, list[str]] | None = None):
    """Copies of the notebooks that keep the parameters cell, the words, and only the import
    lines of the code cells: what every notebook pays before it does any work.

    With ``modules`` (notebook file name -> modules the full notebook imported after its
    import lines, as found by the instrumented pass), the copy imports those too, so that it
    imports exactly what the full notebook does (slp imports statsmodels, esda and libpysal
    only in the sections that use them)."""
    import nbformat

    from slp.execution import Section

    folder.mkdir(parents=True, exist_ok=True)
    floor = []
    for section in sections:
        nb = nbformat.read(section.path, as_version=4)
        later = list((modules or {}).get(section.path.name, []))
        cells = []
        for cell in nb.cells:
            if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
                cells.append(cell)
                continue
            imports = [line for line in cell.source.splitlines() if _IMPORT_LINE.match(line)]
            if imports:
                cell.source = "\n".join(imports)
                cells.append(cell)
                if later:  # after the first import cell only
                    cells.append(nbformat.v4.new_code_cell(_IMPORT_ALL.format(modules=later)))
                    later = []
        nb.cells = cells
        path = folder / section.path.name
        nbformat.write(nb, path)
        floor.append(Section(path, section.title))
    return floor


_IMPORT_ALL = """import importlib as _il, sys as _sys
for _name in {modules!r}:
    if _name not in _sys.modules:
        try:
            _il.import_module(_name)
        except Exception:
            pass
"""

# Modules of the kernel itself (display machinery and the like), not libraries the notebook uses.
_KERNEL_PACKAGES = ("IPython", "ipykernel", "jupyter_client", "jupyter_core", "zmq", "tornado",
                    "traitlets", "comm", "matplotlib_inline", "debugpy", "_pydevd", "pydevd",
                    "papermill", "nbformat", "__main__")


def _library_modules(names: list[str]) -> list[str]:
    return [n for n in names if n.split(".")[0] not in _KERNEL_PACKAGES]


def child_floor(args) -> dict:
    """Execute and render the floor notebooks exactly as ``slp.report.run_period`` does."""
    start = time.perf_counter()
    from slp import execution, pages
    from slp import params as params_mod

    params = params_mod.load(args.params)
    sections = execution.discover_sections(Path(args.folder))
    executed = Path(args.folder) / "executed"
    executed.mkdir(exist_ok=True)
    parameters = {"params_file": str(params_mod.save(params, executed / "params.yaml"))}

    def render(i, section, nb_path):
        page = pages.page_context(params, sections, i, provenance="", demo=True,
                                  title=section.title)
        (executed / section.html_name).write_text(pages.render_html(nb_path, page))

    execution.execute_all(sections, executed, parameters, lambda m: None,
                          jobs=args.jobs or execution.default_jobs(len(sections)), then=render)
    return {"seconds": time.perf_counter() - start}


# --------------------------------------------------------------------------------------------
# the instrumented, sequential breakdown

_TIMER_CELL = '''
import functools as _ft, time as _t, sys as _sys, json as _json
_modules_before = set(_sys.modules)
from slp import charts as _charts, maps as _maps
_bench = {"plot": 0.0, "depth": 0}
def _timed(fn):
    @_ft.wraps(fn)
    def wrapper(*a, **k):
        _bench["depth"] += 1
        start = _t.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            _bench["depth"] -= 1
            if _bench["depth"] == 0:
                _bench["plot"] += _t.perf_counter() - start
    return wrapper
for _module in (_charts, _maps):
    for _name, _fn in list(vars(_module).items()):
        if callable(_fn) and getattr(_fn, "__module__", None) == _module.__name__ \\
                and not isinstance(_fn, type):
            setattr(_module, _name, _timed(_fn))
'''


def _instrument(section, folder: Path):
    """A copy whose import cell is split (imports | loading), with a timer around every
    function of slp.charts and slp.maps, and a last cell that prints the plotting time."""
    import nbformat

    from slp.execution import Section

    nb = nbformat.read(section.path, as_version=4)
    cells = []
    kinds = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            cells.append(cell)
            kinds.append(None)
            continue
        if "parameters" in cell.metadata.get("tags", []):
            cells.append(cell)
            kinds.append("parameters")
            continue
        lines = cell.source.splitlines()
        imports = [line for line in lines if _IMPORT_LINE.match(line)]
        rest = [line for line in lines if not _IMPORT_LINE.match(line)]
        if imports:
            cells.append(nbformat.v4.new_code_cell("\n".join(imports)))
            kinds.append("imports")
            cells.append(nbformat.v4.new_code_cell(_TIMER_CELL))
            kinds.append("timer")
            if "".join(rest).strip():
                cells.append(nbformat.v4.new_code_cell("\n".join(rest)))
                kinds.append("loading")
        else:
            cells.append(cell)
            kinds.append("section")
    cells.append(nbformat.v4.new_code_cell(
        'print("BENCH", _bench["plot"])\n'
        'print("MODULES " + _json.dumps([m for m in list(_sys.modules) '
        'if m not in _modules_before]))'))
    kinds.append("report")
    nb.cells = cells
    nb.metadata.setdefault("slp_bench", {})["kinds"] = kinds
    path = folder / section.path.name
    nbformat.write(nb, path)
    return Section(path, section.title), kinds


def child_breakdown(args) -> dict:
    """One notebook at a time, each part timed (seconds of work, not wall clock in parallel)."""
    t0 = time.perf_counter()
    from slp import assessment, execution, figures, pages
    from slp import params as params_mod
    from slp import prepared as prepared_mod
    from slp import provenance as provenance_mod

    runner = {"imports": time.perf_counter() - t0}
    params = params_mod.load(args.params)
    sections = execution.discover_sections()
    folder = Path(args.folder)
    t = time.perf_counter()
    data = assessment.load(params)
    runner["loading"] = time.perf_counter() - t
    t = time.perf_counter()
    numbers = figures.compute(data)
    manifest = provenance_mod.manifest(data, sections, run_at=dt.datetime.now(dt.UTC))
    runner["figures_and_manifest"] = time.perf_counter() - t
    t = time.perf_counter()
    params_file = params_mod.save(params, folder / "params.yaml")
    prepared = prepared_mod.save(data, folder / "assessment.pickle", params_file=params_file)
    runner["saving_prepared"] = time.perf_counter() - t
    provenance = provenance_mod.provenance_html(manifest)
    t = time.perf_counter()
    page = pages.page_context(params, sections, None, provenance=provenance, demo=data.is_demo,
                              title="Contents")
    pages.period_index(data, numbers, sections, page)
    runner["contents_page"] = time.perf_counter() - t

    notebooks = []
    for i, section in enumerate(sections):
        instrumented, kinds = _instrument(section, folder / "instrumented")
        out = folder / section.path.name
        start = time.perf_counter()
        execution.execute_notebook(instrumented, out, {"params_file": str(params_file),
                                                       "prepared": str(prepared)})
        total = time.perf_counter() - start
        import nbformat

        nb = nbformat.read(out, as_version=4)
        # papermill inserts its parameters cell after ours: align by dropping it
        cells = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]
        parts = {"imports": 0.0, "loading": 0.0, "sections": 0.0, "plotting": 0.0,
                 "instrumentation": 0.0}
        cell_total = 0.0
        modules: list[str] = []
        for cell, kind in zip(cells, kinds, strict=True):
            if cell.cell_type != "code":
                continue
            seconds = cell.metadata.get("papermill", {}).get("duration") or 0.0
            cell_total += seconds
            if kind in ("imports", "loading"):
                parts[kind] += seconds
            elif kind == "section":
                parts["sections"] += seconds
            elif kind in ("timer", "report"):
                parts["instrumentation"] += seconds
            if kind == "report":
                for output in cell.outputs:
                    match = re.search(r"BENCH ([0-9.eE+-]+)", output.get("text", ""))
                    if match:
                        parts["plotting"] = float(match.group(1))
                    match = re.search(r"MODULES (\[.*\])", output.get("text", ""))
                    if match:
                        modules = _library_modules(json.loads(match.group(1)))
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        cell_total += sum(c.metadata.get("papermill", {}).get("duration") or 0.0
                          for c in injected)
        t = time.perf_counter()
        page = pages.page_context(params, sections, i, provenance=provenance,
                                  demo=data.is_demo, title=section.title)
        pages.render_html(out, page)
        render = time.perf_counter() - t
        notebooks.append({
            "notebook": section.path.name,
            "kernel_start_papermill_shutdown": total - cell_total,
            "imports": parts["imports"],
            "loading": parts["loading"],
            "computation": parts["sections"] - parts["plotting"],
            "plotting": parts["plotting"],
            "rendering": render,
            "executed_total": total,
            "modules_imported_later": modules,
        })
    return {"runner": runner, "notebooks": notebooks}


# --------------------------------------------------------------------------------------------
# the parent


def _timed_child(cmd: list[str], env=None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    return time.perf_counter() - start, result


def _floor(args, folder: Path, jobs: int, env=None) -> float:
    shutil.rmtree(folder / "executed", ignore_errors=True)
    seconds, result = _timed_child([sys.executable, __file__, "--child", "floor", "--params",
                                    args.params, "--folder", str(folder), "--jobs", str(jobs)],
                                   env=env)
    if result.returncode:
        raise SystemExit(f"floor run failed:\n{result.stderr[-3000:]}")
    return seconds


def _pair(args, tmp: Path, floors: dict[str, Path], jobs: int, name: str, env=None
          ) -> tuple[dict[str, float], float, list[int]]:
    """Each floor then one full run; returns their seconds and any kernels left behind."""
    floor = {kind: _floor(args, folder, jobs, env) for kind, folder in floors.items()}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "slp.cli", "run", args.params, "--reports",
                             str(tmp / f"reports-{name}"), "--jobs", str(jobs)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    _, err = proc.communicate()
    full = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"full run failed ({proc.returncode}):\n{err[-3000:]}")
    time.sleep(1.5)  # kernels of a dead parent stop within a second; ours must be gone already
    print(f"{name}: " + ", ".join(f"floor ({k}) {v:.1f} s" for k, v in floor.items())
          + f", full {full:.1f} s", flush=True)
    return floor, full, _kernels_left(proc.pid)


def _compile(folder: Path) -> dict:
    """Compile site-packages and slp into ``folder`` (a PYTHONPYCACHEPREFIX)."""
    import sysconfig

    env = os.environ | {"PYTHONPYCACHEPREFIX": str(folder)}
    start = time.perf_counter()
    for tree in (sysconfig.get_paths()["purelib"], str(ROOT / "lib")):
        subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", tree], env=env,
                       capture_output=True)
    return env | {"_seconds": f"{time.perf_counter() - start:.0f}"}


def _kernels_left(pid: int) -> list[int]:
    from slp.kernels import find_kernels

    return [p for p in find_kernels() if _owner_of(p).startswith(f"slp-{pid}-")]


def _owner_of(pid: int) -> str:
    import psutil

    from slp.kernels import OWNER_VARIABLE

    try:
        return psutil.Process(pid).environ().get(OWNER_VARIABLE, "")
    except psutil.Error:
        return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--params", default="params/demo.yaml")
    parser.add_argument("--repeat", type=int, default=2, help="floor/full pairs (default 2)")
    parser.add_argument("--jobs", type=int, default=0,
                        help="notebooks at once (default: slp run's default, the CPU cores)")
    parser.add_argument("--compiled", metavar="DIR",
                        help="also time a floor/full pair with bytecode compiled into DIR")
    parser.add_argument("--child", choices=["floor", "breakdown"], help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        result = child_floor(args) if args.child == "floor" else child_breakdown(args)
        print("RESULT " + json.dumps(result))
        return 0

    from slp import execution

    sections = execution.discover_sections()
    jobs = args.jobs or execution.default_jobs(len(sections))
    info = machine()
    print(f"{len(sections)} notebooks, {jobs} at a time; {info['cores']} cores, "
          f"{info['memory_gb']} GB; load {info['load_average']}", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="slp-bench-full-"))
    floors: dict[str, list[float]] = {"libraries": [], "import lines": []}
    fulls, left = [], []
    try:
        # one untimed full run first: fills the data cache, so every timed run is warm
        subprocess.run([sys.executable, "-m", "slp.cli", "run", args.params, "--reports",
                        str(tmp / "warm"), "--jobs", str(jobs)], cwd=ROOT, capture_output=True)
        # the instrumented pass: where the time goes, and which libraries each notebook imports
        folder = tmp / "breakdown"
        (folder / "instrumented").mkdir(parents=True)
        _, result = _timed_child([sys.executable, __file__, "--child", "breakdown",
                                  "--params", args.params, "--folder", str(folder)])
        if result.returncode:
            raise SystemExit(f"breakdown failed:\n{result.stderr[-3000:]}")
        breakdown = json.loads(result.stdout.split("RESULT ", 1)[1])
        modules = {n["notebook"]: n["modules_imported_later"] for n in breakdown["notebooks"]}
        floor_dirs = {"libraries": tmp / "floor-libraries", "import lines": tmp / "floor-lines"}
        make_floor(sections, floor_dirs["libraries"], modules)
        make_floor(sections, floor_dirs["import lines"])
        for i in range(args.repeat):
            floor, full, kernels = _pair(args, tmp, floor_dirs, jobs, f"pair {i + 1}")
            for kind, seconds in floor.items():
                floors[kind].append(seconds)
            fulls.append(full)
            left += kernels
        compiled = None
        if args.compiled:
            env = _compile(Path(args.compiled))
            env.pop("_seconds")
            subprocess.run([sys.executable, "-m", "slp.cli", "run", args.params, "--reports",
                            str(tmp / "warm-compiled"), "--jobs", str(jobs)], cwd=ROOT,
                           capture_output=True, env=env)
            floor, full, kernels = _pair(args, tmp, floor_dirs, jobs, "compiled", env=env)
            compiled = {"floor_seconds": floor["libraries"], "full_seconds": full,
                        "ratio": full / floor["libraries"],
                        "ratio_import_lines": full / floor["import lines"]}
            left += kernels
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    info["load_average_after"] = load_average()
    ratio = min(fulls) / min(floors["libraries"])
    payload = {
        "params": args.params, "notebooks": len(sections), "jobs": jobs, "machine": info,
        "floor_seconds": floors["libraries"], "floor_import_lines_seconds": floors["import lines"],
        "full_seconds": fulls, "ratio_best": ratio,
        "ratio_median_pairs": sorted(f / fl for f, fl in zip(fulls, floors["libraries"],
                                                               strict=True))[len(fulls) // 2],
        "ratio_best_import_lines": min(fulls) / min(floors["import lines"]),
        "target": TARGET, "met": ratio <= TARGET, "kernels_left_behind": left,
        "breakdown": breakdown,
        "compiled_bytecode": compiled,
        "run_at": timestamp(),
    }
    code = finish("full_run", payload, markdown(payload))
    return 1 if left else code


def markdown(p: dict) -> str:
    m = p["machine"]
    lines = [
        "# full_run",
        "",
        f"`slp run {p['params']}`: {p['notebooks']} notebooks executed {p['jobs']} at a time and "
        f"rendered, against the floor: the same notebooks cut to their parameters cell and "
        f"their imports, executed and rendered the same way. The floor imports the same "
        f"libraries as the full notebook: its own import lines plus every module the full "
        f"notebook imported later (slp imports statsmodels, esda and libpysal only in the "
        f"sections that use them; the instrumented pass below records them). The floor of "
        f"the import lines alone is timed too, for comparison. Machine: {describe(m)}. "
        f"Library bytecode cached: {m['bytecode_cached']} "
        f"(PYTHONDONTWRITEBYTECODE={m['PYTHONDONTWRITEBYTECODE']}).",
        "",
        "| run | seconds (each repeat) | best |",
        "|---|---|---|",
        f"| floor (same libraries) | {', '.join(f'{s:.1f}' for s in p['floor_seconds'])} | "
        f"{min(p['floor_seconds']):.1f} |",
        f"| floor (import lines only) | "
        f"{', '.join(f'{s:.1f}' for s in p['floor_import_lines_seconds'])} | "
        f"{min(p['floor_import_lines_seconds']):.1f} |",
        f"| full assessment | {', '.join(f'{s:.1f}' for s in p['full_seconds'])} | "
        f"{min(p['full_seconds']):.1f} |",
        "",
        f"**full / floor = {p['ratio_best']:.2f}** (best of each; median of the pairs "
        f"{p['ratio_median_pairs']:.2f}). Target: at most {p['target']}. Met: {p['met']}. "
        f"Against the import-lines floor: {p['ratio_best_import_lines']:.2f}. "
        f"Kernels left behind after the runs: {len(p['kernels_left_behind'])}.",
    ]
    c = p.get("compiled_bytecode")
    if c:
        lines += [
            "",
            f"With compiled bytecode for every library (`PYTHONPYCACHEPREFIX`, as "
            f"`uv sync --compile-bytecode` would give): floor {c['floor_seconds']:.1f} s, full "
            f"{c['full_seconds']:.1f} s, **full / floor = {c['ratio']:.2f}** (against the "
            f"import-lines floor {c['ratio_import_lines']:.2f}). Imports get cheaper, which "
            f"shrinks the floor more than the full run.",
        ]
    b = p.get("breakdown")
    if b:
        keys = ["kernel_start_papermill_shutdown", "imports", "loading", "computation",
                "plotting", "rendering"]
        heads = ["kernel start + papermill", "imports", "loading (prepared)", "computation",
                 "plotting", "rendering"]
        lines += [
            "",
            "## Where the time goes",
            "",
            "One notebook at a time, instrumented (seconds of work; with several kernels at "
            "once the wall clock is shorter). Plotting is the time spent inside `slp.charts` "
            "and `slp.maps`; computation is the rest of the section cells.",
            "",
            "| notebook | " + " | ".join(heads) + " | total |",
            "|---|" + "---|" * (len(keys) + 1),
        ]
        totals = dict.fromkeys(keys, 0.0)
        for n in b["notebooks"]:
            for k in keys:
                totals[k] += n[k]
            lines.append(f"| {n['notebook']} | " + " | ".join(f"{n[k]:.2f}" for k in keys)
                         + f" | {sum(n[k] for k in keys):.2f} |")
        lines.append("| **all notebooks** | " + " | ".join(f"**{totals[k]:.2f}**" for k in keys)
                     + f" | **{sum(totals.values()):.2f}** |")
        r = b["runner"]
        later = {n["notebook"]: sorted({m.split(".")[0] for m in n["modules_imported_later"]})
                 for n in b["notebooks"]}
        lines += [
            "",
            "Libraries each notebook imported after its import lines (the floor imports them "
            "too): " + "; ".join(f"{k}: {', '.join(v) or 'none'}" for k, v in later.items())
            + ".",
        ]
        lines += [
            "",
            "The runner's own work, once per run: "
            + ", ".join(f"{k.replace('_', ' ')} {v:.2f} s" for k, v in r.items()) + ".",
        ]
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
