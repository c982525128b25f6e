"""Shared test support: project paths, the CI rule, and the report runner used by fixtures.

Imported as ``support`` (not ``conftest``: a sub-folder's conftest would shadow that name).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = (ROOT.parent / "shared" / "data").resolve()
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"


def need(condition: bool, reason: str) -> None:
    """Skip with ``reason`` when ``condition`` is false, but fail instead when CI=true."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true and {reason}: CI must run this test, not skip it")
    pytest.skip(reason)


def run_report(params_file: Path, reports: Path) -> Path:
    """Run a whole assessment through the same path users use; return the period folder."""
    from slp import params, report

    index = report.run_period(params.load(params_file), reports)
    return index.parent


def absolute_paths(raw: dict) -> dict:
    """A params mapping whose file paths (``sources`` and ``local``) point into this checkout, so
    a copy of the params file works from another project root."""
    out = dict(raw)
    for block in ("sources", "local"):
        if isinstance(out.get(block), dict):
            out[block] = {k: str(ROOT / v) for k, v in out[block].items()}
    return out
