"""Is the change real? Tests for changes in counts, and funnel-plot limits for comparing rates.

Recorded crime counts are treated as Poisson counts. A change between two periods is tested with
the exact conditional test for two Poisson counts: given the total ``n = current + previous``, the
current count is Binomial(``n``, ``r / (1 + r)``) when the two periods share the same underlying
rate, ``r`` being the ratio of exposures (population x months) of the current to the previous
period (Przyborowski & Wilenski 1940; the "exact-cond" method of
``statsmodels.stats.rates.test_poisson_2indep``).

Police recorded crime is usually *over*-dispersed (it varies more from year to year than a Poisson
count would), so with counts in the thousands this test calls even modest changes significant. Read
a significant result as "larger than chance alone would give", not as "large".

Funnel limits follow Spiegelhalter (2005), "Funnel plots for comparing institutional
performance", Statistics in Medicine 24:1185-1202: exact Poisson quantiles of the count expected
at the target rate, interpolated between whole numbers so the funnel is smooth.

:func:`change_funnel` asks whether an area *changed* differently from the whole (a borough from
London, a ward from its borough), with the between-area over-dispersion of Spiegelhalter (2005b).
Whether a change is unusual for the area itself is :func:`slp.variation.judge_change`, which
allows for the year-to-year variation of recorded crime; :func:`compare_counts` (chance alone)
is kept for callers that need the exact Poisson test.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from slp.errors import SlpError


@dataclass(frozen=True)
class ChangeTest:
    """Result of comparing two counts with :func:`compare_counts`.

    Attributes
    ----------
    current, previous : int
        The two counts compared.
    exposure_ratio : float
        Exposure of the current period divided by that of the previous (1.0 for the same
        population over windows of the same length).
    rate_ratio : float
        ``(current / previous) / exposure_ratio``; ``inf`` when ``previous`` is 0 and
        ``current`` is not, ``nan`` when both are 0.
    ci_low, ci_high : float
        Confidence interval for the rate ratio at level ``1 - alpha`` (from the exact
        Clopper-Pearson interval for the binomial proportion ``current / n``).
    p_value : float
        Two-sided p-value of the exact conditional test of equal rates.
    significant : bool
        ``p_value < alpha``.
    alpha : float
        Significance level used.
    """

    current: int
    previous: int
    exposure_ratio: float
    rate_ratio: float
    ci_low: float
    ci_high: float
    p_value: float
    significant: bool
    alpha: float = 0.05

    @property
    def change_pct(self) -> float:
        """Percentage change of the rate, ``100 * (rate_ratio - 1)`` (``nan`` if undefined)."""
        if not np.isfinite(self.rate_ratio):
            return float("nan")
        return 100.0 * (self.rate_ratio - 1.0)

    @property
    def direction(self) -> str:
        """``"increase"``, ``"decrease"`` or ``"no change"`` (of the rate, ignoring significance)."""
        if math.isnan(self.rate_ratio) or self.rate_ratio == 1.0:
            return "no change"
        return "increase" if self.rate_ratio > 1.0 else "decrease"


def _count(value, name: str) -> int:
    number = float(value)
    if not np.isfinite(number) or number < 0 or number != int(number):
        raise SlpError(f"{name} must be a whole number of crimes, 0 or more; got {value!r}")
    return int(number)


def compare_counts(
    current: int, previous: int, exposure_ratio: float = 1.0, alpha: float = 0.05
) -> ChangeTest:
    """Test whether ``current`` differs from ``previous`` by more than chance.

    Uses the exact conditional binomial test for two Poisson counts: given
    ``n = current + previous``, ``current ~ Binomial(n, p0)`` under equal rates, with
    ``p0 = r / (1 + r)`` and ``r = exposure_ratio``. The two-sided p-value is that of
    :func:`scipy.stats.binomtest` (sum of the probabilities of all outcomes no more likely than
    the one observed); the interval for the rate ratio ``theta`` maps the Clopper-Pearson interval
    ``(pl, pu)`` for ``p`` through ``theta = p / (1 - p) / r``.

    Parameters
    ----------
    current : int
        Count in the current period.
    previous : int
        Count in the period compared with.
    exposure_ratio : float, default 1.0
        Exposure of the current period over exposure of the previous one, e.g.
        ``population_now / population_then`` or ``months_now / months_then``.
    alpha : float, default 0.05
        Significance level; the interval has confidence ``1 - alpha``.

    Returns
    -------
    ChangeTest
        p-value, significance flag, rate ratio and its confidence interval.

    Raises
    ------
    SlpError
        If a count is negative or not whole, ``exposure_ratio`` is not positive or ``alpha`` is
        not between 0 and 1.

    Notes
    -----
    The p-value (minimum-likelihood two-sided) and the interval (central, Clopper-Pearson) are the
    conventional pair but are not exact inverses: at the very edge of significance the interval
    can just include 1 while ``p < alpha``, or the reverse.

    Examples
    --------
    >>> result = compare_counts(15, 5)
    >>> round(result.p_value, 4), result.significant
    (0.0414, True)
    """
    c = _count(current, "current")
    p = _count(previous, "previous")
    r = float(exposure_ratio)
    if not np.isfinite(r) or r <= 0:
        raise SlpError(f"exposure_ratio must be a positive number; got {exposure_ratio!r}")
    if not 0 < float(alpha) < 1:
        raise SlpError(f"alpha must be between 0 and 1; got {alpha!r}")
    n = c + p
    if n == 0:
        return ChangeTest(c, p, r, float("nan"), 0.0, float("inf"), 1.0, False, float(alpha))
    p0 = r / (1.0 + r)
    test = stats.binomtest(c, n, p0, alternative="two-sided")
    # Clopper-Pearson as beta quantiles: the same interval as binomtest's
    # ``proportion_ci(method="exact")``, without its root finding (a hundred times faster).
    a = float(alpha)
    low = 0.0 if c == 0 else float(stats.beta.ppf(a / 2, c, n - c + 1))
    high = 1.0 if c == n else float(stats.beta.ppf(1 - a / 2, c + 1, n - c))

    def to_ratio(prop: float) -> float:
        return float("inf") if prop >= 1.0 else prop / (1.0 - prop) / r

    ratio = float("inf") if p == 0 else (c / p) / r
    p_value = float(min(1.0, test.pvalue))
    return ChangeTest(
        current=c,
        previous=p,
        exposure_ratio=r,
        rate_ratio=ratio,
        ci_low=to_ratio(low),
        ci_high=to_ratio(high),
        p_value=p_value,
        significant=bool(p_value < alpha),
        alpha=float(alpha),
    )


def describe_change(result: ChangeTest) -> str:
    """Say in words whether a change is statistically significant.

    Parameters
    ----------
    result : ChangeTest
        Output of :func:`compare_counts`.

    Returns
    -------
    str
        ``"a statistically significant increase"``, ``"a statistically significant decrease"``,
        or ``"within normal variation (not statistically significant at the 95% level)"``.

    Examples
    --------
    >>> describe_change(compare_counts(15, 5))
    'a statistically significant increase'
    >>> describe_change(compare_counts(12, 10))
    'within normal variation (not statistically significant at the 95% level)'
    """
    if result.significant and result.direction != "no change":
        return f"a statistically significant {result.direction}"
    level = f"{100 * (1 - result.alpha):g}"
    return f"within normal variation (not statistically significant at the {level}% level)"


def level_tag(level: float) -> str:
    """Column suffix for a confidence level: 0.95 -> ``"95"``, 0.998 -> ``"998"``."""
    return f"{100 * float(level):g}".replace(".", "")


def _poisson_limit(expected: np.ndarray, prob: float) -> np.ndarray:
    """Spiegelhalter's interpolated ``prob`` quantile of Poisson(``expected``), as a count."""
    mean = np.where(expected > 0, expected, 1.0)  # Poisson(0) is 0 always; patched below
    r = stats.poisson.ppf(prob, mean)
    at_r = stats.poisson.cdf(r, mean)
    mass = stats.poisson.pmf(r, mean)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(mass > 0, (at_r - prob) / mass, 0.0)
    return np.where(expected > 0, np.maximum(r - alpha, 0.0), 0.0)


