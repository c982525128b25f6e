"""The demo's data tables, read from the CSV and YAML files in ``slp/demo/data/``.

Each function reads its file once (cached) and returns plain tuples and small frozen
dataclasses; ``data/README.md`` documents every column. Values are parsed with Python's own
``float``/``int``, so the demo's numbers are exactly those written in the files.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources

import yaml


@dataclass(frozen=True)
class Category:
    """One old-format MPS (major, minor) category and how the demo draws it."""

    major: str
    minor: str
    london_rate: float  # per 1,000 residents a year, London 2017-2019
    trend: float | None  # log growth a year; None: the major category's
    airport_per_year: int  # approximate 2019 count in the airports row
    police_uk_type: str  # the data.police.uk crime type


@dataclass(frozen=True)
class MajorProfile:
    """How one major category behaves over the year, over time and across the map."""

    season: tuple[float, ...]  # monthly index, January to December
    trend: float  # log growth a year
    lockdown: float  # ratio to normal in the deepest lockdown month
    town_centre: float  # multiplier in a town-centre ward (40% of the excess next to one)
    central: float  # change per unit of centrality (1 at the middle of the map, 0 at the edge)


@dataclass(frozen=True)
class PoliceUkType:
    """One data.police.uk crime type and how the demo force draws it."""

    crime_type: str
    rate: float  # per 1,000 residents a year across the force
    trend: float  # log growth a year
    amplitude: float  # seasonal swing: 1 + amplitude x cos(month - peak)
    peak: float  # month of the year (1-12) with the most
    centre: float  # multiplier in a town-centre ward (40% of the excess next to one)
    no_location: float  # share of rows published with no location


@dataclass(frozen=True)
class Names:
    """Word stems and endings of the fictional place names."""

    stems: tuple[str, ...]
    ward_endings: tuple[tuple[str, float], ...]  # (" Green", 1.0); ("", w) is the bare stem
    street_endings: tuple[str, ...]
    landmarks: tuple[str, ...]


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("slp.demo").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@functools.cache
def categories() -> tuple[Category, ...]:
    """Every MPS category the demo draws, in the order of the draws.

    Examples
    --------
    >>> [c.minor for c in categories() if c.major == "Burglary"]
    ['Burglary Business and Community', 'Domestic Burglary']
    """
    return tuple(
        Category(
            major=row["major"],
            minor=row["minor"],
            london_rate=float(row["london_rate"]),
            trend=float(row["trend"]) if row["trend"] else None,
            airport_per_year=int(row["airport_per_year"]),
            police_uk_type=row["police_uk_type"],
        )
        for row in _rows("categories.csv")
    )


@functools.cache
def major_profiles() -> dict[str, MajorProfile]:
    """Seasonality, trend, lockdown and geography of each major category, by name."""
    months = [f"m{k:02d}" for k in range(1, 13)]
    return {
        row["major"]: MajorProfile(
            season=tuple(float(row[m]) for m in months),
            trend=float(row["trend"]),
            lockdown=float(row["lockdown"]),
            town_centre=float(row["town_centre"]),
            central=float(row["central"]),
        )
        for row in _rows("major_categories.csv")
    }


@functools.cache
def covid_shape() -> dict[str, float]:
    """Share of the full lockdown effect by month (``YYYY-MM``); months not listed are 0.

    Examples
    --------
    >>> covid_shape()["2020-04"], covid_shape().get("2019-04", 0.0)
    (1.0, 0.0)
    """
    return {row["month"]: float(row["lockdown_share"]) for row in _rows("covid.csv")}


@functools.cache
def outcomes() -> tuple[tuple[str, float], ...]:
    """police.uk last outcome categories and their relative frequencies."""
    return tuple((row["outcome"], float(row["share"])) for row in _rows("outcomes.csv"))


@functools.cache
def police_uk_types() -> tuple[PoliceUkType, ...]:
    """The 14 police.uk crime types (anti-social behaviour included), in the order of the draws.

    Examples
    --------
    >>> len(police_uk_types()), police_uk_types()[0].crime_type
    (14, 'Anti-social behaviour')
    """
    numbers = ("rate", "trend", "amplitude", "peak", "centre", "no_location")
    return tuple(
        PoliceUkType(row["crime_type"], *(float(row[k]) for k in numbers))
        for row in _rows("police_uk_types.csv")
    )


@functools.cache
def police_uk_outcomes() -> dict[str, tuple[tuple[str, float], ...]]:
    """Each crime type's outcomes (police.uk ``Outcome type``) and their relative frequencies."""
    out: dict[str, list[tuple[str, float]]] = {}
    for row in _rows("police_uk_outcomes.csv"):
        out.setdefault(row["crime_type"], []).append((row["outcome"], float(row["share"])))
    return {crime_type: tuple(pairs) for crime_type, pairs in out.items()}


@functools.cache
def outcome_lags() -> tuple[float, ...]:
    """Relative frequency of 0, 1, 2, ... months between a crime and its outcome."""
    rows = sorted(_rows("police_uk_lags.csv"), key=lambda row: int(row["lag"]))
    return tuple(float(row["share"]) for row in rows)


@functools.cache
def age_bands() -> tuple[tuple[str, int], ...]:
    """Census 2021 TS007a age bands in published order, with the demo's age profile (per mille).

    Examples
    --------
    >>> len(age_bands()), age_bands()[0]
    (18, ('Aged 4 years and under', 62))
    """
    return tuple((row["band"], int(row["per_mille"])) for row in _rows("age_bands.csv"))


@functools.cache
def names() -> Names:
    """Stems and endings of the fictional ward and street names."""
    text = resources.files("slp.demo").joinpath("data", "names.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    return Names(
        stems=tuple(raw["stems"]),
        ward_endings=tuple(
            (f" {ending}" if ending else "", float(weight))
            for ending, weight in raw["ward_endings"].items()
        ),
        street_endings=tuple(raw["street_endings"]),
        landmarks=tuple(raw["landmarks"]),
    )
