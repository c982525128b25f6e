"""What happened to the area's crimes (a section of the trends page on a police.uk run): the
share of the period's crimes by their last outcome, from the police.uk outcomes files
(:mod:`slp.outcomes`), with the police.uk outcome names beside the readable groups.

Shown only when the outcomes were loaded (``Assessment.outcomes``); otherwise the section is
absent (:func:`last_outcomes` returns None, so a notebook cell shows nothing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from slp import disclosure, narrative, tables
from slp import outcomes as measure
from slp.disclosure import DisclosureRule
from slp.headline import months_label
from slp.sections.blocks import Block, bullets, heading, p

if TYPE_CHECKING:
    from slp.assessment import Assessment
    from slp.periods import Window

__all__ = ["last_outcomes", "outcome_block"]

COUNT = "Crimes"
SHARE = "Share of crimes"
#: Each group as the sentence says it ("45.0% were closed with no suspect identified").
PHRASES = {
    measure.CHARGED: "led to a suspect being charged or summonsed",
    measure.OUT_OF_COURT: "were dealt with out of court (a caution, a warning, a penalty "
                          "notice or a local resolution)",
    measure.NO_SUSPECT: "were closed with no suspect identified",
    measure.UNABLE: "were closed because the suspect could not be prosecuted",
    measure.PUBLIC_INTEREST: "were taken no further as not in the public interest",
    measure.ELSEWHERE: "were passed to another organisation",
    measure.OTHER: "had another outcome",
}
ATTRIBUTION = (
    "Crimes are counted where police.uk places them, as in the crime counts: in the area's LSOAs "
    "(by the LSOA lookup, or by the authority an older LSOA's name starts with); crimes with no "
    "location are in no area. Each crime takes the outcome of the latest month in the outcomes "
    "files.")
RECENT_NOTE = (
    "Recent crimes often have no final outcome yet: an investigation can take weeks or months, "
    "so the shares for the latest months will change as outcomes are added.")
NO_COURT_NOTE = ("In these outcomes files a charge is the last outcome: no court result is "
                 "recorded after it.")
MERGED_NOTE = ("Outcomes too few to show on their own are counted with the main outcome of their "
               "group (their names joined by '+').")
SOURCE_NOTE = ("Source: data.police.uk street files (the crimes) and outcomes files (each "
               "crime's last outcome), linked by Crime ID.")


def last_outcomes(a: Assessment) -> Block | None:
    """The area's crimes of the 12 months by last outcome; None when no outcomes are loaded
    (a London run: the section is absent)."""
    found = getattr(a, "outcomes", None)
    if found is None:
        return None
    lookup = a.params.sources.lsoa_ward_lookup
    if lookup is None:
        return Block().add(heading("Outcomes of recorded crimes", 2), p(
            "The outcomes need the LSOA lookup (sources.lsoa_ward_lookup) to place each crime "
            "in the area; none is configured, so no outcome figures are shown."))
    shares = measure.outcome_shares(found, lookup, a.borough, a.window)
    return outcome_block(shares, a.borough, a.area_label, a.window, a.rule)


def merged_small(by_outcome: pd.DataFrame, rule: DisclosureRule) -> pd.DataFrame:
    """``by_outcome`` with each police.uk outcome too small to publish merged into the largest
    outcome of its group (names joined with " + "), so that a group's count, stated in the words,
    does not force its main outcome to be withheld too; a group with no outcome large enough is
    left as it is (the group itself is then withheld). Unchanged when nothing is suppressed.

    Examples
    --------
    >>> rows = pd.DataFrame({"group": ["Charged", "Charged"], "outcome": ["A", "B"],
    ...                      "count": [120, 2], "share_pct": [60.0, 1.0]})
    >>> merged_small(rows, DisclosureRule())[["outcome", "count"]].values.tolist()
    [['A + B', 122]]
    """
    if not rule.active:
        return by_outcome
    small = (by_outcome["count"] > 0) & (by_outcome["count"] < rule.threshold)
    parts = []
    for _, part in by_outcome.groupby("group", sort=False):
        few = small.loc[part.index]
        if not few.any() or few.all():
            parts.append(part)
            continue
        top = part.loc[~few, "count"].idxmax()
        kept = part.loc[~few].copy()
        kept.loc[top, "outcome"] = " + ".join([part.loc[top, "outcome"],
                                               *part.loc[few, "outcome"]])
        kept.loc[top, ["count", "share_pct"]] += part.loc[few, ["count", "share_pct"]].sum()
        parts.append(kept)
    return pd.concat(parts).astype({"count": "int64"})


def _published(by_outcome: pd.DataFrame, rule: DisclosureRule
               ) -> tuple[disclosure.Published, disclosure.Published]:
    """The group table (protected against the total the words state) and the outcome table
    (each group's rows protected against the group's count)."""
    groups = by_outcome.groupby("group", sort=False, as_index=False)["count"].sum()
    groups["share_pct"] = 100 * groups["count"] / groups["count"].sum()
    by_group = disclosure.publish(groups, counts=["count"], rule=rule,
                                  derived={"share_pct": "count"}, totals_shown=True)
    parts = [disclosure.publish(part, counts=["count"], rule=rule,
                                derived={"share_pct": "count"}, totals_shown=True)
             for _, part in by_outcome.groupby("group", sort=False)]
    frame = pd.concat([x.frame for x in parts]).loc[by_outcome.index]
    hidden = pd.concat([x.hidden for x in parts]).loc[by_outcome.index]
    # a group withheld in the group table keeps every one of its rows withheld too
    withheld = set(groups.loc[by_group.hidden["count"].to_numpy(), "group"])
    inside = by_outcome["group"].isin(withheld).to_numpy()
    newly = inside & ~hidden["count"].to_numpy()
    frame["count"] = frame["count"].astype(object)
    frame.loc[newly, "count"] = disclosure.SECONDARY_LABEL
    frame.loc[inside, "share_pct"] = None
    hidden.loc[inside, ["count", "share_pct"]] = True
    notes = [*by_group.notes, *(n for x in parts for n in x.notes)]
    return by_group, disclosure.Published(frame, hidden, list(dict.fromkeys(notes)))


def headline_sentence(area: str, total: int, window: Window, groups: pd.DataFrame,
                      hidden: pd.Series) -> str:
    """"Of the 18,878 crimes recorded in Newport in the 12 months to June 2025, 35.1% were
    closed because ...; 21.5% have no outcome recorded yet." (shown groups, largest first)."""
    shown = groups[~hidden.to_numpy()]
    closed = shown[shown["group"] != measure.NONE_YET].sort_values("count", ascending=False)
    parts = [f"{r.share_pct:.1f}% {PHRASES[r.group]}" for r in closed.head(3).itertuples()]
    text = (f"Of the {narrative.count(total)} crimes recorded in {area} in the 12 months to "
            f"{window.end:%B %Y}, " + (", ".join(parts) if parts else "no outcome can be shown"))
    pending = shown[shown["group"] == measure.NONE_YET]
    if len(pending):
        text += f"; {pending['share_pct'].iloc[0]:.1f}% have no outcome recorded yet"
    return text + "."


