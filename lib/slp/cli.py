"""The ``slp`` command: ``slp demo``, ``slp run`` and ``slp figures``.

User errors print one line (no traceback) and exit 2; a failed notebook exits 3.
"""

from __future__ import annotations

import argparse
import json
import sys
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


def cmd_run(args: argparse.Namespace) -> int:
    from slp import params as params_mod
    from slp import report
    from slp.params import project_root

    runs = [params_mod.load(p) for p in args.params]  # validate every file before running any
    reports = Path(args.reports) if args.reports else project_root() / "reports"
    console = _console()
    written = []
    for run in runs:
        with console.status(f"{run.borough} {run.period_end}") as status:
            def progress(message: str, status=status, run=run) -> None:
                status.update(f"{run.borough} {run.period_end}: {message}")
                console.log(message)
            written.append(report.run_period(run, reports, progress=progress, jobs=args.jobs))
    for path in written:
        print(path)
    return EXIT_OK


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="slp",
        description="Reproducible community-safety strategic assessments from police data.",
    )
    parser.add_argument("--version", action="version",
                        version=f"slp {__import__('slp').__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="write the synthetic demo data set",
                          description="Write the synthetic demo borough's data, in the real "
                                      "published formats, deterministically.")
    demo.add_argument("--out", metavar="DIR",
                      help="folder to write into (default: data/raw/demo in the project)")
    demo.add_argument("--seed", type=int, default=2017,
                      help="random seed; the same seed gives the same files (default: 2017)")
    demo.set_defaults(func=cmd_demo)

    run = sub.add_parser("run", help="run every notebook and render the HTML report",
                         description="Run every notebook for each parameters file and render "
                                     "the HTML report into reports/<borough>/<period_end>/. "
                                     "Prints the path of each period's index.html last.")
    run.add_argument("params", nargs="+", metavar="PARAMS.yaml",
                     help="parameters file(s), e.g. params/demo.yaml")
    run.add_argument("--reports", metavar="DIR",
                     help="output folder (default: reports/ in the project)")
    run.add_argument("--jobs", type=int, default=1, metavar="N",
                     help="notebooks executed at once (default: 1)")
    run.set_defaults(func=cmd_run)

    fig = sub.add_parser("figures", help="print the headline figures without rendering",
                         description="Compute the headline figures for one parameters file "
                                     "and print them, without running the notebooks. Small "
                                     "counts are suppressed unless the audience is internal.")
    fig.add_argument("params", metavar="PARAMS.yaml", help="parameters file")
    fig.add_argument("--json", action="store_true",
                     help="print JSON (the figures.json contract) instead of text")
    fig.set_defaults(func=cmd_figures)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except SlpError as exc:
        print(f"slp: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("slp: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
