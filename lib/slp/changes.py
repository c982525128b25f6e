"""What changed since the last assessment: two ``figures.json`` payloads compared.

Given this run's figures (see :mod:`slp.figures`) and an earlier run's for the same area,
:func:`what_changed` lists what moved and the reasons the data themselves can support:

- **moves**: rate changes, rank changes, verdicts that changed, and categories that entered
  or left the area's five largest (by count) - for the headline windows (matched by their
  length in months) and for the categories (matched by name, ignoring case and punctuation);
- **reasons**: a break stated in either payload's ``break`` field (top level, or on a row),
  a change of classification (a ``classification`` field that differs, or categories present
  in only one payload), a change of verdict method (``significant`` then, ``verdict`` now),
  and revisions: a window both payloads carry a count for (e.g. this run's comparison year is
  the earlier run's current year) whose counts differ, which means the earlier period's own
  figures were revised between the two downloads.

No reason is guessed: a move with no reason above is listed without one.

Examples
--------
>>> changes = what_changed(load_figures("reports/Lewisham/2022-09/figures.json"),
...                        load_figures("reports/Lewisham/2021-09/figures.json"))  # doctest: +SKIP
>>> [m.words for m in changes.moves if m.kind == "rank"]                          # doctest: +SKIP
['All crime, last 12 months: rank 14 of 32, was 17 of 32']
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slp.errors import SlpError, SourceError
from slp.periods import Window, parse_month
from slp.sources.harm_weights import category_key

SOURCE = "Previous figures"
TOP = 5
#: Words for the verdict values of :mod:`slp.verdicts` and the older ``significant`` flag.
VERDICT_WORDS = {
    "within": "within normal variation",
    "larger_rise": "a larger rise than usual",
    "larger_fall": "a larger fall than usual",
    True: "significant",
    False: "not significant",
    None: "no verdict (too few crimes)",
}


@dataclass(frozen=True)
class Move:
    """One thing that moved between the two assessments.

    Attributes
    ----------
    kind : str
        ``"rate"``, ``"rank"``, ``"verdict"``, ``"entered_top_five"`` or ``"left_top_five"``.
    subject : str
        ``"All crime, last 12 months"`` or a category name.
    previous, current : object
        The values then and now (rates, ``(rank, rank_of)`` pairs, verdicts, positions).
    words : str
        One sentence for the page.
    """

    kind: str
    subject: str
    previous: Any
    current: Any
    words: str


@dataclass(frozen=True)
class Reason:
    """A reason the data support for a move (or a warning against reading one).

    Attributes
    ----------
    kind : str
        ``"break"``, ``"classification"``, ``"verdict_method"`` or ``"revision"``.
    subject : str
        What it concerns (``"All crime"``, a category, or ``"all figures"``).
    words : str
        One sentence for the page.
    """

    kind: str
    subject: str
    words: str


@dataclass
class Changes:
    """Everything :func:`what_changed` found.

    Attributes
    ----------
    borough, period_end, previous_period_end : str
    moves : list of Move
    reasons : list of Reason
    """

    borough: str
    period_end: str
    previous_period_end: str
    moves: list[Move] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Move]:
        """The moves of one kind, in order."""
        return [m for m in self.moves if m.kind == kind]


def load_figures(path) -> dict:
    """Read a ``figures.json`` written by an earlier run.

    Raises
    ------
    SourceError
        The file is missing, is not JSON, or lacks ``borough``/``period_end``.
    """
    path = Path(path)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SourceError(SOURCE, path, "does not exist; expected an earlier run's "
                                        "figures.json") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f"line {exc.lineno}, column {exc.colno}: " if hasattr(exc, "lineno") else ""
        raise SourceError(SOURCE, path, f"{where}is not JSON; expected a figures.json "
                                        "written by slp") from exc
    missing = [k for k in ("borough", "period_end") if not isinstance(payload, dict)
               or k not in payload]
    if missing:
        raise SourceError(SOURCE, path, f"has no {', '.join(missing)}; expected a figures.json "
                                        "written by slp")
    return payload


def earlier_figures(folder, period_end) -> Path | None:
    """The ``figures.json`` of the latest period before ``period_end`` in a borough's folder
    of reports (``<reports>/<borough>/<period>/figures.json``), or None.

    Examples
    --------
    >>> earlier_figures("reports/wexbridge", "2026-09")  # doctest: +SKIP
    PosixPath('reports/wexbridge/2025-09/figures.json')
    """
    end, found = parse_month(str(period_end)), []
    for path in Path(folder).glob("*/figures.json"):
        try:
            month = parse_month(path.parent.name)
        except (ValueError, SlpError):
            continue  # not a period folder
        if month < end:
            found.append((month, path))
    return max(found)[1] if found else None


def _number(value) -> float | None:
    """A numeric value, or None for a suppressed ("<10") or missing one."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _verdict(row: dict) -> tuple[str | None, Any]:
    """(key, value) of a row's verdict: ``verdict`` (current) or ``significant`` (older)."""
    for key in ("verdict", "significant"):
        if key in row:
            return key, row[key]
    return None, None


