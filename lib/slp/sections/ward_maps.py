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
from slp.sections import _ward_words as words
from slp.sections.blocks import Block, bullets, missing_source, p, title

if TYPE_CHECKING:
    from slp.assessment import Assessment
    from slp.periods import Window

__all__ = ["title", "ward_rates", "ward_change", "hotspots", "interactive_ward_map"]


def _place(a: Assessment) -> str:
    """What the wards are set against: "the borough" (London), the authority's name
    (police.uk)."""
    return a.borough if a.is_police_uk else words.BOROUGH


def _missing(a: Assessment) -> str | None:
    """Why the ward sections cannot be drawn for this run, in plain words; None when they can.

    A ward source that is not configured, or that does not cover the borough (ward boundaries
    nothing provides, a ward file without the borough), never fails the run: the page says so.
    """
    needs = [("ward_crime", a.ward), ("ward_population", a.ward_population)]
    absent = [k for k, v in needs if v is None]
    if not absent and a.ward_boundaries is None and a.ward_layer is not None:
        this = a.borough if a.is_police_uk else "this borough"
        return p(f"No ward maps for {this}: " + "; ".join(a.ward_layer.caveats) + ".",
                 "missing-source")
    if not absent and a.ward_boundaries is None:
        absent = ["ward_boundaries"]
    if absent:
        return missing_source("ward", f"{absent[0].replace('_', ' ')} source", absent[0],
                              f"The ward maps need ward crime, ward boundaries "
                              f"({words.possessive(_place(a))} own, or LSOA boundaries to build them "
                              "from) and ward populations "
                              "(sources.ward_crime, sources.ward_boundaries or "
                              "sources.lsoa_boundaries, sources.ward_population with "
                              "sources.lsoa_ward_lookup).")
    assert a.ward is not None
    rows = a.ward.data
    if not (rows["borough"] == a.borough).any():
        files = ", ".join(f"'{f.name}'" for f in a.ward.coverage.files)
        return p(words.no_ward_rows(a.borough, files), "missing-source")
    codes = set(rows.loc[rows["borough"] == a.borough, "ward_code"])
    if not codes & set(a.ward_boundaries["code"]):
        return p(f"The ward boundaries hold none of the {len(codes)} wards the ward crime file "
                 f"gives for {a.borough} (different ward geographies?), so no ward map can be "
                 "drawn.", "missing-source")
    return None


def _geography_note(a: Assessment) -> str:
    """How the ward boundaries were obtained (a best-fit approximation says so)."""
    if a.ward_layer is None:  # an assessment put together by hand, with boundaries as given
        return ""
    return words.ward_geography_note(a.ward_layer.method, a.ward_layer.caveats)


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
    assert shapes is not None  # checked by _missing
    return shapes[shapes["code"].isin(set(codes))].reset_index(drop=True)


def _coverage_note(a: Assessment) -> str:
    assert a.ward is not None
    months = a.ward.data["month"]
    if a.is_police_uk:  # counted from the street files by ward of the LSOA lookup
        return (f"Ward figures are built from the police.uk street files, {months.min():%B %Y} "
                f"to {months.max():%B %Y}: each crime's LSOA is placed in its ward by the ONS "
                "LSOA lookup; crimes with no location, and LSOA codes the lookup does not hold "
                "(older LSOA 2011 codes), are in no ward.")
    return narrative.ward_coverage_note(months.min(), months.max(), a.ward.geography)


def _map_note(a: Assessment) -> str:
    return f"{_coverage_note(a)} {_geography_note(a)}"


def _approximate(a: Assessment, block: Block) -> Block:
    """``block`` with the statement that police.uk locations are approximate, on a police.uk
    run (the ward and LSOA figures come from its street files)."""
    return block.add(p(words.APPROXIMATE)) if a.is_police_uk else block


def _ward_rates(a: Assessment) -> Block:
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
                            number_format="rate", note=_map_note(a),
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
    lines += _uncertain_ranks(a, rated)
    population = [f"Ward populations: {a.extra_coverage[0].source}"] if a.extra_coverage else []
    population += [a.ward_population_note] if a.ward_population_note else []
    return Block().add(bullets(lines), chart, tables.html_table(
        frame, f"Ward crime rates in {a.area_label}, {months_label(a.window)}",
        number_format={"Rate per 1,000": "rate", "Residents": "count"},
        notes=[*shown.notes, *population]))


def _uncertain_ranks(a: Assessment, rated: pd.DataFrame) -> list[str]:
    """A caution for the highest and lowest rate when that ward's population is uncertain
    (:func:`slp.sources.ward_geography.compare_ward_populations`), saying whether the ward
    would keep its place with the area-weighted population. Only the wards whose rate is
    shown take part."""
    check = a.ward_population_check
    if check is None or len(rated) < 2:
        return []
    check = check.set_index("ward_code")
    other = rated.set_index("ward_code")
    weighted = check["area_weighted"].reindex(other.index)
    other_rate = (other["count"] * 1000 / weighted).where(weighted > 0)
    lines = []
    for end, row, pick in (("highest", rated.iloc[0], "idxmax"), ("lowest", rated.iloc[-1],
                                                                  "idxmin")):
        code = row["ward_code"]
        if code not in check.index or not bool(check.loc[code, "uncertain"]):
            continue
        holds = other_rate.notna().all() and getattr(other_rate, pick)() == code
        lines.append(words.uncertain_rank_sentence(
            row["ward_name"], end, float(check.loc[code, "relative_difference"]), bool(holds)))
    return lines


