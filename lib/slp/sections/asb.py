"""The anti-social behaviour page (``09-asb``): police-reported ASB incidents from the
data.police.uk street files (volume, rate, change when the files cover two years, month by month,
by ward and LSOA), what the figures are and are not, and the partners' own ASB records (local
input)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from slp import asb as asb_mod
from slp import charts, disclosure, maps, measures, memo, narrative, tables, variation
from slp.errors import SlpError
from slp.headline import months_label
from slp.sections import _local, _statutory_words, _ward_words
from slp.sections.blocks import Block, bullets, missing_source, p, title

if TYPE_CHECKING:
    from slp.assessment import Assessment

__all__ = ["title", "volume", "monthly", "by_ward", "by_lsoa", "hotspots", "partners"]

COUNT = "ASB incidents, last 12 months"
TOP_LSOAS = 10


def incidents(a: Assessment) -> asb_mod.AntisocialBehaviour | None:
    """The borough's ASB incidents, or None without street files and the LSOA lookup (worked
    out once per assessment: every section of the page asks)."""
    lookup = a.params.sources.lsoa_ward_lookup
    if a.street is None or lookup is None:
        return None
    return memo.once(a, "asb incidents", lambda: asb_mod.asb_from_street(
        a.street, lookup, area=a.borough,
        frame=() if a.frame.is_london else a.frame.members))


def _missing() -> Block:
    return Block().add(missing_source(
        "anti-social behaviour", "data.police.uk street-level file (with the LSOA lookup)",
        "street", "Police-reported ASB comes only from the police.uk street files; the "
                  "partnership can add its own ASB records as the local input local.asb."),
        p(asb_mod.STATEMENT))


def _covers(asb: asb_mod.AntisocialBehaviour, window) -> bool:
    months = set(pd.PeriodIndex(asb.data["month"].astype(str), freq="M"))
    return all(m in months for m in window.periods)


def volume(a: Assessment) -> Block:
    """Incidents in the last 12 months, per 1,000 residents, and the change on the 12 months
    before when the files cover them; the statement of what the figures are."""
    asb = incidents(a)
    if asb is None:
        return _missing()
    if not _covers(asb, a.window):
        return Block().add(p(_statutory_words.asb_short_files(len(asb_mod.monthly(asb)))),
                           p(asb_mod.STATEMENT))
    now = asb_mod.volume(asb, a.window)
    before = (asb_mod.volume(asb, a.window.previous())
              if _covers(asb, a.window.previous()) else None)
    rate = measures.rate_per_1000(now, float(a.residents[a.borough]))
    row = {"Area": a.area_label, COUNT: now, "Previous 12 months": before,
           "Change": measures.percent_change(now, before) if before else None,
           "Rate per 1,000": rate}
    judged = judge(asb, a) if before is not None else None
    if judged is not None:
        row[narrative.VERDICT_COLUMN] = narrative.verdict_cell(judged.verdict, judged.method)
    if before is None:  # the files do not reach back two years: no change to show
        row = {k: v for k, v in row.items() if k not in ("Previous 12 months", "Change")}
    frame = pd.DataFrame([row])
    shown = disclosure.publish(frame, counts=[c for c in (COUNT, "Previous 12 months")
                                              if c in frame.columns],
                               rule=a.rule, derived={"Rate per 1,000": COUNT},
                               changes={"Change": (COUNT, "Previous 12 months")}
                               if before is not None else None)
    lines = [_statutory_words.asb_sentence(a.borough, now, rate, row.get("Change"),
                                    months_label(a.window))]
    if before is None:
        lines.append(_statutory_words.asb_no_change(len(asb_mod.monthly(asb))))
    else:
        lines.append(_statutory_words.asb_verdict(judged, a.borough))
    return Block().add(bullets(lines), tables.html_table(
        shown.frame, f"Anti-social behaviour incidents, {a.area_label}, "
                     f"{months_label(a.window)}",
        number_format={c: f for c, f in (("Change", "change"), ("Rate per 1,000", "rate"))
                       if c in frame.columns},
        notes=[*shown.notes, "Source: data.police.uk street-level files (crime type "
                             "'Anti-social behaviour')."]),
        p(asb_mod.STATEMENT), bullets([f"{c}." for c in asb.caveats]) if asb.caveats else None)


def judge(asb: asb_mod.AntisocialBehaviour, a: Assessment) -> variation.ChangeVerdict | None:
    """The statistics issue's verdict on the 12-month change in the borough's ASB incidents
    (:func:`slp.variation.judge_change` on the monthly series), or None when the series is
    too short to judge. With under five years of street files there is too little history
    for a usual range: the change is compared with chance fluctuation only, and says so."""
    try:
        return variation.judge_change(asb_mod.monthly(asb), a.period_end, 12)
    except SlpError:  # fewer than 24 months to fit the seasonal pattern
        return None


def monthly(a: Assessment) -> Block:
    """Incidents per month, as a chart with its data table."""
    asb = incidents(a)
    if asb is None:
        return Block().add(p("No police.uk street files: no monthly ASB figures."))
    series = asb_mod.monthly(asb)
    frame = series.rename("ASB incidents").reset_index()
    return Block().add(charts.line_chart(
        frame, "month", ["ASB incidents"], f"Anti-social behaviour incidents per month, "
                                           f"{a.area_label}",
        "Incidents per month", f"{series.index.min():%B %Y} to {series.index.max():%B %Y}",
        rule=a.rule))


def _publish(a: Assessment, frame: pd.DataFrame) -> disclosure.Published:
    # the page states the borough's total: protect the rows against it
    return disclosure.publish(frame, counts=[COUNT], rule=a.rule, totals_shown=True,
                              derived={c: COUNT for c in ("Rate per 1,000",)
                                       if c in frame.columns})


def _area_table(shown: disclosure.Published, name: str, caption: str) -> str:
    return tables.html_table(
        shown.frame, caption,
        number_format={c: "rate" for c in ("Rate per 1,000",) if c in shown.frame.columns},
        notes=[*shown.notes, f"Source: data.police.uk street-level files, by {name}."]).html()


def _ward_map(a: Assessment, wards: pd.DataFrame, shown: disclosure.Published):
    """The wards' ASB rate as a choropleth (with its data table), when boundaries exist."""
    if a.ward_boundaries is None or "Rate per 1,000" not in shown.frame.columns:
        return None
    codes = wards["ward_code"].to_numpy()
    shapes = a.ward_boundaries[a.ward_boundaries["code"].isin(set(codes))]
    rates = pd.Series(pd.to_numeric(shown.frame["Rate per 1,000"], errors="coerce").to_numpy(),
                      index=codes)
    hidden = pd.Series(shown.hidden["Rate per 1,000"].to_numpy(), index=codes)
    return maps.choropleth(shapes.reset_index(drop=True), rates,
                           f"Anti-social behaviour incidents per 1,000 residents by ward, "
                           f"{a.area_label}", "ASB incidents per 1,000 residents",
                           period_label=months_label(a.window), number_format="rate",
                           suppressed=hidden, note=asb_mod.STATEMENT)


