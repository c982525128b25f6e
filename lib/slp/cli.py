"""The ``slp`` command: ``slp demo``, ``slp run``, ``slp pdf``, ``slp figures`` and ``slp cache``.

User errors print one line (no traceback) and exit 2; a failed notebook exits 3. A batch
(several parameters files, or ``--boroughs``) runs everything it can, prints a summary, and
exits with the largest code of its failed runs (3 over 2 over 1, e.g. a lost worker).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path

from slp.errors import SlpError

EXIT_OK, EXIT_USER_ERROR, EXIT_NOTEBOOK_FAILED = 0, 2, 3


def _console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def cmd_demo(args: argparse.Namespace) -> int:
    from slp import demo
    from slp.params import project_root

    out = Path(args.out) if args.out else project_root() / "data" / "raw" / "demo"
    console = _console()
    with console.status(f"Generating the synthetic demo borough into {out} ..."):
        demo.write_demo(out, seed=args.seed)
    print(out)
    return EXIT_OK


def _select_notebooks(spec: str | None):
    """The notebooks named by ``--notebooks`` (all when not given), in report order."""
    from slp.errors import ParamsError
    from slp.execution import discover_sections

    sections = discover_sections()
    if not spec:
        return sections
    wanted = [w.strip() for w in spec.split(",") if w.strip()]
    chosen = []
    for name in wanted:
        stem = name.removesuffix(".ipynb").removesuffix(".py")
        match = [s for s in sections if s.stem == stem or s.stem.split("-", 1)[0] == stem]
        if not match:
            raise ParamsError(f"--notebooks: '{name}' is not a notebook of this project; "
                              f"expected names or numbers from {', '.join(s.stem for s in sections)}")
        chosen += [s for s in match if s not in chosen]
    return [s for s in sections if s in chosen]


def cmd_run(args: argparse.Namespace) -> int:
    from slp import params as params_mod
    from slp import report
    from slp.errors import ParamsError
    from slp.params import project_root

    runs = [params_mod.load(p) for p in args.params]  # validate every file before running any
    if args.boroughs and args.areas:
        raise ParamsError("--areas: given with --boroughs; expected one of the two")
    if args.boroughs or args.areas:
        from slp import batch

        expand = batch.for_areas if args.areas else batch.for_boroughs
        runs = [one for run in runs for one in expand(run, args.areas or args.boroughs)]
    if args.scheduler and args.executor != "dask":
        raise ParamsError("--scheduler: only used with --executor dask")
    if args.executor == "dask" and not args.scheduler:
        raise ParamsError("--executor dask: missing --scheduler; expected the address of a "
                          "running Dask scheduler, e.g. tcp://10.0.0.5:8786")
    if args.jobs is not None and args.jobs < 1:
        raise ParamsError(f"--jobs: {args.jobs} is not a number of jobs; expected 1 or more")
    sections = _select_notebooks(args.notebooks)
    reports = Path(args.reports) if args.reports else project_root() / "reports"
    for run in runs:  # before any notebook runs, not after
        report.check_reports_folder(reports, run)
    args.progress = args.progress or sys.stderr.isatty()
    pdf_since = _pdf_check(args)
    if len(runs) == 1 and args.executor == "local":
        code = _run_single(runs[0], reports, sections, args.jobs, args.progress)
    else:
        code = _run_batch(runs, reports, sections, args)
    return _pdf_after_run(args, runs, reports, pdf_since, code)


def _run_single(run, reports: Path, sections, jobs: int | None, show: bool) -> int:
    from slp import report

    if not show:  # a scheduled job: stdout is the report's path, stderr only an error
        print(report.run_period(run, reports, sections=sections, jobs=jobs))
        return EXIT_OK
    console = _console()
    with console.status(f"{run.borough} {run.period_end}") as status:
        def progress(message: str) -> None:
            status.update(f"{run.borough} {run.period_end}: {message}")
            console.log(message)
        index = report.run_period(run, reports, sections=sections, progress=progress, jobs=jobs)
    print(index)
    return EXIT_OK


def _run_batch(runs, reports: Path, sections, args: argparse.Namespace) -> int:
    from slp import batch

    console = _console()
    labels = _batch_labels(runs)
    where = (f"the Dask cluster at {args.scheduler}" if args.executor == "dask"
             else f"{args.jobs or 'one per CPU core'} at a time")
    each = f"{len(sections)} notebook{'s' if len(sections) != 1 else ''} each"
    if args.progress:
        console.log(f"{len(runs)} runs, {each}, on {where}")
    with _BatchProgress(console, labels, len(sections), shown=args.progress) as progress:
        if args.executor == "dask":
            progress.all_sent()
            outcomes = batch.run_dask(runs, reports, scheduler=args.scheduler, sections=sections,
                                      on_event=progress.on_event)
        else:
            outcomes = batch.run_local(runs, reports, jobs=args.jobs, sections=sections,
                                       on_event=progress.on_event)
    return _summarise(console, labels, outcomes)


def _batch_labels(runs) -> list[str]:
    """``"<borough> <period_end>"`` per run, with the file's name where two runs share one."""
    from slp import batch

    labels = [batch.label(r) for r in runs]
    for i, text in enumerate(labels):
        if labels.count(text) > 1 and runs[i].path is not None:
            labels[i] = f"{text} ({runs[i].path.name})"
    return labels