def ward_change(a: Assessment) -> Block:
    """Change in each ward's count against the previous 12 months: unusual for the ward, and
    whether it changed differently from its borough (:func:`slp.verdicts.ward_verdicts`,
    Benjamini-Hochberg across the wards, no verdict under 20 crimes)."""
    from slp import verdicts

    if (missing := _missing(a)) is not None:
        return Block().add(missing)
    assert a.ward is not None and a.ward_population is not None
    merged = wards.ward_changes(a.ward.data, a.borough, a.window, a.ward_population)
    if merged is None:
        return Block().add(p(narrative.ward_file_gap(months_label(a.window), _coverage_note(a),
                                                     previous=True)))
    judged = verdicts.ward_verdicts(a.ward.data, a.borough, a.period_end).set_index("ward_code")
    verdict = merged["ward_code"].map(judged["verdict"])
    differs = merged["ward_code"].map(judged["differs_from_borough"])
    frame = pd.DataFrame({"Ward": merged["ward_name"], "Last 12 months": merged["count"],
                          "Previous 12 months": merged["count_previous"],
                          "Change": merged["change_pct"],
                          words.WARD_VERDICT_COLUMN: verdict.map(words.ward_verdict_cell),
                          words.ward_differs_column(_place(a)):
                              differs.map(words.ward_differs_cell)})
    frame.index = merged["ward_code"].to_numpy()
    shown = _shared.publish_table(a, frame, "Last 12 months", "Previous 12 months",
                                  totals_shown=True)
    chart = maps.choropleth(_shapes(a, merged["ward_code"]),
                            merged.set_index("ward_code")["change_pct"],
                            f"Change in recorded crime by ward, {a.area_label}",
                            "Change on previous 12 months (%)", diverging=True,
                            period_label=f"{months_label(a.window)} against the previous 12 "
                                         "months", number_format="change", note=_map_note(a),
                            suppressed=shown.hidden["Change"])
    known = merged[~shown.hidden["Change"].to_numpy() & merged["change_pct"].notna()]
    lines = narrative.ward_change_sentences(
        known["ward_name"].iloc[0] if len(known) else "", known["change_pct"].max(),
        known["ward_name"].iloc[-1] if len(known) else "", known["change_pct"].min(),
        int(verdict.isin(["larger_rise", "larger_fall"]).sum()), len(merged))
    change = merged["change_pct"].where(differs.eq(True))
    borough_pct = 100 * (merged["count"].sum() / merged["count_previous"].sum() - 1)
    lines += words.ward_differs_sentences(
        merged.loc[change > borough_pct, "ward_name"].tolist(),
        merged.loc[change < borough_pct, "ward_name"].tolist(),
        int(differs.notna().sum()), len(merged), borough_pct, _place(a))
    return Block().add(bullets(lines), chart, tables.html_table(
        shown.frame, f"Change by ward, {a.area_label}", number_format={"Change": "change"},
        notes=shown.notes or None))


def _hotspots(a: Assessment) -> Block:
    from slp import hotspots as gi

    if (missing := _missing(a)) is not None:
        return Block().add(missing)
    now = _counts(a, a.window)
    if now is None:
        return Block().add(p(_coverage_note(a)))
    now = now[now["rate_per_1000"].notna()]  # a ward without residents has no rate to cluster
    shapes = _shapes(a, now["ward_code"])
    if len(shapes) < gi.MIN_AREAS:
        return Block().add(p(f"Only {len(shapes)} wards can be mapped: too few for a hot spot "
                             f"analysis (at least {gi.MIN_AREAS}). {_geography_note(a)}"))
    latest = gi.find_hotspots(shapes, now.set_index("ward_code")["rate_per_1000"])
    classes = latest["class"].map(words.HOTSPOT_CLASS_WORDS)
    chart = maps.choropleth(shapes, latest.set_index("code")["class"].map(
        {"hot spot": 1.0, "not significant": 0.0, "cold spot": -1.0}),
        f"Hot and cold spots of crime by ward (Getis-Ord Gi*), {a.area_label}",
        "Gi* class (1 hot spot, 0 no cluster, -1 cold spot)", scheme="equal_interval", k=3,
        diverging=True, period_label=months_label(a.window), note=_geography_note(a) or None)
    lines = narrative.hotspot_sentences(
        latest[latest["class"] == "hot spot"]["name"].tolist(),
        latest[latest["class"] == "cold spot"]["name"].tolist())
    lines += [note] if (note := gi.few_areas_note(len(latest))) else []
    # a ward's rate beside its residents gives its count back: withhold it where that is hidden
    shown = _published(a, now)
    frame = pd.DataFrame({"Ward": latest["name"],
                          "Rate per 1,000": latest["code"].map(shown.frame["rate_per_1000"]),
                          "Gi* z-score": latest["z"], "Adjusted p-value": latest["p_adjusted"],
                          "Class": classes})
    withheld = bool(shown.hidden["rate_per_1000"].any())
    if withheld:  # every ward's z-score is computed from every rate, the withheld ones too
        frame[["Gi* z-score", "Adjusted p-value"]] = None
    frame["Compared with the previous 12 months"], moved = _hotspot_moves(a, latest)
    lines += words.hotspot_change_sentences(moved, _place(a))
    by_lsoa, lsoa_chart = _lsoa_hotspots(a)  # words and map beside the ward ones, table last
    return Block().add(bullets(lines + by_lsoa), chart, *([lsoa_chart] if lsoa_chart else []),
                       tables.html_table(
        frame, f"Gi* hot spot analysis by ward, {a.area_label}, {months_label(a.window)}",
        number_format={"Rate per 1,000": "rate", "Gi* z-score": "0.00",
                       "Adjusted p-value": "0.000"},
        notes=[narrative.HOTSPOT_WITHHELD_NOTE] if withheld else None))