def _headline_subject(row: dict) -> str:
    return f"All crime, last {row.get('months')} months"


def _pairs(current: dict, previous: dict) -> list[tuple[str, dict, dict]]:
    """(subject, current row, previous row) for the headline windows and the categories."""
    out = []
    before = {r.get("months"): r for r in previous.get("headline", [])}
    for row in current.get("headline", []):
        if row.get("months") in before:
            out.append((_headline_subject(row), row, before[row.get("months")]))
    before = {category_key(r["category"]): r for r in previous.get("categories", [])}
    for row in current.get("categories", []):
        old = before.get(category_key(row["category"]))
        if old is not None:
            out.append((row["category"], row, old))
    return out


def _rate_move(subject: str, now: dict, then: dict) -> Move | None:
    rate, old = _number(now.get("rate_per_1000")), _number(then.get("rate_per_1000"))
    if rate is None or old is None:
        return None
    if rate == old:
        words = f"{subject}: {rate:,.2f} crimes per 1,000 residents, unchanged"
    else:
        pct = f" ({100 * (rate - old) / old:+.1f}%)" if old else ""
        verb = "rose" if rate > old else "fell"
        words = f"{subject}: rate per 1,000 residents {verb} from {old:,.2f} to {rate:,.2f}{pct}"
    return Move("rate", subject, old, rate, words)


def _rank_move(subject: str, now: dict, then: dict) -> Move | None:
    rank, old = (now.get("rank"), now.get("rank_of")), (then.get("rank"), then.get("rank_of"))
    if None in rank or None in old or rank == old:
        return None
    return Move("rank", subject, old, rank,
                f"{subject}: rank {rank[0]} of {rank[1]}, was {old[0]} of {old[1]}")


def _verdict_move(subject: str, now: dict, then: dict) -> Move | None:
    (key, value), (old_key, old) = _verdict(now), _verdict(then)
    if key is None or key != old_key or value == old:
        return None
    return Move("verdict", subject, old, value,
                f"{subject}: {VERDICT_WORDS.get(value, value)}, was "
                f"{VERDICT_WORDS.get(old, old)}")


def _top(payload: dict) -> list[str]:
    """Keys of the five largest categories by count (suppressed counts rank last)."""
    rows = [(-(_number(r.get("count")) or -1.0), category_key(r["category"]), r["category"])
            for r in payload.get("categories", [])]
    return [key for _, key, _ in sorted(rows)[:TOP]]


def _top_moves(current: dict, previous: dict) -> list[Move]:
    now, then = _top(current), _top(previous)
    names = {category_key(r["category"]): r["category"]
             for p in (previous, current) for r in p.get("categories", [])}
    moves = []
    for key in now:
        if key not in then:
            moves.append(Move("entered_top_five", names[key], None, now.index(key) + 1,
                              f"{names[key]} entered the five largest categories "
                              f"(now {now.index(key) + 1})"))
    for key in then:
        if key not in now:
            moves.append(Move("left_top_five", names[key], then.index(key) + 1, None,
                              f"{names[key]} left the five largest categories "
                              f"(was {then.index(key) + 1})"))
    return moves