def _check_levels(levels: Iterable[float]) -> list[float]:
    out = [float(level) for level in levels]
    if not out or any(not 0 < level < 1 for level in out):
        raise SlpError(f"levels must be between 0 and 1, e.g. (0.95, 0.998); got {levels!r}")
    return out


def funnel_limits(
    populations,
    target_rate: float,
    levels: Iterable[float] = (0.95, 0.998),
    per: float = 1000.0,
    tau2: float = 0.0,
) -> pd.DataFrame:
    """Poisson control limits of a funnel plot of rates against population.

    For each population ``N`` the count expected at the target rate is
    ``E = target_rate * N / per``; the limits at level ``L`` are the interpolated
    ``(1 - L) / 2`` and ``(1 + L) / 2`` quantiles of Poisson(``E``) (Spiegelhalter 2005,
    appendix A.1.2: ``r_p - a`` with ``r_p`` the exact quantile and
    ``a = (F(r_p) - p) / (F(r_p) - F(r_p - 1))``), divided by ``N / per`` to give rates. A lower
    limit the formula puts below 0 (tiny expected counts) is set to 0.

    With ``tau2 > 0`` (between-area variance from :func:`estimate_overdispersion`) the limits
    are the random-effects ones of Spiegelhalter (2005b), on the normal approximation:
    ``target_rate +/- z * sqrt(per * target_rate / N + tau2)``.

    Parameters
    ----------
    populations : array-like or pandas.Series
        Populations at which to compute the limits: the areas' own populations, or a grid
        (e.g. ``numpy.linspace``) to draw the funnel. A Series keeps its index.
    target_rate : float
        The rate the funnel is centred on, per ``per`` residents (e.g. the London rate).
    levels : iterable of float, default (0.95, 0.998)
        Two-sided coverage of each pair of limits (about 2 and 3 standard deviations).
    per : float, default 1000
        Rates are per this many residents.
    tau2 : float, default 0.0
        Between-area variance of the rates (per ``per`` residents, squared); 0 gives the exact
        Poisson limits.

    Returns
    -------
    pandas.DataFrame
        One row per population, with columns ``population``, ``expected`` (count at the target
        rate), ``target_rate``, and ``lower_<L>``, ``upper_<L>`` for each level as rates per
        ``per`` (``<L>`` is :func:`level_tag`: ``lower_95``, ``upper_95``, ``lower_998``,
        ``upper_998``).

    Raises
    ------
    SlpError
        If a population is not positive, the target rate is negative or a level is not in (0, 1).

    Examples
    --------
    >>> limits = funnel_limits([100_000], target_rate=90.0)
    >>> round(float(limits["upper_95"].iloc[0]), 2)
    91.86
    """
    index = populations.index if isinstance(populations, pd.Series) else None
    pop = np.asarray(populations, dtype=float).reshape(-1)
    if pop.size == 0 or not np.all(np.isfinite(pop)) or np.any(pop <= 0):
        raise SlpError("funnel_limits: every population must be a positive number")
    if not np.isfinite(target_rate) or target_rate < 0:
        raise SlpError(f"funnel_limits: target_rate must be 0 or more; got {target_rate!r}")
    scale = pop / float(per)
    expected = float(target_rate) * scale
    out = pd.DataFrame(
        {"population": pop, "expected": expected, "target_rate": float(target_rate)},
        index=index,
    )
    if not np.isfinite(tau2) or tau2 < 0:
        raise SlpError(f"funnel_limits: tau2 must be 0 or more; got {tau2!r}")
    spread = np.sqrt(float(per) * float(target_rate) / pop + float(tau2))
    for level in _check_levels(levels):
        tail = (1.0 - level) / 2.0
        tag = level_tag(level)
        if tau2 > 0:
            z = stats.norm.ppf(1.0 - tail)
            out[f"lower_{tag}"] = np.maximum(float(target_rate) - z * spread, 0.0)
            out[f"upper_{tag}"] = float(target_rate) + z * spread
        else:
            out[f"lower_{tag}"] = _poisson_limit(expected, tail) / scale
            out[f"upper_{tag}"] = _poisson_limit(expected, 1.0 - tail) / scale
    return out