class _BatchProgress:
    """A progress bar per run and one for the batch, fed by the executors' events."""

    def __init__(self, console, labels: list[str], notebooks: int, *, shown: bool):
        from rich.markup import escape
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._escape = escape
        columns = (TextColumn("{task.description}"), BarColumn(bar_width=20),
                   MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.fields[status]}"))
        self.bar = Progress(*columns, console=console, disable=not shown)
        self.overall = self.bar.add_task("[bold]all runs", total=len(labels), status="")
        self.rows = [self.bar.add_task(escape(text), total=notebooks, status="waiting",
                                       start=False) for text in labels]

    def __enter__(self) -> _BatchProgress:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.bar.__exit__(*exc)

    def all_sent(self) -> None:
        for row in self.rows:
            self.bar.update(row, status="sent to the cluster")

    def on_event(self, i: int, kind: str, text: str) -> None:
        """See :data:`slp.batch.Event`."""
        bar, row = self.bar, self.rows[i]
        if kind == "started":
            bar.start_task(row)
            bar.update(row, status="running")
        elif kind == "message":
            if text.startswith("finished "):
                bar.advance(row)
            bar.update(row, status=self._escape(text[:60]))
        elif kind == "done":
            bar.update(row, status=self._escape(text))
            bar.advance(self.overall)
            bar.stop_task(row)


def _summarise(console, labels: list[str], outcomes) -> int:
    """The summary table on stderr, each report's path on stdout, one plain line per failure
    (for logs); the batch's exit code."""
    from rich.table import Table
    from rich.text import Text

    from slp import batch

    table = Table(title="slp run: summary", title_justify="left")
    for column in ("run", "result", "seconds", "worker", "report or error"):
        table.add_column(column, overflow="fold")
    for text, outcome in zip(labels, outcomes, strict=True):
        table.add_row(Text(text), "ok" if outcome.ok else "[bold red]FAILED",
                      f"{outcome.seconds:.0f}", Text(outcome.worker),
                      Text(outcome.index if outcome.ok else outcome.error or ""))
    console.print(table)
    for outcome in outcomes:
        if outcome.ok:
            print(outcome.index)
    failed = [text for text, o in zip(labels, outcomes, strict=True) if not o.ok]
    for text, outcome in zip(labels, outcomes, strict=True):
        if not outcome.ok:
            print(f"slp: error: {text}: {outcome.error}", file=sys.stderr)
    if failed:
        print(f"slp: error: {len(failed)} of {len(outcomes)} runs failed: {', '.join(failed)}",
              file=sys.stderr)
        return batch.exit_code(outcomes)
    return EXIT_OK


def _pdf_check(args: argparse.Namespace) -> float | None:
    """``run --pdf``: check the PDF renderer before any notebook runs; the run's start time."""
    if not getattr(args, "pdf", False):
        return None
    import time

    from slp import pdf

    pdf.check_renderer()
    return time.time()


def _pdf_after_run(args, runs, reports: Path, since: float | None, code: int) -> int:
    """``run --pdf``: one PDF per period folder this run wrote; prints each PDF's path."""
    if since is None:
        return code
    from slp import pdf, report

    for run in runs:
        index = report.period_dir(reports, run) / "index.html"
        if index.is_file() and index.stat().st_mtime >= since:  # a failed run wrote nothing
            print(pdf.write_pdf(index.parent))
    return code


def cmd_pdf(args: argparse.Namespace) -> int:
    from slp import pdf

    print(pdf.write_pdf(Path(args.folder), Path(args.out) if args.out else None))
    return EXIT_OK


