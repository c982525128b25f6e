"""The library's layers, declared as an import-linter contract in pyproject.toml, hold.

A module may import only from the layers below its own, so data flows one way (sources ->
measures/statistics -> sections -> pages/report -> cli) and an import circle or back-edge fails
the suite, not a reviewer's memory.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from support import ROOT


def _contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config.get("tool", {}).get("importlinter", {}).get("contracts", [])


def test_import_contracts_are_kept():
    contracts = _contracts()
    if not contracts:
        pytest.skip("no import-linter contract in pyproject.toml ([[tool.importlinter.contracts]])")
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert f"Contracts: {len(contracts)} kept, 0 broken." in result.stdout