@dataclass(frozen=True)
class Overdispersion:
    """How much more areas differ than Poisson chance allows (Spiegelhalter 2005b).

    Attributes
    ----------
    phi : float
        Mean squared (winsorised) z-score of the areas against the target; about 1 when the
        areas differ only by Poisson chance.
    tau2 : float
        Additive between-area variance of the rates (per 1,000 residents, squared), the
        DerSimonian-Laird moment estimate; 0 when ``phi * n <= n - 1``.
    areas : int
        Number of areas used.
    """

    phi: float
    tau2: float
    areas: int


def estimate_overdispersion(
    counts: pd.Series,
    populations: pd.Series,
    target_rate: float | None = None,
    per: float = 1000.0,
    winsorize: float = 0.1,
) -> Overdispersion:
    """Estimate how over-dispersed area rates are, for random-effects funnel limits.

    Follows Spiegelhalter (2005b), "Handling over-dispersion of performance indicators",
    Quality and Safety in Health Care 14:347-351: ``z_i = (y_i - t) / s_i`` with
    ``s_i^2 = per * t / N_i`` (Poisson variance of the rate ``y_i`` at target ``t``), the
    z-scores winsorised at the ``winsorize`` and ``1 - winsorize`` quantiles,
    ``phi = mean(z^2)``, and
    ``tau2 = (n * phi - (n - 1)) / (sum(w) - sum(w^2) / sum(w))`` with ``w_i = 1 / s_i^2``
    (0 if negative).

    Parameters
    ----------
    counts, populations : pandas.Series
        Crimes and residents per area (same index labels).
    target_rate : float, optional
        Per ``per`` residents; by default the overall rate of the areas given.
    per : float, default 1000
        Rates are per this many residents.
    winsorize : float, default 0.1
        Share of z-scores pulled in at each end so that a few outliers do not inflate ``phi``.

    Returns
    -------
    Overdispersion
        ``phi``, ``tau2`` and the number of areas.
    """
    pop = populations.reindex(counts.index).astype(float).to_numpy()
    count = counts.astype(float).to_numpy()
    if target_rate is None:
        target_rate = float(per) * count.sum() / pop.sum()
    rate = float(per) * count / pop
    variance = float(per) * float(target_rate) / pop
    z = (rate - float(target_rate)) / np.sqrt(variance)
    phi, tau2 = _phi_tau2(z, 1.0 / variance, winsorize)
    return Overdispersion(phi=phi, tau2=tau2, areas=len(z))


