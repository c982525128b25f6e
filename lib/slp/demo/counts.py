"""The crime counts: every ward, no-ward and airport count for every category and month.

Each ward x MPS minor category x month count is a gamma-Poisson (negative binomial) draw around

    population x category rate x borough level x ward level x seasonality x trend x COVID-19

with the rates, seasonality, trends and lockdown effects of ``data/categories.csv``,
``data/major_categories.csv`` and ``data/covid.csv``. The focus borough is put mid-table, and its
shoplifting rises over the last 12 months (about +40% on the 12 months before) so the reports
have a change to find. Borough totals are the wards plus about 2.4% of offences with no ward.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from slp.demo import tables
from slp.demo.geography import DemoMap

#: First and last month of the demo (fixed so the output is the same on every run and machine).
DEMO_FIRST_MONTH: str = "2017-01"
DEMO_LAST_MONTH: str = "2026-09"

#: London's 2017-2019 total in the real file: 97.5 crimes per 1,000 residents per year.
_LONDON_RATE = 97.5
#: The category that rises in the focus borough over the last 12 months (factor ramps 1.2 -> 1.6).
_RISING_MINOR = "Shoplifting"
_NO_WARD_SHARE = 0.024  # Lewisham, Oct 2021-Sep 2022: 27,726 in wards of 28,409 (2.4% without)
_DISPERSION = 25.0  # gamma shape of the cell-level noise (negative binomial)


def demo_months() -> list[str]:
    """Every month of the demo as ``YYYY-MM``, :data:`DEMO_FIRST_MONTH` to :data:`DEMO_LAST_MONTH`.

    Examples
    --------
    >>> months = demo_months()
    >>> months[0], months[-1], len(months)
    ('2017-01', '2026-09', 117)
    """
    return [str(p) for p in pd.period_range(DEMO_FIRST_MONTH, DEMO_LAST_MONTH, freq="M")]


def lockdown_share(months: list[str]) -> np.ndarray:
    """Share of the full lockdown effect in each month (0 outside 2020-03..2021-11)."""
    shape = tables.covid_shape()
    return np.array([shape.get(m, 0.0) for m in months])


@dataclass(frozen=True)
class Counts:
    """The drawn counts; categories are in the order of :func:`slp.demo.tables.categories`."""

    months: list[str]
    ward: np.ndarray  # (wards, categories, months)
    no_ward: np.ndarray  # (boroughs, categories, months)
    airports: np.ndarray  # (categories, months)

    def borough(self, ward_borough: np.ndarray) -> np.ndarray:
        """Borough totals: the sum of the borough's wards plus offences with no ward."""
        total = self.no_ward.copy()
        np.add.at(total, ward_borough, self.ward)
        return total


@dataclass(frozen=True)
class Draw:
    """Everything a writer needs: the map, the counts, the generator and its seed.

    Writers that draw more numbers (the dashboard series, the street rows) take them from
    ``rng`` in the order :data:`slp.demo.dataset.WRITERS` runs them.
    """

    map: DemoMap
    counts: Counts
    rng: np.random.Generator
    seed: int


def time_profile(months: list[str]) -> np.ndarray:
    """Seasonality x trend x COVID-19 for every category and month, shape (categories, months)."""
    period = pd.PeriodIndex(months, freq="M")
    month_of_year = period.month.to_numpy() - 1
    years = (np.arange(len(months)) - months.index("2019-07")) / 12.0
    covid_share = lockdown_share(months)
    profiles = tables.major_profiles()
    categories = tables.categories()
    out = np.empty((len(categories), len(months)))
    for c, category in enumerate(categories):
        profile = profiles[category.major]
        trend = profile.trend if category.trend is None else category.trend
        out[c] = (
            np.asarray(profile.season)[month_of_year]
            * np.exp(trend * years)
            * np.exp(covid_share * np.log(profile.lockdown))
        )
    return out


def _expected(demo: DemoMap, rng: np.random.Generator) -> np.ndarray:
    """Expected count a month per ward and category before seasonality, shape (wards, categories)."""
    wards, boroughs = demo.wards, demo.boroughs
    categories = tables.categories()
    profiles = tables.major_profiles()
    rate = np.array([c.london_rate for c in categories]) / 12.0 / 1000.0  # per resident a month

    # Category mix: town-centre wards and central boroughs have more theft, robbery and violence.
    hot_effect = np.array([profiles[c.major].town_centre for c in categories])
    central_effect = np.array([profiles[c.major].central for c in categories])
    hot = wards["hot"].to_numpy()
    hot_mult = np.where(hot[:, None] == 2, hot_effect, 1.0)
    hot_mult = np.where(hot[:, None] == 1, 1.0 + 0.4 * (hot_effect - 1.0), hot_mult)
    bidx = wards["borough_index"].to_numpy()
    centrality = boroughs["centrality"].to_numpy()[bidx]
    central_mult = 1.0 + central_effect * (centrality[:, None] - 0.4)
    ward_level = wards["level"].to_numpy()[:, None] * boroughs["level"].to_numpy()[bidx][:, None]
    base = wards["population"].to_numpy()[:, None] * rate * hot_mult * central_mult * ward_level
    # Scale so that London as a whole has the real 2017-2019 rate.
    base *= _LONDON_RATE / (base.sum() * 12.0 * 1000.0 / boroughs["population"].sum())
    # The focus borough sits mid-table: its expected rate is the median borough's.
    focus = demo.focus
    borough_rate = np.bincount(bidx, weights=base.sum(axis=1)) / boroughs["population"].to_numpy()
    base[bidx == focus] *= np.median(borough_rate) / borough_rate[focus]
    base *= np.exp(rng.normal(0.0, 0.2, size=base.shape))  # each ward's own category mix
    return base


def simulate(demo: DemoMap, rng: np.random.Generator) -> Counts:
    """Draw every ward, no-ward and airport count for every category and month."""
    months = demo_months()
    categories = tables.categories()
    bidx = demo.wards["borough_index"].to_numpy()
    n_boroughs = len(demo.boroughs)
    base = _expected(demo, rng)

    mean = base[:, :, None] * time_profile(months)[None, :, :]
    # A shared month-to-month wobble per borough (weather, events, recording).
    mean *= np.exp(rng.normal(0.0, 0.03, size=(n_boroughs, len(months))))[bidx][:, None, :]
    rising = [c.minor for c in categories].index(_RISING_MINOR)
    mean[bidx == demo.focus, rising, -12:] *= np.linspace(1.2, 1.6, 12)

    ward_counts = rng.poisson(mean * rng.gamma(_DISPERSION, 1.0 / _DISPERSION, size=mean.shape))

    borough_mean = np.zeros((n_boroughs, len(categories), len(months)))
    np.add.at(borough_mean, bidx, mean)
    no_ward = rng.poisson(borough_mean * _NO_WARD_SHARE / (1.0 - _NO_WARD_SHARE))

    # The airports row: a fraction of the real row's 2019 counts, travel collapsing in lockdown.
    airport_annual = np.array([c.airport_per_year for c in categories])
    travel = np.exp(lockdown_share(months) * np.log(0.15))
    airports = rng.poisson(airport_annual[:, None] / 12.0 * 0.3 * travel[None, :])
    return Counts(
        months=months,
        ward=ward_counts.astype(np.int64),
        no_ward=no_ward.astype(np.int64),
        airports=airports.astype(np.int64),
    )