def by_ward(a: Assessment) -> Block:
    """Incidents by ward in the last 12 months, with the rate (and a map) where ward
    populations (and boundaries) exist."""
    asb = incidents(a)
    if asb is None or not _covers(asb, a.window):
        return Block().add(p(_statutory_words.asb_no_area_figures("ward", asb is not None)))
    wards = asb_mod.by_ward(asb, a.window)
    frame = pd.DataFrame({"Ward": wards["ward_name"], COUNT: wards["count"]})
    if a.ward_population is not None:
        frame["Rate per 1,000"] = measures.rate_per_1000(
            wards["count"], wards["ward_code"].map(a.ward_population))
    shown = _publish(a, frame)
    return Block().add(p(_statutory_words.asb_wards(list(wards["ward_name"][:3]))),
                       _ward_map(a, wards, shown),
                       _area_table(shown, "ward", f"Anti-social behaviour by ward, "
                                                  f"{a.area_label}, {months_label(a.window)}"))


def by_lsoa(a: Assessment) -> Block:
    """The LSOAs (small areas of about 1,500 residents) with the most incidents."""
    asb = incidents(a)
    if asb is None or not _covers(asb, a.window):
        return Block().add(p(_statutory_words.asb_no_area_figures("LSOA", asb is not None)))
    top = asb_mod.by_lsoa(asb, a.window).head(TOP_LSOAS)
    frame = pd.DataFrame({"LSOA": top["lsoa_name"] + " (" + top["lsoa_code"] + ")",
                          COUNT: top["count"]})
    return Block().add(_area_table(_publish(a, frame), "LSOA",
                                   f"The {len(top)} LSOAs with the most anti-social behaviour "
                                   f"incidents, {a.area_label}, {months_label(a.window)}"),
                       p(_ward_words.APPROXIMATE) if a.is_police_uk else None)


def hotspots(a: Assessment) -> Block:
    """Hot and cold spots of ASB by LSOA (Getis-Ord Gi*, :func:`slp.hotspots.find_hotspots`)
    on the incidents per 1,000 residents of each LSOA in the last 12 months, as a map with its
    data table. Only the classes are published: each comes from every LSOA's rate, so no
    rate or count is shown beside it (the counts table above protects small counts)."""
    from slp import hotspots as gi

    asb = incidents(a)
    if asb is None or a.lsoa_areas is None or a.lsoa_residents is None:
        return Block().add(p(_statutory_words.asb_no_hotspots(asb is not None)))
    if not _covers(asb, a.window):
        return Block().add(p(_statutory_words.asb_no_area_figures("LSOA", True)))
    rows = asb.data.assign(borough=asb.data["authority"],
                           month=pd.PeriodIndex(asb.data["month"].astype(str), freq="M"))
    rates = gi.street_rates(rows, a.borough, a.window.periods, a.lsoa_residents)
    rates = rates.dropna() if rates is not None else pd.Series(dtype=float)
    shapes = a.lsoa_areas[a.lsoa_areas["code"].isin(rates.index)].reset_index(drop=True)
    if len(shapes) < gi.MIN_AREAS:
        return Block().add(p(_statutory_words.asb_no_hotspots(True, len(shapes), gi.MIN_AREAS)))
    found = gi.find_hotspots(shapes, rates)
    hot = found.loc[found["class"] == "hot spot", "name"].tolist()
    chart = maps.choropleth(
        shapes, found.set_index("code")["class"].map(
            {"hot spot": 1.0, "not significant": 0.0, "cold spot": -1.0}),
        f"Hot and cold spots of anti-social behaviour by LSOA (Getis-Ord Gi*), {a.area_label}",
        "Gi* class (1 hot spot, 0 no cluster, -1 cold spot)", scheme="equal_interval", k=3,
        diverging=True, period_label=months_label(a.window),
        note="ASB incidents reported to the police, per 1,000 residents of each LSOA.")
    lines = [_statutory_words.asb_hotspot_sentence(
        len(found), hot, int((found["class"] == "cold spot").sum()))]
    lines += [note] if (note := gi.few_areas_note(len(found), "LSOAs")) else []
    return Block().add(bullets(lines), chart,
                       p(_ward_words.APPROXIMATE) if a.is_police_uk else None)


def partners(a: Assessment) -> Block:
    """The council's and housing providers' ASB records (local input)."""
    return Block().add(_local.block(a, "asb"))
