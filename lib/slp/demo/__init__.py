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

The demo force outside London
-----------------------------
The same folder also gets ``wexshire/``: :data:`~slp.boroughs.DEMO_FORCE`, a fictional police
force of five authorities (:data:`~slp.boroughs.DEMO_FORCE_AUTHORITIES`) and a neighbouring
authority outside it, with 36 months of data.police.uk street and outcomes files ending at
:data:`DEMO_LAST_MONTH` (all 14 crime types, anti-social behaviour included; rows with no
location; a few rows in the neighbour's LSOAs; LSOA 2011 codes of split LSOAs in the first six
months), its Census-style populations, LSOA 2021 -> ward -> authority lookup and LSOA
boundaries (``slp.demo.force``). Its rows come from their own random stream of the seed, so
the London files are byte-identical with or without it; ``params/demo-force.yaml`` runs it.

The tables behind these numbers are data files in ``slp/demo/data/`` (see its README.md).

File conventions copied from the real files
-------------------------------------------
Headers are the loaders' own (:mod:`slp.sources`), so demo and loaders cannot drift apart. MPS
borough and ward files: LF line endings, minimal quoting, rows sorted by borough (and ward name)
then major then minor category, rows that are zero in every month of the file left out, minor
categories truncated to 50 characters exactly as published. Each writer module describes its
own file's conventions.

The package, one module per concern
-----------------------------------
``tables``       the data tables in ``data/`` (categories, seasonality, names, ...)
``geography``    the fixed fictional map: boroughs, wards, LSOAs, populations
``counts``       the monthly crime counts drawn from the seed; the demo's months
``dataset``      :func:`write_demo`: run every writer and swap the folder into place
``force_map``, ``force_crimes``, ``force``: the demo force's map, rows and files
``borough``, ``ward``, ``dashboard``, ``population``, ``boundaries``, ``street``, ``readme``:
one writer per published source, each with ``FILES`` and ``write(out, draw)``
"""

from slp.boroughs import DEMO_BOROUGH, DEMO_BOROUGHS, DEMO_COMPARATORS, is_demo_borough
from slp.demo.counts import DEMO_FIRST_MONTH, DEMO_LAST_MONTH, demo_months
from slp.demo.dataset import FILES, write_demo

__all__ = [
    "DEMO_BOROUGH",
    "DEMO_BOROUGHS",
    "DEMO_COMPARATORS",
    "DEMO_FIRST_MONTH",
    "DEMO_LAST_MONTH",
    "FILES",
    "demo_months",
    "is_demo_borough",
    "write_demo",
]
