"""The demo force's crimes and anti-social behaviour, one row each, and their outcomes.

Each member LSOA x police.uk crime type x month count is a gamma-Poisson draw around

    population x type rate x authority level x ward level x LSOA effect x town centre
    x seasonality x trend x a monthly wobble per authority

with the rates, trends, seasonality and town-centre effects of ``data/police_uk_types.csv``
(rates scaled so the force as a whole has them; a town centre's excess scales with its
authority's size, so the small rural authorities have few thefts from the person, bicycle
thefts and robberies: counts small enough for the reports to suppress). Shoplifting in :data:`FORCE_AREA` rises over
the last 12 months (about +40%), so its report has a change to find. About 0.4% more rows fall
in LSOAs of the neighbouring authority that touch the force, and a share of each type (most
of "Other crime", a few percent of violence) has no location.

Every crime gets a final outcome (``data/police_uk_outcomes.csv``) after a lag
(``data/police_uk_lags.csv``, months); 4% never get one ("Status update unavailable" once they
are three months old). The street files' ``Last outcome category`` is the outcome as of the
last month: "Under investigation" until the outcome month, "Awaiting court outcome" for a
charge in the last 12 months and "Court result unavailable" before. About 0.5% of the crimes
with a later outcome get an earlier one too (a crime can appear twice in the outcomes files,
as in the real ones).

Everything is drawn from the generator passed in (the demo seed's own stream for the force:
:func:`slp.demo.force.write`), so the London files are untouched.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from slp.demo import tables
from slp.demo.force_map import FORCE_AREA, ForceMap

ASB = "Anti-social behaviour"
_DISPERSION = 25.0
_NEIGHBOUR_SHARE = 0.004
_NO_OUTCOME = 0.04
_TWO_OUTCOMES = 0.005
_RISING = "Shoplifting"


@dataclass(frozen=True)
class Crimes:
    """One row per street-file row, and one per outcomes-file row (internal).

    ``rows``: ``month`` (index into ``months``), ``lsoa`` (row of the force map's LSOAs, -1:
    no location), ``type`` (index into the types), ``crime_id`` ("" for anti-social
    behaviour), ``last_outcome``. ``outcomes``: ``row`` (into ``rows``), ``month``, ``outcome``.
    """

    months: list[str]
    types: list[str]
    rows: pd.DataFrame
    outcomes: pd.DataFrame


def _expected(force: ForceMap, rng: np.random.Generator) -> np.ndarray:
    """Expected count a month per LSOA and type before seasonality, shape (LSOAs, types);
    zero outside the force."""
    demo, kinds = force.map, tables.police_uk_types()
    lsoas = demo.lsoas
    member = lsoas["borough"].isin(force.members).to_numpy()
    wards = demo.wards.set_index("code")
    hot = wards.loc[lsoas["ward"], "hot"].to_numpy()
    authorities = demo.boroughs.set_index("name").loc[lsoas["borough"]]
    # A small town's centre draws less: the excess scales with the authority's size.
    town = np.clip(authorities["population"].to_numpy() / 130_000, 0.0, 1.0)[:, None] ** 2
    excess = (np.array([k.centre for k in kinds]) - 1.0) * town
    centre_mult = np.where(hot[:, None] == 2, 1.0 + excess, 1.0)
    centre_mult = np.where(hot[:, None] == 1, 1.0 + 0.4 * excess, centre_mult)
    level = authorities["level"].to_numpy()
    level = level * wards.loc[lsoas["ward"], "level"].to_numpy()
    base = lsoas["population"].to_numpy()[:, None] * (level * member)[:, None] * centre_mult
    base = base * np.exp(rng.normal(0.0, 0.35, size=(len(lsoas), 1)))
    base = base * np.exp(rng.normal(0.0, 0.2, size=base.shape))
    people = lsoas.loc[member, "population"].sum()
    rate = np.array([k.rate for k in kinds]) / 12.0 / 1000.0
    return base * (rate * people / base.sum(axis=0))


def _time_profile(months: list[str]) -> np.ndarray:
    """Seasonality x trend of every type and month, shape (types, months)."""
    kinds = tables.police_uk_types()
    moy = pd.PeriodIndex(months, freq="M").month.to_numpy()
    years = (np.arange(len(months)) - (len(months) - 1) / 2) / 12.0
    amp = np.array([k.amplitude for k in kinds])[:, None]
    peak = np.array([k.peak for k in kinds])[:, None]
    trend = np.array([k.trend for k in kinds])[:, None]
    return (1.0 + amp * np.cos(2 * np.pi * (moy - peak) / 12.0)) * np.exp(trend * years)


def _counts(force: ForceMap, months: list[str], rng: np.random.Generator) -> np.ndarray:
    """Every LSOA x type x month count, neighbour rows included, shape (LSOAs, types, months)."""
    lsoas = force.map.lsoas
    types = [k.crime_type for k in tables.police_uk_types()]
    mean = _expected(force, rng)[:, :, None] * _time_profile(months)[None, :, :]
    names = list(force.map.boroughs["name"])
    authority = lsoas["borough"].map({n: k for k, n in enumerate(names)}).to_numpy()
    wobble = np.exp(rng.normal(0.0, 0.03, size=(len(names), len(months))))
    mean *= wobble[authority][:, None, :]
    focus = (lsoas["borough"] == FORCE_AREA).to_numpy()
    mean[focus, types.index(_RISING), -12:] *= np.linspace(1.2, 1.6, 12)
    counts = rng.poisson(mean * rng.gamma(_DISPERSION, 1.0 / _DISPERSION, size=mean.shape))
    border = np.flatnonzero(lsoas["border"].to_numpy())
    spill = rng.poisson(mean.sum(axis=0) * _NEIGHBOUR_SHARE)  # (types, months)
    for t, m in zip(*np.nonzero(spill), strict=True):
        np.add.at(counts[:, t, m], rng.choice(border, size=spill[t, m]), 1)
    return counts.astype(np.int64)


def _crime_ids(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` 64-hex Crime IDs, like police.uk's."""
    text = rng.bytes(32 * n).hex()
    return np.array([text[64 * k : 64 * (k + 1)] for k in range(n)], dtype=object)


