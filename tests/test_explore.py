"""notebooks/explore: the analyst's notebook runs under nbval, stays out of the report, and
calls only public, documented functions of slp."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys

import jupytext
import nbformat
import pytest

from slp.execution import discover_sections
from support import ROOT

NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
SOURCE = ROOT / "notebooks" / "explore.py"


def test_explore_is_paired_with_its_percent_source():
    ipynb = [c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells]
    py = [c.source for c in jupytext.read(SOURCE).cells]
    assert ipynb == py
    assert all(not c.get("outputs") for c in nbformat.read(NOTEBOOK, as_version=4).cells
               if c.cell_type == "code"), "commit explore.ipynb without outputs"


def test_the_report_runner_leaves_explore_out():
    stems = [s.stem for s in discover_sections()]
    assert NOTEBOOK.is_file() and "explore" not in stems
    assert stems == sorted(stems) and all(re.match(r"\d\d-", s) for s in stems)


def _slp_calls() -> set[tuple[str, str]]:
    """(module, name) of every ``module.name(...)`` / imported name the notebook calls."""
    tree = ast.parse("\n".join(c.source for c in jupytext.read(SOURCE).cells
                               if c.cell_type == "code"))
    modules, names = {}, {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("slp"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                try:
                    importlib.import_module(full)
                    modules[alias.asname or alias.name] = full
                except ImportError:
                    names[alias.asname or alias.name] = (node.module, alias.name)
    calls = set()
    for node in ast.walk(tree):
        func = node.func if isinstance(node, ast.Call) else None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if func.value.id in modules:
                calls.add((modules[func.value.id], func.attr))
            elif func.value.id in names:  # Window.ending
                module, cls = names[func.value.id]
                calls.add((module, f"{cls}.{func.attr}"))
        elif isinstance(func, ast.Name) and func.id in names:
            calls.add(names[func.id])
    return calls


def test_explore_uses_only_public_documented_functions_with_examples():
    calls = _slp_calls()
    # the questions the issue lists: series, wards, rates, windows, verdicts, a chart
    assert {("slp.measures", "monthly_counts"), ("slp.wards", "ward_counts"),
            ("slp.measures", "rates_in_window"), ("slp.periods", "Window.ending"),
            ("slp.variation", "judge_change"), ("slp.variation", "describe_verdict"),
            ("slp.charts", "line_chart"), ("slp.assessment", "prepare")} <= calls
    for module, name in sorted(calls):
        target = importlib.import_module(module)
        for part in name.split("."):
            assert not part.startswith("_"), f"{module}.{name} is private"
            target = getattr(target, part)
        doc = target.__doc__ or ""
        assert "Examples\n" in doc and ">>> " in doc, f"{module}.{name} has no example"
        if "." not in name:  # functions: numpydoc sections
            assert "Returns\n" in doc, f"{module}.{name} documents no Returns"


@pytest.mark.slow
def test_explore_runs_under_nbval(demo_params):
    command = [
        sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env",
        "--nbval-cell-timeout=600", "-p", "no:cacheprovider", "-o", "addopts=", "-q",
        str(NOTEBOOK.relative_to(ROOT)),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    code_cells = sum(1 for c in nbformat.read(NOTEBOOK, as_version=4).cells
                     if c.cell_type == "code")
    summary = result.stdout.strip().splitlines()[-1]
    assert re.search(rf"\b{code_cells} passed\b", summary), summary
    assert not re.search(r"failed|error|skipped", summary), summary