def _add_pdf_parser(sub, run) -> None:
    """The ``pdf`` subcommand and ``run --pdf`` (needs the optional ``pdf`` extra)."""
    how = ("needs Playwright and Chromium: pip install 'slp[pdf]' and apt-get install chromium")
    run.add_argument("--pdf", action="store_true",
                     help="also print each period's report as one PDF into its folder "
                          f"(<borough>-<period_end>-assessment.pdf); {how}")
    pdf = sub.add_parser("pdf", help="print a rendered report as one PDF",
                         description="Print a period folder written by slp run as one PDF: "
                                     "contents, every section in order, page numbers and the "
                                     f"demo or internal stamp on every page. It {how}.")
    pdf.add_argument("folder", metavar="PERIOD_FOLDER",
                     help="a period folder, e.g. reports/lewisham/2022-09")
    pdf.add_argument("--out", metavar="FILE.pdf",
                     help="where to write (default: <borough>-<period_end>-assessment.pdf in "
                          "the folder)")
    pdf.set_defaults(func=cmd_pdf)


def cmd_figures(args: argparse.Namespace) -> int:
    from slp import assessment, figures
    from slp import params as params_mod

    run = params_mod.load(args.params)
    numbers = figures.compute(assessment.load(run))
    payload = figures.publishable(numbers, run)
    if args.json:
        print(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    else:
        print(figures.as_text(payload))
    return EXIT_OK


_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def _byte_count(text: str) -> int:
    """``--max-bytes``: a whole number of bytes, or with a K, M, G or T suffix (powers of 1024).

    Examples
    --------
    >>> _byte_count("500M"), _byte_count("0"), _byte_count("2gb")
    (524288000, 0, 2147483648)
    """
    number = text.strip().upper().removesuffix("B").removesuffix("I")
    unit = number[-1:] if number[-1:] in _UNITS else ""
    digits = number.removesuffix(unit).strip() if unit else number
    if not digits.isdigit():
        from slp.errors import ParamsError

        raise ParamsError(f"--max-bytes: '{text}' is not a size; expected a whole number of "
                          "bytes, 0 or more, e.g. 500000000 or 500M (K, M, G: powers of 1024)")
    return int(digits) * _UNITS[unit]


def _size_text(size: int) -> str:
    """``"25,000 bytes"``, ``"1.5 MB"``, ``"2.0 GB"``."""
    if size < 1024**2:
        return f"{size:,} bytes"
    return f"{size / 1024**2:,.1f} MB" if size < 1024**3 else f"{size / 1024**3:,.1f} GB"


def _cache_contents(folder: Path) -> tuple[int, int]:
    """How many entries the cache folder holds, and its size in bytes."""
    if not folder.is_dir():
        return 0, 0
    entries = sum(1 for p in folder.iterdir() if (p / "manifest.json").is_file())
    return entries, sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def cmd_cache(args: argparse.Namespace) -> int:
    from slp import cache
    from slp.errors import ParamsError

    folder = Path(args.cache_dir) if args.cache_dir else cache.default_cache_dir()
    if folder.exists() and not folder.is_dir():
        raise ParamsError(f"--cache-dir: '{folder}' is a file; expected the cache folder")
    if args.max_bytes is not None and not args.prune:
        raise ParamsError("--max-bytes: only used with --prune")
    if args.prune:
        limit = cache.max_bytes_setting() if args.max_bytes is None else _byte_count(
            args.max_bytes)
        before = _cache_contents(folder)[1]
        removed = cache.prune(folder, max_bytes=limit)
        print(f"removed {len(removed)} cache folder{'s' if len(removed) != 1 else ''} "
              f"({_size_text(before - _cache_contents(folder)[1])}); limit {_size_text(limit)}")
    entries, size = _cache_contents(folder)
    print(f"{folder}: {entries} entr{'ies' if entries != 1 else 'y'}, {_size_text(size)}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="slp",
        description="Reproducible community-safety strategic assessments from police data.",
    )
    parser.add_argument("--version", action="version",
                        version=f"slp {__import__('slp').__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_add_demo, _add_run, _add_figures, _add_cache):
        add(sub)
    return parser


def _add_demo(sub) -> None:
    demo = sub.add_parser("demo", help="write the synthetic demo data set",
                          description="Write the synthetic demo borough's data, in the real "
                                      "published formats, deterministically.")
    demo.add_argument("--out", metavar="DIR",
                      help="folder to write into (default: data/raw/demo in the project)")
    demo.add_argument("--seed", type=int, default=2017,
                      help="random seed; the same seed gives the same files (default: 2017)")
    demo.set_defaults(func=cmd_demo)


def _add_run(sub) -> None:
    run = sub.add_parser("run", help="run every notebook and render the HTML report",
                         description="Run every notebook for each parameters file and render "
                                     "the HTML report into reports/<borough>/<period_end>/. "
                                     "Prints the path of each period's index.html last. "
                                     "Several files, --boroughs or --areas make a batch: its runs "
                                     "go in parallel, a failed run does not stop the others, "
                                     "and a summary names every failure.")
    run.add_argument("params", nargs="+", metavar="PARAMS.yaml",
                     help="parameters file(s), e.g. params/demo.yaml")
    run.add_argument("--boroughs", metavar="all|A,B",
                     help="run each parameters file for other boroughs, with the same sources "
                          "and period: 'all' (the 32 London boroughs; the 32 demo boroughs for "
                          "the demo) or names separated by commas, e.g. Lewisham,Greenwich")
    run.add_argument("--areas", metavar="all-in-force|A,B",
                     help="run each parameters file for other areas of its comparison frame, "
                          "with the same sources and period: 'all-in-force' (every authority "
                          "of the police force whose police.uk files it reads; London's "
                          "boroughs for the MPS files) or names or GSS codes separated by "
                          "commas, e.g. Newport,Torfaen")
    run.add_argument("--notebooks", metavar="LIST",
                     help="run only these notebooks, by name or number separated by commas, "
                          "e.g. 00-summary,05 (default: all)")
    run.add_argument("--jobs", type=int, default=None, metavar="N",
                     help="kernels at once on this machine: the notebooks of one run, or the "
                          "runs of a batch (default: the number of CPU cores; a Dask cluster "
                          "runs one run per worker thread)")
    run.add_argument("--executor", choices=["local", "dask"], default="local",
                     help="where a batch runs: worker processes on this machine (local, the "
                          "default) or an existing Dask distributed cluster (dask)")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="with --executor dask: the scheduler's address, e.g. "
                          "tcp://10.0.0.5:8786 (workers need the same environment and paths, "
                          "and --reports on a shared filesystem)")
    run.add_argument("--reports", metavar="DIR",
                     help="output folder (default: reports/ in the project)")
    run.add_argument("--progress", action="store_true",
                     help="show progress on stderr even when it is not a terminal (by default "
                          "only a terminal gets it, so a scheduled job's stderr holds nothing "
                          "but an error)")
    run.set_defaults(func=cmd_run)
    _add_pdf_parser(sub, run)


def _add_figures(sub) -> None:
    fig = sub.add_parser("figures", help="print the headline figures without rendering",
                         description="Compute the headline figures for one parameters file "
                                     "and print them, without running the notebooks. Small "
                                     "counts are suppressed unless the audience is internal.")
    fig.add_argument("params", metavar="PARAMS.yaml", help="parameters file")
    fig.add_argument("--json", action="store_true",
                     help="print JSON (the figures.json contract) instead of text")
    fig.set_defaults(func=cmd_figures)


def _add_cache(sub) -> None:
    store = sub.add_parser("cache", help="show or trim the cache of loaded sources",
                           description="Show the Parquet cache of loaded sources "
                                       "(data/processed/: disposable, rebuilt when needed) "
                                       "or, with --prune, trim it: entries made by other slp "
                                       "code, leftovers of killed runs, then the least "
                                       "recently used entries until it fits --max-bytes.")
    store.add_argument("--prune", action="store_true",
                       help="remove what the cache can do without (see above)")
    store.add_argument("--max-bytes", metavar="N",
                       help="with --prune: the size to trim to, in bytes or with a K, M or G "
                            "suffix, e.g. 500M; 0 empties the cache (default: "
                            "$SLP_CACHE_MAX_BYTES, else 2G)")
    store.add_argument("--cache-dir", metavar="DIR",
                       help="the cache folder (default: data/processed in the project)")
    store.set_defaults(func=cmd_cache)


def _terminate(signum, frame) -> None:
    """SIGTERM (a scheduler's timeout, ``kill``) stops a run like Ctrl-C does: its kernels are
    killed and its temporary folders removed, and no report is replaced."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: let the clean-up finish
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if main_thread else None
    try:
        return args.func(args)
    except SlpError as exc:
        print(f"slp: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("slp: interrupted", file=sys.stderr)
        return 130
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
