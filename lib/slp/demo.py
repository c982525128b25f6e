"""The demo data set: a fictional London written in the real published formats.

``slp demo`` writes a complete, SYNTHETIC data set so every report can run without downloading
anything, and so the same loaders read demo and real data. Nothing in it is a real crime figure.

What is fixed and what is random
--------------------------------
The *map* is fixed: 32 fictional boroughs on a seeded tessellation of an ellipse about 45 x 35 km
placed over the British National Grid, their wards (the focus borough :data:`DEMO_BOROUGH` has
exactly 18), LSOAs, names, codes and Census-style populations are the same for every ``seed``,
so a parameters file can name a demo ward. The *counts* (crime by ward, minor category and month,
the dashboard series and the street-level rows) are drawn from ``numpy.random.default_rng(seed)``:
the same seed gives byte-identical files on every run (GeoPackages included: their timestamp is
pinned).

How the counts are made
-----------------------
Each ward x MPS minor category x month count is a gamma-Poisson (negative binomial) draw around

    population x category rate x borough level x ward level x seasonality x trend x COVID-19

* category rates are London's 2017-2019 rates per 1,000 residents from the real MPS file (about
  97 crimes per 1,000 a year; violence against the person about a quarter, theft a third);
* borough levels fall with distance from the central borough (a West End analogue, about three
  times London's rate) and the focus borough sits mid-table;
* every borough has a town-centre ward (``"<Borough> Central"``) with high theft, violence,
  robbery, public-order and drug rates, its neighbouring wards are raised too (a hotspot
  cluster), and crime falls away with distance from the town centre;
* seasonality per major category is the real 2011-2019 monthly profile (violence peaks in summer,
  burglary in winter); trends are gentle (burglary falling, violence and sexual offences rising);
* COVID-19: lockdowns in 2020-04..06, 2020-11 and 2021-01..03 (about -30% overall in April 2020,
  theft -50%, robbery -60%, drug offences +30%), easing through 2021;
* shoplifting in the focus borough rises clearly over the last 12 months (about +40% on the
  12 months before), so the reports have a change to find.

Borough totals are the sum of the borough's wards plus about 2.4% of offences with no ward, as in
the real files (ward rows do not add up to borough totals). The dashboard series are thinned from
the borough totals: domestic abuse ~11%, knife crime ~1.7% (with injury ~27% of it), and gun crime
is a small independent count (0-6 a month) so disclosure control has something to do.

File conventions copied from the real files
-------------------------------------------
* MPS borough and ward files: LF line endings, minimal quoting, rows sorted by borough (and ward
  name) then major then minor category, rows that are zero in every month of the file left out,
  minor categories truncated to 50 characters exactly as published.
* The Historical borough file ends the month before the 24-month file starts, exactly as in every
  real vintage (2023-08, 2024-02, 2024-11, 2025-03): the two files abut, they do not overlap.
* The 24-month ward file carries an ``Aviation Security (SO18)`` row set for the airport ward
  ``Aerodrome Fields`` (as the real 2023-09 vintage does for Heathrow Villages); the borough files
  carry a
  ``London Heathrow and London City Airports`` row set. Neither is a borough.
* Dashboard: ``Financial Year`` runs April-March (``2022-23``); ``FY_FYIndex`` is the financial
  year and the month's position in it, ``2022-23_01`` for April 2022 up to ``2022-23_12`` for
  March 2023. Zero counts are written as rows with ``Count`` 0.
* police.uk street files: anti-social behaviour rows have no Crime ID and no outcome; offences
  with no location have empty coordinates and LSOA, ``No Location``, and come last.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import Transformer

from slp.boroughs import (  # re-exported: the demo's public names
    DEMO_BOROUGH,
    DEMO_BOROUGHS,
    DEMO_COMPARATORS,
    is_demo_borough,  # noqa: F401
)
from slp.errors import SlpError

# --------------------------------------------------------------------------------------------
# Public constants
# --------------------------------------------------------------------------------------------

#: First and last month of the demo (fixed so the output is the same on every run and machine).
DEMO_FIRST_MONTH: str = "2017-01"
DEMO_LAST_MONTH: str = "2026-09"

# --------------------------------------------------------------------------------------------
# Private constants: the shape of the fictional map
# --------------------------------------------------------------------------------------------

#: The map (names, boundaries, populations) never depends on the ``seed`` of :func:`write_demo`.
_MAP_SEED = 20170101
_MAP_CENTRE = (531_000.0, 180_500.0)  # British National Grid, metres
_MAP_SEMI_AXES = (22_500.0, 17_500.0)  # a 45 x 35 km ellipse
#: The West End analogue: the borough at the centre of the map.
_CENTRAL_BOROUGH = "Kingsreach"
#: Axial hex-lattice positions of the focus borough and its comparators (lattice neighbours, so
#: their cells share a boundary).
_FOCUS_CELL = (2, -2)
_COMPARATOR_CELLS = ((2, -1), (1, -2))
_FOCUS_POPULATION = 280_000
_FOCUS_WARDS = 18
#: The airport ward (an ``Aviation Security (SO18)`` row set in the ward file) sits in this borough.
_AIRPORT_BOROUGH = "Yarrowfield"
_AIRPORT_WARD = "Aerodrome Fields"
_AIRPORTS_ROW = "London Heathrow and London City Airports"
_AVIATION_ROW = "Aviation Security (SO18)"
_REFRESH_DATE = "01/10/2026"
_GPKG_DATE = "2026-10-01T00:00:00.000Z"  # fixed gpkg_contents.last_change: identical bytes
_POLICE = "Metropolitan Police Service"

#: Word stems and endings for fictional ward and street names (checked against the ONS 2025 ward
#: names of England and Wales: no demo ward has a real ward's name).
_STEMS: tuple[str, ...] = tuple(
    [
        "Alder",
        "Bramble",
        "Caddow",
        "Cinder",
        "Dimble",
        "Draycot",
        "Eldon",
        "Fennick",
        "Flaxley",
        "Gorsey",
        "Hazeldene",
        "Ivory",
        "Kettle",
        "Kingfisher",
        "Lanthorn",
        "Larkin",
        "Lindow",
        "Medlar",
        "Nutbrook",
        "Oakhurst",
        "Orpin",
        "Osier",
        "Pellow",
        "Pinder",
        "Quarrel",
        "Rendle",
        "Saxby",
        "Sedgely",
        "Sorrel",
        "Teasel",
        "Tolley",
        "Umber",
        "Vetchley",
        "Wadlow",
        "Wimble",
        "Wolsey",
        "Brenton",
        "Drayford",
        "Elvet",
        "Fulmer",
        "Gilder",
        "Inchley",
        "Bexcombe",
        "Catmere",
        "Dunlow",
        "Ellerby",
        "Farthing",
        "Gallow",
        "Hobley",
        "Jessop",
        "Kimble",
        "Lullworth",
        "Nettlebed",
        "Ormsby",
        "Penfold",
        "Quillan",
        "Ravelstone",
        "Stannard",
        "Tawney",
        "Uffley",
        "Wickenden",
        "Yelverton",
        "Zeal",
        "Ashcombe",
        "Birchfold",
        "Dewley",
        "Emberton",
        "Hennings",
        "Ickley",
        "Juniper",
    ]
)
_WARD_ENDINGS = (
    ("", 6.0),
    (" Green", 1.0),
    (" Park", 1.0),
    (" Vale", 1.0),
    (" Common", 0.7),
    (" Rise", 0.6),
    (" Hill", 1.0),
    (" Cross", 0.6),
    (" Fields", 0.7),
    (" Village", 0.8),
    (" Heath", 0.7),
    (" Marsh", 0.4),
    (" Wharf", 0.3),
    (" Gardens", 0.5),
    (" Town", 0.4),
    (" North", 1.0),
    (" South", 1.0),
    (" East", 0.8),
    (" West", 0.8),
)
_STREET_ENDINGS: tuple[str, ...] = tuple(
    [
        "Road",
        "Street",
        "Avenue",
        "Close",
        "Grove",
        "Lane",
        "Way",
        "Gardens",
        "Crescent",
        "Place",
        "Walk",
        "Drive",
        "Terrace",
        "Mews",
        "Rise",
    ]
)
_LANDMARKS = (
    "Parking Area",
    "Supermarket",
    "Shopping Area",
    "Petrol Station",
    "Sports/Recreation Area",
    "Nightclub",
    "Further/Higher Educational Building",
    "Hospital",
    "Park/Open Space",
)

#: Census 2021 TS007a age bands, in the published column order.
_AGE_BANDS = (
    "Aged 4 years and under",
    "Aged 5 to 9 years",
    "Aged 10 to 14 years",
    "Aged 15 to 19 years",
    "Aged 20 to 24 years",
    "Aged 25 to 29 years",
    "Aged 30 to 34 years",
    "Aged 35 to 39 years",
    "Aged 40 to 44 years",
    "Aged 45 to 49 years",
    "Aged 50 to 54 years",
    "Aged 55 to 59 years",
    "Aged 60 to 64 years",
    "Aged 65 to 69 years",
    "Aged 70 to 74 years",
    "Aged 75 to 79 years",
    "Aged 80 to 84 years",
    "Aged 85 years and over",
)
#: Age profile (per mille) of five south and east London boroughs in Census 2021.
_AGE_PROFILE = (62, 61, 62, 56, 65, 88, 93, 85, 75, 67, 66, 60, 46, 33, 29, 20, 15, 15)

# --------------------------------------------------------------------------------------------
# Private constants: crime
# --------------------------------------------------------------------------------------------

#: Old-format MPS (major, minor) categories exactly as published (minor names cut at 50
#: characters), with London's 2017-2019 rate per 1,000 residents per year from the real file
#: (rare categories given a small floor so they appear now and then, as they do).
_CATEGORIES: tuple[tuple[str, str, float], ...] = (
    ("Arson and Criminal Damage", "Arson", 2.437),
    ("Arson and Criminal Damage", "Criminal Damage", 65.535),
    ("Burglary", "Burglary Business and Community", 24.622),
    ("Burglary", "Domestic Burglary", 67.556),
    ("Drug Offences", "Drug Trafficking", 3.893),
    ("Drug Offences", "Possession of Drugs", 43.592),
    ("Historical Fraud and Forgery", "Historical Fraud and Forgery", 0.004),
    ("Miscellaneous Crimes Against Society", "Absconding from Lawful Custody", 0.045),
    ("Miscellaneous Crimes Against Society", "Aiding Suicide", 0.002),
    ("Miscellaneous Crimes Against Society", "Bail Offences", 0.112),
    ("Miscellaneous Crimes Against Society", "Bigamy", 0.021),
    ("Miscellaneous Crimes Against Society", "Concealing an Infant Death Close to Birth", 0.002),
    ("Miscellaneous Crimes Against Society", "Dangerous Driving", 0.442),
    (
        "Miscellaneous Crimes Against Society",
        "Disclosure, Obstruction, False or Misleading State",
        0.080,
    ),
    ("Miscellaneous Crimes Against Society", "Exploitation of Prostitution", 0.033),
    ("Miscellaneous Crimes Against Society", "Forgery or Use of Drug Prescription", 0.062),
    (
        "Miscellaneous Crimes Against Society",
        "Fraud or Forgery Associated with Driver Records",
        0.116,
    ),
    ("Miscellaneous Crimes Against Society", "Going Equipped for Stealing", 0.634),
    ("Miscellaneous Crimes Against Society", "Handling Stolen Goods", 0.892),
    (
        "Miscellaneous Crimes Against Society",
        "Making, Supplying or Possessing Articles for use i",
        0.732,
    ),
    ("Miscellaneous Crimes Against Society", "Obscene Publications", 2.613),
    ("Miscellaneous Crimes Against Society", "Offender Management Act", 0.291),
    ("Miscellaneous Crimes Against Society", "Other Forgery", 0.982),
    ("Miscellaneous Crimes Against Society", "Other Notifiable Offences", 0.824),
    ("Miscellaneous Crimes Against Society", "Perjury", 0.024),
    ("Miscellaneous Crimes Against Society", "Perverting Course of Justice", 0.835),
    ("Miscellaneous Crimes Against Society", "Possession of False Documents", 0.398),
    (
        "Miscellaneous Crimes Against Society",
        "Profitting From or Concealing Proceeds of Crime",
        0.549,
    ),
    ("Miscellaneous Crimes Against Society", "Soliciting for Prostitution", 0.069),
    (
        "Miscellaneous Crimes Against Society",
        "Threat or Possession With Intent to Commit Crimina",
        2.280,
    ),
    ("Miscellaneous Crimes Against Society", "Wildlife Crime", 0.016),
    ("Possession of Weapons", "Other Firearm Offences", 0.037),
    ("Possession of Weapons", "Other Knife Offences", 0.002),
    ("Possession of Weapons", "Possession of Article with Blade or Point", 3.862),
    ("Possession of Weapons", "Possession of Firearm with Intent", 0.434),
    ("Possession of Weapons", "Possession of Firearms Offences", 0.841),
    ("Possession of Weapons", "Possession of Other Weapon", 3.722),
    ("Public Order Offences", "Other Offences Against the State, or Public Order", 7.433),
    ("Public Order Offences", "Public Fear Alarm or Distress", 37.957),
    ("Public Order Offences", "Racially or Religiously Aggravated Public Fear, Al", 11.127),
    ("Public Order Offences", "Violent Disorder", 0.078),
    ("Robbery", "Robbery of Business Property", 2.903),
    ("Robbery", "Robbery of Personal Property", 37.747),
    ("Sexual Offences", "Other Sexual Offences", 14.100),
    ("Sexual Offences", "Rape", 9.322),
    ("Theft", "Bicycle Theft", 23.715),
    ("Theft", "Other Theft", 137.108),
    ("Theft", "Shoplifting", 53.171),
    ("Theft", "Theft from Person", 56.406),
    ("Vehicle Offences", "Aggravated Vehicle Taking", 1.193),
    ("Vehicle Offences", "Interfering with a Motor Vehicle", 17.724),
    ("Vehicle Offences", "Theft from a Motor Vehicle", 79.826),
    ("Vehicle Offences", "Theft or Taking of a Motor Vehicle", 35.505),
    ("Violence Against the Person", "Homicide", 0.168),
    ("Violence Against the Person", "Violence with Injury", 90.319),
    ("Violence Against the Person", "Violence without Injury", 155.619),
)
#: London's 2017-2019 total in the real file: 97.5 crimes per 1,000 residents per year.
_LONDON_RATE = 97.5


@dataclass(frozen=True)
class _Profile:
    """How one major category behaves over the year, over time and across the map."""

    season: tuple[float, ...]  # monthly index, January to December (real London 2011-2019)
    trend: float  # log growth a year
    lockdown: float  # ratio to normal in the deepest lockdown month
    town_centre: float  # multiplier in a town-centre ward (40% of the excess next to one)
    central: float  # change per unit of centrality (1 at the middle of the map, 0 at the edge)


#: Behaviour of each major category.
_MAJOR_PROFILE: dict[str, _Profile] = {
    "Arson and Criminal Damage": _Profile(
        (0.98, 0.92, 1.02, 1.00, 1.07, 1.03, 1.06, 1.02, 0.95, 1.01, 0.99, 0.95),
        trend=-0.01,
        lockdown=0.78,
        town_centre=1.3,
        central=0.0,
    ),
    "Burglary": _Profile(
        (1.13, 1.01, 1.04, 0.94, 0.95, 0.91, 0.93, 0.95, 0.92, 1.03, 1.11, 1.08),
        trend=-0.04,
        lockdown=0.55,
        town_centre=1.0,
        central=-0.15,
    ),
    "Drug Offences": _Profile(
        (1.05, 0.96, 1.06, 0.95, 1.00, 0.98, 1.06, 1.08, 0.96, 1.03, 1.01, 0.88),
        trend=-0.02,
        lockdown=1.30,
        town_centre=2.5,
        central=0.2,
    ),
    "Historical Fraud and Forgery": _Profile(
        (1.0,) * 12,
        trend=-0.2,
        lockdown=1.0,
        town_centre=1.0,
        central=0.0,
    ),
    "Miscellaneous Crimes Against Society": _Profile(
        (0.95, 0.96, 1.07, 0.93, 1.02, 0.96, 1.05, 1.03, 1.00, 1.07, 1.03, 0.92),
        trend=0.01,
        lockdown=1.05,
        town_centre=1.5,
        central=0.1,
    ),
    "Possession of Weapons": _Profile(
        (0.96, 0.93, 1.05, 0.94, 1.06, 1.04, 1.06, 1.08, 0.98, 1.05, 0.97, 0.88),
        trend=0.0,
        lockdown=0.90,
        town_centre=1.8,
        central=0.1,
    ),
    "Public Order Offences": _Profile(
        (0.83, 0.82, 0.95, 0.93, 1.05, 1.08, 1.19, 1.07, 1.04, 1.07, 1.02, 0.94),
        trend=0.03,
        lockdown=0.88,
        town_centre=2.0,
        central=0.1,
    ),
    "Robbery": _Profile(
        (1.00, 0.91, 1.01, 0.96, 1.01, 1.00, 1.04, 0.97, 0.97, 1.05, 1.07, 1.01),
        trend=0.0,
        lockdown=0.40,
        town_centre=2.0,
        central=0.3,
    ),
    "Sexual Offences": _Profile(
        (0.95, 0.87, 1.00, 0.91, 1.05, 1.05, 1.12, 1.00, 1.00, 1.07, 1.06, 0.94),
        trend=0.04,
        lockdown=0.70,
        town_centre=1.5,
        central=0.1,
    ),
    "Theft": _Profile(
        (0.94, 0.91, 1.02, 0.97, 1.04, 1.02, 1.07, 1.01, 0.97, 1.05, 1.03, 0.99),
        trend=0.01,
        lockdown=0.50,
        town_centre=3.0,
        central=0.5,
    ),
    "Vehicle Offences": _Profile(
        (1.01, 0.92, 1.03, 0.97, 1.02, 1.00, 0.99, 0.96, 1.00, 1.08, 1.05, 0.97),
        trend=-0.02,
        lockdown=0.60,
        town_centre=0.9,
        central=-0.15,
    ),
    "Violence Against the Person": _Profile(
        (0.93, 0.87, 1.00, 0.95, 1.04, 1.05, 1.10, 1.01, 0.99, 1.04, 1.02, 1.00),
        trend=0.025,
        lockdown=0.88,
        town_centre=1.8,
        central=0.0,
    ),
}
#: Minor categories whose trend differs from their major's (log growth a year).
_MINOR_TREND = {"Shoplifting": 0.05}

#: Share of the full lockdown effect by month, 2020-03 .. 2021-12 (lockdowns: 2020-04..06,
#: 2020-11, 2021-01..03), shaped on the real London monthly ratios to 2019.
_COVID_SHAPE = {
    "2020-03": 0.35, "2020-04": 1.0, "2020-05": 0.85, "2020-06": 0.6, "2020-07": 0.4,
    "2020-08": 0.3, "2020-09": 0.3, "2020-10": 0.4, "2020-11": 0.75, "2020-12": 0.65,
    "2021-01": 1.0, "2021-02": 0.95, "2021-03": 0.8, "2021-04": 0.6, "2021-05": 0.45,
    "2021-06": 0.35, "2021-07": 0.25, "2021-08": 0.2, "2021-09": 0.15, "2021-10": 0.1,
    "2021-11": 0.05,
}  # fmt: skip

#: The category that rises in the focus borough over the last 12 months (factor ramps 1.2 -> 1.6).
_RISING_MINOR = "Shoplifting"
_NO_WARD_SHARE = 0.024  # Lewisham, Oct 2021-Sep 2022: 27,726 in wards of 28,409 (2.4% without)
_DISPERSION = 25.0  # gamma shape of the cell-level noise (negative binomial)

#: Airports row: approximate 2019 annual counts at the real airports row, by minor category.
_AIRPORT_ANNUAL = {
    "Other Notifiable Offences": 300,
    "Other Theft": 280,
    "Shoplifting": 60,
    "Violence without Injury": 45,
    "Violence with Injury": 25,
    "Theft from a Motor Vehicle": 24,
    "Possession of Drugs": 20,
    "Theft from Person": 17,
    "Criminal Damage": 16,
    "Theft or Taking of a Motor Vehicle": 15,
    "Public Fear Alarm or Distress": 13,
    "Other Sexual Offences": 11,
    "Other Offences Against the State, or Public Order": 11,
    "Bicycle Theft": 9,
    "Racially or Religiously Aggravated Public Fear, Al": 8,
    "Burglary Business and Community": 8,
    "Possession of Article with Blade or Point": 4,
    "Possession of Other Weapon": 3,
    "Possession of False Documents": 3,
}

#: MPS major (or minor) category -> data.police.uk crime type.
_POLICE_UK_TYPE = {
    "Arson and Criminal Damage": "Criminal damage and arson",
    "Burglary": "Burglary",
    "Drug Offences": "Drugs",
    "Historical Fraud and Forgery": "Other crime",
    "Miscellaneous Crimes Against Society": "Other crime",
    "Possession of Weapons": "Possession of weapons",
    "Public Order Offences": "Public order",
    "Robbery": "Robbery",
    "Sexual Offences": "Violence and sexual offences",
    "Vehicle Offences": "Vehicle crime",
    "Violence Against the Person": "Violence and sexual offences",
    "Bicycle Theft": "Bicycle theft",
    "Other Theft": "Other theft",
    "Shoplifting": "Shoplifting",
    "Theft from Person": "Theft from the person",
}
_ASB = "Anti-social behaviour"
_ASB_RATE = 30.0  # anti-social behaviour incidents per 1,000 residents a year
_OUTCOMES = (
    ("Investigation complete; no suspect identified", 0.45),
    ("Unable to prosecute suspect", 0.24),
    ("Under investigation", 0.08),
    ("Status update unavailable", 0.07),
    ("Court result unavailable", 0.04),
    ("Awaiting court outcome", 0.03),
    ("Local resolution", 0.03),
    ("Further investigation is not in the public interest", 0.02),
    ("Action to be taken by another organisation", 0.02),
    ("Offender given a caution", 0.02),
)

#: Dashboard series: (Offence Group, Offence Subgroup), in the order written.
_DASHBOARD_SERIES = (
    ("Domestic Abuse", "Domestic Abuse Offences"),
    ("Knife Crime", "Knife Crime"),
    ("Knife Crime", "Knife Crime With Injury"),
    ("Gun Crime", "Gun Crime"),
)

#: Exact headers of the real files.
_BOROUGH_COLUMNS = ("MajorText", "MinorText", "LookUp_BoroughName")
_WARD_COLUMNS = ("MajorText", "MinorText", "WardName", "WardCode", "LookUp_BoroughName")
_DASHBOARD_COLUMNS = (
    "Month_Year",
    "Area Type",
    "Borough_SNT",
    "Area name",
    "Area code",
    "Offence Group",
    "Offence Subgroup",
    "Measure",
    "Financial Year",
    "FY_FYIndex",
    "Count",
    "Refresh Date",
)
_STREET_COLUMNS = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
_LOOKUP_COLUMNS = (
    "LSOA21CD",
    "LSOA21NM",
    "LSOA21NMW",
    "WD25CD",
    "WD25NM",
    "WD25NMW",
    "LAD25CD",
    "LAD25NM",
    "LAD25NMW",
    "ObjectId",
)
_POPULATION_COLUMNS = ("date", "geography", "geography code", "Age: Total") + tuple(
    f"Age: {band}" for band in _AGE_BANDS
)

#: Paths written under ``out``, by role (the keys of :func:`write_demo`'s result).
FILES: dict[str, str] = {
    "borough_historical": "mps-borough/MPS Borough Level Crime (Historical).csv",
    "borough_recent": "mps-borough/MPS Borough Level Crime (most recent 24 months).csv",
    "ward_recent": "mps-ward/MPS Ward Level Crime (most recent 24 months).csv",
    "dashboard": "dashboard/MPS Monthly Crime Dashboard Data.csv",
    "population_ltla": "population/demo-census2021-ts007a-ltla.csv",
    "population_lsoa": "population/demo-census2021-ts007a-lsoa.csv",
    "lsoa_ward_lookup": "population/demo-lsoa21-ward-lad-lookup.csv",
    "ward_boundaries": "boundaries/wards.gpkg",
    "borough_boundaries": "boundaries/boroughs.gpkg",
    "lsoa_boundaries": "boundaries/lsoa.gpkg",
    "street": "street",
    "readme": "README.md",
}
_README_MARK = "SYNTHETIC demonstration data"


def demo_months() -> list[str]:
    """Every month of the demo as ``YYYY-MM``, :data:`DEMO_FIRST_MONTH` to :data:`DEMO_LAST_MONTH`."""
    return [str(p) for p in pd.period_range(DEMO_FIRST_MONTH, DEMO_LAST_MONTH, freq="M")]


# --------------------------------------------------------------------------------------------
# The map
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Map:
    """The fixed fictional geography (internal; read it back from the written files)."""

    boroughs: gpd.GeoDataFrame  # name, code, population, level, centrality, geometry
    # code, name, borough, borough_index, population, level, geometry and hot: 2 for the
    # town-centre ward, 1 for its neighbours, 0 elsewhere
    wards: gpd.GeoDataFrame
    lsoas: gpd.GeoDataFrame  # code, name, ward (code), borough, population, age bands, geometry


def _outline() -> shapely.Polygon:
    """A gently wobbling ellipse: the edge of the fictional London."""
    theta = np.linspace(0.0, 2.0 * np.pi, 240, endpoint=False)
    wobble = 1.0 + 0.04 * np.sin(3 * theta + 0.7) + 0.025 * np.sin(5 * theta + 2.1)
    wobble += 0.015 * np.sin(8 * theta + 0.3)
    x = _MAP_CENTRE[0] + _MAP_SEMI_AXES[0] * wobble * np.cos(theta)
    y = _MAP_CENTRE[1] + _MAP_SEMI_AXES[1] * wobble * np.sin(theta)
    return shapely.Polygon(np.round(np.column_stack([x, y]), 1))


def _voronoi_cells(points: np.ndarray, clip: shapely.Geometry) -> np.ndarray:
    """Voronoi cells of ``points`` (in input order) clipped to ``clip``; they tile ``clip``."""
    extent = shapely.box(*clip.buffer(1000.0).bounds)
    cells = shapely.voronoi_polygons(shapely.multipoints(points), extend_to=extent, ordered=True)
    return shapely.intersection(shapely.get_parts(cells), clip)


def _points_inside(polygon: shapely.Geometry, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` uniform random points inside ``polygon`` (rejection sampling)."""
    minx, miny, maxx, maxy = polygon.bounds
    found = np.empty((0, 2))
    while len(found) < n:
        cand = rng.uniform((minx, miny), (maxx, maxy), size=(4 * n + 16, 2))
        found = np.vstack([found, cand[shapely.contains_xy(polygon, cand[:, 0], cand[:, 1])]])
    return found[:n]


