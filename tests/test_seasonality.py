"""STL seasonality and trend, checked on synthetic series whose trend and seasonality are known.

The series is built by hand: level 1,000 rising 5 crimes a month, a seasonal swing
100 x sin(2 pi m / 12) for calendar month m (peak +100 in March, trough -100 in September), and
seeded normal noise with standard deviation 10.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from slp.errors import SlpError
from slp.seasonality import (
    TrendSummary,
    as_monthly,
    decompose,
    describe_trend,
    seasonal_profile,
    summarise_trend,
)

MONTHS = pd.period_range("2015-01", periods=96, freq="M")
T = np.arange(96, dtype=float)
SEASON = 100 * np.sin(2 * np.pi * MONTHS.month.to_numpy() / 12)


def synthetic(slope: float = 5.0, noise_sd: float = 10.0, seed: int = 42) -> pd.Series:
    noise = np.random.default_rng(seed).normal(0.0, noise_sd, len(T))
    return pd.Series(1000 + slope * T + SEASON + noise, index=MONTHS, name="count")


def test_decompose_parts_add_up_and_keep_the_months():
    series = synthetic()
    parts = decompose(series)
    assert list(parts.columns) == ["month", "observed", "trend", "seasonal", "resid", "weight"]
    assert parts["month"].tolist() == MONTHS.tolist()
    assert_allclose(parts["observed"], series.to_numpy())
    assert_allclose(
        parts["trend"] + parts["seasonal"] + parts["resid"], parts["observed"], atol=1e-9
    )


def test_recovers_the_known_trend_slope():
    summary = summarise_trend(decompose(synthetic()), months=12)
    # true slope 5 a month; change over the last 12 months 5 x 11 = 55
    assert summary.slope_per_month == pytest.approx(5.0, abs=1.0)
    assert summary.change == pytest.approx(55.0, abs=11.0)
    # level over the last 12 months: 1000 + 5 x mean(84..95) = 1447.5 -> 5/1447.5 = 0.345% a month
    assert summary.slope_pct_per_month == pytest.approx(100 * 5 / 1447.5, abs=0.07)
    # 96 months from January 2015 end in December 2022
    assert (str(summary.start), str(summary.end)) == ("2022-01", "2022-12")
    assert 0 < summary.noise < 11.0  # true sd 10; see the next test
    assert summary.larger_than_noise and summary.direction == "rising"


def test_noise_estimate_is_close_to_the_true_noise_on_average():
    # True noise sd 10. STL's smooth parts absorb some of it, so the remainder's spread is lower;
    # averaged over 20 seeds it should sit between 6 and 10 (one seed can be far off: seed 42's
    # own noise sample has sd 7.7 and its STL remainder 4.1).
    noise = [summarise_trend(decompose(synthetic(seed=seed))).noise for seed in range(20)]
    assert 6.0 < np.mean(noise) < 10.0


def test_noise_ignores_a_shock_that_robust_stl_sets_aside():
    plain = summarise_trend(decompose(synthetic(seed=1))).noise
    shocked = synthetic(seed=1)
    shocked.iloc[50:54] *= 0.75  # four months 25% down: about -300 crimes each
    assert summarise_trend(decompose(shocked)).noise == pytest.approx(plain, rel=0.25)


def test_recovers_the_known_seasonal_amplitude_and_shape():
    profile = seasonal_profile(decompose(synthetic()))
    assert profile["calendar_month"].tolist() == list(range(1, 13))
    assert profile["month_name"].iloc[0] == "January"
    # amplitude 100: (max - min) / 2 within 10%; peak March, trough September
    amplitude = (profile["seasonal"].max() - profile["seasonal"].min()) / 2
    assert amplitude == pytest.approx(100.0, rel=0.10)
    assert profile.loc[profile["seasonal"].idxmax(), "month_name"] == "March"
    assert profile.loc[profile["seasonal"].idxmin(), "month_name"] == "September"
    # true values by calendar month, 100 sin(2 pi m / 12): Jan 50, Apr 86.6, Jun 0 ...
    assert_allclose(profile["seasonal"], 100 * np.sin(2 * np.pi * np.arange(1, 13) / 12), atol=12.0)
    # as % of level: March is t = 2, 14, ..., 86 with level 1000 + 5t, so the truth is the mean of
    # 100 x 100 / (1000 + 5t) over those eight Marches
    march_t = np.arange(2, 96, 12)
    truth = np.mean(100 * 100 / (1000 + 5 * march_t))
    assert profile.loc[2, "pct_of_level"] == pytest.approx(truth, abs=1.0)


def test_flat_and_falling_trends():
    flat = summarise_trend(decompose(synthetic(slope=0.0)))
    # true change 0; the trend may wander by a few crimes, well inside 2 x noise (about 20)
    assert flat.direction == "flat" and not flat.larger_than_noise
    falling = summarise_trend(decompose(synthetic(slope=-6.0)))
    assert falling.direction == "falling"
    assert falling.slope_per_month == pytest.approx(-6.0, abs=1.0)


def test_robust_fit_leaves_a_lockdown_shock_in_the_remainder():
    # halve three months in the middle: a robust STL should keep the trend slope near 5
    series = synthetic()
    series.iloc[50:53] *= 0.5
    parts = decompose(series)
    middle = parts.iloc[40:64]
    slope = np.polyfit(np.arange(len(middle)), middle["trend"], 1)[0]
    assert slope == pytest.approx(5.0, abs=1.5)
    assert (parts["resid"].iloc[50:53] < -300).all()  # the shock sits in the remainder


def test_too_short_or_gappy_series_are_analyst_errors():
    with pytest.raises(SlpError, match="at least two full years .24 months.*23 months"):
        decompose(synthetic().iloc[:23])
    gappy = synthetic().drop(MONTHS[10])
    with pytest.raises(SlpError, match="missing.*2015-11"):
        decompose(gappy)
    with pytest.raises(SlpError, match="from 2 to the series length"):
        summarise_trend(decompose(synthetic()), months=1)


def test_as_monthly_accepts_timestamps_and_strings():
    stamps = pd.Series([1.0, 2.0], index=pd.to_datetime(["2020-01-31", "2020-02-29"]))
    assert as_monthly(stamps).index.tolist() == [
        pd.Period("2020-01", "M"),
        pd.Period("2020-02", "M"),
    ]
    strings = pd.Series([1, 2], index=["2020-02", "2020-01"])
    assert as_monthly(strings).tolist() == [2.0, 1.0]  # sorted by month


def test_describe_trend_in_words():
    end = pd.Period("2022-09", "M")
    rising = TrendSummary(12, end - 11, end, 5.2, 0.31, 57.2, 10.0, True, "rising")
    assert describe_trend(rising) == (
        "Over the 12 months to September 2022 the underlying trend was rising, by about 5 crimes "
        "a month (0.3% a month), more than month-to-month variation explains."
    )
    flat = TrendSummary(12, end - 11, end, 1.0, 0.05, 11.0, 10.0, False, "flat")
    assert describe_trend(flat).endswith(
        "broadly flat: its change (+11 crimes) is within normal month-to-month variation."
    )
