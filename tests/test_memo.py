"""Work done once per object: slp.memo.once."""

from __future__ import annotations

import gc

import pytest

from slp import memo
from slp.errors import SlpError


class Owner:
    """Stands for an assessment: an object compared by identity."""


def counter():
    calls = []

    def work():
        calls.append(1)
        return len(calls)

    return calls, work


def test_worked_out_once_per_owner_and_key():
    calls, work = counter()
    a, b = Owner(), Owner()
    assert [memo.once(a, "x", work), memo.once(a, "x", work)] == [1, 1]
    assert memo.once(a, "y", work) == 2  # another key
    assert memo.once(b, "x", work) == 3  # another owner
    assert len(calls) == 3


@pytest.mark.parametrize(("error", "calls_made"), [
    (SlpError("period_end: too early"), 1),  # an analyst's error: remembered, raised again
    (ValueError("a bug"), 2)])  # anything else: not remembered
def test_errors(error, calls_made):
    calls = []

    def fails():
        calls.append(1)
        raise error

    a = Owner()
    for _ in range(2):
        with pytest.raises(type(error)):
            memo.once(a, "figures", fails)
    assert len(calls) == calls_made


def test_forgotten_with_the_owner():
    a = Owner()
    memo.once(a, "x", lambda: [0] * 1000)
    key = id(a)
    assert key in memo._DONE
    del a
    gc.collect()
    assert key not in memo._DONE


def test_results_handed_to_a_copy_leave_out_errors_and_keep_what_it_has():
    def fails():
        raise SlpError("too early")

    a, copy = Owner(), Owner()
    memo.once(a, "now", lambda: 1)
    memo.once(a, "mine", lambda: 2)
    with pytest.raises(SlpError):
        memo.once(a, "then", fails)
    assert memo.results(a) == {"now": 1, "mine": 2}
    memo.once(copy, "mine", lambda: 3)
    memo.remember(copy, memo.results(a))
    assert memo.results(copy) == {"now": 1, "mine": 3}