def what_changed(current: dict, previous: dict) -> Changes:
    """What moved between an earlier assessment and this one, with the reasons the data show.

    Parameters
    ----------
    current : dict
        This run's ``figures.json`` payload.
    previous : dict
        An earlier run's payload for the same area (:func:`load_figures`).

    Returns
    -------
    Changes
        ``moves`` in the order headline windows, then categories (rate, rank, verdict for each),
        then top-five entries and exits; ``reasons`` in the order breaks, classification,
        verdict method, revisions.

    Raises
    ------
    SlpError
        The payloads are for different areas, or ``previous`` is not earlier.

    Examples
    --------
    >>> now = {"borough": "X", "period_end": "2022-09", "headline": [{"months": 12,
    ...        "rate_per_1000": 90.0, "rank": 3, "rank_of": 32, "verdict": "larger_rise"}]}
    >>> then = {"borough": "X", "period_end": "2021-09", "headline": [{"months": 12,
    ...         "rate_per_1000": 80.0, "rank": 5, "rank_of": 32, "verdict": "within"}]}
    >>> [m.words for m in what_changed(now, then).moves]  # doctest: +NORMALIZE_WHITESPACE
    ['All crime, last 12 months: rate per 1,000 residents rose from 80.00 to 90.00 (+12.5%)',
     'All crime, last 12 months: rank 3 of 32, was 5 of 32',
     'All crime, last 12 months: a larger rise than usual, was within normal variation']
    """
    if current.get("borough") != previous.get("borough"):
        raise SlpError(f"what changed: the previous figures are for {previous.get('borough')!r}, "
                       f"this run for {current.get('borough')!r}; expected the same area")
    now_end, then_end = parse_month(current["period_end"]), parse_month(previous["period_end"])
    if then_end >= now_end:
        raise SlpError(f"what changed: the previous figures end {then_end}, not before this "
                       f"run's {now_end}; expected an earlier assessment")
    changes = Changes(str(current["borough"]), str(now_end), str(then_end))
    for subject, now, then in _pairs(current, previous):
        for judge in (_rate_move, _rank_move, _verdict_move):
            move = judge(subject, now, then)
            if move is not None:
                changes.moves.append(move)
    changes.moves += _top_moves(current, previous)
    changes.reasons = (_breaks(current, previous) + _classification(current, previous)
                       + _verdict_method(current, previous) + _revisions(current, previous))
    return changes


def _stated_breaks(payload: dict) -> list[tuple[str, Any]]:
    """(subject, stated break) from the top-level ``break``/``breaks`` and rows' ``break``."""
    out = []
    for key in ("break", "breaks"):
        value = payload.get(key)
        for item in value if isinstance(value, list) else [value]:
            if item:
                out.append(("all figures", item))
    for row in payload.get("headline", []):
        if row.get("break"):
            out.append((_headline_subject(row), row["break"]))
    for row in payload.get("categories", []):
        if row.get("break"):
            out.append((row["category"], row["break"]))
    return out


def _breaks(current: dict, previous: dict) -> list[Reason]:
    """Breaks stated in either payload that fall between the two assessments' data."""
    first = min((parse_month(r["start"]) for r in previous.get("headline", [])
                 if r.get("start")), default=None)
    last = parse_month(current["period_end"])
    seen, out = set(), []
    for payload in (current, previous):
        for subject, item in _stated_breaks(payload):
            text = item if isinstance(item, str) else (
                item.get("description") or item.get("reason") or json.dumps(item, sort_keys=True))
            month = item.get("month") if isinstance(item, dict) else None
            if month and first is not None and not first <= parse_month(month) <= last:
                continue  # outside both assessments' data: it does not affect the comparison
            when = f" ({month})" if month else ""
            words = f"{subject}: a stated break{when}: {text}; a change across it may reflect " \
                    "the break, not a change in crime"
            if (subject, words) not in seen:
                seen.add((subject, words))
                out.append(Reason("break", subject, words))
    return out


