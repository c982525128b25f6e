"""Writes the MPS Ward Level Crime file (the most recent 24 months).

Like the real 2023-09 vintage (Heathrow Villages), the file carries an ``Aviation Security
(SO18)`` row set for the airport ward ``Aerodrome Fields``, besides that ward's ordinary rows.
Ward rows do not add up to borough totals: offences with no ward are in the borough files only.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from slp.demo import tables
from slp.demo._mps import WARD_HEADER, category_keys, month_column, wide
from slp.demo._write import to_csv
from slp.demo.counts import Draw
from slp.demo.geography import AIRPORT_WARD

#: Paths written under ``out``, by role.
FILES = {"ward_recent": "mps-ward/MPS Ward Level Crime (most recent 24 months).csv"}
AVIATION_ROW = "Aviation Security (SO18)"
_MONTHS = 24


def write(out: Path, draw: Draw) -> dict[str, Path]:
    """Write the ward file into ``out``; returns {role: path}."""
    counts, wards = draw.counts, draw.map.wards
    months = counts.months[-_MONTHS:]
    n_categories = len(tables.categories())
    keys = category_keys(len(wards) + 1)
    airport = wards.index[wards["name"] == AIRPORT_WARD][0]
    keys[WARD_HEADER["ward_name"]] = np.repeat(list(wards["name"]) + [AIRPORT_WARD], n_categories)
    keys[WARD_HEADER["ward_code"]] = np.repeat(
        list(wards["code"]) + [wards.at[airport, "code"]], n_categories
    )
    keys[WARD_HEADER["borough"]] = np.repeat(list(wards["borough"]) + [AVIATION_ROW], n_categories)
    stacked = np.concatenate(
        [counts.ward[:, :, -_MONTHS:].reshape(-1, _MONTHS), counts.airports[:, -_MONTHS:]], axis=0
    )
    frame = wide(keys, stacked, months)
    order = [WARD_HEADER[k] for k in ("borough", "ward_name", "major", "minor")]
    frame = frame.sort_values(order, kind="stable")
    path = out / FILES["ward_recent"]
    to_csv(frame[list(WARD_HEADER.values()) + [month_column(m) for m in months]], path)
    return {"ward_recent": path}
