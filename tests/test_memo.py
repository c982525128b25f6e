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


def test_an_error_is_remembered_and_raised_again():
    calls = []

    def fails():
        calls.append(1)
        raise SlpError("period_end: too early")

    a = Owner()
    for _ in range(2):
        with pytest.raises(SlpError, match="too early"):
            memo.once(a, "figures", fails)
    assert len(calls) == 1


def test_other_errors_are_not_remembered():
    calls = []

    def fails():
        calls.append(1)
        raise ValueError("a bug")

    a = Owner()
    for _ in range(2):
        with pytest.raises(ValueError):
            memo.once(a, "figures", fails)
    assert len(calls) == 2


def test_forgotten_with_the_owner():
    a = Owner()
    memo.once(a, "x", lambda: [0] * 1000)
    key = id(a)
    assert key in memo._DONE
    del a
    gc.collect()
    assert key not in memo._DONE