def _lsoa_hotspots(a: Assessment):
    """Hot and cold spots by LSOA from street-level crimes, when those are configured: about
    170 areas a borough instead of about 20 wards. Only the classes are published (each is
    computed from every LSOA's rate, so no rate or count is shown beside it)."""
    from slp import hotspots as gi

    if a.street is None or a.lsoa_areas is None or a.lsoa_residents is None:
        return [], None
    rates = gi.street_rates(a.street.data, a.borough, a.window.periods, a.lsoa_residents)
    if rates is None:
        return [words.lsoa_hotspot_gap(months_label(a.window))], None
    rates = rates.dropna()
    shapes = a.lsoa_areas[a.lsoa_areas["code"].isin(rates.index)].reset_index(drop=True)
    if len(shapes) < gi.MIN_AREAS:
        return [], None
    found = gi.find_hotspots(shapes, rates)
    chart = maps.choropleth(shapes, found.set_index("code")["class"].map(
        {"hot spot": 1.0, "not significant": 0.0, "cold spot": -1.0}),
        f"Hot and cold spots of crime by LSOA (Getis-Ord Gi*), {a.area_label}",
        "Gi* class (1 hot spot, 0 no cluster, -1 cold spot)", scheme="equal_interval", k=3,
        diverging=True, period_label=months_label(a.window),
        note="Street-level crimes from data.police.uk, per 1,000 residents of each LSOA.")
    lines = [words.lsoa_hotspot_sentence(len(found), int((found["class"] == "hot spot").sum()),
                                             int((found["class"] == "cold spot").sum()))]
    lines += [note] if (note := gi.few_areas_note(len(found), "LSOAs")) else []
    return lines, chart


def _hotspot_moves(a: Assessment, latest: pd.DataFrame):
    """Each ward's status words against the previous 12 months and the wards of each status;
    ``(not shown, None)`` when the ward file does not cover the previous 12 months."""
    from slp import hotspots as gi

    assert a.ward is not None and a.ward_population is not None
    before = wards.ward_counts(a.ward.data, a.borough, a.window.previous(), a.ward_population)
    if before is None:
        return "not available (no figures for the previous 12 months)", None
    now = wards.ward_counts(a.ward.data, a.borough, a.window, a.ward_population)
    assert now is not None
    status = gi.hotspot_changes(latest, now.set_index("ward_code")["count"],
                                before.set_index("ward_code")["count"].reindex(
                                    now["ward_code"], fill_value=0))
    judged = status["differs_from_whole"].notna()  # no verdict under 20 crimes
    statuses = words.hotspot_status_words(_place(a))
    said = [statuses[s] if j else words.WARD_VERDICT_WORDS[None]
            for s, j in zip(status["status"], judged, strict=True)]
    moved = {s: status.loc[judged & (status["status"] == s), "name"].tolist()
             for s in ("emerging", "cooling", "persistent")}
    return said, moved


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
        period_label=months_label(a.window), number_format="rate",
        note=_geography_note(a) or None))


def ward_rates(a: Assessment) -> Block:
    """Choropleth and table of ward crime rates per 1,000 residents, last 12 months, with how
    the ward populations were built and a caution where a ranking rests on an uncertain one."""
    return _approximate(a, _ward_rates(a))


def hotspots(a: Assessment) -> Block:
    """Getis-Ord Gi* hot and cold spots of ward rates, and which wards rose or fell more than
    the borough (:func:`slp.hotspots.hotspot_changes`: a test of the change, not two labels)."""
    return _approximate(a, _hotspots(a))
