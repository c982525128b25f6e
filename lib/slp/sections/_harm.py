"""Harm beside volume, as the serious violence page shows it: crimes weighted by the
partnership's harm-weights file (params ``sources.harm_weights``), or the plain statement that
no weights are configured and why."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from slp import disclosure, tables
from slp import harm as harm_mod
from slp.headline import months_label
from slp.sections import _statutory_words
from slp.sections.blocks import Block, bullets, missing_source
from slp.sources.harm_weights import read_harm_weights

if TYPE_CHECKING:
    from slp.assessment import Assessment

NO_WEIGHTS = (
    "No harm weights ship with slp: the Cambridge Crime Harm Index has no licence that clearly "
    "allows redistribution, and the ONS Crime Severity Score weights are keyed by Home Office "
    "offence code, not by the categories of the public files. A partnership that holds a "
    "licensed table can write it as a CSV (scheme, category, weight, unit, source; see "
    "slp.sources.harm_weights) and name it in sources.harm_weights.")
COUNT = "Crimes, last 12 months"
HARM_METHOD = (
    "Harm = crimes x weight. Shares are of the weighted categories only; a category with no "
    "weight, or excluded, is left out of harm (never counted as zero harm).")
DEMO_WEIGHTS = ("The demo's harm weights are illustrative: made up for the synthetic demo, not "
                "the Cambridge Crime Harm Index or any published index.")


def _counts(a: Assessment, level: str) -> pd.DataFrame:
    data = a.crime.data
    return data.loc[data["borough"] == a.borough, ["month", level, "count"]]


def harm(a: Assessment) -> Block:
    """Harm per 1,000 residents, each category's share of harm beside its share of volume, and
    harm's change on the previous 12 months."""
    path = a.params.sources.harm_weights
    if path is None:
        return Block().add(missing_source("harm", "harm-weights file", "harm_weights",
                                          NO_WEIGHTS))
    weights = read_harm_weights(path)
    minor = not weights.for_scheme("mps-minor").empty
    scheme, level = ("mps-minor", "minor") if minor else ("mps-major", "major")
    change = harm_mod.publishable_change(harm_mod.harm_change(
        _counts(a, level), weights, scheme=scheme, current=a.window,
        previous=a.window.previous(), category=level), a.rule)
    now = change.current
    residents = float(a.residents[a.borough])
    per_1000 = harm_mod.harm_per_1000(now, residents)
    before = harm_mod.harm_per_1000(change.previous, residents)
    lines = [_statutory_words.harm_sentence(per_1000, before, weights.unit_label)]
    if a.is_demo:
        lines.insert(0, DEMO_WEIGHTS)
    if len(now.table):
        top = now.table.iloc[0]
        lines.append(_statutory_words.harm_share_sentence(str(top["category"]), top["harm_share_pct"],
                                                   top["volume_share_pct"]))
    frame = pd.DataFrame({
        "Category": now.table["category"], COUNT: now.table["count"],
        "Weight": now.table["weight"], "Harm": now.table["harm"],
        "Share of volume (%)": now.table["volume_share_pct"],
        "Share of harm (%)": now.table["harm_share_pct"]})
    # the shares and harm add up to the stated totals: every one is derived from the counts
    shown = disclosure.publish(frame, counts=[COUNT], rule=a.rule, totals_shown=True,
                               derived={c: COUNT for c in ("Harm", "Share of volume (%)",
                                                           "Share of harm (%)")})
    source = weights.source or "the file names no source"
    return Block().add(
        bullets(lines),
        tables.html_table(shown.frame, f"Harm by category in {a.area_label}, "
                                       f"{months_label(a.window)} ({weights.unit_label})",
                          number_format={"Weight": "auto", "Harm": "count",
                                         "Share of volume (%)": "rate",
                                         "Share of harm (%)": "rate"},
                          notes=[*shown.notes, f"Weights: {path.name}; source: {source}.",
                                 HARM_METHOD]),
        _left_out(a, now))


def _left_out(a: Assessment, profile: harm_mod.HarmProfile) -> str | None:
    """The categories outside the harm totals (no weight, or excluded), counts published."""
    parts = [(profile.unweighted, "no weight in the file"),
             (profile.excluded, "excluded (by the file, or a small count)")]
    frame = pd.concat([f.assign(why=why) for f, why in parts if len(f)], ignore_index=True) \
        if any(len(f) for f, _ in parts) else None
    if frame is None:
        return None
    frame = pd.DataFrame({"Category": frame["category"], COUNT: frame["count"],
                          "Why left out": frame["why"]})
    numeric = frame[COUNT].map(lambda v: isinstance(v, int | float) and not (
        isinstance(v, float) and math.isnan(v)))
    shown = disclosure.publish(frame[numeric].astype({COUNT: "int64"}), counts=[COUNT],
                               rule=a.rule)
    table = pd.concat([shown.frame, frame[~numeric]]).loc[frame.index]
    return tables.html_table(table, "Categories left out of the harm totals",
                             notes=shown.notes).html()
