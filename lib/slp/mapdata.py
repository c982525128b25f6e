"""What a map shows: areas, their values after disclosure control, classes, words and table.

:func:`prepare` checks the areas (a GeoDataFrame with ``code``, ``name`` and ``geometry``,
reprojected to British National Grid) and one value per area, hides the values that must not
be published, classifies the rest (:func:`slp.classes.classify`) and returns a
:class:`MapData`: the fill of each area, its tooltip, the alt-text summary and the data
table. Both the static map (:mod:`slp.maps`) and the interactive one (:mod:`slp.svgmap`) draw
from it, so they always show the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from slp import disclosure
from slp.classes import Classes, class_colours, classify
from slp.disclosure import DisclosureRule, suppression_note
from slp.errors import SlpError
from slp.narrative import count, lower_first, with_period
from slp.style import NO_DATA_FILL, SUPPRESSED_FILL
from slp.tables import Table, choose_format, format_number, html_table

BNG = "EPSG:27700"

_SCHEME_WORDS = {"quantiles": "quantiles", "equal_interval": "equal intervals",
                 "natural_breaks": "natural breaks", "fisher_jenks": "natural breaks",
                 "user_defined": "set breaks"}


@dataclass
class MapData:
    """Areas, their values and classes, and the words and table written from them.

    Attributes
    ----------
    areas : GeoDataFrame
        ``code``, ``name`` and ``geometry`` in EPSG:27700, numbered from 0.
    values : dict
        Each area's value by code (NaN where there is none).
    shown : dict
        Each area's value as published: formatted, ``"<5"`` or similar where hidden, ``"[x]"``
        where missing.
    hidden, missing : set
        Codes of areas whose value is withheld, and of areas with no value.
    hidden_label : str
        Why values are hidden, e.g. ``"fewer than 5"``.
    classes : Classes
        The classes of the visible values.
    colours : list of str
        One fill per class.
    kind : str
        Number format of the values.
    legend_label, scheme : str
    notes : list of str
        Notes under the data table (e.g. the suppression rule).
    """

    areas: gpd.GeoDataFrame
    values: dict[Hashable, float]
    shown: dict[Hashable, str]
    hidden: set[Hashable]
    hidden_label: str
    missing: set[Hashable]
    classes: Classes
    colours: list[str]
    kind: str
    legend_label: str
    scheme: str
    notes: list[str]

    def fill_of(self, code: Hashable) -> str:
        """The fill colour of one area."""
        if code in self.hidden:
            return SUPPRESSED_FILL
        if code in self.missing:
            return NO_DATA_FILL
        index = self.classes.class_of(self.values[code])
        return self.colours[index] if index is not None else NO_DATA_FILL

    def tooltip(self, code: Hashable, name: str) -> str:
        """``"Ward 1, robberies: 12"``."""
        return f"{name}, {lower_first(self.legend_label)}: {self.shown[code]}"

    def ranked(self) -> list[tuple[Hashable, str, float]]:
        """(code, name, value) of the visible areas, highest value first."""
        names = dict(zip(self.areas["code"], self.areas["name"], strict=True))
        visible = [(c, str(names[c]), v) for c, v in self.values.items()
                   if c not in self.hidden and c not in self.missing]
        return sorted(visible, key=lambda t: (-t[2], t[1]))

    def summary(self, period_label: str | None) -> str:
        """The alt text after "Map of": the measure, highest and lowest areas, the classes and
        how many areas are hidden or have no data."""
        ranked = self.ranked()
        words = [with_period(f"{lower_first(self.legend_label)} for {len(self.areas)} areas",
                             period_label) + "."]
        if ranked:
            hi, lo = ranked[0], ranked[-1]
            words.append(
                f"Highest: {hi[1]} ({format_number(hi[2], self.kind)}); lowest: {lo[1]} "
                f"({format_number(lo[2], self.kind)})."
            )
            words.append(
                f"{len(self.classes.bins)} classes ({_SCHEME_WORDS[self.scheme]}): "
                + "; ".join(f"{lab} ({cnt})" for lab, cnt in
                            zip(self.classes.labels, self.classes.counts, strict=True))
                + "."
            )
        if self.hidden:
            words.append(f"{count(len(self.hidden), 'area')} not shown ({self.hidden_label}).")
        if self.missing:
            n = len(self.missing)
            words.append(f"{count(n, 'area')} {'has' if n == 1 else 'have'} no data.")
        return " ".join(words)

    @property
    def data(self) -> pd.DataFrame:
        """One row per area, highest visible value first: area, code, value as shown, class."""
        rows = []
        order = [c for c, _, _ in self.ranked()]
        order += [c for c in self.areas["code"] if c not in set(order)]
        names = dict(zip(self.areas["code"], self.areas["name"], strict=True))
        for code in order:
            index = None if code in self.hidden or code in self.missing else \
                self.classes.class_of(self.values[code])
            rows.append({
                "Area": str(names[code]),
                "Code": str(code),
                self.legend_label: self.shown[code],
                "Class": self.classes.labels[index] if index is not None else "",
            })
        return pd.DataFrame(rows, columns=["Area", "Code", self.legend_label, "Class"])

    def table(self, title: str, period_label: str | None,
              extra: Mapping[str, Mapping[Hashable, Any]] | None = None) -> Table:
        """The data table, with ``extra`` columns (already formatted, by area code)."""
        data = self.data
        for column, shown in (extra or {}).items():
            by_code = dict(shown)
            data[column] = [by_code.get(code) for code in data["Code"]]
        return html_table(
            data,
            with_period(f"{title}: {lower_first(self.legend_label)} by area", period_label),
            notes=self.notes,
        )


def prepare(
    gdf: Any,
    values: pd.Series | str,
    legend_label: str,
    scheme: str,
    k: int,
    diverging: bool,
    suppressed: pd.Series | None,
    rule: DisclosureRule | None,
    sensitive: bool,
    number_format: str,
    where: str,
) -> MapData:
    """Check the areas and values, hide what must not be shown and classify the rest (the
    arguments are those of :func:`slp.maps.choropleth`; ``where`` names the caller in errors).
    """
    areas = _areas(gdf, where)
    numeric = _numbers(gdf, values, list(areas["code"]), where)
    missing = {c for c, v in numeric.items() if not math.isfinite(v)}  # e.g. % change from 0
    withheld = _withheld(numeric, missing, suppressed, rule, sensitive)
    hidden = withheld.codes - missing
    visible = [v for c, v in numeric.items() if c not in hidden and c not in missing]
    kind = choose_format(visible) if number_format == "auto" else number_format
    if visible:
        classes = classify(visible, scheme, k, diverging=diverging, number_format=kind)
    else:
        classes = Classes(scheme, math.nan, (), (), ())
    colours = class_colours(classes, diverging) if classes.bins else []
    shown = {}
    for code, value in numeric.items():
        if code in hidden:
            shown[code] = withheld.labels.get(code, "suppressed")
        elif code in missing:
            shown[code] = "[x]"
        else:
            shown[code] = format_number(value, kind)
    return MapData(areas.reset_index(drop=True), numeric, shown, hidden, withheld.why, missing,
                   classes, colours, kind, legend_label, scheme, withheld.notes)


def extra_columns(
    extra: pd.DataFrame | None, areas: gpd.GeoDataFrame, where: str
) -> dict[str, dict[Hashable, Any]]:
    """Each column of ``extra`` (indexed by area code) as a dict by the areas' codes."""
    if extra is None:
        return {}
    if not isinstance(extra, pd.DataFrame):
        raise SlpError(f"{where}: extra must be a DataFrame indexed by area code")
    return {str(c): {code: extra[c].get(code) for code in areas["code"]} for c in extra.columns}