def recent_sentence(recent: pd.DataFrame, rule: DisclosureRule) -> str | None:
    """How many of the first and the last month's crimes have no outcome yet (when both
    months' counts can be shown)."""
    first, last = recent.iloc[0], recent.iloc[-1]
    small = [int(v) for v in (first["count"], first["no_outcome"], last["count"],
                              last["no_outcome"])]
    if rule.active and any(0 < v < rule.threshold for v in small) or not (small[0] and small[2]):
        return None
    return (f"Of the crimes recorded in {last['month']:%B %Y}, "
            f"{100 * small[3] / small[2]:.0f}% have no outcome recorded yet, against "
            f"{100 * small[1] / small[0]:.0f}% of those recorded in {first['month']:%B %Y}.")


def outcome_block(shares: measure.OutcomeShares, area: str, area_label: str, window: Window,
                  rule: DisclosureRule) -> Block:
    """The sentences and the published table of :func:`slp.outcomes.outcome_shares`."""
    block = Block().add(heading("Outcomes of recorded crimes", 2))
    if shares.total == 0:
        return block.add(p(f"No crimes recorded in {area} in {months_label(window)} are in "
                           "the police.uk street files, so there are no outcomes to show."))
    merged = merged_small(shares.by_outcome, rule)
    groups, rows = _published(merged, rule)
    lines = [headline_sentence(area, shares.total, window, shares.by_group,
                               groups.hidden["count"]),
             recent_sentence(shares.recent, rule), RECENT_NOTE]
    if not set(shares.by_outcome["outcome"]) & measure.COURT:
        lines.append(NO_COURT_NOTE)
    check = shares.cross_check
    if check.get("compared"):
        lines.append(
            f"Cross-check: for {narrative.count(check['agree'])} of the "
            f"{narrative.count(check['compared'])} crimes with an outcome record "
            f"({100 * check['agree'] / check['compared']:.1f}%), the street file's own 'Last "
            "outcome category' falls in the same group.")
    frame = pd.DataFrame({"Outcome group": rows.frame["group"],
                          "police.uk outcome": rows.frame["outcome"],
                          COUNT: rows.frame["count"], SHARE: rows.frame["share_pct"]})
    return block.add(bullets([x for x in lines if x]), tables.html_table(
        frame, f"Crimes recorded in {area_label} by last outcome, {months_label(window)}",
        number_format={COUNT: "count", SHARE: "{:.1f}%"},
        notes=[*rows.notes, *([MERGED_NOTE] if len(merged) < len(shares.by_outcome) else []),
               ATTRIBUTION, SOURCE_NOTE, *shares.caveats]))