def _relaxed_cells(polygon: shapely.Geometry, n: int, rng: np.random.Generator, rounds: int):
    """Split ``polygon`` into ``n`` compact cells: a Voronoi of random seeds, Lloyd-relaxed."""
    seeds = _points_inside(polygon, n, rng)
    cells = _voronoi_cells(seeds, polygon)
    for _ in range(rounds):
        seeds = shapely.get_coordinates(shapely.centroid(cells))
        cells = _voronoi_cells(seeds, polygon)
    return cells


def _name_pool(rng: np.random.Generator):
    """An endless supply of fictional place names, unique across the map."""
    used: set[str] = set()
    endings = [e for e, _ in _WARD_ENDINGS]
    weights = np.array([w for _, w in _WARD_ENDINGS])
    weights = weights / weights.sum()
    while True:
        name = _STEMS[rng.integers(len(_STEMS))] + endings[rng.choice(len(endings), p=weights)]
        if name not in used:
            used.add(name)
            yield name


@functools.lru_cache(maxsize=1)
def _demo_map() -> _Map:
    """Build the fixed fictional map: boroughs, wards and LSOAs with populations."""
    rng = np.random.default_rng(_MAP_SEED)
    outline = _outline()
    a, b = _MAP_SEMI_AXES
    spacing = float(np.sqrt(np.pi * a * b / 32 / (np.sqrt(3) / 2)))

    # Borough seeds: the 32 points of a jittered hex lattice nearest the middle of the ellipse.
    axial = [(i, j) for i in range(-8, 9) for j in range(-8, 9)]
    xy = np.array([(spacing * (i + 0.5 * j), spacing * j * np.sqrt(3) / 2) for i, j in axial])
    radius = np.hypot(xy[:, 0] / a, xy[:, 1] / b)
    angle = np.arctan2(xy[:, 1], xy[:, 0])
    chosen = np.lexsort((angle, np.round(radius, 9)))[:32]
    cells_axial = [axial[k] for k in chosen]
    seeds = xy[chosen] + rng.normal(0.0, 0.12 * spacing, size=(32, 2))
    seeds[0] = 0.0  # the central borough sits at the middle
    seeds += _MAP_CENTRE
    borough_cells = _voronoi_cells(seeds, outline)

    # Names: the central borough, the focus borough and its comparators are placed on purpose.
    placed = {(0, 0): _CENTRAL_BOROUGH, _FOCUS_CELL: DEMO_BOROUGH}
    placed.update(dict(zip(_COMPARATOR_CELLS, DEMO_COMPARATORS, strict=True)))
    others = [n for n in DEMO_BOROUGHS if n not in placed.values()]
    others = [others[k] for k in rng.permutation(len(others))]
    names = [placed[c] if c in placed else others.pop() for c in cells_axial]
    dist = np.hypot(seeds[:, 0] - _MAP_CENTRE[0], seeds[:, 1] - _MAP_CENTRE[1]) / spacing

    # Airport borough: the westernmost outer borough (the real airports sit on the western edge).
    west = int(np.argmin(seeds[:, 0]))
    here = names.index(_AIRPORT_BOROUGH)
    names[here], names[west] = names[west], names[here]

    # Borough crime level: highest in the middle, falling outwards (the focus borough is put
    # mid-table when the counts are drawn).
    level = np.where(dist < 0.5, 2.6, np.clip(1.45 - 0.32 * (dist - 1.0), 0.62, 1.5))
    level = level * np.exp(rng.normal(0.0, 0.12, size=32))
    population = rng.integers(170_000, 370_000, size=32)
    population[names.index(_CENTRAL_BOROUGH)] = 205_000
    population[names.index(DEMO_BOROUGH)] = _FOCUS_POPULATION + int(rng.integers(-2500, 2500))

    order = np.argsort(names)  # codes follow alphabetical order, as real E09 codes do
    boroughs = gpd.GeoDataFrame(
        {
            "name": np.array(names)[order],
            "code": [f"E0990{k + 1:04d}" for k in range(32)],
            "population": population[order],
            "level": level[order],
            "centrality": np.clip(1.0 - dist[order] / 3.2, 0.0, 1.0),
        },
        geometry=borough_cells[order],
        crs="EPSG:27700",
    )

    ward_rows, lsoa_rows = [], []
    names_pool = _name_pool(rng)
    for bidx, brow in boroughs.iterrows():
        n_wards = (
            _FOCUS_WARDS
            if brow["name"] == DEMO_BOROUGH
            else int(np.clip(round(brow["population"] / 17_000 + rng.normal(0, 1.5)), 14, 22))
        )
        wcells = _relaxed_cells(brow.geometry, n_wards, rng, rounds=3)
        wpop = rng.multinomial(brow["population"], rng.dirichlet(np.full(n_wards, 25.0)))
        centre = shapely.centroid(brow.geometry)
        centre_ward = int(np.argmin(shapely.distance(wcells, centre)))
        touches = shapely.intersects(wcells, wcells[centre_ward].buffer(1.0))
        # Distance from the town centre, in units of the borough's radius.
        reach = shapely.distance(shapely.centroid(wcells), shapely.centroid(wcells[centre_ward]))
        reach = reach / np.sqrt(brow.geometry.area / np.pi)
        wnames = [next(names_pool) for _ in range(n_wards)]
        wnames[centre_ward] = f"{brow['name'].split()[0]} Central"
        if brow["name"] == _AIRPORT_BOROUGH:
            far = np.argmin(shapely.get_coordinates(shapely.centroid(wcells))[:, 0])
            wnames[int(far)] = _AIRPORT_WARD
        for k in range(n_wards):
            hot = 2 if k == centre_ward else (1 if touches[k] else 0)
            ward_rows.append(
                (brow["name"], bidx, wnames[k], int(wpop[k]), hot, reach[k], wcells[k])
            )

    wards = gpd.GeoDataFrame(
        ward_rows,
        columns=["borough", "borough_index", "name", "population", "hot", "reach", "geometry"],
        geometry="geometry",
        crs="EPSG:27700",
    )
    wards = wards.sort_values(["borough", "name"], kind="stable").reset_index(drop=True)
    wards["code"] = [f"E0590{k + 1:04d}" for k in range(len(wards))]
    # Crime falls away from the town centre, with some ward-to-ward noise.
    wards["level"] = np.exp(0.3 * (0.6 - wards["reach"]) + rng.normal(0.0, 0.15, size=len(wards)))

    # LSOAs: 6-10 a ward, numbered in MSOA-like groups from north to south within a borough.
    for bname, bward in wards.groupby("borough", sort=True):
        north_first = bward.assign(y=shapely.get_y(shapely.centroid(bward.geometry.values)))
        north_first = north_first.sort_values("y", ascending=False, kind="stable")
        msoa = 0
        for _, wrow in north_first.iterrows():
            n_lsoa = int(np.clip(round(wrow["population"] / 1900 + rng.normal(0, 0.7)), 6, 10))
            lcells = _relaxed_cells(wrow.geometry, n_lsoa, rng, rounds=2)
            lpop = rng.multinomial(wrow["population"], rng.dirichlet(np.full(n_lsoa, 30.0)))
            groups = np.array_split(np.arange(n_lsoa), int(np.ceil(n_lsoa / 5)))
            for group in groups:
                msoa += 1
                for letter, k in enumerate(group):
                    lsoa_rows.append(
                        (
                            f"{bname} {msoa:03d}{chr(ord('A') + letter)}",
                            wrow["code"],
                            bname,
                            int(lpop[k]),
                            lcells[k],
                        )
                    )
    lsoas = gpd.GeoDataFrame(
        lsoa_rows,
        columns=["name", "ward", "borough", "population", "geometry"],
        geometry="geometry",
        crs="EPSG:27700",
    )
    lsoas = lsoas.sort_values(["borough", "name"], kind="stable").reset_index(drop=True)
    lsoas["code"] = [f"E0190{k + 1:04d}" for k in range(len(lsoas))]
    profile = np.asarray(_AGE_PROFILE, dtype=float) / sum(_AGE_PROFILE)
    shares = rng.dirichlet(profile * 1500.0, size=len(lsoas))
    ages = np.vstack(
        [rng.multinomial(p, s) for p, s in zip(lsoas["population"], shares, strict=True)]
    )
    for j, band in enumerate(_AGE_BANDS):
        lsoas[band] = ages[:, j]
    return _Map(boroughs=boroughs, wards=wards, lsoas=lsoas)