def _areas(gdf: Any, where: str) -> gpd.GeoDataFrame:
    """The areas' code, name and geometry in British National Grid, after checking them."""
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise SlpError(f"{where}: expected a GeoDataFrame of areas; found {type(gdf).__name__}")
    missing_cols = [c for c in ("code", "name") if c not in gdf.columns]
    if missing_cols:
        raise SlpError(
            f"{where}: the areas need columns code, name and geometry; missing "
            f"{', '.join(missing_cols)} (found {', '.join(map(str, gdf.columns))})"
        )
    if len(gdf) == 0:
        raise SlpError(f"{where}: there are no areas to map")
    if not gdf["code"].is_unique:
        dupes = gdf["code"][gdf["code"].duplicated()].unique()[:3]
        raise SlpError(
            f"{where}: area codes must be unique; repeated: {', '.join(map(str, dupes))}")
    areas = gdf[["code", "name", "geometry"]].copy()
    if areas.crs is not None and not areas.crs.equals(BNG):
        areas = areas.to_crs(BNG)
    return areas


def _numbers(gdf: gpd.GeoDataFrame, values: pd.Series | str, codes: list[Hashable],
             where: str) -> dict[Hashable, float]:
    """Each area's value as a float by code (NaN where there is none)."""
    if isinstance(values, str):
        if values not in gdf.columns:
            raise SlpError(f"{where}: values column '{values}' is not in the areas")
        series = pd.Series(gdf[values].to_numpy(), index=gdf["code"].to_numpy())
    elif isinstance(values, pd.Series):
        series = values
    else:
        raise SlpError(f"{where}: values must be a Series indexed by area code or a column name")
    if not any(c in series.index for c in codes):
        raise SlpError(
            f"{where}: no value matches an area code (areas have e.g. {codes[0]!r}; values are "
            f"indexed by e.g. {series.index[0] if len(series) else 'nothing'!r})"
        )
    numeric: dict[Hashable, float] = {}
    for code in codes:
        value = series.get(code)
        try:
            numeric[code] = float(value) if value is not None else math.nan
        except (TypeError, ValueError):
            raise SlpError(
                f"{where}: the value for area {code!r} is not a number: {value!r}") from None
    return numeric


