"""The ward maps page (``05-ward-maps``): ward crime rates, their change, hot and cold spots, and
the interactive map. Every ward count and the rates and changes beside it are published through
:func:`slp.disclosure.publish` once per page (:func:`_published`), so the table, the maps and
the tooltips hide the same wards."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from slp import disclosure, maps, narrative, tables, wards
from slp.headline import months_label
from slp.sections import _shared
from slp.sections.blocks import Block, bullets, missing_source, p, title

if TYPE_CHECKING:
    from slp.assessment import Assessment
    from slp.periods import Window

__all__ = ["title", "ward_rates", "ward_change", "hotspots", "interactive_ward_map"]


def _missing(a: Assessment) -> str | None:
    needs = [("ward_crime", a.ward), ("ward_boundaries", a.ward_boundaries),
             ("ward_population", a.ward_population)]
    absent = [k for k, v in needs if v is None]
    if absent:
        return missing_source("ward", f"{absent[0].replace('_', ' ')} source", absent[0],
                              "The ward maps need ward crime, ward "
                              "boundaries and ward populations (sources.ward_crime, "
                              "sources.ward_boundaries, sources.ward_population with "
                              "sources.lsoa_ward_lookup).")
    return None


def _counts(a: Assessment, window: Window) -> pd.DataFrame | None:
    assert a.ward is not None and a.ward_population is not None  # checked by _missing
    return wards.ward_counts(a.ward.data, a.borough, window, a.ward_population)


def _published(a: Assessment, counts: pd.DataFrame) -> disclosure.Published:
    """The wards' counts, residents and rates as published, indexed by ward code. The page
    states the wards' total, so the counts are protected against it too."""
    return disclosure.publish(counts.set_index("ward_code"), counts=["count"], rule=a.rule,
                              derived={"rate_per_1000": "count", "residents": "count"},
                              totals_shown=True)


def _shapes(a: Assessment, codes) -> pd.DataFrame:
    shapes = a.ward_boundaries
    return shapes[shapes["code"].isin(set(codes))].reset_index(drop=True)


def _coverage_note(a: Assessment) -> str:
    assert a.ward is not None
    months = a.ward.data["month"]
    return narrative.ward_coverage_note(months.min(), months.max(), a.ward.geography)


def ward_rates(a: Assessment) -> Block:
    """Choropleth and table of ward crime rates per 1,000 residents, last 12 months."""
    if (missing := _missing(a)) is not None:
        return Block().add(missing)
    counts = _counts(a, a.window)
    if counts is None:
        return Block().add(p(narrative.ward_file_gap(months_label(a.window), _coverage_note(a))))
    shown = _published(a, counts)
    chart = maps.choropleth(_shapes(a, counts["ward_code"]),
                            counts.set_index("ward_code")["rate_per_1000"],
                            f"Crimes per 1,000 residents by ward, {a.area_label}",
                            "Crimes per 1,000 residents", period_label=months_label(a.window),
                            number_format="rate", note=_coverage_note(a),
                            suppressed=shown.hidden["rate_per_1000"])
    public = shown.frame.reset_index().sort_values(
        "rate_per_1000", ascending=False, key=lambda s: pd.to_numeric(s, errors="coerce"))
    frame = pd.DataFrame({"Ward": public["ward_name"], "Crimes, last 12 months": public["count"],
                          "Residents": public["residents"],
                          "Rate per 1,000": public["rate_per_1000"]})
    rated = counts[~shown.hidden["rate_per_1000"].to_numpy()].sort_values(
        "rate_per_1000", ascending=False)
    most = shown.frame.loc[counts.sort_values("count", ascending=False)["ward_code"].iloc[0]]
    ends = [rated.iloc[0], rated.iloc[-1]] if len(rated) else [{}, {}]  # none shown: no ends
    lines = narrative.ward_rate_sentences(
        ends[0].get("ward_name"), ends[0].get("rate_per_1000"), ends[1].get("ward_name"),
        ends[1].get("rate_per_1000"), most["ward_name"], most["count"], len(counts),
        int(counts["count"].sum()))
    population = [f"Ward populations: {a.extra_coverage[0].source}"] if a.extra_coverage else []
    return Block().add(bullets(lines), chart, tables.html_table(
        frame, f"Ward crime rates in {a.area_label}, {months_label(a.window)}",
        number_format={"Rate per 1,000": "rate", "Residents": "count"},
        notes=[*shown.notes, *population]))