def _pick(kind: np.ndarray, table: dict, names: list[str], rng) -> np.ndarray:
    """A draw per row from its type's distribution in ``table`` (type -> [(value, share)])."""
    values = sorted({v for pairs in table.values() for v, _ in pairs})
    cum = np.zeros((len(names), len(values)))
    for t, name in enumerate(names):
        for value, share in table.get(name, ()):
            cum[t, values.index(value)] = share
    cum = np.cumsum(cum, axis=1)
    cum = cum / np.where(cum[:, -1:] > 0, cum[:, -1:], 1.0)
    choice = (rng.random(len(kind))[:, None] > cum[kind]).sum(axis=1)
    return np.array(values, dtype=object)[np.minimum(choice, len(values) - 1)]


def _outcomes(rows: pd.DataFrame, types: list[str], n_months: int, rng) -> pd.DataFrame:
    """The outcomes rows of every crime, and each crime's last outcome as of the last month."""
    crime = np.flatnonzero(rows["crime_id"].to_numpy() != "")
    kind, month = rows["type"].to_numpy()[crime], rows["month"].to_numpy()[crime]
    final = _pick(kind, tables.police_uk_outcomes(), types, rng)
    lags = np.array(tables.outcome_lags())
    lag = rng.choice(len(lags), size=len(crime), p=lags / lags.sum())
    unavailable = rng.random(len(crime)) < _NO_OUTCOME
    when = month + lag
    has = ~unavailable & (when < n_months)
    last = np.where(has, final, "Under investigation").astype(object)
    last[unavailable & (month < n_months - 3)] = "Status update unavailable"
    charged = has & (final == "Suspect charged")
    last[charged] = np.where(when[charged] >= n_months - 12, "Awaiting court outcome",
                             "Court result unavailable")
    rows.loc[rows.index[crime], "last_outcome"] = last
    earlier = has & (lag >= 1) & (rng.random(len(crime)) < _TWO_OUTCOMES)
    first = pd.DataFrame({
        "row": crime[earlier],
        "month": month[earlier] + (rng.random(int(earlier.sum())) * lag[earlier]).astype(int),
        "outcome": _pick(kind[earlier], tables.police_uk_outcomes(), types, rng),
    })
    final_rows = pd.DataFrame({"row": crime[has], "month": when[has], "outcome": final[has]})
    both = pd.concat([first, final_rows], ignore_index=True)
    return both.sort_values(["month", "row"], kind="stable", ignore_index=True)


def draw_crimes(force: ForceMap, months: list[str], rng: np.random.Generator) -> Crimes:
    """Draw every row of the force's street and outcomes files for ``months``."""
    kinds = tables.police_uk_types()
    types = [k.crime_type for k in kinds]
    counts = _counts(force, months, rng)
    cell = np.repeat(np.arange(counts.size), counts.ravel())
    lsoa, kind, month = np.unravel_index(cell, counts.shape)
    unlocated = rng.random(len(cell)) < np.array([k.no_location for k in kinds])[kind]
    rows = pd.DataFrame({"month": month, "lsoa": np.where(unlocated, -1, lsoa), "type": kind})
    rows["crime_id"] = _crime_ids(len(rows), rng)
    rows.loc[rows["type"] == types.index(ASB), "crime_id"] = ""
    rows["last_outcome"] = ""
    outcomes = _outcomes(rows, types, len(months), rng)
    return Crimes(months=list(months), types=types, rows=rows, outcomes=outcomes)
