"""Writes the MPS Monthly Crime Dashboard downloads in their three real layouts.

The files themselves (yearly and rolling TNOCrimeData and OtherCrimeData, the rolling
KnifeCrimeData; BOM, ``dd/mm/yyyy``, zero rows omitted, case varying between years, SNT rows) are
made by :func:`slp.demo._dashboard_files.write_dashboard_files`: this module hands it the demo's
boroughs, months and recorded crime, so the TNO files hold exactly the demo's borough crime and
the other measures are shares of it. The writer runs last and draws its seed from the shared
generator after every other writer, so the other demo files do not depend on it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from slp.demo import tables
from slp.demo._dashboard_files import write_dashboard_files
from slp.demo.counts import Draw

#: Paths written under ``out``, by role: the folder of dashboard files.
FILES = {"dashboard": "dashboard"}


def borough_crime(draw: Draw) -> pd.DataFrame:
    """The demo's recorded crime, ``borough, major, minor, month, count`` (airports left out)."""
    counts, demo = draw.counts, draw.map
    totals = counts.borough(demo.wards["borough_index"].to_numpy())  # boroughs x cats x months
    categories = tables.categories()
    n_b, n_c, n_m = totals.shape
    b, c, m = (a.ravel() for a in np.meshgrid(np.arange(n_b), np.arange(n_c), np.arange(n_m),
                                              indexing="ij"))
    return pd.DataFrame({
        "borough": demo.boroughs["name"].to_numpy()[b],
        "major": np.array([x.major for x in categories])[c],
        "minor": np.array([x.minor for x in categories])[c],
        "month": np.asarray(counts.months)[m],
        "count": totals.ravel(),
    })


def write(out: Path, draw: Draw) -> dict[str, Path]:
    """Write the dashboard files into ``out / "dashboard"``; returns {role: folder}."""
    folder = out / FILES["dashboard"]
    seed = int(draw.rng.integers(2**31))
    write_dashboard_files(folder, draw.map.boroughs, draw.counts.months, seed,
                          crime=borough_crime(draw))
    return {"dashboard": folder}
