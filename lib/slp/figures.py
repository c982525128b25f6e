"""The headline figures as data: what ``slp figures --json`` prints and ``figures.json`` holds.

Contract (every run writes it next to the HTML)::

    {"borough": "Lewisham", "period_end": "2022-09", "population_source": "...",
     "headline": [{"months": 12, "start": "2021-10", "end": "2022-09", "count": 28409,
                   "previous_count": 26636, "change_pct": 6.66, "rate_per_1000": 93.05,
                   "london_change_pct": 11.53, "rank": 14, "rank_of": 32,
                   "significant": true, "p_value": 0.0}, {"months": 6, ...}, {"months": 3, ...}],
     "categories": [{"category": "Violence Against the Person", "months": 12, ...}, ...]}

``categories`` holds every major category over the 12-month window. Published copies apply
disclosure control to every count (see :func:`publishable`, through
:func:`slp.disclosure.publish`).
"""

from __future__ import annotations

import math
from typing import Any

from slp import measures, priorities
from slp.disclosure import UNDEFINED_LABEL, DisclosureRule, publish_records

HEADLINE_KEYS = ("months", "start", "end", "count", "previous_count", "change_pct",
                 "rate_per_1000", "london_change_pct", "rank", "rank_of", "significant",
                 "p_value")
CATEGORY_KEYS = ("category", "months", "count", "previous_count", "change_pct",
                 "london_change_pct", "rate_per_1000", "rank", "rank_of", "significant",
                 "p_value")
COUNT_KEYS = ("count", "previous_count")


def _clean(value: Any, digits: int | None = None) -> Any:
    """JSON-friendly scalars: numpy types to Python, NaN to None, floats rounded."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return round(value, digits) if digits is not None else value
    if hasattr(value, "strftime"):  # pandas Period
        return value.strftime("%Y-%m")
    return value


def _row(record: dict, keys: tuple[str, ...]) -> dict:
    out = {}
    for key in keys:
        value = record.get(key)
        digits = 4 if key == "p_value" else 2
        out[key] = _clean(value, digits)
    if out.get("significant") is not None:
        out["significant"] = bool(out["significant"])
    return out


def compute(a) -> dict:
    """Compute the headline figures for an :class:`~slp.assessment.Assessment` (unsuppressed)."""
    crime, residents = a.crime.data, a.residents
    head = measures.headline_table(crime, residents, a.borough, a.params.period_end)
    cats = measures.category_changes(crime, residents, a.borough, a.params.period_end,
                                     level="major", months=12)
    categories = []
    for record in cats.reset_index().to_dict("records"):
        record.setdefault("category", record.get("major"))
        record["months"] = 12
        categories.append(_row(record, CATEGORY_KEYS))
    return {
        "borough": a.borough,
        "period_end": a.params.period_end,
        "population_source": a.population_label,
        "synthetic_demo_data": a.is_demo,
        "audience": a.params.audience,
        "headline": [_row(r, HEADLINE_KEYS) for r in head.to_dict("records")],
        "categories": categories,
        "dashboard": dashboard_rows(a),
    }


#: What each published figure is computed from (see :func:`slp.disclosure.publish`).
DERIVED = {"rate_per_1000": "count"}
CHANGES = {"change_pct": ("count", "previous_count")}


def publishable(numbers: dict, params) -> dict:
    """Apply disclosure control to every count unless the audience is internal.

    The categories add up to the headline's 12-month count, so they are protected against it
    (secondary suppression); a change from 0 is undefined and written ``"n/a"``.
    """
    rule = DisclosureRule.from_params(params)
    out = dict(numbers)
    for key, totals_shown in (("headline", False), ("categories", True)):
        out[key] = [_json_row(row) for row in publish_records(
            numbers.get(key, []), rule, counts=COUNT_KEYS, derived=DERIVED, changes=CHANGES,
            totals_shown=totals_shown)]
    out["dashboard"] = publish_dashboard(numbers.get("dashboard", []), rule)
    out["disclosure"] = (
        {"applied": True, "threshold": rule.threshold}
        if rule.active else {"applied": False, "note": "internal - not for publication"}
    )
    return out


def _json_row(row: dict) -> dict:
    """``figures.json`` keeps numbers or null for changes: an undefined change is null."""
    if row.get("change_pct") == UNDEFINED_LABEL:
        row["change_pct"] = None
    return row


def as_text(payload: dict) -> str:
    """A short plain-text rendering of the figures for the terminal."""
    lines = [f"{payload['borough']}, period ending {payload['period_end']} "
             f"(population: {payload['population_source']})"]
    for row in payload["headline"]:
        change = "n/a" if row["change_pct"] is None else f"{row['change_pct']:+.1f}%"
        london = "n/a" if row["london_change_pct"] is None else f"{row['london_change_pct']:+.1f}%"
        count = row["count"] if isinstance(row["count"], str) else f"{row['count']:,}"
        lines.append(
            f"  last {row['months']:>2} months ({row['start']} to {row['end']}): {count} crimes, "
            f"{row['rate_per_1000']} per 1,000, change {change} (London {london}), "
            f"rank {row['rank']} of {row['rank_of']}"
        )
    return "\n".join(lines)


# --- the dashboard measures (issue 12) -------------------------------------------------------

#: Keys of a ``dashboard`` row (see :meth:`slp.priorities.MeasureFigures.row`).
DASHBOARD_KEYS = ("measure", "label", "start", "end", "count", "previous_count", "change_pct",
                  "rate_per_1000", "london_change_pct", "rank", "rank_of", "verdict", "break")


def dashboard_row(fig: priorities.MeasureFigures, judged) -> dict:
    """One measure's ``dashboard`` row; ``judged`` is :func:`slp.priorities.judge` of ``fig``
    (its change against its own history; None: no verdict)."""
    row = fig.row() | {"verdict": None if judged is None else judged.verdict}
    return _row(row, DASHBOARD_KEYS)


def dashboard_rows(a) -> list[dict]:
    """The ``dashboard`` list: one row per measure the configured files hold for 12 complete
    months (unsuppressed); empty without a dashboard."""
    dash = a.dashboard
    if dash is None:
        return []
    found = (priorities.measure_figures(dash, m, a.residents, a.borough, a.period_end)
             for m in dash.measures if m != priorities.TOTAL)
    return [dashboard_row(f, priorities.judge(f)) for f in found if f is not None]


def publish_dashboard(rows: list[dict], rule: DisclosureRule) -> list[dict]:
    """Disclosure control on the ``dashboard`` rows: small counts hidden, the rate and change
    beside a hidden count withheld, and the measures that add up to another one shown
    (:data:`slp.priorities.ADDS_UP`) protected against it."""
    shown = {r["measure"] for r in rows}
    pairs = [set(pair) for pair in priorities.ADDS_UP.values() if set(pair) <= shown]
    paired = set().union(*pairs)
    groups = [([r for r in rows if r["measure"] not in paired], False)]
    groups += [([r for r in rows if r["measure"] in pair], True) for pair in pairs]
    published = {}
    for group, totals_shown in groups:
        for record, row in zip(group, publish_records(
                group, rule, counts=COUNT_KEYS, derived=DERIVED, changes=CHANGES,
                totals_shown=totals_shown), strict=True):
            published[record["measure"]] = _json_row(row)
    return [published[r["measure"]] for r in rows]
