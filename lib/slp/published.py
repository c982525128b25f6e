"""Figures published earlier (e.g. in a Partnership Plan), compared with this run's figures.

A parameters file may quote the figures a plan published, exactly as printed::

    published:
      source: Safer Lewisham Partnership Plan 2023-24
      headline:
        12: {count: 28.4K, rate_per_1000: 93.0, change_pct: 6.5%, london_change_pct: 11.6%, rank: 14}
        3: {count: 7312, rate_per_1000: 23.9, change_pct: 4.3%, london_change_pct: 0.3%}

Each published figure is compared with ours rounded to the precision it was printed at
("28.4K" is to the nearest 100), so the report can say plainly where they agree and where later
revisions of the police data make them differ.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from slp.errors import ParamsError

FIELDS = {
    "count": "Total number",
    "rate_per_1000": "Crime rate per 1,000",
    "change_pct": "Change on previous period",
    "london_change_pct": "London change",
    "rank": "Rank among London boroughs",
}


def labels(frame) -> dict[str, str]:
    """:data:`FIELDS` as a run of ``frame`` (a :class:`slp.frame.Frame`) names them:
    "Gwent Police area change", "Rank among authorities in the Gwent Police area"."""
    return FIELDS | {"london_change_pct": frame.change_column,
                     "rank": f"Rank among {frame.members_label}"}
_FIGURE = re.compile(r"^\s*([+-]?\d[\d,]*(?:\.\d+)?)\s*([KkMm%]?)\s*$")


@dataclass(frozen=True)
class Figure:
    """A published figure: its value and the step it was rounded to."""

    text: str
    value: float
    step: float

    def agrees_with(self, ours: float) -> bool:
        """True when ``ours``, rounded to the published step, equals the published value."""
        return math.isclose(round(ours / self.step) * self.step, self.value,
                            rel_tol=0, abs_tol=self.step / 1000)


def parse_figure(value, where: str = "published") -> Figure:
    """Read a figure as printed: ``"28.4K" -> 28400 (step 100)``, ``"6.5%" -> 6.5 (step 0.1)``.

    Examples
    --------
    >>> parse_figure("28.4K")
    Figure(text='28.4K', value=28400.0, step=100.0)
    """
    text = str(value).strip()
    match = _FIGURE.match(text)
    if not match or isinstance(value, bool):
        raise ParamsError(f"{where}: '{text}' is not a figure; expected a number as printed, "
                          "e.g. 28.4K, 7312, 93.0 or 6.5%")
    number, suffix = match.group(1).replace(",", ""), match.group(2).upper()
    decimals = len(number.split(".")[1]) if "." in number else 0
    scale = {"K": 1e3, "M": 1e6}.get(suffix, 1.0)
    return Figure(text, float(number) * scale, 10.0 ** -decimals * scale)


def parse(raw, origin: str = "parameters") -> dict | None:
    """Validate the ``published`` parameter into ``{"source": str, "headline": {months:
    {field: Figure}}}``."""
    if raw in (None, {}):
        return None
    where = f"{origin}: published"
    if not isinstance(raw, dict) or not isinstance(raw.get("headline"), dict):
        raise ParamsError(f"{where}: expected a mapping with source and headline (window length "
                          "in months -> figures)")
    source = str(raw.get("source") or "").strip()
    if not source:
        raise ParamsError(f"{where}.source: missing; expected the document the figures are from")
    unknown = set(raw) - {"source", "headline"}
    if unknown:
        raise ParamsError(f"{where}.{sorted(unknown)[0]}: unknown key; expected source or headline")
    headline = {}
    for months, figures in raw["headline"].items():
        if str(months) not in ("12", "6", "3") or not isinstance(figures, dict):
            raise ParamsError(f"{where}.headline.{months}: expected 12, 6 or 3 with a mapping of "
                              f"figures ({', '.join(FIELDS)})")
        parsed = {}
        for key, value in figures.items():
            if key not in FIELDS:
                raise ParamsError(f"{where}.headline.{months}.{key}: unknown figure; expected "
                                  f"one of {', '.join(FIELDS)}")
            parsed[key] = parse_figure(value, f"{where}.headline.{months}.{key}")
        headline[int(months)] = parsed
    return {"source": source, "headline": headline}


def compare(published: dict, headline_rows: list[dict], names: dict[str, str] | None = None
            ) -> list[dict]:
    """One row per published figure: label (``names``, by default :data:`FIELDS`), published
    text, ours, and whether they agree."""
    names = names or FIELDS
    rows = []
    ours_by_months = {int(r["months"]): r for r in headline_rows}
    for months, figures in sorted(published["headline"].items(), reverse=True):
        ours = ours_by_months.get(months)
        if ours is None:
            continue
        for key, figure in figures.items():
            value = ours.get(key)
            if value is None or isinstance(value, str):
                continue
            rows.append({"months": months, "figure": names[key], "published": figure.text,
                         "ours": float(value), "agrees": figure.agrees_with(float(value))})
    return rows
