"""The notebooks as committed (default parameters: the demo data) run under ``pytest --nbval-lax``.

This is the project's design's notebook test: every code cell of every committed notebook
executes without error in a fresh kernel of this environment. It runs as a child pytest so
that nbval's collection of ``notebooks/`` stays out of the main session; the papermill-driven
tests in ``test_notebooks.py`` (parameters, rendering, the Lewisham run) are separate.
"""

from __future__ import annotations

import re
import subprocess
import sys

import nbformat
import pytest

from support import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


@pytest.mark.slow
def test_committed_notebooks_run_under_nbval(demo_params):
    assert NOTEBOOKS, "no notebooks found"
    command = [
        sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env",
        "--nbval-cell-timeout=600", "-p", "no:cacheprovider", "-o", "addopts=", "-q",
        *(str(path.relative_to(ROOT)) for path in NOTEBOOKS),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    # nbval makes one test item per code cell: every cell of every notebook ran and passed.
    code_cells = sum(
        sum(1 for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code")
        for path in NOTEBOOKS
    )
    summary = result.stdout.strip().splitlines()[-1]
    assert re.search(rf"\b{code_cells} passed\b", summary), summary
    assert not re.search(r"failed|error|skipped", summary), summary
