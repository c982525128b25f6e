"""Work done once per object in a process: :func:`once`.

A notebook's sections ask for the same derived data several times: the "what changed" page
for this run's figures and the previous year's in each of its sections, the statutory
checklist for the same, the ASB page for the borough's incidents in each of its sections.
:func:`once` keeps each result beside the object it was worked out from (by identity, not by
value) and forgets it when that object is gone. An assessment is not changed after loading: a
changed copy (``dataclasses.replace``) is a new object, with nothing remembered.
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
