"""The "what changed since the last assessment" page (``10-changes``): this run's published
figures against the previous assessment's (:func:`slp.changes.what_changed`), with the reasons
the data support, and the partnership's own account (local input).

The previous figures are, in order: the file named in ``sources.previous_figures``; the latest
earlier period of the same borough in the project's ``reports/`` folder; failing both, the
figures of the 12 months one year earlier recomputed from this run's own files (then no
revision between downloads can show, and the page says so)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from slp import changes as changes_mod
from slp import figures, narrative, tables
from slp.errors import SlpError
from slp.params import project_root
from slp.sections import _local
from slp.sections.blocks import Block, bullets, p, title

if TYPE_CHECKING:
    from pathlib import Path

    from slp.assessment import Assessment

__all__ = ["title", "previous", "moves", "reasons", "partnership"]

TOP_KINDS = ("entered_top_five", "left_top_five")
#: What moved, as the table says it (a London run's words; the rank names the run's frame).
KINDS = {"rate": "Rate per 1,000 residents", "rank": "Rank among London boroughs",
         "verdict": "Verdict on the change", "entered_top_five": "Entered the five largest",
         "left_top_five": "Left the five largest"}


def _earlier_report(a: Assessment) -> Path | None:
    """The latest ``reports/<borough>/<period>/figures.json`` of a period before this one (a
    notebook run outside ``slp run``, which names its own reports folder's in the parameters)."""
    return changes_mod.earlier_figures(project_root() / "reports" / a.params.slug, a.period_end)


def found_earlier(a: Assessment) -> bool:
    """Whether an earlier assessment's figures.json is named or found (else the page compares
    with figures recomputed from this run's own files, or with nothing)."""
    return (a.params.sources.previous_figures or _earlier_report(a)) is not None


def _published(a: Assessment, payload: dict) -> dict:
    """A payload as this run may publish it (an internal one is protected again)."""
    if a.rule.active and not payload.get("disclosure", {}).get("applied", False):
        return figures.publishable(payload, a.params)
    return payload


def comparison(a: Assessment) -> tuple[dict, dict, str] | None:
    """(this run's published figures, the previous ones, where those came from), or None when
    no earlier figures exist and the files do not reach back far enough to recompute them."""
    found = _previous(a)
    if found is None:
        return None
    return figures.publishable(figures.compute(a), a.params), *found


def compared(a: Assessment) -> bool:
    """Whether this page compares with anything (:func:`comparison` is not None), found
    without working out this run's own figures."""
    return _previous(a) is not None


def _previous(a: Assessment) -> tuple[dict, str] | None:
    """(the previous published figures, where they came from) for :func:`comparison`."""
    path = a.params.sources.previous_figures or _earlier_report(a)
    if path is not None:
        then = changes_mod.load_figures(path)
        return _published(a, then), (
            f"This page compares this report's published figures with the previous "
            f"assessment's ({path.parent.name}/{path.name}, period ending {then['period_end']}).")
    earlier = str(a.period_end - 12)
    try:
        then = figures.compute(a, period_end=earlier)
    except SlpError:
        return None
    return figures.publishable(then, a.params), (
        "No earlier assessment's figures.json was found (parameter sources.previous_figures, "
        f"or an earlier period in the same reports folder), so this page compares with the 12 months to "
        f"{narrative.month_name(earlier)} recomputed from this run's own files: a revision of "
        "the earlier figures between downloads cannot show.")


def previous(a: Assessment) -> Block:
    """What this page compares with."""
    found = comparison(a)
    if found is None:
        return Block().add(p(
            "No earlier assessment's figures were found (parameter sources.previous_figures, "
            "or an earlier period in the same reports folder), and this run's files do not reach back far "
            "enough to recompute them: nothing is compared."))
    return Block().add(p(found[2]))


def moves(a: Assessment) -> Block:
    """Rates, ranks and verdicts that moved, and categories entering or leaving the top five."""
    found = comparison(a)
    if found is None:
        return Block()
    result = changes_mod.what_changed(found[0], found[1])
    if not result.moves:
        return Block().add(p("Nothing moved between the two assessments."))
    kinds = KINDS | {"rank": f"Rank among {a.frame.members_label}"}
    frame = pd.DataFrame([{"Figure": m.subject, "What moved": kinds[m.kind],
                           "Then": _value(m.previous), "Now": _value(m.current)}
                          for m in result.moves])
    return Block().add(
        bullets([f"{m.words}." for m in result.moves
                 if m.subject.startswith("All crime") or m.kind in TOP_KINDS]),
        tables.html_table(frame, f"What moved since the assessment for the period ending "
                                 f"{result.previous_period_end}",
                          notes=["Rates and ranks as published in each figures.json; a "
                                 "suppressed figure is not compared."]))


def _value(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, tuple):
        return f"{value[0]} of {value[1]}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(changes_mod.VERDICT_WORDS.get(value, value))


def reasons(a: Assessment) -> Block:
    """The reasons the data support: breaks, classification changes, revisions."""
    found = comparison(a)
    if found is None:
        return Block()
    result = changes_mod.what_changed(found[0], found[1])
    if not result.reasons:
        return Block().add(p("The data show no break, classification change or revision "
                             "between the two assessments; a move above has no reason the "
                             "data can give, and the partnership's own account is needed."))
    return Block().add(bullets([f"{r.words}." for r in result.reasons]))


def partnership(a: Assessment) -> Block:
    """The partnership's account of the changes and their causes (local input)."""
    return Block().add(_local.block(a, "changes"))
