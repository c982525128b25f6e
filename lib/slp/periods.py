"""Reporting windows: the 12, 6 and 3 months to ``period_end`` and the windows they are compared with.

A strategic assessment compares each window with the window of the same length immediately before
it, as the Safer Lewisham Partnership Plan does ("the 12 months to September 2022", October 2021 to
September 2022, against October 2020 to September 2021), and sometimes with the same window a year
earlier (year-on-year). For a 12-month window the two comparisons are the same.

Examples
--------
>>> w = Window.ending("2022-09", 12)
>>> w.label
'October 2021 to September 2022'
>>> w.previous().label
'October 2020 to September 2021'
>>> Window.ending("2022-09", 3).year_earlier().label
'July 2021 to September 2021'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slp.errors import SlpError

if TYPE_CHECKING:
    import pandas as pd

# pandas is imported where it is used, so that checking a parameters file (which reads months
# through split_month) stays instant.

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def split_month(text: str) -> tuple[int, int] | None:
    """The year and month of a month written ``YYYY-MM``, or ``None`` when it is not one.

    The one reading of ``YYYY-MM`` text in slp: parameters, windows and file names use it.
    Surrounding spaces and a one-digit month are accepted; the month must be 1 to 12.

    Examples
    --------
    >>> split_month("2022-09")
    (2022, 9)
    >>> split_month("2022-13") is None, split_month("Sept 2022") is None
    (True, True)
    """
    match = _MONTH.match(str(text))
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return int(match.group(1)), int(match.group(2))


def parse_month(value: str | pd.Period | pd.Timestamp) -> pd.Period:
    """Return a month written ``YYYY-MM`` as a monthly :class:`pandas.Period`.

    Parameters
    ----------
    value : str, pandas.Period or pandas.Timestamp
        A month such as ``"2022-09"``. Periods of any frequency and timestamps are converted to
        the month they fall in.

    Returns
    -------
    pandas.Period
        The month, with frequency ``"M"``.

    Raises
    ------
    SlpError
        If ``value`` is not a month written ``YYYY-MM`` with a month from 01 to 12.

    Examples
    --------
    >>> parse_month("2022-09")
    Period('2022-09', 'M')
    """
    import pandas as pd

    if isinstance(value, pd.Period):
        return value.asfreq("M") if value.freqstr != "M" else value
    if isinstance(value, pd.Timestamp):
        return value.to_period("M")
    parts = split_month(str(value))
    if parts is None:
        raise SlpError(
            f"'{value}' is not a month: expected YYYY-MM with a month from 01 to 12, e.g. 2022-09"
        )
    return pd.Period(year=parts[0], month=parts[1], freq="M")


@dataclass(frozen=True)
class Window:
    """A run of whole months, first and last month included.

    Attributes
    ----------
    start : pandas.Period
        First month of the window (frequency ``"M"``).
    end : pandas.Period
        Last month of the window (frequency ``"M"``).

    Strings such as ``"2022-09"`` are accepted for ``start`` and ``end`` and converted with
    :func:`parse_month`.
    """

    start: pd.Period
    end: pd.Period

    def __post_init__(self) -> None:
        start, end = parse_month(self.start), parse_month(self.end)
        if end < start:
            raise SlpError(f"a window cannot end ({end}) before it starts ({start})")
        # frozen dataclass: normalise the fields once, here
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    @classmethod
    def ending(cls, end: str | pd.Period, months: int) -> Window:
        """The window of ``months`` months whose last month is ``end``.

        Examples
        --------
        >>> str(Window.ending("2022-09", 6))
        'April 2022 to September 2022'
        """
        if int(months) < 1:
            raise SlpError(f"a window must be at least one month long; got {months} months")
        last = parse_month(end)
        return cls(last - (int(months) - 1), last)

    @property
    def months(self) -> int:
        """Number of months in the window."""
        return (self.end - self.start).n + 1

    @property
    def periods(self) -> pd.PeriodIndex:
        """Every month of the window, in order."""
        import pandas as pd

        return pd.period_range(self.start, self.end, freq="M")

    @property
    def label(self) -> str:
        """The window in words, e.g. ``"October 2021 to September 2022"``."""
        if self.start == self.end:
            return self.end.strftime("%B %Y")
        return f"{self.start.strftime('%B %Y')} to {self.end.strftime('%B %Y')}"

    def previous(self) -> Window:
        """The window of the same length that ends the month before this one starts."""
        return Window.ending(self.start - 1, self.months)

    def year_earlier(self) -> Window:
        """The same months one year earlier (year-on-year comparison)."""
        return Window(self.start - 12, self.end - 12)

    def contains(self, month: str | pd.Period) -> bool:
        """True if ``month`` falls inside the window."""
        return self.start <= parse_month(month) <= self.end

    def __str__(self) -> str:
        return self.label


def windows_ending(
    period_end: str | pd.Period, lengths: Iterable[int] = (12, 6, 3)
) -> list[Window]:
    """Return the windows of each length ending at ``period_end``.

    Parameters
    ----------
    period_end : str or pandas.Period
        Last month of the reporting period, ``YYYY-MM``.
    lengths : iterable of int, default (12, 6, 3)
        Window lengths in months.

    Returns
    -------
    list of Window
        One window per length, in the order given.

    Examples
    --------
    >>> [w.label for w in windows_ending("2022-09", (12, 3))]
    ['October 2021 to September 2022', 'July 2022 to September 2022']
    """
    return [Window.ending(period_end, n) for n in lengths]


def check_covered(
    months: Iterable, *windows: Window, what: str = "the data", asked: str = ""
) -> None:
    """Raise :class:`SlpError` unless every month of every window is among ``months``.

    Parameters
    ----------
    months : iterable of pandas.Period
        The months the data holds (e.g. ``crime["month"].unique()``).
    *windows : Window
        Windows that must be fully covered.
    what : str, default "the data"
        How to name the data in the message.
    asked : str, optional
        What the analyst asked for, put first in the message (e.g. ``"period_end 2023-09"``).

    Raises
    ------
    SlpError
        Naming the window asked for, the months missing and the months the data covers.

    Examples
    --------
    >>> import pandas as pd
    >>> check_covered(pd.period_range("2021-01", "2022-12", freq="M"), Window.ending("2022-12", 12))
    """
    have = {parse_month(m) for m in months}
    prefix = f"{asked}: " if asked else ""
    if not have:
        raise SlpError(f"{prefix}{what} holds no months")
    first, last = min(have), max(have)
    for window in windows:
        missing = [m for m in window.periods if m not in have]
        if not missing:
            continue
        gaps = "" if len(have) == (last - first).n + 1 else ", with gaps"
        shown = ", ".join(str(m) for m in missing[:6]) + (" ..." if len(missing) > 6 else "")
        raise SlpError(
            f"{prefix}needs the months {window.start} to {window.end} ({window.label}), but "
            f"{what} covers {first} to {last}{gaps}; missing: {shown}"
        )
