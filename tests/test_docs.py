"""The API reference (docs/, Sphinx + numpydoc) builds offline without a single warning, and
documents every module of the package except those docs/conf.py leaves out with a reason."""

from __future__ import annotations

import pkgutil
import re
import runpy
import subprocess
import sys

import pytest

import slp
from support import ROOT

DOCS = ROOT / "docs"


def _documented() -> set[str]:
    pages = "".join(p.read_text() for p in DOCS.rglob("*.rst"))
    return set(re.findall(r"^\.\. automodule:: (\S+)$", pages, re.MULTILINE))


def _excluded(name: str, rules: dict[str, str]) -> bool:
    return name in rules or any(r.endswith(".*") and name.startswith(r[:-1]) for r in rules)


def test_every_public_module_has_a_page_or_a_reason():
    rules = runpy.run_path(str(DOCS / "conf.py"))["NOT_DOCUMENTED"]
    assert all(reason.strip() for reason in rules.values())
    modules = [i.name for i in pkgutil.walk_packages(slp.__path__, prefix="slp.")
               if not any(part.startswith("_") for part in i.name.split("."))]
    missing = [m for m in modules if m not in _documented() and not _excluded(m, rules)]
    assert missing == []
    assert not [m for m in _documented() if m not in modules], "a page names no module"


@pytest.mark.slow
def test_docs_build_without_warnings(tmp_path):
    out = tmp_path / "html"
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-E", "-q", "-b", "html",
               "-d", str(tmp_path / "doctrees"), str(DOCS), str(out)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "WARNING" not in result.stderr and "ERROR" not in result.stderr, result.stderr
    # the explore notebook's functions are there, with their examples
    measures = (out / "api" / "measures.html").read_text()
    for name in ("slp.measures.monthly_counts", "slp.variation.judge_change",
                 "slp.wards.ward_counts"):
        assert f'id="{name}"' in measures, name
    assert "Examples" in measures
    assert 'id="slp.pdf.write_pdf"' in (out / "api" / "running.html").read_text()
    assert 'id="slp.charts.line_chart"' in (out / "api" / "presentation.html").read_text()
