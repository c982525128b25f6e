"""The prepared assessment of one run: loaded once by the runner, read by every notebook.

``slp run`` announces the file (:func:`expect`) before it starts the notebooks, loads and
checks the inputs while their kernels start, and writes the loaded
:class:`~slp.assessment.Assessment` (:func:`save`). Each notebook, given the file's path as its
``prepared`` parameter beside the resolved parameters file the runner wrote, waits for it and
reads it (:func:`read`) instead of reading the parameters and loading the inputs again. The file is a private intermediate of one run, kept in the period's temporary folder and
deleted with it. Beside it the runner stores what it has worked out from the assessment since
(:func:`save_worked_out`: the run's figures), which the notebooks started after that take
rather than work it out again.

This module imports nothing heavy: the runner announces the file before anything else, so that
the kernels start at once.
"""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slp.params import Params

#: What a prepared file holds: an :class:`slp.assessment.Assessment` (this module does not
#: import it: the assessment module reads prepared files, not the other way round).
Assessment = Any

#: Layout version of the files :func:`save` writes.
FORMAT = 1

#: Longest a notebook waits for a prepared assessment that is announced but not yet written,
#: before it loads the inputs itself (the runner stops its notebooks when loading fails).
WAIT_SECONDS = 1800.0


def _marker(path: str | os.PathLike) -> Path:
    path = Path(path)
    return path.with_name(path.name + ".pending")


def expect(path: str | os.PathLike) -> Path:
    """Announce that :func:`save` will write ``path`` soon (notebooks given ``path`` wait for
    it). Returns ``path``."""
    _marker(path).touch()
    return Path(path)


def save(assessment: Assessment, path: str | os.PathLike, *,
         params_file: str | os.PathLike | None = None) -> Path:
    """Store a loaded assessment for the notebooks of one run (a pickle, written atomically).

    Like every pickle it must only be read by the user who wrote it.

    Parameters
    ----------
    assessment : Assessment
        The loaded inputs.
    path : path
        The file to write.
    params_file : path, optional
        The parameters file the notebooks are given (:func:`slp.params.save`): its text is
        stored, so :func:`read` can tell that a notebook was given the same parameters
        without reading them.

    Returns
    -------
    Path
        ``path``.
    """
    from slp import cache

    path = Path(path)
    payload = {"format": FORMAT, "code_version": cache.code_version(), "assessment": assessment,
               "params_text": _bytes(params_file) if params_file else None}
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as handle:
        pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    _marker(path).unlink(missing_ok=True)
    return path


def _bytes(path: str | os.PathLike) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


def read(path: str | os.PathLike, params: Params | None = None, *,
         params_file: str | os.PathLike | None = None, wait: float = 0.0) -> Assessment | None:
    """Read back a file from :func:`save`; ``None`` when it is missing, unreadable, from other
    slp code, or for other parameters: other than ``params``, or (with ``params_file``) saved
    for a parameters file whose text differs from this one's.

    With ``wait``, a file announced by :func:`expect` but not yet written is waited for, up to
    ``wait`` seconds.
    """
    from slp import cache

    deadline = time.monotonic() + wait
    while not os.path.exists(path) and _marker(path).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        with open(path, "rb") as handle:
            payload = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
            ModuleNotFoundError, TypeError, ValueError):
        return None
    if (not isinstance(payload, dict) or payload.get("format") != FORMAT
            or payload.get("code_version") != cache.code_version()):
        return None
    found = payload.get("assessment")
    if getattr(found, "params", None) is None or (params is not None and found.params != params):
        return None
    if params_file is not None and (payload.get("params_text") is None
                                    or payload["params_text"] != _bytes(params_file)):
        return None
    _adopt_worked_out(path, found)
    return found


def _worked_out(path: str | os.PathLike) -> Path:
    path = Path(path)
    return path.with_name(path.name + ".worked-out")


def _stamp(path: str | os.PathLike) -> tuple[int, int, int] | None:
    """Which prepared file ``path`` is (a new file at the same path is another one)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def save_worked_out(path: str | os.PathLike, assessment: Assessment) -> Path | None:
    """Store beside the prepared file ``path`` what has been worked out from ``assessment``
    in this process (:func:`slp.memo.results`: the runner's figures of the run, and the
    previous year's that the "what changed" page compares with). A notebook that reads the
    prepared file after this takes them (:func:`read`, :func:`slp.memo.remember`) instead of
    working them out again; one that reads it before works them out itself, the same.
    Nothing is written when nothing was worked out; returns the file written."""
    from slp import memo

    found = memo.results(assessment)
    if not found or _stamp(path) is None:
        return None
    side = _worked_out(path)
    tmp = side.with_name(f".{side.name}.tmp")
    with open(tmp, "wb") as handle:
        pickle.dump({"for": _stamp(path), "results": found}, handle,
                    protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, side)
    return side


def _adopt_worked_out(path: str | os.PathLike, found: Assessment) -> None:
    """Remember for ``found`` what the runner worked out for the prepared file ``path``
    (:func:`save_worked_out`), if it has written it yet."""
    from slp import memo

    try:
        with open(_worked_out(path), "rb") as handle:
            side = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
            TypeError, ValueError):
        return
    if isinstance(side, dict) and side.get("for") == _stamp(path) and isinstance(
            side.get("results"), dict):
        memo.remember(found, side["results"])