# --------------------------------------------------------------------------------------------
# The counts
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Counts:
    months: list[str]
    ward: np.ndarray  # (wards, categories, months)
    no_ward: np.ndarray  # (boroughs, categories, months)
    airports: np.ndarray  # (categories, months)

    def borough(self, ward_borough: np.ndarray) -> np.ndarray:
        """Borough totals: the sum of the borough's wards plus offences with no ward."""
        total = self.no_ward.copy()
        np.add.at(total, ward_borough, self.ward)
        return total


def _time_profile(months: list[str]) -> np.ndarray:
    """Seasonality x trend x COVID-19 for every category and month, shape (categories, months)."""
    period = pd.PeriodIndex(months, freq="M")
    month_of_year = period.month.to_numpy() - 1
    years = (np.arange(len(months)) - months.index("2019-07")) / 12.0
    covid_share = np.array([_COVID_SHAPE.get(m, 0.0) for m in months])
    out = np.empty((len(_CATEGORIES), len(months)))
    for c, (major, minor, _) in enumerate(_CATEGORIES):
        profile = _MAJOR_PROFILE[major]
        trend = _MINOR_TREND.get(minor, profile.trend)
        out[c] = (
            np.asarray(profile.season)[month_of_year]
            * np.exp(trend * years)
            * np.exp(covid_share * np.log(profile.lockdown))
        )
    return out


