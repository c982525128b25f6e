"""What several pages share: the category tables of an assessment and the calls that publish
them (every count through :func:`slp.disclosure.publish`)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from slp import disclosure, measures, narrative, verdicts

if TYPE_CHECKING:
    from slp.assessment import Assessment
    from slp.frame import Frame

#: How the usual columns of a category table are written (London runs; see
#: :func:`change_formats`).
CHANGE_FORMATS = {"Change": "change", "London change": "change", "Rate per 1,000": "rate"}


def change_formats(frame: Frame) -> dict[str, str]:
    """:data:`CHANGE_FORMATS` with the whole's change column of ``frame`` ("London change",
    "Gwent Police area change")."""
    return {"Change": "change", frame.change_column: "change", "Rate per 1,000": "rate"}


#: The column showing the usual range of an area's past changes beside a verdict.
USUAL_RANGE = "Usual range of changes"

#: What each figure of a row of words is computed from (see :func:`public_row`).
ROW_DERIVED = {"rate_per_1000": "count"}
ROW_CHANGES = {"change_pct": ("count", "previous_count")}


def major_categories(a: Assessment) -> pd.DataFrame:
    """:func:`slp.measures.category_changes` for the main categories of the run."""
    return measures.category_changes(a.crime.data, a.residents, a.borough, a.params.period_end)


def category_verdicts(a: Assessment, by: str = "major") -> pd.DataFrame:
    """:func:`slp.verdicts.judge_categories` of the run, indexed by category name."""
    return verdicts.judge_categories(a.crime.data, a.borough, a.params.period_end,
                                     by=by).set_index("category")


def verdict_columns(judged: pd.DataFrame, names) -> dict[str, list[str]]:
    """The verdict and usual-range columns of a table whose rows are the categories ``names``
    (a category not judged gets no verdict)."""
    cells, ranges = [], []
    for name in names:
        row = judged.loc[name] if name in judged.index else None
        cells.append("-" if row is None else narrative.verdict_cell(row["verdict"], row["method"]))
        ranges.append("-" if row is None else narrative.usual_range(
            row["usual_low_pct"], row["usual_high_pct"]) or "-")
    return {narrative.VERDICT_COLUMN: cells, USUAL_RANGE: ranges}


def verdict_of(judged: pd.DataFrame, name) -> tuple[str | None, str | None]:
    """(verdict, words) of one category; (None, None) when it was not judged."""
    if name not in judged.index:
        return None, None
    row = judged.loc[name]
    verdict = row["verdict"] if isinstance(row["verdict"], str) else None
    return verdict, (row["words"] if verdict else None)


def minor_categories(a: Assessment, majors: list[str]) -> pd.DataFrame:
    """The detailed categories of the named main categories."""
    cats = measures.category_changes(a.crime.data, a.residents, a.borough, a.params.period_end,
                                     level="minor")
    return measures.categories_named(cats, majors)


def public_row(a: Assessment, row: Mapping[str, Any]) -> dict:
    """One row of figures as words may state it: small counts hidden, and the change and rate
    that would give them back withheld."""
    return disclosure.publish_records([row], a.rule, derived=ROW_DERIVED,
                                      changes=ROW_CHANGES)[0]


def public_category(a: Assessment, row: Mapping[str, Any]) -> dict:
    """:func:`public_row` of a category row, named for :func:`slp.narrative.category_sentence`."""
    return public_row(a, row) | {"category": row["major"]}


def publish_table(a: Assessment, frame: pd.DataFrame, current: Hashable,
                  previous: Hashable | None = None, *, totals_shown: bool = False,
                  sensitive: bool = False) -> disclosure.Published:
    """Publish a table with the usual columns: counts ``current`` (and ``previous``), a
    ``"Change"`` from one to the other, a ``"Change (crimes)"`` and a ``"Rate per 1,000"``
    (each withheld beside a hidden count it was computed from)."""
    counts = [current] if previous is None else [current, previous]
    present = set(frame.columns)
    # a rate, the residents or a rank among the boroughs ("Rank of 32") beside a hidden count
    # would narrow it down
    derived: dict[Hashable, Any] = {c: current for c in present if c in ("Rate per 1,000",
                                    "Residents") or str(c).startswith("Rank of ")}
    # a verdict on a hidden count is withheld with it
    derived |= {c: counts for c in (narrative.VERDICT_COLUMN, USUAL_RANGE) if c in present}
    changes: dict[Hashable, tuple[Hashable, Hashable]] = {}
    if previous is not None:
        derived |= {"Change (crimes)": counts} if "Change (crimes)" in present else {}
        changes = {"Change": (current, previous)} if "Change" in present else {}
    return disclosure.publish(frame, counts=counts, rule=a.rule, derived=derived,
                              changes=changes, totals_shown=totals_shown, sensitive=sensitive)


def mark_ties(frame: pd.DataFrame, table: pd.DataFrame, column: str = "Rank of 32") -> None:
    """Write each rank of ``frame[column]`` (:attr:`slp.frame.Frame.rank_column`) as ``"=3"``
    where ``table`` says it is shared."""
    frame[column] = [shown if isinstance(shown, str) else narrative.rank_label(r, t)  # withheld
                     for shown, r, t in zip(frame[column], table["rank"], table["rank_tied"],
                                            strict=True)]


def tie_notes(table: pd.DataFrame, frame: Frame | None = None) -> list[str]:
    """The note explaining ``"="`` when a rank of ``table`` is shared (among the members of
    ``frame``; London's boroughs by default)."""
    if not bool(table["rank_tied"].any()):
        return []
    return [narrative.tie_note(frame) if frame is not None else narrative.TIE_NOTE]


def publish_pre_pandemic(a: Assessment, frame: pd.DataFrame, before: str
                         ) -> disclosure.Published:
    """The categories against the pre-pandemic year: counts hidden (protected against the
    "All crime" row shown under them), their change withheld."""
    judged = [c for c in (narrative.VERDICT_COLUMN, USUAL_RANGE) if c in frame.columns]
    return disclosure.publish(frame, counts=["Last 12 months", before], rule=a.rule,
                              totals_shown=True,  # the "All crime" row adds them up
                              derived=dict.fromkeys(judged, ["Last 12 months", before]),
                              changes={"Against pre-pandemic": ("Last 12 months", before)})


def publish_by_group(a: Assessment, frame: pd.DataFrame, group: str, current: Hashable,
                     previous: Hashable) -> disclosure.Published:
    """:func:`publish_table` for rows whose totals per ``group`` are stated elsewhere (each
    main category's count in the words above a table of its detailed categories)."""
    parts = [publish_table(a, part, current, previous, totals_shown=True)
             for _, part in frame.groupby(group, sort=False)]
    if not parts:
        return publish_table(a, frame, current, previous)
    return disclosure.Published(
        pd.concat([x.frame for x in parts]).loc[frame.index],
        pd.concat([x.hidden for x in parts]).loc[frame.index],
        list(dict.fromkeys(n for x in parts for n in x.notes)))
