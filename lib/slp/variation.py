"""Normal variation: is a change in recorded crime unusual *for this area*?

Police recorded crime varies from year to year far more than a Poisson count would (for London
boroughs, 12-month changes vary a median 46 times the Poisson variance), so a test against chance
alone calls most changes "significant". Here a change is judged against the area's own history
of changes of the same kind, as issue 11 of the project sets out:

- ``r = ln(C / P) - ln(E)``: the log ratio of the current window's count ``C`` to the count ``P``
  of the window it is compared with, less the log of the ratio the usual seasonal pattern alone
  would give (``E = 1`` when both windows hold the same calendar months, e.g. 12-month windows).
- Reference set ``H``: the same quantity for every earlier period end of the same series whose
  windows lie wholly before March 2020, or wholly after March 2021 (never a month of the
  pandemic's lockdown year, March 2020 to March 2021).
- ``phi``: Pearson chi-squared over residual degrees of freedom of a Poisson GLM of the monthly
  counts on month of year and a natural-spline trend (one degree of freedom per year, at most 8),
  fitted to the last (up to) 96 months before March 2020; at least 1.
- ``sigma2_y = max(0, Var(H) - phi * mean(1/C_s + 1/P_s))``: year-to-year variation beyond
  chance, and ``z = r / sqrt(phi * (1/C + 1/P) + sigma2_y)``.
- ``|z| < 1.96``: within the range of normal variation; otherwise a larger rise or fall than
  usual. With fewer than 36 values in ``H`` the change is judged against chance fluctuation only
  (the quasi-Poisson conditional test of :func:`quasi_poisson_test`); with fewer than 20 crimes
  in either window no verdict is given.

Examples
--------
>>> result = judge_change(monthly, "2022-09")                  # doctest: +SKIP
>>> result.verdict, result.usual_range_pct, result.reference   # doctest: +SKIP
('within', (-8.9, 12.2), '12-month changes 2012-03..2020-02, n=96')
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

# poisson_dispersion: offered here too, beside the two tests it serves
from slp.dispersion import (  # noqa: F401
    PANDEMIC,
    Dispersion,
    estimate_dispersion,
    poisson_dispersion,
)
from slp.errors import SlpError
from slp.periods import parse_month
from slp.seasonality import as_monthly

#: No verdict when either window holds fewer crimes than this.
MIN_COUNT = 20
#: Fewer reference changes than this: judge against chance fluctuation only.
MIN_REFERENCE = 36
#: Two-sided 95% critical value of the standard normal.
Z_95 = float(stats.norm.ppf(0.975))
VERDICTS = ("within", "larger_rise", "larger_fall")
WORDS = {
    "within": "within the range of normal year-to-year variation",
    "larger_rise": "a larger rise than usual",
    "larger_fall": "a larger fall than usual",
    None: "too few crimes to judge",
}


# --------------------------------------------------------------------------- the two tests


def quasi_poisson_test(current: float, previous: float, phi: float = 1.0,
                       exposure_ratio: float = 1.0) -> tuple[float, float]:
    """Quasi-Poisson conditional test of two counts (normal approximation), chance only.

    Given ``n = current + previous``, ``current`` is Binomial(``n``, ``q``) under no change,
    ``q = rho / (1 + rho)`` with ``rho`` the exposure ratio; over-dispersion inflates the
    variance by ``phi``: ``z = (c - n q) / sqrt(phi n q (1 - q))``.

    Parameters
    ----------
    current, previous : float
        The two counts.
    phi : float, default 1.0
        Dispersion (1 = Poisson).
    exposure_ratio : float, default 1.0
        Expected ratio of ``current`` to ``previous`` under no change (e.g. the seasonal ratio).

    Returns
    -------
    (float, float)
        ``z`` and its two-sided p-value.

    Examples
    --------
    >>> z, p = quasi_poisson_test(15, 5, phi=2)
    >>> round(z, 4), round(p, 4)
    (1.5811, 0.1138)
    """
    n = float(current) + float(previous)
    q = float(exposure_ratio) / (1.0 + float(exposure_ratio))
    if n == 0:
        return float("nan"), float("nan")
    z = (float(current) - n * q) / math.sqrt(float(phi) * n * q * (1.0 - q))
    return z, float(2.0 * stats.norm.sf(abs(z)))


def chance_range(total: float, phi: float = 1.0, exposure_ratio: float = 1.0,
                 alpha: float = 0.05) -> tuple[float, float] | None:
    """The changes (in %) chance alone gives between two periods holding ``total`` crimes:
    the range of ``current / previous - 1`` with ``|z| <`` the two-sided ``alpha`` point of
    :func:`quasi_poisson_test`, so a change is inside it exactly when that test calls it
    within normal variation. None when the range is unbounded (too few crimes).

    Examples
    --------
    >>> low, high = chance_range(400)           # 200 + 200 crimes, Poisson: 200 +- 19.6
    >>> round(low, 1), round(high, 1)
    (-17.9, 21.7)
    """
    n = float(total)
    q = float(exposure_ratio) / (1.0 + float(exposure_ratio))
    half = float(stats.norm.isf(alpha / 2)) * math.sqrt(float(phi) * n * q * (1.0 - q))
    low, high = n * q - half, n * q + half
    if low <= 0 or high >= n:
        return None
    return 100.0 * (low / (n - low) - 1.0), 100.0 * (high / (n - high) - 1.0)


def history_test(r: float, current: float, previous: float, reference, reference_current,
                 reference_previous, phi: float = 1.0) -> tuple[float, float, float]:
    """z of a log ratio against the area's history of log ratios (variance components).

    ``sigma2_y = max(0, Var(H) - phi * mean(1/C_s + 1/P_s))`` and
    ``z = r / sqrt(phi * (1/C + 1/P) + sigma2_y)``. When the counts are large this is
    ``r / SD(H)``.

    Parameters
    ----------
    r : float
        Log ratio of the current change (seasonally adjusted where needed).
    current, previous : float
        Its two counts.
    reference : array-like
        The reference log ratios ``H``.
    reference_current, reference_previous : array-like
        The counts ``C_s`` and ``P_s`` behind each reference value.
    phi : float, default 1.0
        Dispersion.

    Returns
    -------
    (float, float, float)
        ``z``, its two-sided p-value and ``sigma2_y``.

    Examples
    --------
    >>> h = [-0.10, -0.05, 0.0, 0.05, 0.10]
    >>> z, p, _ = history_test(math.log(1.1), 1100, 1000, h, [1100] * 5, [1000] * 5)
    >>> round(z, 4), round(p, 3)
    (1.2056, 0.228)
    """
    h = np.asarray(reference, dtype=float)
    chance = np.mean(1.0 / np.asarray(reference_current, float)
                     + 1.0 / np.asarray(reference_previous, float))
    sigma2_y = max(0.0, float(np.var(h, ddof=1)) - float(phi) * float(chance))
    z = float(r) / math.sqrt(float(phi) * (1.0 / current + 1.0 / previous) + sigma2_y)
    return z, float(2.0 * stats.norm.sf(abs(z))), sigma2_y


# ------------------------------------------------------------------------------ the verdict


@dataclass(frozen=True)
class ChangeVerdict:
    """Whether a change is unusual for the area: the answer and everything behind it.

    Attributes
    ----------
    period_end : pandas.Period
        Last month of the current window.
    months, lag : int
        Window length, and how many months earlier the compared window ends (``lag == months``:
        the previous window; 12: the same months a year earlier).
    current, previous : int
        Crimes in the two windows.
    change_pct : float or None
        ``100 * (current / previous - 1)``, as recorded (no seasonal adjustment).
    expected_ratio : float
        Ratio the usual seasonal pattern alone gives (1 for windows of the same calendar months).
    r : float or None
        ``ln(current / previous) - ln(expected_ratio)``.
    z, p : float or None
        Test statistic and two-sided p-value; ``None`` without a verdict.
    verdict : str or None
        ``"within"``, ``"larger_rise"``, ``"larger_fall"``, or ``None`` (too few crimes).
    usual_range_pct : tuple of float or None
        5th and 95th percentiles of the reference changes, in % (as recorded at this time of
        year); ``None`` with fewer than 12 reference changes.
    reference : str
        The reference set in words, e.g. ``"12-month changes 2012-03..2020-02, n=96"``.
    n_reference : int
        Number of reference changes.
    sd_reference : float or None
        Sample standard deviation of the reference log ratios (the typical change, on the log
        scale); ``None`` with fewer than 2.
    phi, sigma2_y : float
        Dispersion and year-to-year variance beyond chance (0 for the chance-only method).
    method : str
        ``"history"``, ``"chance only"`` (fewer than 36 reference changes) or
        ``"too few crimes"``.
    p_adjusted : float or None
        Benjamini-Hochberg adjusted p across the rows of a table (see :func:`judge_rows`).
    reference_years : str
        The years of the reference changes' period ends, e.g. ``"2012-2020"`` (``""`` when
        there are none), quoted with the usual range.
    """

    period_end: pd.Period
    months: int
    lag: int
    current: int
    previous: int
    change_pct: float | None
    expected_ratio: float
    r: float | None
    z: float | None
    p: float | None
    verdict: str | None
    usual_range_pct: tuple[float, float] | None
    reference: str
    n_reference: int
    sd_reference: float | None
    phi: float
    sigma2_y: float
    method: str
    p_adjusted: float | None = None
    reference_years: str = ""

    @property
    def words(self) -> str:
        """The verdict in plain English (see :func:`describe_verdict`)."""
        return describe_verdict(self)

    def figures(self) -> dict:
        """The ``figures.json`` fields: verdict, usual_range_pct, z, reference (plus method and
        the two-sided p of the test, ``p``)."""
        low_high = None if self.usual_range_pct is None else [round(v, 1) for v in
                                                              self.usual_range_pct]
        return {"verdict": self.verdict, "usual_range_pct": low_high,
                "z": None if self.z is None else round(self.z, 3), "reference": self.reference,
                "method": self.method, "p": None if self.p is None else round(self.p, 4)}


def _label(z: float | None, p: float | None, alpha: float = 0.05) -> str | None:
    if z is None or p is None or not np.isfinite(z):
        return None
    if p >= alpha:
        return "within"
    return "larger_rise" if z > 0 else "larger_fall"


def _runs(months: Sequence[pd.Period]) -> str:
    """'2012-03..2020-02, 2023-03..2023-07' for sorted months."""
    runs, start, prev = [], None, None
    for m in months:
        if start is None:
            start = prev = m
        elif (m - prev).n == 1:
            prev = m
        else:
            runs.append((start, prev))
            start = prev = m
    if start is not None:
        runs.append((start, prev))
    return ", ".join(f"{a}..{b}" if a != b else str(a) for a, b in runs) or "none"


def _years(months: Sequence[pd.Period]) -> str:
    """'2012-2020 and 2023-2026' for the sorted period ends of the reference changes."""
    spans = []
    for run in _runs(months).split(", ") if len(months) else []:
        first, _, last = run.partition("..")
        a, b = first[:4], (last or first)[:4]
        spans.append(a if a == b else f"{a}-{b}")
    return " and ".join(dict.fromkeys(spans))


def _windows_ratio(factors: tuple[float, ...], month: int, months: int, lag: int) -> float:
    now = sum(factors[(month - 1 - k) % 12] for k in range(months))
    then = sum(factors[(month - 1 - lag - k) % 12] for k in range(months))
    return float(now / then)


@functools.lru_cache(maxsize=1024)
def _offsets(factors: tuple[float, ...], months: int, lag: int) -> dict[int, float]:
    """Log seasonal ratio of the windows ending in each month (1-12), for the seasonal
    ``factors`` of January to December (read only)."""
    return {m: math.log(_windows_ratio(factors, m, months, lag)) for m in range(1, 13)}


def _reference_ends(index: pd.PeriodIndex, end: pd.Period, span: int) -> pd.PeriodIndex:
    """Earlier ends whose ``span`` months all exist and avoid March 2020 - March 2021."""
    first = index[0] + (span - 1)
    ends = index[(index >= first) & (index < end)]
    starts = ends - (span - 1)
    return ends[(ends < PANDEMIC[0]) | (starts > PANDEMIC[1])]


def _describe_reference(months: int, lag: int, ends, method: str) -> str:
    what = f"{months}-month changes"
    if lag == 12 and months != 12:
        what += " against the same months a year earlier"
    elif lag != months:
        what = f"{months}-month totals against those {lag} months earlier"
    runs = _runs(list(ends)) if len(ends) else "(none in the data outside March 2020 - March 2021)"
    text = f"{what} {runs}, n={len(ends)}"
    if method == "chance only":
        text += " (too few: compared with chance fluctuation only)"
    return text


def judge_change(series: pd.Series, period_end: str | pd.Period, months: int = 12,
                 lag: int | None = None, dispersion: Dispersion | None = None,
                 alpha: float = 0.05) -> ChangeVerdict:
    """Is the change to ``period_end`` unusual for this area and category?

    Parameters
    ----------
    series : pandas.Series
        Monthly counts of one area and category, indexed by month (``Period[M]``), no gaps.
    period_end : str or pandas.Period
        Last month of the current window, ``YYYY-MM``.
    months : int, default 12
        Window length (12, 6 or 3).
    lag : int, optional
        How many months before ``period_end`` the compared window ends: by default ``months``
        (the previous window, as the partnership plan compares); 12 for the same months a year
        earlier; 31 for the 12 months to September 2022 against the 12 months to February 2020.
    dispersion : Dispersion, optional
        From :func:`estimate_dispersion`; computed from ``series`` when not given (pass it to
        judge many period ends of one series quickly).
    alpha : float, default 0.05
        Two-sided level: ``|z| >= 1.96`` at 0.05.

    Returns
    -------
    ChangeVerdict

    Raises
    ------
    SlpError
        If the series does not cover both windows.

    Examples
    --------
    >>> v = judge_change(lewisham_all_crime, "2022-09")     # doctest: +SKIP
    >>> v.verdict, round(v.z, 2), v.reference               # doctest: +SKIP
    ('within', 0.88, '12-month changes 2012-03..2020-02, n=96')
    """
    y = as_monthly(series, what="monthly series")
    end, k = parse_month(period_end), int(months)
    lag = k if lag is None else int(lag)
    if k < 1 or lag < k:
        raise SlpError(f"judge_change: months must be 1 or more and lag at least months; got "
                       f"months={months}, lag={lag}")
    span = lag + k
    if end not in y.index or end - (span - 1) < y.index[0]:
        raise SlpError(
            f"judge_change: the {k} months to {end} against those {lag} months earlier need the "
            f"months {end - (span - 1)} to {end}; the series covers {y.index[0]} to {y.index[-1]}")
    disp = dispersion or estimate_dispersion(y)
    total = y.rolling(k).sum()
    before = total.shift(lag)
    offsets = _offsets(tuple(float(disp.seasonal[m]) for m in range(1, 13)), k, lag)
    c, q = int(total[end]), int(before[end])
    expected = math.exp(offsets[end.month])
    ends = _reference_ends(y.index, end, span)
    cs, ps = total.loc[ends].to_numpy(float), before.loc[ends].to_numpy(float)
    keep = (cs > 0) & (ps > 0)
    ends, cs, ps = ends[keep], cs[keep], ps[keep]
    h = np.log(cs / ps) - np.array([offsets[m.month] for m in ends])
    usual = None
    change = 100.0 * (c / q - 1.0) if q > 0 else None
    r = math.log(c / q) - offsets[end.month] if c > 0 and q > 0 else None
    if min(c, q) < MIN_COUNT:
        method, z, p, sigma2 = "too few crimes", None, None, 0.0
    elif len(h) >= MIN_REFERENCE:
        method = "history"
        z, p, sigma2 = history_test(r, c, q, h, cs, ps, disp.phi)
        low, high = np.percentile(np.exp(h + offsets[end.month]) - 1.0, [5, 95])
        usual = (100.0 * float(low), 100.0 * float(high))
    else:
        method, sigma2 = "chance only", 0.0
        z, p = quasi_poisson_test(c, q, disp.phi, expected)
        # the range chance gives, where a range of past changes used to be shown: a dozen
        # past changes (three years of files) make too narrow a range to set beside a
        # chance-only verdict
        usual = chance_range(c + q, disp.phi, expected, alpha) if len(h) >= 12 else None
    return ChangeVerdict(end, k, lag, c, q, change, expected, r, z, p, _label(z, p, alpha),
                         usual, _describe_reference(k, lag, ends, method), len(h),
                         float(np.std(h, ddof=1)) if len(h) > 1 else None, disp.phi, sigma2,
                         method, reference_years=_years(list(ends)))


def adjust_p(p_values, alpha: float = 0.05) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values across the rows of one table; NaN rows left out.

    Parameters
    ----------
    p_values : array-like
        One p-value per row; ``nan`` (or None) for rows not tested.
    alpha : float, default 0.05
        False discovery rate (passed to statsmodels; the adjusted values do not depend on it).

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, ``nan`` where the input was.

    Examples
    --------
    >>> adjust_p([0.01, 0.04, None, 0.5]).round(2).tolist()
    [0.03, 0.06, nan, 0.5]
    """
    p = np.array([np.nan if v is None else float(v) for v in p_values], dtype=float)
    out = np.full(len(p), np.nan)
    tested = np.isfinite(p)
    if tested.any():
        out[tested] = multipletests(p[tested], alpha=alpha, method="fdr_bh")[1]
    return out


