"""Shared fixtures: real data from ../shared/data, and the rule that CI never skips."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = (ROOT.parent / "shared" / "data").resolve()
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def need(condition: bool, reason: str) -> None:
    """Skip with ``reason`` when ``condition`` is false, but fail instead when CI=true."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true and {reason}: CI must run this test, not skip it")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path to ``../shared/data`` (the real public data), or skip when it is absent."""
    need(SHARED_DATA.is_dir(), f"real data folder {SHARED_DATA} is absent")
    return SHARED_DATA


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT
