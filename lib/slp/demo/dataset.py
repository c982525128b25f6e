"""The whole demo data set: draw the map and the counts, run every writer, swap the folder in.

To add a written source, add a module with ``FILES`` ({role: path under the data set}) and
``write(out, draw) -> {role: path}``, and append it to :data:`WRITERS`. Writers run in the
order listed and share one generator, so append new writers that draw numbers at the end:
that keeps every earlier file byte-identical for the same seed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np

from slp.demo import (
    borough,
    boundaries,
    dashboard,
    force,
    local,
    population,
    readme,
    street,
    ward,
)
from slp.demo.counts import Draw, simulate
from slp.demo.geography import build_map
from slp.errors import SlpError

#: (progress message, writer module), in the order they run.
WRITERS = (
    ("Writing MPS borough files", borough),
    ("Writing MPS ward file", ward),
    ("Writing populations and lookup", population),
    ("Writing boundaries", boundaries),
    ("Writing police.uk street files", street),
    ("Writing README", readme),
    ("Writing dashboard downloads", dashboard),
    ("Writing the partnership's local inputs (fictional)", local),
    ("Writing the demo force's police.uk files", force),
)

#: Paths written under ``out``, by role (the keys of :func:`write_demo`'s result).
FILES: dict[str, str] = {role: path for _, w in WRITERS for role, path in w.FILES.items()}


def write_demo(
    out: Path, *, seed: int = 2017, progress: Callable[[str], None] | None = None
) -> dict[str, Path]:
    """Write the synthetic demo data set into ``out``, in the real published file formats.

    The files are written into a temporary folder beside ``out`` and renamed into place at the
    end, so an interrupted run never leaves half a data set. An existing demo data set at
    ``out`` is replaced.

    Parameters
    ----------
    out : Path
        Folder to create (or replace) holding the data set; see :data:`FILES` for its contents.
    seed : int, default 2017
        Seed of the crime counts. The map, names and populations do not depend on it.
    progress : callable, optional
        Called with a short message before each step (e.g. to drive a progress bar).

    Returns
    -------
    dict of str to Path
        Path written for each role in :data:`FILES` (``"street"`` is the folder of the 12
        monthly police.uk files), all inside ``out``.

    Raises
    ------
    SlpError
        When ``out`` exists and is not a demo data set (it is never overwritten then).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_demo(Path(tmp) / "demo")
    ...     paths["ward_recent"].relative_to(tmp).as_posix()
    'demo/mps-ward/MPS Ward Level Crime (most recent 24 months).csv'
    """
    out = Path(out)
    _check_replaceable(out)
    say = progress or (lambda message: None)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.partial-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        say("Drawing the fictional map")
        demo = build_map()
        say("Drawing monthly crime counts")
        rng = np.random.default_rng(seed)
        draw = Draw(map=demo, counts=simulate(demo, rng), rng=rng, seed=seed)
        written: dict[str, Path] = {}
        for message, writer in WRITERS:
            say(message)
            written |= writer.write(tmp, draw)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    say(f"Demo data set written to {out}")
    return {role: out / path.relative_to(tmp) for role, path in written.items()}


def _check_replaceable(out: Path) -> None:
    """Refuse to replace anything at ``out`` that is not an earlier demo data set."""
    if not out.exists():
        return
    readme_path = out / FILES["readme"]
    empty = out.is_dir() and not any(out.iterdir())
    is_demo = readme_path.is_file() and readme.MARK in readme_path.read_text(
        encoding="utf-8", errors="ignore"
    )
    if out.is_dir() and (empty or is_demo):
        return
    raise SlpError(
        f"demo: '{out}' already exists and is not a demo data set (no README.md saying "
        f"'{readme.MARK}'); choose an empty or new folder"
    )