def judge_rows(verdicts: Sequence[ChangeVerdict], alpha: float = 0.05) -> list[ChangeVerdict]:
    """Benjamini-Hochberg across the rows of one table: verdicts re-judged on adjusted p.

    Rows without a verdict (too few crimes) are left as they are and not counted.

    Parameters
    ----------
    verdicts : sequence of ChangeVerdict
        One per table row (categories, wards).
    alpha : float, default 0.05
        False discovery rate.

    Returns
    -------
    list of ChangeVerdict
        Same order, with ``p_adjusted`` set and ``verdict`` from it (sign from ``z``).
    """
    adjusted = adjust_p([v.p for v in verdicts], alpha)
    return [v if np.isnan(p_adj) else
            replace(v, p_adjusted=float(p_adj), verdict=_label(v.z, float(p_adj), alpha))
            for v, p_adj in zip(verdicts, adjusted, strict=True)]


def describe_verdict(result: ChangeVerdict, area: str = "") -> str:
    """The verdict as a public sentence, with the usual range where there is one.

    Parameters
    ----------
    result : ChangeVerdict
        From :func:`judge_change` (or :func:`judge_rows`).
    area : str, optional
        Area name used in the usual-range clause.

    Returns
    -------
    str
        E.g. ``"within the range of normal year-to-year variation (12-month changes in
        Lewisham were between -8.9% and +12.2% in nine years out of ten)"``.

    Examples
    --------
    >>> v = ChangeVerdict(pd.Period("2022-09", "M"), 12, 12, 28409, 26636, 6.66, 1.0, 0.0644,
    ...                   0.88, 0.38, "within", (-8.9, 12.2), "", 96, 0.073, 3.1, 0.005,
    ...                   "history")
    >>> describe_verdict(v, "Lewisham")
    'within the range of normal year-to-year variation (12-month changes in Lewisham were between -8.9% and +12.2% in nine years out of ten)'
    """
    words = WORDS[result.verdict]
    if result.verdict is None:
        return words
    yearly = result.months == 12 or result.lag == 12
    if not yearly:
        words = words.replace("normal year-to-year variation", "normal variation")
    if result.months % 12 and result.lag % 12:
        words += ", after allowing for the usual seasonal pattern"
    if result.method == "chance only":
        words += " (compared with chance fluctuation only: too little history to judge against)"
    elif result.usual_range_pct is not None:
        low, high = result.usual_range_pct
        where = f" in {area}" if area else ""
        often = "in nine years out of ten" if yearly else "nine times out of ten"
        years = f", {result.reference_years}" if result.reference_years else ""
        words += (f" ({result.months}-month changes{where} were between {low:+.1f}% and "
                  f"{high:+.1f}% {often}{years})")
    return words

