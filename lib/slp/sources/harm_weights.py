"""Crime harm weights: a partnership-supplied CSV giving each crime category a weight.

No weights ship with ``slp``: the Cambridge Crime Harm Index (CCHI) has no licence that clearly
allows redistribution, and the ONS Crime Severity Score (CSS) list is keyed by Home Office
offence code, not by the categories the public files use (see
``../shared/data/harm-weights/README.md``). A partnership that holds a licensed table writes
one CSV in this layout::

    scheme,category,weight,unit,source
    police.uk,Burglary,126,days,"CCHI 2020 (Cambridge Centre for Evidence-Based Policing)"
    police.uk,Robbery,365,days,"CCHI 2020 (Cambridge Centre for Evidence-Based Policing)"
    police.uk,Drugs,excluded,days,"proactive offence: left out of harm totals"

- ``scheme`` names the category list the row belongs to: ``police.uk`` (police.uk crime types,
  e.g. "Violence and sexual offences"), ``mps-major`` (MPS major categories, e.g. "BURGLARY")
  or ``mps-minor`` (MPS minor categories). One file may hold several schemes.
- ``category`` is the category as the data name it. Matching ignores case, spacing and
  punctuation, so "BURGLARY - BUSINESS AND COMMUNITY" matches "Burglary Business and Community".
- ``weight`` is a number >= 0, or ``excluded`` for a category deliberately left out of harm
  (fraud, proactive offences): it is then reported as excluded, never counted as zero harm.
- ``unit`` (optional) is ``days`` (CCHI: days of imprisonment) or ``css`` (ONS Crime Severity
  Score weights); one unit per file, because the two scales must not be mixed. Default ``days``.
- ``source`` (optional) says where the weights come from and under what licence; the harm
  page prints it.

Examples
--------
>>> weights = read_harm_weights("params/local/harm-weights.csv")  # doctest: +SKIP
>>> weights.unit, weights.weight_of("police.uk", "burglary")      # doctest: +SKIP
('days', 126.0)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from slp.coverage import Coverage
from slp.errors import SourceError
from slp.sources import _csv

SOURCE = "Harm weights"
#: Columns every weights file has, in order of the documented layout.
REQUIRED = ("scheme", "category", "weight")
#: Category lists a weight can refer to.
SCHEMES = ("police.uk", "mps-major", "mps-minor")
#: Units: days of imprisonment (Cambridge Crime Harm Index) or ONS Crime Severity Score.
UNITS = {"days": "days of imprisonment (Cambridge Crime Harm Index method)",
         "css": "ONS Crime Severity Score weight"}
EXCLUDED = "excluded"
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def category_key(name: str) -> str:
    """The matching form of a category name: lower case, punctuation and spacing collapsed.

    Examples
    --------
    >>> category_key("BURGLARY - BUSINESS AND COMMUNITY")
    'burglary business and community'
    """
    return _NOT_WORD.sub(" ", str(name).casefold()).strip()


@dataclass
class HarmWeights:
    """The weights of one file.

    Attributes
    ----------
    table : DataFrame
        ``scheme, category, key, weight`` (``weight`` NaN for excluded categories,
        ``key`` from :func:`category_key`), one row per (scheme, category).
    unit : str
        ``"days"`` or ``"css"``.
    source : str
        The file's ``source`` text ("" when the file has none).
    coverage : Coverage
    """

    table: pd.DataFrame
    unit: str
    source: str
    coverage: Coverage = field(repr=False)

    @property
    def unit_label(self) -> str:
        """The unit in words, e.g. ``"days of imprisonment (...)"``."""
        return UNITS[self.unit]

    def for_scheme(self, scheme: str) -> pd.DataFrame:
        """The rows of one scheme, indexed by ``key``."""
        return self.table.loc[self.table["scheme"] == scheme].set_index("key")

    def weight_of(self, scheme: str, category: str) -> float | None:
        """A category's weight; NaN when excluded, None when the file has no row for it."""
        rows = self.for_scheme(scheme)
        key = category_key(category)
        return float(rows.at[key, "weight"]) if key in rows.index else None


