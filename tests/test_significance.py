"""Is the change real? Known answers for the Poisson change test and funnel limits.

Every expected value is computed here from first principles (binomial and Poisson sums with
``math``), from beta quantiles, or from statsmodels' independent implementation, never from the
output of :mod:`slp.significance`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats
from statsmodels.stats.rates import test_poisson_2indep as statsmodels_poisson_2indep

from slp.errors import SlpError
from slp.significance import (
    change_funnel,
    compare_counts,
    describe_change,
    estimate_overdispersion,
    funnel_limits,
    funnel_table,
    level_tag,
)


def binomial_pmf(k: int, n: int, p: float) -> float:
    return math.comb(n, k) * p**k * (1 - p) ** (n - k)


def two_sided_exact_p(k: int, n: int, p: float) -> float:
    """Sum of the probabilities of every outcome no more likely than ``k`` (minlike)."""
    observed = binomial_pmf(k, n, p)
    return min(
        1.0,
        sum(
            binomial_pmf(j, n, p)
            for j in range(n + 1)
            if binomial_pmf(j, n, p) <= observed * (1 + 1e-7)
        ),
    )


# ----------------------------------------------------------------------------- compare_counts


def test_15_against_5_by_hand():
    # n = 20, p0 = 1/2. P(X >= 15) = (C(20,15)+C(20,16)+C(20,17)+C(20,18)+C(20,19)+C(20,20))/2^20
    #   = (15504 + 4845 + 1140 + 190 + 20 + 1) / 1048576 = 21700 / 1048576 = 0.0206947
    # symmetric, so two-sided p = 2 * 21700 / 1048576 = 0.0413895 < 0.05: significant.
    result = compare_counts(15, 5)
    assert result.p_value == pytest.approx(2 * 21700 / 1048576, rel=1e-12)
    assert result.p_value == pytest.approx(two_sided_exact_p(15, 20, 0.5), rel=1e-12)
    assert result.significant
    assert result.rate_ratio == pytest.approx(3.0)  # 15 / 5
    assert result.change_pct == pytest.approx(200.0)
    assert result.direction == "increase"


def test_rate_ratio_interval_is_clopper_pearson_mapped_to_the_ratio():
    # Clopper-Pearson for p = 15/20 at 95%: pl = Beta(0.025; 15, 6), pu = Beta(0.975; 16, 5);
    # the rate ratio (exposure ratio 1) is p / (1 - p).
    pl = stats.beta.ppf(0.025, 15, 6)
    pu = stats.beta.ppf(0.975, 16, 5)
    result = compare_counts(15, 5)
    assert_allclose([result.ci_low, result.ci_high], [pl / (1 - pl), pu / (1 - pu)], rtol=1e-9)
    assert result.ci_low > 1  # consistent with the significant increase


def test_unequal_exposure_by_hand():
    # Current period has twice the exposure (r = 2): p0 = 2/3, n = 30. 10 against 20 is a rate
    # ratio of (10/20)/2 = 0.25 -- a large fall.
    result = compare_counts(10, 20, exposure_ratio=2.0)
    assert result.rate_ratio == pytest.approx(0.25)
    assert result.p_value == pytest.approx(two_sided_exact_p(10, 30, 2 / 3), rel=1e-9)
    assert result.significant and result.direction == "decrease"
    pl, pu = stats.beta.ppf(0.025, 10, 21), stats.beta.ppf(0.975, 11, 20)
    assert_allclose(
        [result.ci_low, result.ci_high], [pl / (1 - pl) / 2, pu / (1 - pu) / 2], rtol=1e-9
    )


@pytest.mark.parametrize(
    "current, previous, exposure_ratio",
    [(15, 5, 1.0), (10, 20, 2.0), (130, 100, 1.1), (28409, 26636, 1.0), (7317, 7013, 1.0)],
)
def test_p_value_agrees_with_statsmodels_exact_conditional_test(current, previous, exposure_ratio):
    expected = statsmodels_poisson_2indep(
        current, exposure_ratio, previous, 1.0, method="exact-cond"
    ).pvalue
    assert compare_counts(current, previous, exposure_ratio).p_value == pytest.approx(
        expected, rel=1e-9, abs=1e-300
    )


def test_no_change_and_zero_counts():
    same = compare_counts(10, 10)
    assert same.p_value == pytest.approx(1.0)  # the observed outcome is the most likely one
    assert not same.significant and same.direction == "no change"
    empty = compare_counts(0, 0)
    assert empty.p_value == 1.0 and not empty.significant and math.isnan(empty.rate_ratio)
    # 5 against 0: p = P(X=5) + P(X=0) = 2 / 2^5 = 0.0625, not significant; ratio infinite
    new = compare_counts(5, 0)
    assert new.p_value == pytest.approx(0.0625)
    assert not new.significant and math.isinf(new.rate_ratio) and math.isinf(new.ci_high)


def test_alpha_sets_the_cut_off():
    # p = 0.0413895 (see above): significant at 5%, not at 1%
    assert compare_counts(15, 5, alpha=0.05).significant
    assert not compare_counts(15, 5, alpha=0.01).significant


@pytest.mark.parametrize(
    "args, message",
    [
        ((-1, 5), "current"),
        ((2.5, 5), "current"),
        ((5, -3), "previous"),
        ((5, 5, 0.0), "exposure_ratio"),
        ((5, 5, 1.0, 1.5), "alpha"),
    ],
)
def test_bad_inputs_are_analyst_errors(args, message):
    with pytest.raises(SlpError, match=message):
        compare_counts(*args)


def test_describe_change_in_words():
    assert describe_change(compare_counts(15, 5)) == "a statistically significant increase"
    assert describe_change(compare_counts(5, 15)) == "a statistically significant decrease"
    assert describe_change(compare_counts(12, 10)) == (
        "within normal variation (not statistically significant at the 95% level)"
    )
    assert "99% level" in describe_change(compare_counts(15, 5, alpha=0.01))


# ----------------------------------------------------------------------------- funnel limits


def poisson_cdf(r: int, mean: float) -> float:
    return sum(math.exp(-mean) * mean**k / math.factorial(k) for k in range(r + 1))


def interpolated_quantile(prob: float, mean: float) -> float:
    """Spiegelhalter (2005) A.1.2, written out: smallest r with F(r) >= prob, then
    r - (F(r) - prob) / (F(r) - F(r - 1))."""
    r = 0
    while poisson_cdf(r, mean) < prob:
        r += 1
    below = poisson_cdf(r - 1, mean) if r > 0 else 0.0
    return r - (poisson_cdf(r, mean) - prob) / (poisson_cdf(r, mean) - below)


def test_funnel_limits_small_expected_count_by_hand():
    # Population 1,000 at 4 per 1,000: expected E = 4 crimes. Poisson(4) CDF:
    #   F(0)=0.0183156 F(1)=0.0915782 F(7)=0.9488664 F(8)=0.9786366
    # upper 95% (p=0.975): r=8, a=(0.9786366-0.975)/0.0297702=0.12216 -> 7.87784 crimes
    # lower 95% (p=0.025): r=1, a=(0.0915782-0.025)/0.0732626=0.90876 -> 0.09124 crimes
    # with 1,000 residents a count is also a rate per 1,000.
    limits = funnel_limits([1000], target_rate=4.0)
    assert limits["expected"].iloc[0] == pytest.approx(4.0)
    assert limits["upper_95"].iloc[0] == pytest.approx(7.87784, abs=1e-4)
    assert limits["lower_95"].iloc[0] == pytest.approx(0.09124, abs=1e-4)
    assert limits["upper_998"].iloc[0] == pytest.approx(interpolated_quantile(0.999, 4.0), rel=1e-9)
    # p=0.001 < F(0): r=0 and the formula gives -(0.0183156-0.001)/0.0183156 = -0.945; a rate
    # cannot be negative, so the lower limit is 0 (no count can fall below it).
    assert interpolated_quantile(0.001, 4.0) == pytest.approx(-0.9454, abs=1e-4)
    assert limits["lower_998"].iloc[0] == 0.0


def test_funnel_limits_large_populations_approach_the_normal_funnel():
    # E = 90 per 1,000 x 100 residents-thousands = 9,000; normal limits E +/- z sqrt(E):
    # 95%: 9000 +/- 1.959964 * 94.8683 = 9000 +/- 185.94; 99.8%: +/- 3.090232 * 94.8683 = 293.17.
    # Interpolation between integers and skewness move them by under 2 crimes.
    limits = funnel_limits(pd.Series([100_000], index=["Borough"]), target_rate=90.0)
    assert limits.index.tolist() == ["Borough"]
    counts = limits.loc["Borough", ["lower_95", "upper_95", "lower_998", "upper_998"]] * 100
    assert_allclose(
        counts.to_numpy(dtype=float),
        [9000 - 185.94, 9000 + 185.94, 9000 - 293.17, 9000 + 293.17],
        atol=2.0,
    )


def test_funnel_narrows_as_population_grows():
    limits = funnel_limits(np.linspace(10_000, 400_000, 40), target_rate=95.0)
    width = limits["upper_95"] - limits["lower_95"]
    assert (np.diff(width) < 0).all()
    assert (limits["lower_998"] < limits["lower_95"]).all()
    assert (limits["upper_998"] > limits["upper_95"]).all()


def test_level_tags():
    assert level_tag(0.95) == "95" and level_tag(0.998) == "998" and level_tag(0.99) == "99"


def test_funnel_table_places_areas_above_below_within():
    # Three areas of 100,000 residents with 9,000, 10,000, 11,000 crimes: London rate
    # 30,000 / 300,000 = 100 per 1,000, E = 10,000 each, 95% limits about +/- 196 crimes and
    # 99.8% about +/- 309: 9,000 is below both, 10,000 within, 11,000 above both.
    counts = pd.Series([9000, 10000, 11000], index=["Low", "Middle", "High"])
    population = pd.Series([100_000, 100_000, 100_000, 5], index=["Low", "Middle", "High", "Other"])
    table = funnel_table(counts, population)
    assert table["area"].tolist() == ["Low", "Middle", "High"]
    assert_allclose(table["rate_per_1000"], [90.0, 100.0, 110.0])
    assert_allclose(table["target_rate"], 100.0)
    assert table["position_95"].tolist() == ["below", "within", "above"]
    assert table["position_998"].tolist() == ["below", "within", "above"]


def test_funnel_table_target_rate_can_be_given_and_population_must_exist():
    counts = pd.Series([100], index=["A"])
    table = funnel_table(counts, pd.Series([1000], index=["A"]), target_rate=100.0)
    assert table["position_95"].iloc[0] == "within"  # 100 observed, 100 expected
    with pytest.raises(SlpError, match="no population for B"):
        funnel_table(pd.Series([1], index=["B"]), pd.Series([1000], index=["A"]))
    with pytest.raises(SlpError, match="positive"):
        funnel_limits([0], target_rate=1.0)


# ----------------------------------------------------------------------------- over-dispersion

# Four areas of 10,000 residents at rates 90, 100, 110, 120 per 1,000 around a target of 100:
# Poisson variance of a rate s^2 = 1000 x 100 / 10,000 = 10, so z = -sqrt(10), 0, sqrt(10),
# 2 sqrt(10) and w = 1 / 10 each: sum(w) = 0.4, sum(w^2) / sum(w) = 0.1, denominator 0.3.
FOUR_COUNTS = pd.Series([900, 1000, 1100, 1200], index=list("ABCD"))
FOUR_POPULATION = pd.Series(10_000, index=list("ABCD"))


def test_overdispersion_by_hand_without_winsorising():
    # phi = (10 + 0 + 10 + 40) / 4 = 15; tau2 = (4 x 15 - 3) / 0.3 = 190
    result = estimate_overdispersion(FOUR_COUNTS, FOUR_POPULATION, target_rate=100.0, winsorize=0)
    assert result.phi == pytest.approx(15.0)
    assert result.tau2 == pytest.approx(190.0)
    assert result.areas == 4


def test_overdispersion_by_hand_with_winsorising():
    # z = sqrt(10) x (-1, 0, 1, 2); 10th and 90th percentiles (linear) are sqrt(10) x -0.7 and
    # sqrt(10) x 1.7, so the squares become 10 x (0.49, 0, 1, 2.89): phi = 43.8 / 4 = 10.95,
    # tau2 = (43.8 - 3) / 0.3 = 136
    result = estimate_overdispersion(FOUR_COUNTS, FOUR_POPULATION, target_rate=100.0)
    assert result.phi == pytest.approx(10.95)
    assert result.tau2 == pytest.approx(136.0)


def test_random_effects_limits_by_hand():
    # 100 +/- 1.959964 x sqrt(10 + 190) = 100 +/- 27.718
    limits = funnel_limits([10_000], target_rate=100.0, tau2=190.0)
    assert limits["lower_95"].iloc[0] == pytest.approx(100 - 1.959964 * 200**0.5, abs=1e-4)
    assert limits["upper_95"].iloc[0] == pytest.approx(72.2819 + 2 * 27.7181, abs=1e-3)
    assert (limits["lower_998"] >= 0).all()


def test_overdispersed_funnel_table_keeps_ordinary_spread_within():
    # Poisson: E = 1,000 crimes, 95% limits about 1,000 +/- 62 -> rates 93.8 .. 106.2, so
    # 90 is below and 110, 120 above. Random effects (tau2 = 136, see above):
    # 100 +/- 1.959964 x sqrt(146) = 76.3 .. 123.7, so all four are within.
    poisson = funnel_table(FOUR_COUNTS, FOUR_POPULATION, target_rate=100.0)
    assert poisson["position_95"].tolist() == ["below", "within", "above", "above"]
    assert (poisson["tau2"] == 0).all()
    wider = funnel_table(FOUR_COUNTS, FOUR_POPULATION, target_rate=100.0, overdispersed=True)
    assert wider["tau2"].iloc[0] == pytest.approx(136.0)
    assert_allclose(wider["upper_95"], 100 + 1.959964 * 146**0.5, rtol=1e-6)
    assert wider["position_95"].tolist() == ["within"] * 4


# ----------------------------------------------------------------------------- change_funnel


def test_change_funnel_by_hand_without_winsorising():
    # C = 121, 100, 81, 144 against P = 100 each: theta = ln(446/400) = 0.108854;
    # y = ln(1.21), 0, ln(0.81), ln(1.44); s2 = 1/C + 1/100; phi = mean(((y - theta)/s)^2)
    current = pd.Series([121, 100, 81, 144], index=list("abcd"))
    previous = pd.Series([100, 100, 100, 100], index=list("abcd"))
    out = change_funnel(current, previous, winsorize=0.0)
    theta = math.log(446 / 400)
    y = [math.log(1.21), 0.0, math.log(0.81), math.log(1.44)]
    s2 = [1 / 121 + 1 / 100, 2 / 100, 1 / 81 + 1 / 100, 1 / 144 + 1 / 100]
    z2 = [(yi - theta) ** 2 / si for yi, si in zip(y, s2, strict=True)]
    phi = sum(z2) / 4
    w = [1 / si for si in s2]
    tau2 = max(0.0, (4 * phi - 3) / (sum(w) - sum(wi**2 for wi in w) / sum(w)))
    assert_allclose(out["theta"], theta)
    assert out["phi"].iloc[0] == pytest.approx(phi)
    assert out["tau2"].iloc[0] == pytest.approx(tau2)
    half = [1.959964 * math.sqrt(si + tau2) for si in s2]
    assert_allclose(out["upper"], [theta + h for h in half], rtol=1e-6)
    expected = ["above" if yi > theta + h else "below" if yi < theta - h else "within"
                for yi, h in zip(y, half, strict=True)]
    assert out["position"].tolist() == expected
    assert out["differs"].tolist() == [e != "within" for e in expected]


def test_change_funnel_wards_against_their_borough_and_small_counts():
    # a target given (the borough's change) is used as it is; a ward under 20 crimes gets no verdict
    current = pd.Series([200, 210, 190, 15], index=["w1", "w2", "w3", "w4"])
    previous = pd.Series([200, 200, 200, 30], index=["w1", "w2", "w3", "w4"])
    out = change_funnel(current, previous, target=0.05).set_index("area")
    assert (out["theta"] == 0.05).all()
    assert out.loc["w4", "differs"] is None and out.loc["w4", "position"] is None
    assert np.isnan(out.loc["w4", "z"])
    assert out.loc["w1", "z_poisson"] == pytest.approx(-0.05 / math.sqrt(2 / 200))


def test_change_funnel_real_boroughs_12_months_to_september_2022(shared_data):
    # issue 11: theta = ln(859,736 / 770,881) = 0.10909; Lewisham y - theta = -0.0447, inside
    # the over-dispersed limits although outside the Poisson-only ones (z about -5.2)
    from slp.periods import Window
    from slp.sources.borough import read_borough_crime

    crime = read_borough_crime([shared_data / "mps-borough" / "vintage-2023-08"]).data

    def totals(window):
        rows = crime[(crime["month"] >= window.start) & (crime["month"] <= window.end)]
        return rows.groupby("borough")["count"].sum()

    now = Window.ending("2022-09", 12)
    out = change_funnel(totals(now), totals(now.previous())).set_index("area")
    assert len(out) == 32
    assert out["theta"].iloc[0] == pytest.approx(math.log(859_736 / 770_881), abs=1e-9)
    assert out["theta"].iloc[0] == pytest.approx(0.10909, abs=5e-6)
    lewisham = out.loc["Lewisham"]
    assert lewisham["y"] - lewisham["theta"] == pytest.approx(-0.0447, abs=1e-4)
    assert lewisham["z_poisson"] == pytest.approx(-5.2, abs=0.05)
    assert lewisham["differs"] is False and lewisham["position"] == "within"


@pytest.mark.parametrize(("now", "then", "exposure"), [
    (234, 204, 1.0), (126, 108, 1.0), (66, 60, 1.0), (168, 144, 1.0),
    # populations 1,000 now and 800 before: exposure ratio 1.25
    (234, 204, 1000 / 800)])
def test_compare_counts_agrees_with_statsmodels(now, then, exposure):
    """Moved from test_measures (the measures no longer test changes against chance alone):
    the exact conditional Poisson test of the counts measures' tests used."""
    expected = statsmodels_poisson_2indep(now, exposure, then, 1, method="exact-cond").pvalue
    result = compare_counts(now, then, exposure_ratio=exposure)
    assert result.p_value == pytest.approx(expected, rel=1e-9)
    assert result.significant == (expected < 0.05)
