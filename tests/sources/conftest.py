"""Helpers for the source-loader tests: write small hand-made files into tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def write(tmp_path):
    """Write ``text`` (dedented lines) to ``tmp_path/name`` and return the path.

    ``encoding`` may be "utf-8", "utf-8-sig" (with BOM) or "cp1252" (as Excel saves).
    """

    def _write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [line.strip() for line in text.strip().splitlines()]
        path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
        return path

    return _write