def ward_change(a: Assessment) -> Block:
    """Change in each ward's count against the previous 12 months."""
    if (missing := _missing(a)) is not None:
        return Block().add(missing)
    assert a.ward is not None and a.ward_population is not None
    merged = wards.ward_changes(a.ward.data, a.borough, a.window, a.ward_population)
    if merged is None:
        return Block().add(p(narrative.ward_file_gap(months_label(a.window), _coverage_note(a),
                                                     previous=True)))
    frame = pd.DataFrame({"Ward": merged["ward_name"], "Last 12 months": merged["count"],
                          "Previous 12 months": merged["count_previous"],
                          "Change": merged["change_pct"],
                          narrative.VERDICT_COLUMN: merged["significant"].map(
                              narrative.verdict_cell)})
    frame.index = merged["ward_code"].to_numpy()
    shown = _shared.publish_table(a, frame, "Last 12 months", "Previous 12 months",
                                  totals_shown=True)
    chart = maps.choropleth(_shapes(a, merged["ward_code"]),
                            merged.set_index("ward_code")["change_pct"],
                            f"Change in recorded crime by ward, {a.area_label}",
                            "Change on previous 12 months (%)", diverging=True,
                            period_label=f"{months_label(a.window)} against the previous 12 "
                                         "months", number_format="change",
                            suppressed=shown.hidden["Change"])
    known = merged[~shown.hidden["Change"].to_numpy() & merged["change_pct"].notna()]
    lines = narrative.ward_change_sentences(
        known["ward_name"].iloc[0] if len(known) else "", known["change_pct"].max(),
        known["ward_name"].iloc[-1] if len(known) else "", known["change_pct"].min(),
        int(merged["significant"].sum()), len(merged))
    return Block().add(bullets(lines), chart, tables.html_table(
        shown.frame, f"Change by ward, {a.area_label}", number_format={"Change": "change"},
        notes=shown.notes or None))


def hotspots(a: Assessment) -> Block:
    """Getis-Ord Gi* hot and cold spots of ward rates, and how they moved in a year."""
    from slp import hotspots as gi

    if (missing := _missing(a)) is not None:
        return Block().add(missing)
    now = _counts(a, a.window)
    if now is None:
        return Block().add(p(_coverage_note(a)))
    shapes = _shapes(a, now["ward_code"])
    latest = gi.find_hotspots(shapes, now.set_index("ward_code")["rate_per_1000"])
    classes = latest.set_index("code")["class"]
    chart = maps.choropleth(shapes, classes.map({"hot spot": 1.0, "not significant": 0.0,
                                                 "cold spot": -1.0}),
                            f"Hot and cold spots of crime by ward (Getis-Ord Gi*), "
                            f"{a.area_label}", "Gi* class (1 hot, 0 not significant, -1 cold)",
                            scheme="equal_interval", k=3, diverging=True,
                            period_label=months_label(a.window))
    lines = narrative.hotspot_sentences(
        latest[latest["class"] == "hot spot"]["name"].tolist(),
        latest[latest["class"] == "cold spot"]["name"].tolist())
    # a ward's rate beside its residents gives its count back: withhold it where that is hidden
    shown = _published(a, now)
    frame = pd.DataFrame({"Ward": latest["name"],
                          "Rate per 1,000": latest["code"].map(shown.frame["rate_per_1000"]),
                          "Gi* z-score": latest["z"], "Adjusted p-value": latest["p_adjusted"],
                          "Class": latest["class"]})
    withheld = bool(shown.hidden["rate_per_1000"].any())
    if withheld:  # every ward's z-score is computed from every rate, the withheld ones too
        frame[["Gi* z-score", "Adjusted p-value"]] = None
    before = _counts(a, a.window.previous())
    moved = None
    if before is not None:
        previous = gi.find_hotspots(shapes, before.set_index("ward_code")["rate_per_1000"])
        status = gi.emerging_hotspots(latest, previous)
        frame["Compared with the previous 12 months"] = status["status"].to_numpy()
        moved = {s: status[status["status"] == s]["name"].tolist()
                 for s in ("emerging", "persistent", "cooling")}
    lines += narrative.hotspot_moves(moved)
    return Block().add(bullets(lines), chart, tables.html_table(
        frame, f"Gi* hot spot analysis by ward, {a.area_label}, {months_label(a.window)}",
        number_format={"Rate per 1,000": "rate", "Gi* z-score": "0.00",
                       "Adjusted p-value": "0.000"},
        notes=[narrative.HOTSPOT_WITHHELD_NOTE] if withheld else None))


def interactive_ward_map(a: Assessment) -> Block:
    """An offline, keyboard-usable map of ward rates with counts in each tooltip."""
    if (missing := _missing(a)) is not None:
        return Block().add(missing)
    counts = _counts(a, a.window)
    if counts is None:
        return Block().add(p(_coverage_note(a)))
    shown = _published(a, counts)
    extra = pd.DataFrame({"Crimes, last 12 months": shown.frame["count"]})
    return Block().add(maps.interactive_map(
        _shapes(a, counts["ward_code"]), counts.set_index("ward_code")["rate_per_1000"],
        f"Crimes per 1,000 residents by ward, {a.area_label}", "Crimes per 1,000 residents",
        suppressed=shown.hidden["rate_per_1000"], extra=extra,
        period_label=months_label(a.window), number_format="rate"))