def _simulate(demo: _Map, rng: np.random.Generator) -> _Counts:
    """Draw every ward, no-ward and airport count for every category and month."""
    months = demo_months()
    wards, boroughs = demo.wards, demo.boroughs
    majors = [major for major, _, _ in _CATEGORIES]
    rate = np.array([r for _, _, r in _CATEGORIES]) / 12.0 / 1000.0  # per resident a month

    # Category mix: town-centre wards and central boroughs have more theft, robbery and violence.
    hot_effect = np.array([_MAJOR_PROFILE[m].town_centre for m in majors])
    central_effect = np.array([_MAJOR_PROFILE[m].central for m in majors])
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
    focus = int(boroughs.index[boroughs["name"] == DEMO_BOROUGH][0])
    borough_rate = np.bincount(bidx, weights=base.sum(axis=1)) / boroughs["population"].to_numpy()
    base[bidx == focus] *= np.median(borough_rate) / borough_rate[focus]
    base *= np.exp(rng.normal(0.0, 0.2, size=base.shape))  # each ward's own category mix

    profile = _time_profile(months)
    mean = base[:, :, None] * profile[None, :, :]
    # A shared month-to-month wobble per borough (weather, events, recording).
    mean *= np.exp(rng.normal(0.0, 0.03, size=(len(boroughs), len(months))))[bidx][:, None, :]
    rising = [minor for _, minor, _ in _CATEGORIES].index(_RISING_MINOR)
    mean[bidx == focus, rising, -12:] *= np.linspace(1.2, 1.6, 12)

    ward_counts = rng.poisson(mean * rng.gamma(_DISPERSION, 1.0 / _DISPERSION, size=mean.shape))

    borough_mean = np.zeros((len(boroughs), len(_CATEGORIES), len(months)))
    np.add.at(borough_mean, bidx, mean)
    no_ward = rng.poisson(borough_mean * _NO_WARD_SHARE / (1.0 - _NO_WARD_SHARE))

    airport_annual = np.array([_AIRPORT_ANNUAL.get(minor, 0) for _, minor, _ in _CATEGORIES])
    travel = np.exp(np.array([_COVID_SHAPE.get(m, 0.0) for m in months]) * np.log(0.15))
    airports = rng.poisson(airport_annual[:, None] / 12.0 * 0.3 * travel[None, :])
    return _Counts(
        months=months,
        ward=ward_counts.astype(np.int64),
        no_ward=no_ward.astype(np.int64),
        airports=airports.astype(np.int64),
    )


