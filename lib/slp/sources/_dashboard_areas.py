"""Which borough each row of an MPS Monthly Crime Dashboard file belongs to.

Private to :mod:`slp.sources.dashboard`. Rows with ``Area Type`` "Borough" are used; a file
without them is read from its "Safer Neighbourhood Teams" rows, each summed to the borough its
``Borough_SNT`` name begins with. Areas that are not boroughs (aviation security, unknown, N/K)
are named so that :func:`not_area` keeps them out of borough and London totals.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from slp.boroughs import DEMO_BOROUGHS, LONDON_BOROUGHS, is_not_borough
from slp.errors import SourceError
from slp.sources import _csv
from slp.sources._dashboard_mapping import SOURCE, norm, norm_series

_BOROUGH, _SNT = "borough", "safer neighbourhood teams"
# Area names in the dashboard files that are not boroughs, beyond slp.boroughs.NOT_BOROUGHS.
_NOT_AREA_PREFIXES = ("aviation", "n/k", "other / nk", "non met police", "unknown")

_CANONICAL = {norm(n.replace("&", "and")): n for n in (*LONDON_BOROUGHS, *DEMO_BOROUGHS)}
_BY_LENGTH = sorted(_CANONICAL, key=len, reverse=True)


def _borough_of_area(name: str) -> str:
    key = norm(name.replace("&", "and"))
    return _CANONICAL.get(key, name.strip())


def _borough_of_snt(name: str) -> str:
    key = norm(name.replace("&", "and"))
    for borough in _BY_LENGTH:
        if key.startswith(borough):
            return _CANONICAL[borough]
    return name.strip()


_KNOWN = frozenset(_CANONICAL.values())
_SNT_UNMATCHED = "Safer Neighbourhood Team not in a borough: "


def not_area(name: str) -> bool:
    """True for an area that is not a borough (kept out of borough and London totals)."""
    return (is_not_borough(name) or norm(name).startswith(_NOT_AREA_PREFIXES)
            or name.startswith(_SNT_UNMATCHED))


def geography(frame: pd.DataFrame, col: dict, path: Path) -> tuple[pd.DataFrame, pd.Series, list]:
    """The rows to use and the borough of each: Borough rows, else SNT rows by name prefix (an
    SNT that begins with no borough's name is named as it is, and kept out as not a borough)."""
    area_type = norm_series(frame[col["Area Type"]])
    caveats = []
    if (area_type == _BOROUGH).any():
        used, source_col, resolve = frame.loc[area_type == _BOROUGH], col["Area name"], \
            _borough_of_area
        if (area_type == _SNT).any():
            caveats.append("Safer Neighbourhood Team rows were not used (Borough rows were)")
    elif (area_type == _SNT).any():
        used, source_col, resolve = frame.loc[area_type == _SNT], col["Borough_SNT"], \
            _borough_of_snt
        caveats.append("no Borough rows: Safer Neighbourhood Team rows were summed to boroughs")
    else:
        found = ", ".join(sorted(set(frame[col["Area Type"]].str.strip())))
        raise SourceError(
            SOURCE,
            path,
            f"has no rows with Area Type 'Borough' or 'Safer Neighbourhood Teams' (found: "
            f"{found}); expected borough-level rows",
        )
    other = ~area_type.isin([_BOROUGH, _SNT])
    if other.any():
        types = ", ".join(sorted(set(frame.loc[other, col["Area Type"]].str.strip())))
        caveats.append(f"{int(other.sum()):,} rows of other area types ({types}) were not used")
    _csv.check_not_blank(used, [source_col, col["Month_Year"]], SOURCE, path)
    names = pd.unique(used[source_col])
    resolved = {n: resolve(n) for n in names}
    if resolve is _borough_of_snt:
        resolved = {n: b if b in _KNOWN or not_area(b) else f"{_SNT_UNMATCHED}{b}"
                    for n, b in resolved.items()}
    return used, used[source_col].map(resolved), caveats