@dataclass
class _Withheld:
    codes: set[Hashable]
    labels: dict[Hashable, str]
    why: str
    notes: list[str]


def _withheld(
    numeric: dict[Hashable, float], missing: set[Hashable], suppressed: pd.Series | None,
    rule: DisclosureRule | None, sensitive: bool,
) -> _Withheld:
    """The areas whose value must not be shown: small counts under ``rule`` and those flagged
    in ``suppressed`` (True, or the text to show instead)."""
    out = _Withheld(set(), {}, "suppressed", [])
    if rule is not None and rule.active:
        counts = pd.Series({c: v for c, v in numeric.items() if c not in missing}, dtype=float)
        published = disclosure.publish(counts.to_frame("count"), counts=["count"], rule=rule,
                                       sensitive=sensitive)
        shown_counts, mask = published.frame["count"], published.hidden["count"]
        for code in counts.index[mask.to_numpy()]:
            out.codes.add(code)
            out.labels[code] = shown_counts[code]
        out.why = f"fewer than {rule.threshold_for(sensitive)}"
        if out.codes:
            out.notes.append(suppression_note(rule, sensitive, secondary=False))
    if suppressed is None:
        return out
    for code, flag in pd.Series(suppressed).items():
        if code not in numeric:
            continue
        if isinstance(flag, (bool, np.bool_)):
            if flag:
                out.codes.add(code)
                out.labels.setdefault(code, "suppressed")
                out.why = "small numbers" if rule is None else out.why
        elif isinstance(flag, str) and flag:
            out.codes.add(code)
            out.labels[code] = flag
    if out.codes and not out.notes:
        out.notes.append("Values for some areas are not shown, to protect the people involved.")
    return out
