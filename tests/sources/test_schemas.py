"""The loaders' tidy output contract (pandera schemas) and its one-line messages."""

from __future__ import annotations

import pandas as pd
import pytest

from slp.errors import SourceError
from slp.sources import _schemas
from slp.sources.borough import COLUMNS

SCHEMA = _schemas.monthly_counts(COLUMNS)


def tidy(**changes) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "borough": ["Lewisham", "Lewisham"],
            "major": ["Theft", "Theft"],
            "minor": ["Shoplifting", "Shoplifting"],
            "month": pd.PeriodIndex(["2022-01", "2022-02"], freq="M"),
            "count": pd.array([3, 4], dtype="int64"),
        }
    )
    return frame.assign(**changes)


def message(value, schema=SCHEMA) -> str:
    with pytest.raises(SourceError) as info:
        _schemas.validate(value, schema, "MPS Borough Level Crime", ["b.csv"])
    text = str(info.value)
    assert text.startswith("MPS Borough Level Crime: the figures read from 'b.csv' ")
    for python_words in ("NoneType", "int64", "np.", "dtype", "SchemaError", "\n"):
        assert python_words not in text
    return text


def test_a_tidy_frame_passes():
    _schemas.validate(tidy(), SCHEMA, "MPS Borough Level Crime", ["b.csv"])


def test_negative_count():
    assert "include the count -4; expected whole numbers >= 0" in message(tidy(count=[3, -4]))


def test_empty_name():
    text = message(tidy(borough=["Lewisham", ""]))
    assert "empty value in column 'borough'" in text


def test_two_rows_for_one_month():
    frame = tidy(month=pd.PeriodIndex(["2022-01", "2022-01"], freq="M"))
    text = message(frame)
    assert "two rows for Lewisham, Theft, Shoplifting, 2022-01" in text


def test_counts_that_are_not_whole_numbers():
    assert "column 'count' that are not whole numbers" in message(tidy(count=[1.5, 2.0]))


def test_missing_column():
    assert "do not have the tidy columns" in message(tidy().drop(columns="minor"))


def test_residents():
    schema = _schemas.residents()
    good = pd.Series([10, 0], index=["Lewisham", "Greenwich"], dtype="int64")
    _schemas.validate(good, schema, "Population", ["p.csv"])
    bad = pd.Series([10, 5], index=["Lewisham", "Lewisham"], dtype="int64")
    assert "name the area 'Lewisham' twice" in message(bad, schema)