def _listed(payload: dict) -> dict[str, str]:
    """Key -> name of the categories a payload lists with crimes (a suppressed count is some);
    a category listed with 0 crimes is no evidence of a classification."""
    return {category_key(r["category"]): r["category"] for r in payload.get("categories", [])
            if r.get("count") != 0}


def _classification(current: dict, previous: dict) -> list[Reason]:
    out = []
    for key in ("classification", "category_scheme"):
        now, then = current.get(key), previous.get(key)
        if now is not None and then is not None and now != then:
            out.append(Reason("classification", "all figures",
                              f"the category classification changed from {then} to {now}; "
                              "categories are compared only where their names match"))
    now, then = _listed(current), _listed(previous)
    if now and then and set(now) != set(then):
        only_then = sorted(then[k] for k in set(then) - set(now))
        only_now = sorted(now[k] for k in set(now) - set(then))
        parts = ([f"only in the previous assessment: {', '.join(only_then)}"] if only_then
                 else []) + ([f"only in this one: {', '.join(only_now)}"] if only_now else [])
        out.append(Reason("classification", "categories",
                          "the category list changed (" + "; ".join(parts) + "); these "
                          "categories are not compared, and the top five may shift because "
                          "of it"))
    return out


def _verdict_method(current: dict, previous: dict) -> list[Reason]:
    rows_now = current.get("headline", []) + current.get("categories", [])
    rows_then = previous.get("headline", []) + previous.get("categories", [])
    now = {_verdict(r)[0] for r in rows_now} - {None}
    then = {_verdict(r)[0] for r in rows_then} - {None}
    if now and then and now != then:
        return [Reason("verdict_method", "all figures",
                       "the previous assessment judged changes with a significance test "
                       "('significant'); this one judges them against the area's own normal "
                       "variation ('verdict'); verdicts are not compared")]
    return []


def _windows(payload: dict) -> dict[tuple[str, str, str], float]:
    """Every (subject key, first month, last month) -> count a payload carries: each row's own
    window and the window it was compared with."""
    end = payload["period_end"]
    out: dict[tuple[str, str, str], float] = {}
    rows = [("all crime", r) for r in payload.get("headline", [])] + [
        (category_key(r["category"]), r) for r in payload.get("categories", [])]
    for subject, row in rows:
        if not row.get("months"):
            continue
        window = (Window(row["start"], row["end"]) if row.get("start") and row.get("end")
                  else Window.ending(end, int(row["months"])))
        before = (Window(row["previous_start"], row["previous_end"])
                  if row.get("previous_start") and row.get("previous_end") else window.previous())
        for w, key in ((window, "count"), (before, "previous_count")):
            value = _number(row.get(key))
            if value is not None:
                out.setdefault((subject, str(w.start), str(w.end)), value)
    return out


def _revisions(current: dict, previous: dict) -> list[Reason]:
    """Windows both payloads count, with different counts: the earlier figures were revised."""
    now, then = _windows(current), _windows(previous)
    names = {category_key(r["category"]): r["category"] for r in current.get("categories", [])}
    out = []
    for key in sorted(set(now) & set(then)):
        if now[key] == then[key]:
            continue
        subject = "All crime" if key[0] == "all crime" else names.get(key[0], key[0])
        diff = now[key] - then[key]
        pct = f", {100 * diff / then[key]:+.1f}%" if then[key] else ""
        out.append(Reason("revision", subject,
                          f"{subject}, {key[1]} to {key[2]}: {then[key]:,.0f} crimes in the "
                          f"previous assessment's figures, {now[key]:,.0f} in this one "
                          f"({diff:+,.0f}{pct}): the earlier period's figures were revised "
                          "between the two downloads"))
    return out
