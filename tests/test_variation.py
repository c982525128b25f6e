"""Is a change unusual for the area? Known answers from issue 11 and hand calculations.

Expected values come from the issue's independent calculations or are worked out here by hand
(stated beside each), never from the output of :mod:`slp.variation`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from slp.errors import SlpError
from slp.variation import (
    ChangeVerdict,
    chance_range,
    describe_verdict,
    estimate_dispersion,
    history_test,
    judge_change,
    judge_rows,
    poisson_dispersion,
    quasi_poisson_test,
)


def monthly(values, start="2010-04") -> pd.Series:
    values = np.asarray(values, dtype=float)
    return pd.Series(values, index=pd.period_range(start, periods=len(values), freq="M"))


# ----------------------------------------------------------------------- the two tests


@pytest.mark.parametrize(
    ("c", "p", "phi", "z", "pval"),
    [(15, 5, 1.0, 2.2361, 0.0253), (15, 5, 2.0, 1.5811, 0.1138), (28409, 26636, 3.12, 4.2783, None)],
)
def test_quasi_poisson_conditional_test_known_answers(c, p, phi, z, pval):
    # issue 11: z = (c - n q) / sqrt(phi n q (1 - q)), q = 1/2
    got_z, got_p = quasi_poisson_test(c, p, phi)
    assert got_z == pytest.approx(z, abs=5e-5)
    if pval is not None:
        assert got_p == pytest.approx(pval, abs=5e-5)


def test_quasi_poisson_with_an_exposure_ratio_by_hand():
    # rho = 2: q = 2/3, n = 30, n q = 20, var = 30 * 2/9 = 20/3; z = (10 - 20) / sqrt(20/3)
    z, _ = quasi_poisson_test(10, 20, 1.0, exposure_ratio=2.0)
    assert z == pytest.approx(-10 / math.sqrt(20 / 3))


def test_dispersion_of_90_110_repeated_is_24_over_23():
    # intercept-only: mu = 100, Pearson chi2 = 24 * 10^2 / 100 = 24, df = 23
    assert poisson_dispersion([90, 110] * 12, np.ones((24, 1))) == pytest.approx(24 / 23)


def test_history_test_simple_form_known_answer():
    # H = [-.10, -.05, 0, .05, .10]: SD(H) = sqrt(0.025 / 4) = 0.0790569; r = ln(1.1)
    # with the reference counts equal to the current ones (and phi * (1/C + 1/P) = 0.0038 below
    # Var(H) = 0.00625, so nothing is floored) the chance terms cancel: z = r / SD(H)
    h = [-0.10, -0.05, 0.0, 0.05, 0.10]
    z, p, _ = history_test(math.log(1.1), 1100, 1000, h, [1100] * 5, [1000] * 5, phi=2.0)
    assert z == pytest.approx(math.log(1.1) / 0.0790569, rel=1e-6)
    assert z == pytest.approx(1.2056, abs=5e-5)
    assert p == pytest.approx(0.228, abs=5e-4)


def test_history_test_large_counts_approach_the_simple_form():
    h = [-0.10, -0.05, 0.0, 0.05, 0.10]
    z, _, sigma2 = history_test(math.log(1.1), 1.1e7, 1e7, h, [1e7] * 5, [1e7] * 5, phi=3.0)
    assert z == pytest.approx(1.2056, abs=1e-3)
    assert sigma2 == pytest.approx(0.025 / 4, rel=1e-3)


# ------------------------------------------------------------------------ dispersion


def test_a_series_with_no_noise_has_phi_floored_at_1_and_its_seasonal_factors():
    # counts exactly 100 x (1 in Jan-Jun, 2 in Jul-Dec): a perfect fit, chi2 = 0, phi -> 1;
    # factors relative to their mean 1.5: 2/3 and 4/3
    pattern = [100.0] * 6 + [200.0] * 6
    disp = estimate_dispersion(monthly(pattern * 4, start="2016-01"))
    assert disp.phi == 1.0
    assert disp.months == 48 and disp.spline_df == 4
    assert disp.seasonal.tolist() == pytest.approx([2 / 3] * 6 + [4 / 3] * 6, rel=1e-6)


def test_dispersion_uses_the_last_96_months_before_march_2020():
    disp = estimate_dispersion(monthly(np.arange(160) % 7 + 100))
    assert (str(disp.start), str(disp.end), disp.months) == ("2012-03", "2020-02", 96)


def test_too_short_a_series_for_dispersion_is_an_analyst_error():
    with pytest.raises(SlpError, match="at least 24 months"):
        estimate_dispersion(monthly([10.0] * 20, start="2022-01"))


# ------------------------------------------------------------------------ judge_change


def test_reference_set_is_every_earlier_end_outside_the_pandemic_year():
    # series 2010-04..2023-07: the first 24-month span ends 2012-03; ends 2020-03..2023-02 touch
    # March 2020 - March 2021; for 2023-07 the earlier ends 2023-03..2023-06 join: 96 + 4 = 100
    series = monthly(1000 + 30 * np.sin(np.arange(160)), start="2010-04")
    assert judge_change(series, "2022-09").reference == "12-month changes 2012-03..2020-02, n=96"
    late = judge_change(series, "2023-07")
    assert late.reference == "12-month changes 2012-03..2020-02, 2023-03..2023-06, n=100"
    assert late.n_reference == 100 and late.method == "history"


def test_too_few_crimes_gives_no_verdict():
    v = judge_change(monthly([1.0, 2.0] * 80), "2022-09")  # 18 crimes a year
    assert v.verdict is None and v.z is None and v.method == "too few crimes"
    assert describe_verdict(v) == "too few crimes to judge"


def test_short_history_falls_back_to_chance_only():
    # from 2017-01, 12-month ends 2018-12..2020-02: 15 reference values < 36
    values = 100 + 10 * (np.arange(80) % 2)
    series = monthly(values, start="2017-01")
    v = judge_change(series, "2022-09")
    assert v.method == "chance only" and v.n_reference == 15
    c, q = series["2021-10":"2022-09"].sum(), series["2020-10":"2021-09"].sum()
    phi = estimate_dispersion(series).phi
    assert v.z == pytest.approx(quasi_poisson_test(c, q, phi)[0])
    assert "chance fluctuation only" in v.reference and "chance" in describe_verdict(v)


def test_six_months_are_judged_after_allowing_for_the_season():
    # Jul-Dec run twice Jan-Jun: Jul-Dec against Jan-Jun is +100% recorded, expected ratio 2,
    # so r = ln 2 - ln 2 = 0: within, and the sentence says so
    pattern = [100.0] * 6 + [200.0] * 6
    v = judge_change(monthly(pattern * 10, start="2010-01"), "2019-12", months=6)
    assert v.change_pct == pytest.approx(100.0)
    assert v.expected_ratio == pytest.approx(2.0)
    assert v.r == pytest.approx(0.0, abs=1e-9) and v.verdict == "within"
    assert "after allowing for the usual seasonal pattern" in describe_verdict(v)
    same = judge_change(monthly(pattern * 10, start="2010-01"), "2019-12", months=6, lag=12)
    assert same.expected_ratio == pytest.approx(1.0) and same.change_pct == pytest.approx(0.0)


def test_a_window_outside_the_series_is_an_analyst_error():
    with pytest.raises(SlpError, match="2010-04 to 2023-07"):
        judge_change(monthly([100.0] * 160), "2024-01")


def test_judge_rows_is_benjamini_hochberg_by_hand():
    # p = .01, .04, .5: adjusted .01*3 = .03, min(.04*3/2, .5) = .06, .5 -> the second row
    # is no longer unusual; a row without a verdict is left alone
    def row(p, z):
        return ChangeVerdict(pd.Period("2022-09", "M"), 12, 12, 100, 100, 0.0, 1.0, 0.0, z, p,
                             "larger_rise", None, "", 0, None, 1.0, 0.0, "history")

    none = ChangeVerdict(pd.Period("2022-09", "M"), 12, 12, 5, 5, 0.0, 1.0, 0.0, None, None, None,
                         None, "", 0, None, 1.0, 0.0, "too few crimes")
    out = judge_rows([row(0.01, 2.6), row(0.04, -2.1), none, row(0.5, 0.7)])
    assert [v.p_adjusted for v in out] == pytest.approx([0.03, 0.06, None, 0.5])
    assert [v.verdict for v in out] == ["larger_rise", "within", None, "within"]


# ------------------------------------------------------------------------ real data


@pytest.fixture(scope="module")
def borough_crime(shared_data):
    from slp.sources.borough import read_borough_crime

    return read_borough_crime([shared_data / "mps-borough" / "vintage-2023-08"]).data


def borough_series(crime, borough):
    return crime[crime["borough"] == borough].groupby("month")["count"].sum().astype(float)


def test_real_lewisham_12_months_to_september_2022(borough_crime):
    # issue 11: SD(H) = 0.0732, usual range about -8.9% .. +12.2%, r = 0.0644, z about 0.88,
    # phi about 3.1; 28,409 against 26,636 (the partnership plan's figures)
    v = judge_change(borough_series(borough_crime, "Lewisham"), "2022-09")
    assert (v.current, v.previous) == (28409, 26636)
    assert v.reference == "12-month changes 2012-03..2020-02, n=96"
    assert v.sd_reference == pytest.approx(0.0732, abs=5e-5)
    assert v.usual_range_pct == pytest.approx((-8.9, 12.2), abs=0.05)
    assert v.r == pytest.approx(0.0644, abs=5e-5)
    assert v.z == pytest.approx(0.88, abs=0.01)
    assert v.phi == pytest.approx(3.1, abs=0.1)
    assert v.verdict == "within" and v.method == "history"
    assert describe_verdict(v, "Lewisham").startswith(
        "within the range of normal year-to-year variation (12-month changes in Lewisham were "
        "between -8.9% and +12.2%")


def test_real_calibration_share_called_unusual_is_near_nominal(borough_crime):
    # issue 11 acceptance: over the 32 boroughs and the pre-pandemic ends with a full reference
    # set (2015-03..2020-02) the share called unusual is between 5% and 20%, not ~80%
    ends = pd.period_range("2015-03", "2020-02", freq="M")
    called = []
    for borough in sorted(borough_crime["borough"].unique()):
        series = borough_series(borough_crime, borough)
        disp = estimate_dispersion(series)
        called += [judge_change(series, end, dispersion=disp).verdict != "within" for end in ends]
    assert len(called) == 32 * 60
    assert 0.05 <= np.mean(called) <= 0.20



def test_chance_only_range_is_the_range_chance_gives():
    """With three years of files (a dozen past changes) the verdict is chance only, and the
    usual range beside it is the one chance gives, not the spread of a dozen past changes
    (which can exclude a change the verdict calls within normal variation)."""
    months = pd.period_range("2022-07", "2025-06", freq="M")
    # a steep rise, then a level year holding what the year before held: the past 12-month
    # changes are all large rises, the last one is 0% (13,650 against 13,650)
    counts = [700 + 25 * i for i in range(24)] + [1137, 1138] * 6
    v = judge_change(pd.Series(counts, index=months), "2025-06")
    assert v.method == "chance only"
    c, q = sum(counts[24:]), sum(counts[12:24])
    low, high = v.usual_range_pct
    # by hand: the same range from the counts, phi and the seasonal ratio of the test
    assert (low, high) == pytest.approx(chance_range(c + q, v.phi, v.expected_ratio))
    assert low < v.change_pct < high and v.verdict == "within"


def test_chance_range_by_hand():
    # 200 + 200 crimes, Poisson: 200 +- 1.959964 * 10 = 180.40 .. 219.60
    low, high = chance_range(400)
    assert low == pytest.approx(100 * (180.40036 / 219.59964 - 1), abs=1e-3)
    assert high == pytest.approx(100 * (219.59964 / 180.40036 - 1), abs=1e-3)
    assert chance_range(4, phi=3.0) is None  # unbounded: too few crimes
