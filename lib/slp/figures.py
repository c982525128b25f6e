"""The headline figures as data: what ``slp figures --json`` prints and ``figures.json`` holds.

Contract (every run writes it next to the HTML)::

    {"borough": "Lewisham", "period_end": "2022-09", "population_source": "...",
     "frame": {"name": "London", "members": 32, "noun": "borough", "force": null},
     "headline": [{"months": 12, "start": "2021-10", "end": "2022-09", "count": 28409,
                   "previous_count": 26636, "change_pct": 6.66, "rate_per_1000": 93.05,
                   "london_change_pct": 11.53, "rank": 14, "rank_of": 32,
                   "verdict": "within", "usual_range_pct": [-8.9, 12.2], "z": 0.882,
                   "reference": "12-month changes 2012-03..2020-02, n=96",
                   "differs_from_london": false, "method": "history", "p_value": 0.3777,
                   "year_earlier_count": 26636, "year_earlier_change_pct": 6.66,
                   "year_earlier_verdict": "within"}, {"months": 6, ...}, {"months": 3, ...}],
     "categories": [{"category": "Violence Against the Person", "months": 12, ...}, ...],
     "national": {"source": "ONS, Crime in England and Wales: ...", "period": "2024",
                  "area": "Lewisham", "country": "England", "region": "London",
                  "force": "Metropolitan Police", "area_offences": 29808,
                  "area_population": 298700, "area_rate_per_1000": 99.8,
                  "england_rate_per_1000": 86.8, "wales_rate_per_1000": null,
                  "england_and_wales_rate_per_1000": 87.9, "region_rate_per_1000": 107.0,
                  "force_rate_per_1000": 106.2, "difference_pct": 14.9,
                  "comparison": "above", ...}}

``frame`` is the comparison frame of the run (:class:`slp.frame.Frame`): London and its 32
boroughs for the MPS files; for a police.uk run the force area and its authorities, e.g.
``{"name": "Gwent Police area", "members": 5, "noun": "authority", "force": "Gwent Police"}``.
The ``london_*`` keys (``london_change_pct``, ``london_rate_per_1000``, ``differs_from_london``)
keep their names whatever the frame: they refer to the frame's whole (``frame.name``), which is
London only when ``frame.force`` is null; ``rank`` is among ``frame.members`` areas.

``national`` is the area against England and Wales from the ONS police recorded crime tables
(:func:`slp.national.compare_to_national`; ``comparison`` is against the area's country,
"similar" within 5%), or null when no tables were given or they do not cover the report's 12
months (:func:`national`).

Each change is judged against the area's own normal variation (:mod:`slp.verdicts`):
``verdict`` is ``"within"``, ``"larger_rise"``, ``"larger_fall"`` or null (fewer than 20
crimes), ``usual_range_pct`` the 5th and 95th percentiles of the area's past changes of the same
kind (for a ``"chance only"`` verdict, the changes chance alone gives in 19 cases out of 20:
:func:`slp.variation.chance_range`), ``z`` and ``p_value`` the test behind the verdict (for categories ``p_value`` is adjusted
across the categories, Benjamini-Hochberg), ``reference`` the past changes compared with, and
``differs_from_london`` whether the change is further from the whole's (London's) than the
members' (boroughs') changes usually are (null for no judgement). 6- and 3-month windows are judged after allowing for the
usual seasonal pattern; ``year_earlier_*`` compare them with the same months a year earlier.

``categories`` holds every major category over the 12-month window. Published copies apply
disclosure control to every count (see :func:`publishable`, through
:func:`slp.disclosure.publish`); a verdict, range or z beside a hidden count is withheld too.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from typing import Any

from slp import headline, measures, memo, priorities, verdicts
from slp.disclosure import UNDEFINED_LABEL, DisclosureRule, publish_records

#: The verdict on a change (see :mod:`slp.verdicts`), in every headline and category row.
JUDGED_KEYS = ("verdict", "usual_range_pct", "z", "reference", "differs_from_london", "method",
               "p_value")
HEADLINE_KEYS = ("months", "start", "end", "count", "previous_count", "change_pct",
                 "rate_per_1000", "london_change_pct", "rank", "rank_of", *JUDGED_KEYS,
                 "year_earlier_count", "year_earlier_change_pct", "year_earlier_verdict")
CATEGORY_KEYS = ("category", "months", "count", "previous_count", "change_pct",
                 "london_change_pct", "rate_per_1000", "rank", "rank_of", *JUDGED_KEYS)
COUNT_KEYS = ("count", "previous_count", "year_earlier_count")
DIGITS = {"p_value": 4, "z": 3}


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
        out[key] = _clean(value, DIGITS.get(key, 2))
    if out.get("differs_from_london") is not None:
        out["differs_from_london"] = bool(out["differs_from_london"])
    if out.get("usual_range_pct") is not None:
        out["usual_range_pct"] = [round(float(v), 1) for v in out["usual_range_pct"]]
    return out


def compute(a, period_end: str | None = None) -> dict:
    """Compute the headline figures for an :class:`~slp.assessment.Assessment` (unsuppressed);
    with ``period_end`` (``YYYY-MM``), those of the 12 months ending then, from the same files
    (the "what changed" page's previous figures, when no earlier report is found).

    Computed once per assessment and period end in a process (:func:`slp.memo.once`: several
    sections of a page ask for them); every call returns its own copy.

    Raises
    ------
    SlpError
        The files do not cover the months the figures need (again on every call).
    """
    end = period_end or a.params.period_end
    return copy.deepcopy(memo.once(a, ("figures", end), lambda: _compute(
        a if end == a.params.period_end
        else dataclasses.replace(a, params=dataclasses.replace(a.params, period_end=end)))))


def _compute(a) -> dict:
    """The figures of :func:`compute`, computed."""
    crime, residents, end = a.crime.data, a.residents, a.params.period_end
    cats = measures.category_changes(crime, residents, a.borough, end, level="major", months=12)
    judged = verdicts.judge_categories(crime, a.borough, end).set_index("category")
    london = verdicts.categories_against_london(crime, a.borough, end)
    categories = []
    for record in cats.reset_index().to_dict("records"):
        record.setdefault("category", record.get("major"))
        record["months"] = 12
        record |= _category_verdict(judged, london, str(record["category"]))
        categories.append(_row(record, CATEGORY_KEYS))
    return {
        "borough": a.borough,
        "period_end": a.params.period_end,
        "population_source": a.population_label,
        "synthetic_demo_data": a.is_demo,
        "audience": a.params.audience,
        "frame": frame_block(a.frame),
        "headline": [_row(r, HEADLINE_KEYS) for r in headline.rows(a)],
        "categories": categories,
        "dashboard": dashboard_rows(a),
        "national": national(a),
    }


def frame_block(frame) -> dict:
    """The ``frame`` block of a :class:`slp.frame.Frame`: the whole's name, the number of
    members, what one member is called, and the police force (None for London).

    Examples
    --------
    >>> from slp.frame import Frame
    >>> frame_block(Frame.of_force("Gwent Police", ["Newport", "Torfaen"]))
    {'name': 'Gwent Police area', 'members': 2, 'noun': 'authority', 'force': 'Gwent Police'}
    """
    return {"name": frame.whole_label, "members": frame.count, "noun": frame.noun,
            "force": frame.force}


def national(a) -> dict | None:
    """The ``national`` block: :attr:`slp.assessment.Assessment.national` where the ONS tables
    cover the report's 12 months, else None."""
    block = a.national
    return block if block["period"] is not None else None


def _category_verdict(judged, london, name: str) -> dict:
    """One category's :data:`JUDGED_KEYS` from :func:`slp.verdicts.judge_categories` and
    :func:`slp.verdicts.categories_against_london` (all None when it was not judged)."""
    if name not in judged.index:
        return dict.fromkeys(JUDGED_KEYS)
    row = judged.loc[name]
    low, high = row["usual_low_pct"], row["usual_high_pct"]
    known = low is not None and high is not None and not (math.isnan(low) or math.isnan(high))
    return {"verdict": row["verdict"], "usual_range_pct": [low, high] if known else None,
            "z": row["z"], "reference": row["reference"], "method": row["method"],
            "differs_from_london": london.get(name), "p_value": row["p_adjusted"]}


#: What each published figure is computed from (see :func:`slp.disclosure.publish`): a verdict,
#: its z and usual range are withheld beside a hidden count like a rate.
DERIVED = {"rate_per_1000": "count",
           **{k: ("count", "previous_count") for k in (*JUDGED_KEYS, "year_earlier_verdict")}}
#: The ``national`` figures computed from the area's offences.
NATIONAL_DERIVED = ("area_rate_per_1000", "area_population", "difference_pct", "comparison")
CHANGES = {"change_pct": ("count", "previous_count"),
           "year_earlier_change_pct": ("count", "year_earlier_count")}


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
    if numbers.get("national"):  # published national totals: through the one door all the same
        out["national"] = publish_records(
            [numbers["national"]], rule, counts=("area_offences",),
            derived=dict.fromkeys(NATIONAL_DERIVED, "area_offences"))[0]
    out["disclosure"] = (
        {"applied": True, "threshold": rule.threshold}
        if rule.active else {"applied": False, "note": "internal - not for publication"}
    )
    return out


def _json_row(row: dict) -> dict:
    """``figures.json`` keeps numbers or null for changes: an undefined change is null."""
    for key in ("change_pct", "year_earlier_change_pct"):
        if row.get(key) == UNDEFINED_LABEL:
            row[key] = None
    return row


def as_text(payload: dict) -> str:
    """A short plain-text rendering of the figures for the terminal."""
    lines = [f"{payload['borough']}, period ending {payload['period_end']} "
             f"(population: {payload['population_source']})"]
    whole = (payload.get("frame") or {}).get("name", "London")  # older files have no frame
    for row in payload["headline"]:
        change = "n/a" if row["change_pct"] is None else f"{row['change_pct']:+.1f}%"
        london = "n/a" if row["london_change_pct"] is None else f"{row['london_change_pct']:+.1f}%"
        count = row["count"] if isinstance(row["count"], str) else f"{row['count']:,}"
        lines.append(
            f"  last {row['months']:>2} months ({row['start']} to {row['end']}): {count} crimes, "
            f"{row['rate_per_1000']} per 1,000, change {change} ({whole} {london}), "
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