def _phi_tau2(z: np.ndarray, w: np.ndarray, winsorize: float) -> tuple[float, float]:
    """Spiegelhalter's winsorised ``phi = mean(z^2)`` and DerSimonian-Laird ``tau2``."""
    if winsorize > 0:
        low, high = np.percentile(z, [100 * winsorize, 100 * (1 - winsorize)])
        z = np.clip(z, low, high)
    n = len(z)
    phi = float(np.mean(z**2))
    tau2 = max(0.0, (n * phi - (n - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    return phi, float(tau2)


def funnel_table(
    counts: pd.Series,
    populations: pd.Series,
    target_rate: float | None = None,
    levels: Iterable[float] = (0.95, 0.998),
    per: float = 1000.0,
    overdispersed: bool = False,
) -> pd.DataFrame:
    """Each area's rate, its funnel limits, and whether it lies above, below or within them.

    Borough crime counts run to tens of thousands, and boroughs differ far more than Poisson
    chance allows (in the 12 months to September 2022, 31 of the 32 London boroughs lie outside
    the 99.8% Poisson limits). ``overdispersed=True`` widens the limits by the between-borough
    variance (:func:`estimate_overdispersion`), so that "outside" means unusual among boroughs
    rather than merely not identical to London.

    Parameters
    ----------
    counts : pandas.Series
        Crimes per area (index: area name or code).
    populations : pandas.Series
        Residents per area, same index labels as ``counts`` (extra areas are ignored).
    target_rate : float, optional
        Centre of the funnel per ``per`` residents; by default the overall rate of all areas
        given, ``per * counts.sum() / populations.sum()`` (London, for the 32 boroughs).
    levels : iterable of float, default (0.95, 0.998)
        Coverage of each pair of limits.
    per : float, default 1000
        Rates are per this many residents.
    overdispersed : bool, default False
        Use random-effects limits (Spiegelhalter 2005b) instead of exact Poisson ones.

    Returns
    -------
    pandas.DataFrame
        One row per area, in the order of ``counts``, with columns ``area``, ``count``,
        ``population``, ``rate_per_1000`` (per ``per``), ``expected``, ``target_rate``, ``tau2``
        (0 for Poisson limits), and for each level ``lower_<L>``, ``upper_<L>`` and
        ``position_<L>`` (``"above"``, ``"below"`` or ``"within"``), e.g. ``position_95`` and
        ``position_998``.

    Raises
    ------
    SlpError
        If an area of ``counts`` has no population.
    """
    missing = [a for a in counts.index if a not in populations.index]
    if missing:
        raise SlpError(
            f"funnel_table: no population for {', '.join(map(str, missing[:5]))}"
            f"{' ...' if len(missing) > 5 else ''}; the population index holds "
            f"{', '.join(map(str, list(populations.index)[:5]))} ..."
        )
    pop = populations.reindex(counts.index).astype(float)
    count = counts.astype(float)
    if target_rate is None:
        target_rate = float(per) * count.sum() / pop.sum()
    tau2 = 0.0
    if overdispersed:
        tau2 = estimate_overdispersion(counts, pop, target_rate, per=per).tau2
    limits = funnel_limits(pop, target_rate, levels=levels, per=per, tau2=tau2)
    rate = float(per) * count / pop
    out = pd.DataFrame(
        {
            "area": counts.index.to_numpy(),
            "count": counts.to_numpy(),
            "population": pop.to_numpy(),
            "rate_per_1000": rate.to_numpy(),
        }
    )
    out["expected"] = limits["expected"].to_numpy()
    out["target_rate"] = limits["target_rate"].to_numpy()
    out["tau2"] = tau2
    for column in limits.columns.drop(["population", "expected", "target_rate"]):
        out[column] = limits[column].to_numpy()
    for level in _check_levels(levels):
        tag = level_tag(level)
        out[f"position_{tag}"] = np.select(
            [
                out["rate_per_1000"] > out[f"upper_{tag}"],
                out["rate_per_1000"] < out[f"lower_{tag}"],
            ],
            ["above", "below"],
            default="within",
        )
    return out


def change_funnel(current: pd.Series, previous: pd.Series, target: float | None = None, *,
                  level: float = 0.95, winsorize: float = 0.1, min_count: int = 20) -> pd.DataFrame:
    """Did each area change differently from the whole (London, or a ward's borough)?

    A funnel plot of *changes* with between-area over-dispersion (Spiegelhalter 2005a, 2005b):
    ``y_b = ln(C_b / P_b)`` with within-area variance ``s_b^2 = 1/C_b + 1/P_b``, target
    ``theta = ln(sum C / sum P)`` (or ``target``), ``z_b = (y_b - theta) / s_b`` winsorised at
    the ``winsorize`` and ``1 - winsorize`` quantiles, ``phi = mean(z^2)``, and
    ``tau2 = max(0, (n phi - (n - 1)) / (sum w - sum w^2 / sum w))`` with ``w = 1 / s^2``. An
    area differs when ``|y_b - theta| > z_L sqrt(s_b^2 + tau2)``.

    Parameters
    ----------
    current, previous : pandas.Series
        Crimes per area in the two windows (same index labels), e.g. the 32 boroughs, or the
        wards of one borough.
    target : float, optional
        ``theta``; by default the log ratio of the totals given. For wards against their borough
        pass the borough's ``ln(C / P)``.
    level : float, default 0.95
        Two-sided coverage of the limits.
    winsorize : float, default 0.1
        Share of z-scores pulled in at each end before estimating ``phi``.
    min_count : int, default 20
        Areas with fewer crimes than this in either window get no verdict (``differs`` is
        ``None``) and are left out of ``phi`` and ``tau2``.

    Returns
    -------
    pandas.DataFrame
        One row per area in the order of ``current``, columns ``area``, ``current``,
        ``previous``, ``change_pct``, ``y``, ``s2``, ``theta``, ``tau2``, ``phi``, ``z``
        (``(y - theta) / sqrt(s2 + tau2)``), ``p`` (its two-sided p-value, for adjusting
        across rows), ``z_poisson`` (``(y - theta) / s``), ``lower``,
        ``upper`` (limits for ``y``), ``position`` (``"above"``, ``"below"``, ``"within"`` or
        ``None``) and ``differs`` (True, False or None).

    Raises
    ------
    SlpError
        If an area of ``current`` has no previous count, or a count is negative.

    Examples
    --------
    >>> out = change_funnel(pd.Series([110, 100, 95, 130]), pd.Series([100, 100, 100, 100]))
    >>> round(float(out["theta"].iloc[0]), 4)    # ln(435 / 400)
    0.0839
    """
    missing = [a for a in current.index if a not in previous.index]
    if missing:
        raise SlpError(f"change_funnel: no previous count for {', '.join(map(str, missing[:5]))}")
    c = current.astype(float)
    q = previous.reindex(current.index).astype(float)
    if (c < 0).any() or (q < 0).any():
        raise SlpError("change_funnel: counts must be 0 or more")
    theta = float(np.log(c.sum() / q.sum())) if target is None else float(target)
    judged = ((c >= min_count) & (q >= min_count)).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.log(c.to_numpy() / q.to_numpy())
        s2 = 1.0 / c.to_numpy() + 1.0 / q.to_numpy()
    tau2, phi = 0.0, float("nan")
    if judged.sum() >= 2:
        z = (y[judged] - theta) / np.sqrt(s2[judged])
        phi, tau2 = _phi_tau2(z, 1.0 / s2[judged], winsorize)
    half = stats.norm.ppf(0.5 + float(level) / 2.0) * np.sqrt(s2 + tau2)
    out = pd.DataFrame({"area": current.index.to_numpy(), "current": c.to_numpy(),
                        "previous": q.to_numpy()})
    with np.errstate(divide="ignore", invalid="ignore"):
        out["change_pct"] = 100.0 * (c.to_numpy() / q.to_numpy() - 1.0)
    out["y"], out["s2"], out["theta"], out["tau2"], out["phi"] = y, s2, theta, tau2, phi
    out["z"] = (y - theta) / np.sqrt(s2 + tau2)
    out["p"] = 2.0 * stats.norm.sf(np.abs(out["z"].to_numpy(dtype=float)))
    out["z_poisson"] = (y - theta) / np.sqrt(s2)
    out["lower"], out["upper"] = theta - half, theta + half
    position = np.select([y > theta + half, y < theta - half], ["above", "below"], "within")
    out["position"] = pd.Series([str(v) if j else None for v, j in zip(position, judged,
                                                                       strict=True)], dtype=object)
    out["differs"] = pd.Series([bool(v != "within") if j else None
                                for v, j in zip(position, judged, strict=True)], dtype=object)
    for column in ("y", "s2", "z", "p", "z_poisson", "lower", "upper"):
        out.loc[~judged, column] = np.nan
    return out