# --------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------


def _to_csv(frame: pd.DataFrame, path: Path, *, bom: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8-sig" if bom else "utf-8")


def _wide(keys: pd.DataFrame, counts: np.ndarray, months: list[str]) -> pd.DataFrame:
    """Key columns + one ``YYYYMM`` column per month; rows all-zero over the months dropped."""
    values = pd.DataFrame(counts, columns=[m.replace("-", "") for m in months])
    frame = pd.concat([keys.reset_index(drop=True), values], axis=1)
    return frame[counts.sum(axis=1) > 0]


def _category_keys(n: int) -> pd.DataFrame:
    majors = [major for major, _, _ in _CATEGORIES]
    minors = [minor for _, minor, _ in _CATEGORIES]
    return pd.DataFrame({"MajorText": majors * n, "MinorText": minors * n})


def _write_borough_files(out: Path, demo: _Map, counts: _Counts) -> dict[str, Path]:
    months = counts.months
    totals = counts.borough(demo.wards["borough_index"].to_numpy())
    names = list(demo.boroughs["name"]) + [_AIRPORTS_ROW]
    stacked = np.concatenate([totals.reshape(-1, len(months)), counts.airports], axis=0)
    keys = _category_keys(len(names))
    keys["LookUp_BoroughName"] = np.repeat(names, len(_CATEGORIES))
    seam = len(months) - 24
    written = {}
    for role, cols in (
        ("borough_historical", slice(0, seam)),
        ("borough_recent", slice(seam, None)),
    ):
        frame = _wide(keys, stacked[:, cols], months[cols])
        frame = frame.sort_values(["LookUp_BoroughName", "MajorText", "MinorText"], kind="stable")
        path = out / FILES[role]
        _to_csv(frame[list(_BOROUGH_COLUMNS) + list(frame.columns[3:])], path)
        written[role] = path
    return written


def _write_ward_file(out: Path, demo: _Map, counts: _Counts) -> dict[str, Path]:
    months = counts.months[-24:]
    wards = demo.wards
    keys = _category_keys(len(wards) + 1)
    airport = wards.index[wards["name"] == _AIRPORT_WARD][0]
    keys["WardName"] = np.repeat(list(wards["name"]) + [_AIRPORT_WARD], len(_CATEGORIES))
    keys["WardCode"] = np.repeat(
        list(wards["code"]) + [wards.at[airport, "code"]], len(_CATEGORIES)
    )
    keys["LookUp_BoroughName"] = np.repeat(
        list(wards["borough"]) + [_AVIATION_ROW], len(_CATEGORIES)
    )
    stacked = np.concatenate(
        [counts.ward[:, :, -24:].reshape(-1, 24), counts.airports[:, -24:]], axis=0
    )
    frame = _wide(keys, stacked, months)
    frame = frame.sort_values(
        ["LookUp_BoroughName", "WardName", "MajorText", "MinorText"], kind="stable"
    )
    path = out / FILES["ward_recent"]
    _to_csv(frame[list(_WARD_COLUMNS) + [m.replace("-", "") for m in months]], path)
    return {"ward_recent": path}


def _financial_year(period: pd.PeriodIndex) -> tuple[list[str], list[str]]:
    """``Financial Year`` (April-March, ``2022-23``) and ``FY_FYIndex`` (``2022-23_01`` = April)."""
    start = np.where(period.month >= 4, period.year, period.year - 1)
    index = (period.month.to_numpy() - 4) % 12 + 1
    fy = [f"{s}-{(s + 1) % 100:02d}" for s in start]
    return fy, [f"{f}_{i:02d}" for f, i in zip(fy, index, strict=True)]


def _write_dashboard(
    out: Path, demo: _Map, counts: _Counts, rng: np.random.Generator
) -> dict[str, Path]:
    months = counts.months
    totals = counts.borough(demo.wards["borough_index"].to_numpy())
    total = totals.sum(axis=1)  # (boroughs, months)
    n_b, n_m = total.shape
    centrality = demo.boroughs["centrality"].to_numpy()[:, None]
    covid = np.array([_COVID_SHAPE.get(m, 0.0) for m in months])[None, :]
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

    period = pd.PeriodIndex(months, freq="M")
    fy, fy_index = _financial_year(period)
    series = np.stack([domestic, knife, injury, gun], axis=2)  # (boroughs, months, series)
    month_idx, borough_idx, series_idx = np.meshgrid(
        np.arange(n_m), np.arange(n_b), np.arange(len(_DASHBOARD_SERIES)), indexing="ij"
    )
    month_idx, borough_idx, series_idx = (a.ravel() for a in (month_idx, borough_idx, series_idx))
    names = demo.boroughs["name"].to_numpy()
    codes = demo.boroughs["code"].to_numpy()
    frame = pd.DataFrame(
        {
            "Month_Year": np.array([p.strftime("01/%m/%Y") for p in period])[month_idx],
            "Area Type": "Borough",
            "Borough_SNT": names[borough_idx],
            "Area name": names[borough_idx],
            "Area code": codes[borough_idx],
            "Offence Group": np.array([g for g, _ in _DASHBOARD_SERIES])[series_idx],
            "Offence Subgroup": np.array([s for _, s in _DASHBOARD_SERIES])[series_idx],
            "Measure": "Offences",
            "Financial Year": np.array(fy)[month_idx],
            "FY_FYIndex": np.array(fy_index)[month_idx],
            "Count": series[borough_idx, month_idx, series_idx],
            "Refresh Date": _REFRESH_DATE,
        }
    )
    path = out / FILES["dashboard"]
    _to_csv(frame[list(_DASHBOARD_COLUMNS)], path)
    return {"dashboard": path}


def _write_population(out: Path, demo: _Map) -> dict[str, Path]:
    lsoas, wards, boroughs = demo.lsoas, demo.wards, demo.boroughs
    bands = list(_AGE_BANDS)
    by_borough = lsoas.groupby("borough", sort=True)[bands].sum()
    ltla = pd.DataFrame(
        {
            "date": 2021,
            "geography": boroughs["name"],
            "geography code": boroughs["code"],
            "Age: Total": by_borough.loc[boroughs["name"]].sum(axis=1).to_numpy(),
        }
    )
    for band in bands:
        ltla[f"Age: {band}"] = by_borough.loc[boroughs["name"], band].to_numpy()
    lsoa = pd.DataFrame(
        {
            "date": 2021,
            "geography": lsoas["name"],
            "geography code": lsoas["code"],
            "Age: Total": lsoas["population"],
        }
    )
    for band in bands:
        lsoa[f"Age: {band}"] = lsoas[band]
    ward_of = wards.set_index("code")
    lad_code = dict(zip(boroughs["name"], boroughs["code"], strict=True))
    lookup = pd.DataFrame(
        {
            "LSOA21CD": lsoas["code"],
            "LSOA21NM": lsoas["name"],
            "LSOA21NMW": "",
            "WD25CD": lsoas["ward"],
            "WD25NM": ward_of.loc[lsoas["ward"], "name"].to_numpy(),
            "WD25NMW": "",
            "LAD25CD": lsoas["borough"].map(lad_code),
            "LAD25NM": lsoas["borough"],
            "LAD25NMW": "",
        }
    )
    lookup = lookup.sort_values(["LAD25CD", "WD25CD", "LSOA21CD"], kind="stable")
    lookup["ObjectId"] = np.arange(1, len(lookup) + 1)
    paths = {
        "population_ltla": out / FILES["population_ltla"],
        "population_lsoa": out / FILES["population_lsoa"],
        "lsoa_ward_lookup": out / FILES["lsoa_ward_lookup"],
    }
    _to_csv(ltla[list(_POPULATION_COLUMNS)], paths["population_ltla"])
    _to_csv(lsoa[list(_POPULATION_COLUMNS)], paths["population_lsoa"])
    _to_csv(lookup[list(_LOOKUP_COLUMNS)], paths["lsoa_ward_lookup"], bom=True)
    return paths


def _write_gpkg(frame: gpd.GeoDataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    before = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": _GPKG_DATE})
    try:
        pyogrio.write_dataframe(
            frame, path, layer=path.stem, driver="GPKG", layer_options={"SPATIAL_INDEX": "NO"}
        )
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": before})


def _write_boundaries(out: Path, demo: _Map) -> dict[str, Path]:
    wards, boroughs, lsoas = demo.wards, demo.boroughs, demo.lsoas
    frames = {
        "ward_boundaries": gpd.GeoDataFrame(
            {"WD22CD": wards["code"], "WD22NM": wards["name"], "LAD22NM": wards["borough"]},
            geometry=wards.geometry.values,
            crs="EPSG:27700",
        ),
        "borough_boundaries": gpd.GeoDataFrame(
            {"LAD22CD": boroughs["code"], "LAD22NM": boroughs["name"]},
            geometry=boroughs.geometry.values,
            crs="EPSG:27700",
        ),
        "lsoa_boundaries": gpd.GeoDataFrame(
            {"LSOA21CD": lsoas["code"], "LSOA21NM": lsoas["name"]},
            geometry=lsoas.geometry.values,
            crs="EPSG:27700",
        ),
    }
    paths = {}
    for role, frame in frames.items():
        paths[role] = out / FILES[role]
        _write_gpkg(frame, paths[role])
    return paths


def _street_points(lsoas: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fixed anonymised map points per LSOA (police.uk snaps every crime to one): (xy, name, start)."""
    rng = np.random.default_rng(_MAP_SEED + 1)
    xy, names, start = [], [], [0]
    for geom in lsoas.geometry.values:
        n = int(rng.integers(5, 13))
        inner = geom.buffer(-15.0)
        pts = _points_inside(inner if not inner.is_empty else geom, n, rng)
        xy.append(pts)
        for _ in range(n):
            if rng.random() < 0.12:
                names.append(f"On or near {_LANDMARKS[rng.integers(len(_LANDMARKS))]}")
            else:
                stem = _STEMS[rng.integers(len(_STEMS))]
                names.append(
                    f"On or near {stem} {_STREET_ENDINGS[rng.integers(len(_STREET_ENDINGS))]}"
                )
        start.append(start[-1] + n)
    return np.vstack(xy), np.array(names), np.array(start)


def _write_street(
    out: Path, demo: _Map, counts: _Counts, rng: np.random.Generator
) -> dict[str, Path]:
    """police.uk street-level files for the focus borough, one per month of the last 12."""
    focus = int(demo.boroughs.index[demo.boroughs["name"] == DEMO_BOROUGH][0])
    wards = demo.wards[demo.wards["borough_index"] == focus]
    lsoas = demo.lsoas[demo.lsoas["borough"] == DEMO_BOROUGH].reset_index(drop=True)
    ward_pos = {code: k for k, code in enumerate(wards["code"])}
    lsoa_ward = lsoas["ward"].map(ward_pos).to_numpy()
    xy, place, start = _street_points(lsoas)
    lonlat = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True).transform(
        xy[:, 0], xy[:, 1]
    )
    lon = np.array([f"{v:.6f}" for v in lonlat[0]])
    lat = np.array([f"{v:.6f}" for v in lonlat[1]])

    types = sorted(set(_POLICE_UK_TYPE.values()) | {_ASB})
    cat_type = np.array(
        [
            types.index(_POLICE_UK_TYPE.get(minor, _POLICE_UK_TYPE.get(major)))
            for major, minor, _ in _CATEGORIES
        ]
    )
    # Where crime falls inside a ward: population x a fixed per-LSOA attraction.
    attraction = lsoas["population"].to_numpy() * np.exp(
        np.random.default_rng(_MAP_SEED + 2).normal(0.0, 0.5, size=len(lsoas))
    )
    outcome_names = np.array([o for o, _ in _OUTCOMES])
    outcome_p = np.array([p for _, p in _OUTCOMES])
    outcome_p = outcome_p / outcome_p.sum()
    month_of_year = pd.PeriodIndex(counts.months, freq="M").month.to_numpy()

    street_dir = out / FILES["street"]
    street_dir.mkdir(parents=True, exist_ok=True)
    for m in range(len(counts.months) - 12, len(counts.months)):
        month = counts.months[m]
        lsoa_idx, type_idx = [], []
        for w in range(len(wards)):
            members = np.flatnonzero(lsoa_ward == w)
            weights = attraction[members] / attraction[members].sum()
            by_type = np.bincount(
                cat_type, weights=counts.ward[wards.index[w], :, m], minlength=len(types)
            ).astype(np.int64)
            for t in np.flatnonzero(by_type):
                spread = rng.multinomial(by_type[t], weights)
                lsoa_idx.append(np.repeat(members, spread))
                type_idx.append(np.full(by_type[t], t))
        # Offences with no ward: half are still located somewhere in the borough, half are not.
        no_ward = np.bincount(cat_type, weights=counts.no_ward[focus, :, m], minlength=len(types))
        no_ward = no_ward.astype(np.int64)
        unlocated = rng.binomial(no_ward, 0.5)
        for t in np.flatnonzero(no_ward):
            located = no_ward[t] - unlocated[t]
            lsoa_idx.append(rng.choice(len(lsoas), size=located, p=attraction / attraction.sum()))
            type_idx.append(np.full(located, t))
            lsoa_idx.append(np.full(unlocated[t], -1))
            type_idx.append(np.full(unlocated[t], t))
        asb_mean = attraction / attraction.mean() * lsoas["population"].mean()
        asb_mean = (
            asb_mean
            * _ASB_RATE
            / 12000.0
            * (1.0 + 0.15 * np.cos((month_of_year[m] - 7) / 6.0 * np.pi))
        )
        asb = rng.poisson(asb_mean)
        lsoa_idx.append(np.repeat(np.arange(len(lsoas)), asb))
        type_idx.append(np.full(asb.sum(), types.index(_ASB)))
        lsoa_idx = np.concatenate(lsoa_idx).astype(np.int64)
        type_idx = np.concatenate(type_idx).astype(np.int64)

        n = len(lsoa_idx)
        has_place = lsoa_idx >= 0
        safe = np.where(has_place, lsoa_idx, 0)
        npoints = start[safe + 1] - start[safe]
        point = start[safe] + (rng.random(n) * npoints).astype(np.int64)
        is_asb = type_idx == types.index(_ASB)
        ids = np.frombuffer(rng.bytes(32 * n), dtype=np.uint8).reshape(n, 32)
        crime_id = np.array([row.tobytes().hex() for row in ids], dtype=object)
        crime_id[is_asb] = ""
        outcome = outcome_names[rng.choice(len(outcome_names), size=n, p=outcome_p)].astype(object)
        outcome[is_asb] = ""
        frame = pd.DataFrame(
            {
                "Crime ID": crime_id,
                "Month": month,
                "Reported by": _POLICE,
                "Falls within": _POLICE,
                "Longitude": np.where(has_place, lon[point], ""),
                "Latitude": np.where(has_place, lat[point], ""),
                "Location": np.where(has_place, place[point], "No Location"),
                "LSOA code": np.where(has_place, lsoas["code"].to_numpy()[safe], ""),
                "LSOA name": np.where(has_place, lsoas["name"].to_numpy()[safe], ""),
                "Crime type": np.array(types)[type_idx],
                "Last outcome category": outcome,
                "Context": "",
            }
        )
        frame["_last"] = ~has_place
        frame = frame.sort_values(["_last", "LSOA name", "Crime type"], kind="stable")
        _to_csv(frame[list(_STREET_COLUMNS)], street_dir / f"{month}-demo-street.csv")
    return {"street": street_dir}


def _write_readme(out: Path, seed: int) -> dict[str, Path]:
    text = (
        "# SYNTHETIC demonstration data\n\n"
        f"Everything in this folder is {_README_MARK} generated by `slp demo` (seed {seed}): "
        f"a fictional London of {len(DEMO_BOROUGHS)} made-up boroughs around {DEMO_BOROUGH}, "
        f"with made-up wards, LSOAs, boundaries, populations and crime counts from "
        f"{DEMO_FIRST_MONTH} to {DEMO_LAST_MONTH}, written in the layouts of the real MPS, "
        "data.police.uk and ONS files so the same loaders read it. These are NOT real crime "
        "figures and must never be quoted as such; every place name and code here is "
        "fictional. Delete the folder and run `slp demo` again to rebuild it.\n"
    )
    path = out / FILES["readme"]
    path.write_text(text, encoding="utf-8")
    return {"readme": path}


# --------------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------------


def write_demo(
    out: Path, *, seed: int = 2017, progress: Callable[[str], None] | None = None
) -> dict[str, Path]:
    """Write the synthetic demo data set into ``out``, in the real published file formats.

    The files are written into a temporary folder beside ``out`` and renamed into place at the
    end, so an interrupted run never leaves half a data set. An existing demo data set at
    ``out`` is replaced.

    Parameters
    ----------
    out : Path
        Folder to create (or replace) holding the data set; see :data:`FILES` for its contents.
    seed : int, default 2017
        Seed of the crime counts. The map, names and populations do not depend on it.
    progress : callable, optional
        Called with a short message before each step (e.g. to drive a progress bar).

    Returns
    -------
    dict of str to Path
        Path written for each role in :data:`FILES` (``"street"`` is the folder of the 12
        monthly police.uk files), all inside ``out``.

    Raises
    ------
    SlpError
        When ``out`` exists and is not a demo data set (it is never overwritten then).

    Examples
    --------
    >>> paths = write_demo(Path("data/demo"))  # doctest: +SKIP
    >>> paths["ward_recent"].name  # doctest: +SKIP
    'MPS Ward Level Crime (most recent 24 months).csv'
    """
    out = Path(out)
    _check_replaceable(out)
    say = progress or (lambda message: None)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.partial-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        say("Drawing the fictional map")
        demo = _demo_map()
        say("Drawing monthly crime counts")
        rng = np.random.default_rng(seed)
        counts = _simulate(demo, rng)
        written: dict[str, Path] = {}
        say("Writing MPS borough files")
        written |= _write_borough_files(tmp, demo, counts)
        say("Writing MPS ward file")
        written |= _write_ward_file(tmp, demo, counts)
        say("Writing dashboard series")
        written |= _write_dashboard(tmp, demo, counts, rng)
        say("Writing populations and lookup")
        written |= _write_population(tmp, demo)
        say("Writing boundaries")
        written |= _write_boundaries(tmp, demo)
        say("Writing police.uk street files")
        written |= _write_street(tmp, demo, counts, rng)
        written |= _write_readme(tmp, seed)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    say(f"Demo data set written to {out}")
    return {role: out / path.relative_to(tmp) for role, path in written.items()}


def _check_replaceable(out: Path) -> None:
    """Refuse to replace anything at ``out`` that is not an earlier demo data set."""
    if not out.exists():
        return
    readme = out / FILES["readme"]
    empty = out.is_dir() and not any(out.iterdir())
    is_demo = readme.is_file() and _README_MARK in readme.read_text(
        encoding="utf-8", errors="ignore"
    )
    if out.is_dir() and (empty or is_demo):
        return
    raise SlpError(
        f"demo: '{out}' already exists and is not a demo data set (no README.md saying "
        f"'{_README_MARK}'); choose an empty or new folder"
    )
