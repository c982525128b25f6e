"""The tidy frames the loaders return, written down once as pandera schemas.

Private to :mod:`slp.sources`. Every page, measure and statistic relies on the same few facts
about a loaded source: which columns, in which order; identifiers are non-empty text; months are
``period[M]``; counts and residents are whole numbers >= 0; one row per key. The loaders check
their input files line by line (with messages naming the line); these schemas check what they
return, at the boundary, so nothing downstream has to. A failure becomes one
:class:`~slp.errors.SourceError` line naming the source, its files, the column, what was found
and what was expected.

pandera is imported only when a loader really reads files (not when a cached or prepared
result is reused).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import pandas as pd

from slp.errors import SourceError


@cache
def monthly_counts(columns: tuple[str, ...], *, blank_allowed: tuple[str, ...] = ()):
    """Schema of a long frame ``columns..., month, count`` with one row per key and month."""
    import pandera.pandas as pa

    text = {
        name: pa.Column(
            str,
            checks=None if name in blank_allowed else pa.Check.str_length(min_value=1),
            nullable=False,
        )
        for name in columns
    }
    return pa.DataFrameSchema(
        {
            **text,
            "month": pa.Column(pd.PeriodDtype("M"), nullable=False),
            "count": pa.Column("int64", pa.Check.ge(0), nullable=False),
        },
        strict=True,
        ordered=True,
        unique=[*columns, "month"],
        report_duplicates="exclude_first",
    )


@cache
def residents():
    """Schema of a residents series: area -> whole number >= 0, each area once."""
    import pandera.pandas as pa

    return pa.SeriesSchema(
        "int64",
        checks=pa.Check.ge(0),
        nullable=False,
        index=pa.Index(str, unique=True),
    )


def validate(value, schema, source: str, files: Sequence) -> None:
    """Check ``value`` against ``schema``; raise one analyst-facing line when it fails.

    Raises
    ------
    SourceError
        Naming the source and its files, the column, the first value found and what was
        expected.
    """
    import pandera.errors

    try:
        schema.validate(value, lazy=False)
    except pandera.errors.SchemaError as exc:
        names = ", ".join(f"'{getattr(f, 'name', f)}'" for f in files) or "the files given"
        raise SourceError(
            source, None, f"the figures read from {names} {_words(exc, value)}"
        ) from None


def _words(exc, value) -> str:
    """What a pandera failure means, in words (never a Python type name or a check's repr)."""
    reason = str(getattr(exc, "reason_code", "")).rsplit(".", 1)[-1]
    column = getattr(exc.schema, "name", None)
    cases = getattr(exc, "failure_cases", None)
    first = None
    if isinstance(cases, pd.DataFrame) and "failure_case" in cases and len(cases):
        first = cases["failure_case"].iloc[0]
    if reason == "DUPLICATES" and isinstance(value, pd.DataFrame):
        keys = [c for c in value.columns if c != "count"]
        row = value.loc[value.duplicated(keys, keep=False), keys].iloc[0]
        shown = ", ".join(str(v) for v in row)
        return f"hold two rows for {shown}; expected each area, category and month once"
    if reason == "SERIES_CONTAINS_DUPLICATES":
        return f"name the area '{first}' twice; expected each area once"
    if reason == "SERIES_CONTAINS_NULLS":
        return f"have empty values in column '{column}'; expected a value in every row"
    if reason == "DATAFRAME_CHECK":
        if column in (None, "count", "residents"):
            return f"include the count {first}; expected whole numbers >= 0"
        return f"have an empty value in column '{column}'; expected a name or code in every row"
    if reason == "WRONG_DATATYPE":
        expected = {"count": "whole numbers", "month": "months (YYYY-MM)"}.get(column, "text")
        return f"have values in column '{column}' that are not {expected}"
    return (
        "do not have the tidy columns the reports rely on ("
        + ", ".join(map(str, getattr(value, "columns", [])))
        + ")"
    )
