"""Writes the two MPS Borough Level Crime files: Historical and the most recent 24 months.

The Historical file ends the month before the 24-month file starts, exactly as in every real
vintage (2023-08, 2024-02, 2024-11, 2025-03): the two files abut, they do not overlap. Borough
totals are the sum of the borough's wards plus the offences with no ward; a
``London Heathrow and London City Airports`` row set follows the boroughs, as in the real files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from slp.demo import tables
from slp.demo._mps import BOROUGH_HEADER, category_keys, wide
from slp.demo._write import to_csv
from slp.demo.counts import Draw

#: Paths written under ``out``, by role.
FILES = {
    "borough_historical": "mps-borough/MPS Borough Level Crime (Historical).csv",
    "borough_recent": "mps-borough/MPS Borough Level Crime (most recent 24 months).csv",
}
AIRPORTS_ROW = "London Heathrow and London City Airports"
_RECENT_MONTHS = 24


def write(out: Path, draw: Draw) -> dict[str, Path]:
    """Write both borough files into ``out``; returns {role: path}."""
    counts, demo = draw.counts, draw.map
    months = counts.months
    totals = counts.borough(demo.wards["borough_index"].to_numpy())
    names = list(demo.boroughs["name"]) + [AIRPORTS_ROW]
    stacked = np.concatenate([totals.reshape(-1, len(months)), counts.airports], axis=0)
    keys = category_keys(len(names))
    keys[BOROUGH_HEADER["borough"]] = np.repeat(names, len(tables.categories()))
    order = [BOROUGH_HEADER[k] for k in ("borough", "major", "minor")]
    seam = len(months) - _RECENT_MONTHS
    written = {}
    for role, cols in (
        ("borough_historical", slice(0, seam)),
        ("borough_recent", slice(seam, None)),
    ):
        frame = wide(keys, stacked[:, cols], months[cols])
        frame = frame.sort_values(order, kind="stable")
        path = out / FILES[role]
        to_csv(frame[list(BOROUGH_HEADER.values()) + list(frame.columns[3:])], path)
        written[role] = path
    return written