def _error(path: Path, index, column: str, found: str, expected: str) -> SourceError:
    return SourceError(SOURCE, path, f"line {_csv.line_of(index)}, column '{column}': found "
                                     f"{found}; expected {expected}")


def _weight(text: str, path: Path, index) -> float:
    if text.strip().casefold() == EXCLUDED:
        return math.nan
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        found = f"'{text}'" if text.strip() else "an empty cell"
        raise _error(path, index, "weight", found,
                     "a number >= 0 (days or CSS weight) or 'excluded'")
    return value


def _one_value(frame: pd.DataFrame, column: str, path: Path, allowed=None) -> str:
    """The single value a file-level column holds (blank cells allowed), checked."""
    if column not in frame.columns:
        return ""
    values = frame[column].str.strip()
    first = ""
    for index, value in values.items():
        shown = value.casefold() if allowed else value
        if allowed and shown and shown not in allowed:
            raise _error(path, index, column, f"'{value}'", " or ".join(f"'{a}'" for a in allowed))
        if shown and first and shown != first:
            raise _error(path, index, column, f"'{value}' after '{first}' on an earlier line",
                         f"one {column} for the whole file (do not mix CCHI days and CSS weights)"
                         if column == "unit" else f"one {column} for the whole file")
        first = first or shown
    return first


def read_harm_weights(path) -> HarmWeights:
    """Read a harm-weights CSV in the documented layout (see the module docstring).

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    HarmWeights

    Raises
    ------
    SourceError
        A missing column, an unknown scheme or unit, a weight that is not a number >= 0 or
        ``excluded``, two units in one file, or a category given two different weights.

    Examples
    --------
    >>> w = read_harm_weights("harm.csv")  # doctest: +SKIP
    >>> w.for_scheme("police.uk")["weight"].to_dict()  # doctest: +SKIP
    {'burglary': 126.0, 'robbery': 365.0}
    """
    path = Path(path)
    table = _csv.read_table(path, SOURCE)
    frame = table.frame.rename(columns={c: c.strip().lower() for c in table.columns})
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise _csv.wrong_source(SOURCE, path, table.columns,
                                "columns scheme, category, weight (optional: unit, source)")
    _csv.check_not_blank(frame, ["scheme", "category"], SOURCE, path)
    schemes = frame["scheme"].str.strip().str.lower()
    for index, scheme in schemes.items():
        if scheme not in SCHEMES:
            raise _error(path, index, "scheme", f"'{frame.at[index, 'scheme']}'",
                         "one of " + ", ".join(SCHEMES))
    out = pd.DataFrame({
        "scheme": schemes,
        "category": frame["category"].str.strip(),
        "key": frame["category"].map(category_key),
        "weight": [_weight(t, path, i) for i, t in frame["weight"].items()],
    })
    _check_repeats(out, path)
    unit = _one_value(frame, "unit", path, allowed=tuple(UNITS)) or "days"
    source = _one_value(frame, "source", path)
    out = out.drop_duplicates(["scheme", "key"]).reset_index(drop=True)
    coverage = Coverage(source=SOURCE, format="scheme, category, weight, unit, source",
                        files=[path], areas=0,
                        caveats=[f"weights in {UNITS[unit]}" + (f"; source: {source}" if source
                                                                else "; the file names no source")])
    return HarmWeights(table=out, unit=unit, source=source, coverage=coverage)


def _check_repeats(out: pd.DataFrame, path: Path) -> None:
    """A category listed twice must carry the same weight both times."""
    seen: dict[tuple[str, str], tuple[float, int]] = {}
    for index, row in out.iterrows():
        key = (row["scheme"], row["key"])
        weight = row["weight"]
        if key in seen:
            before, line = seen[key]
            same = (math.isnan(before) and math.isnan(weight)) or before == weight
            if not same:
                raise _error(path, index, "weight", f"{row['category']!r} weighted "
                             f"{_shown(weight)} but {_shown(before)} on line {line}",
                             "one weight per category and scheme")
        else:
            seen[key] = (weight, _csv.line_of(index))


def _shown(weight: float) -> str:
    return EXCLUDED if math.isnan(weight) else f"{weight:g}"
