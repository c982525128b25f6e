"""The wide MPS layout shared by the borough and ward writers (private)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from slp.demo import tables
from slp.sources import borough, ward
from slp.sources._mps import Layout


def _header(layouts: tuple[Layout, ...], name: str) -> dict[str, str]:
    """The loader's layout ``name`` as {tidy name: column as written}, in written order."""
    layout = next(lay for lay in layouts if lay.name == name)
    return dict(zip(layout.tidy, layout.columns, strict=True))


#: The old-format (title-case, until 2024) headers, from the loaders: the demo writes these.
BOROUGH_HEADER = _header(borough.LAYOUTS, "old")
WARD_HEADER = _header(ward.LAYOUTS, "ward")


def month_column(month: str) -> str:
    """The MPS header of a month: ``"2024-10"`` -> ``"202410"``."""
    return month.replace("-", "")


def wide(keys: pd.DataFrame, counts: np.ndarray, months: list[str]) -> pd.DataFrame:
    """Key columns + one ``YYYYMM`` column per month; rows all-zero over the months dropped."""
    values = pd.DataFrame(counts, columns=[month_column(m) for m in months])
    frame = pd.concat([keys.reset_index(drop=True), values], axis=1)
    return frame[counts.sum(axis=1) > 0]


def category_keys(n: int) -> pd.DataFrame:
    """Major and minor category (``MajorText``, ``MinorText``) of every category, repeated for ``n`` areas."""
    categories = tables.categories()
    majors = [c.major for c in categories]
    minors = [c.minor for c in categories]
    return pd.DataFrame({BOROUGH_HEADER["major"]: majors * n, BOROUGH_HEADER["minor"]: minors * n})
