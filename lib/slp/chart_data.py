"""The numbers a chart plots, checked: columns present, numbers, months, small counts hidden.

The chart functions of :mod:`slp.charts` read their frames through these, so a wrong input
gets one line naming the chart, the column and the value found, and every count goes through
:func:`slp.disclosure.publish` before it is drawn, described or tabled.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from slp import disclosure
from slp.disclosure import DisclosureRule
from slp.errors import SlpError


def require(frame: Any, columns: Sequence[Hashable], where: str) -> None:
    """Raise SlpError unless ``frame`` is a DataFrame with rows and all ``columns``."""
    if not isinstance(frame, pd.DataFrame):
        raise SlpError(f"{where}: expected a pandas DataFrame; found {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SlpError(
            f"{where}: column(s) {', '.join(map(repr, missing))} not found; the frame has "
            f"{', '.join(map(str, frame.columns))}"
        )
    if frame.empty:
        raise SlpError(f"{where}: the frame has no rows; there is nothing to draw")


def numbers(series: pd.Series, where: str, column: Hashable) -> np.ndarray:
    """The column as floats, or SlpError naming the first value that is not a number."""
    try:
        return pd.to_numeric(series, errors="raise").to_numpy(dtype=float)
    except (ValueError, TypeError):
        bad = next((v for v in series if not _is_number_like(v)), None)
        raise SlpError(
            f"{where}: column {column!r} must hold numbers; found {bad!r}"
        ) from None


def _is_number_like(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def to_month(value: Any, where: str) -> pd.Timestamp:
    """A date, monthly Period or ``"YYYY-MM"`` as the Timestamp of its month."""
    try:
        if isinstance(value, pd.Period):
            return value.to_timestamp()
        return pd.Timestamp(value)
    except (ValueError, TypeError):
        raise SlpError(
            f"{where}: cannot read {value!r} as a month (expected a date, a Period or 'YYYY-MM')"
        ) from None


def to_months(values: pd.Series, where: str, column: Hashable) -> pd.DatetimeIndex:
    """Each value of a month column read by :func:`to_month`."""
    out = []
    for v in values:
        try:
            out.append(to_month(v, where))
        except SlpError:
            raise SlpError(
                f"{where}: column {column!r}: cannot read {v!r} as a month (expected a date, a "
                f"Period or 'YYYY-MM')"
            ) from None
    return pd.DatetimeIndex(out)


def suppressed_values(
    frame: pd.DataFrame, columns: list[Hashable], rule: DisclosureRule | None, sensitive: bool
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """(values to plot with hidden ones NaN, values to show, number hidden)."""
    numeric = pd.DataFrame(
        {c: numbers(frame[c], "chart", c) for c in columns}, index=frame.index
    )
    if rule is None or not rule.active:
        return numeric, numeric.astype(object), 0
    shown, mask, _ = disclosure.publish(numeric, counts=list(numeric.columns), rule=rule,
                                        sensitive=sensitive)
    return numeric.mask(mask), shown, int(mask.to_numpy().sum())


def decomposition_frame(decomposition: Any) -> pd.DataFrame:
    """Columns observed, trend, seasonal and resid indexed by month, from a statsmodels
    result or a frame (as :func:`slp.seasonality.decompose` returns)."""
    if isinstance(decomposition, pd.DataFrame):
        frame = decomposition.rename(columns={"residual": "resid"})
        if "month" in frame.columns:  # slp.seasonality.decompose keeps months in a column
            frame = frame.set_index("month")
        missing = [c for c in ("observed", "trend", "seasonal", "resid") if c not in frame.columns]
        if missing:
            raise SlpError(
                f"seasonal_chart: the frame needs columns observed, trend, seasonal and resid; "
                f"missing {', '.join(missing)}"
            )
        return frame
    try:
        return pd.DataFrame({
            key: pd.Series(getattr(decomposition, key))
            for key in ("observed", "trend", "seasonal", "resid")
        })
    except AttributeError:
        raise SlpError(
            "seasonal_chart: expected a statsmodels decomposition (observed, trend, seasonal, "
            f"resid) or a DataFrame; found {type(decomposition).__name__}"
        ) from None
