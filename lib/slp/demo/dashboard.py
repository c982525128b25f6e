"""Writes the MPS Monthly Crime Dashboard long file: four borough series a month.

The series are the measures of the loader's own mapping (``dashboard_measures.yaml``), thinned
from the borough totals: domestic abuse ~11% of all crime (a larger share in lockdown), knife
crime ~1.7% (more in central boroughs, with injury ~27% of it), and gun crime a small
independent count (0-6 a month) so disclosure control has something to do. ``Financial Year``
runs April-March (``2022-23``); ``FY_FYIndex`` is the financial year and the month's position in
it, ``2022-23_01`` for April 2022 up to ``2022-23_12`` for March 2023. Zero counts are written as
rows with ``Count`` 0.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from slp.demo._write import to_csv
from slp.demo.counts import Draw, lockdown_share
from slp.sources.dashboard import MEASURES, PUBLISHED_COLUMNS, read_mapping

#: Paths written under ``out``, by role.
FILES = {"dashboard": "dashboard/MPS Monthly Crime Dashboard Data.csv"}
_REFRESH_DATE = "01/10/2026"


def financial_year(period: pd.PeriodIndex) -> tuple[list[str], list[str]]:
    """``Financial Year`` (April-March, ``2022-23``) and ``FY_FYIndex`` (``2022-23_01`` = April).

    Examples
    --------
    >>> financial_year(pd.PeriodIndex(["2023-03", "2023-04"], freq="M"))
    (['2022-23', '2023-24'], ['2022-23_12', '2023-24_01'])
    """
    start = np.where(period.month >= 4, period.year, period.year - 1)
    index = (period.month.to_numpy() - 4) % 12 + 1
    fy = [f"{s}-{(s + 1) % 100:02d}" for s in start]
    return fy, [f"{f}_{i:02d}" for f, i in zip(fy, index, strict=True)]


def _series(draw: Draw) -> np.ndarray:
    """Counts of the :data:`slp.sources.dashboard.MEASURES`, shape (boroughs, months, measures)."""
    rng, months = draw.rng, draw.counts.months
    total = draw.counts.borough(draw.map.wards["borough_index"].to_numpy()).sum(axis=1)
    n_b, n_m = total.shape
    centrality = draw.map.boroughs["centrality"].to_numpy()[:, None]
    covid = lockdown_share(months)[None, :]
    month_of_year = pd.PeriodIndex(months, freq="M").month.to_numpy()[None, :]
    # Domestic abuse ~11% of all crime, a larger share in lockdown (other crime fell, it did not).
    da_share = rng.uniform(0.10, 0.12, size=(n_b, 1)) * (1.0 + 0.2 * covid)
    da_share = da_share * (1.0 + 0.04 * np.cos((month_of_year - 7) / 12.0 * 2 * np.pi))
    domestic = rng.binomial(total, np.clip(da_share, 0.0, 1.0))
    knife_share = rng.uniform(0.014, 0.018, size=(n_b, 1)) * (1.0 + 0.3 * centrality)
    knife = rng.binomial(total, knife_share * np.ones((1, n_m)))
    injury = rng.binomial(knife, rng.uniform(0.25, 0.30, size=(n_b, 1)) * np.ones((1, n_m)))
    gun_mean = 0.4 + 1.8 * centrality * rng.uniform(0.6, 1.2, size=(n_b, 1))
    gun = np.minimum(rng.poisson(gun_mean * np.ones((1, n_m))), 6)
    drawn = {
        "domestic_abuse": domestic,
        "knife_crime": knife,
        "knife_crime_with_injury": injury,
        "gun_crime": gun,
    }
    return np.stack([drawn[m] for m in MEASURES], axis=2)


def write(out: Path, draw: Draw) -> dict[str, Path]:
    """Write the dashboard file into ``out``; returns {role: path}."""
    series = _series(draw)
    n_b, n_m, n_s = series.shape
    mapping = read_mapping()
    spec = [mapping[m] for m in MEASURES]
    period = pd.PeriodIndex(draw.counts.months, freq="M")
    fy, fy_index = financial_year(period)
    month_idx, borough_idx, series_idx = np.meshgrid(
        np.arange(n_m), np.arange(n_b), np.arange(n_s), indexing="ij"
    )
    month_idx, borough_idx, series_idx = (a.ravel() for a in (month_idx, borough_idx, series_idx))
    names = draw.map.boroughs["name"].to_numpy()
    codes = draw.map.boroughs["code"].to_numpy()
    frame = pd.DataFrame(
        {
            "Month_Year": np.array([p.strftime("01/%m/%Y") for p in period])[month_idx],
            "Area Type": "Borough",
            "Borough_SNT": names[borough_idx],
            "Area name": names[borough_idx],
            "Area code": codes[borough_idx],
            "Offence Group": np.array([s["offence_group"] for s in spec])[series_idx],
            "Offence Subgroup": np.array([s["offence_subgroup"] for s in spec])[series_idx],
            "Measure": np.array([s["measure"] for s in spec])[series_idx],
            "Financial Year": np.array(fy)[month_idx],
            "FY_FYIndex": np.array(fy_index)[month_idx],
            "Count": series[borough_idx, month_idx, series_idx],
            "Refresh Date": _REFRESH_DATE,
        }
    )
    path = out / FILES["dashboard"]
    to_csv(frame[list(PUBLISHED_COLUMNS)], path)
    return {"dashboard": path}
