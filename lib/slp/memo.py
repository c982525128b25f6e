"""Work done once per object in a process: :func:`once`.

A notebook's sections ask for the same derived data several times: the "what changed" page
for this run's figures and the previous year's in each of its sections, the statutory
checklist for the same, the ASB page for the borough's incidents in each of its sections.
:func:`once` keeps each result beside the object it was worked out from (by identity, not by
value) and forgets it when that object is gone. An assessment is not changed after loading: a
changed copy (``dataclasses.replace``) is a new object, with nothing remembered.

The runner hands what it worked out (this run's figures, and the previous year's the "what
changed" page compares with) to the notebooks beside the prepared assessment
(:func:`results`, :func:`remember`, :func:`slp.prepared.save_worked_out`).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import TypeVar

from slp.errors import SlpError

T = TypeVar("T")

#: id(owner) -> (a weak reference to the owner, its results by key)
_DONE: dict[int, tuple[weakref.ref, dict[Hashable, object]]] = {}


def once(owner: object, key: Hashable, work: Callable[[], T]) -> T:
    """``work()`` the first time it is asked for ``(owner, key)``; the same result after.

    An :class:`~slp.errors.SlpError` it raised is remembered too, and raised again. The result
    itself is shared: copy it before changing it.

    Examples
    --------
    >>> class Run:
    ...     pass
    >>> run, calls = Run(), []
    >>> once(run, "figures", lambda: calls.append(1) or len(calls))
    1
    >>> once(run, "figures", lambda: calls.append(1) or len(calls))
    1
    >>> once(Run(), "figures", lambda: calls.append(1) or len(calls))  # another object
    2
    """
    done = _results(owner)
    if key not in done:
        try:
            done[key] = work()
        except SlpError as exc:
            done[key] = exc
    found = done[key]
    if isinstance(found, SlpError):
        raise found
    return found  # type: ignore[return-value]


def results(owner: object) -> dict[Hashable, object]:
    """What is remembered for ``owner`` (errors left out), e.g. to hand it to another process
    working on a copy of it (:func:`remember`)."""
    return {k: v for k, v in _results(owner).items() if not isinstance(v, SlpError)}


def remember(owner: object, found: dict[Hashable, object]) -> None:
    """Take ``found`` (from :func:`results` on an equal object) as worked out for ``owner``;
    what is already remembered for it stays."""
    done = _results(owner)
    for key, value in found.items():
        done.setdefault(key, value)


def _results(owner: object) -> dict[Hashable, object]:
    key = id(owner)
    found = _DONE.get(key)
    if found is None or found[0]() is not owner:
        def forget(ref: weakref.ref, key: int = key) -> None:
            if _DONE.get(key, (None,))[0] is ref:
                del _DONE[key]

        found = (weakref.ref(owner, forget), {})
        _DONE[key] = found
    return found[1]
