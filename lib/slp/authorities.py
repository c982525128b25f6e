"""Local authorities of England and Wales: their names and GSS codes, from the ONS LSOA lookup.

A run names its area as a local authority (``area: Newport``, its Welsh name ``Casnewydd`` or
its GSS code ``W06000022``). The
names and codes a run may use are the local authorities of the LSOA -> ward -> local
authority lookup it is given (``sources.lsoa_ward_lookup``: the ONS ``LSOA21CD, ..., LAD25CD,
LAD25NM, ...`` file, or any file with ``LADyyNM`` and optionally ``LADyyCD`` columns). Only
those two columns are read, with the csv module, once per file version.

Examples
--------
>>> known = Authorities({"Newport": "W06000022", "Torfaen": "W06000020"},
...                     {"casnewydd": "Newport"})
>>> known.resolve("newport"), known.resolve("W06000020"), known.resolve("Casnewydd")
('Newport', 'Torfaen', 'Newport')
>>> known.resolve("Newprot") is None
True
>>> known.hint("Newprot")
" (did you mean 'Newport'?)"
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from slp.boroughs import DEMO_BOROUGHS, LONDON_BOROUGHS
from slp.errors import ParamsError
from slp.suggest import did_you_mean

_NAME = re.compile(r"^\ufeff?LAD\d{2}NM$", re.IGNORECASE)
_WELSH = re.compile(r"^\ufeff?LAD\d{2}NMW$", re.IGNORECASE)
_CODE = re.compile(r"^\ufeff?LAD\d{2}CD$", re.IGNORECASE)
#: A GSS code: a letter and eight digits (W06000022).
GSS_CODE = re.compile(r"^[A-Z]\d{8}$")


@dataclass(frozen=True)
class Authorities:
    """Local authority name -> GSS code ("" where the lookup gives no code), and other names
    of an authority (its Welsh name, lower case) -> its name."""

    codes: dict[str, str]
    aliases: dict[str, str] = field(default_factory=dict)

    def resolve(self, value: object) -> str | None:
        """The authority's name as the lookup spells it, from a name in any case or a GSS
        code; None when it is neither."""
        text = str(value).strip()
        by_name = {name.lower(): name for name in self.codes}
        if text.lower() in by_name:
            return by_name[text.lower()]
        if text.lower() in self.aliases:
            return self.aliases[text.lower()]
        if GSS_CODE.match(text.upper()):
            return next((n for n, c in self.codes.items() if c == text.upper()), None)
        return None

    def hint(self, value: object) -> str:
        """" (did you mean 'X'?)" for the closest name, or ""."""
        return did_you_mean(str(value).strip(), self.codes)

    def example(self) -> str:
        """One authority, as an example in a message: "Newport (W06000022)"."""
        name = sorted(self.codes)[0] if self.codes else "Newport"
        code = self.codes.get(name)
        return f"{name} ({code})" if code else name


def read(path: str | Path) -> Authorities | None:
    """The local authorities of an LSOA lookup file, or None when it names none (a lookup
    with only LSOA and ward columns, such as a borough's own)."""
    path = Path(path)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None
    return _read(path, stamp)


@functools.lru_cache(maxsize=4)
def _read(path: Path, stamp: int) -> Authorities | None:
    del stamp  # part of the cache key only: a changed file is read again
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        rows = csv.reader(handle)
        header = [h.strip() for h in next(rows, [])]
        name = next((i for i, h in enumerate(header) if _NAME.match(h)), None)
        if name is None:
            return None
        code = next((i for i, h in enumerate(header) if _CODE.match(h)), None)
        welsh = next((i for i, h in enumerate(header) if _WELSH.match(h)), None)
        codes: dict[str, str] = {}
        aliases: dict[str, str] = {}
        for row in rows:
            if len(row) > name and row[name].strip():
                found = row[code].strip() if code is not None and len(row) > code else ""
                codes.setdefault(row[name].strip(), found)
                if welsh is not None and len(row) > welsh and row[welsh].strip():
                    aliases.setdefault(row[welsh].strip().lower(), row[name].strip())
    return Authorities(codes, aliases) if codes else None


def known_boroughs() -> dict[str, str]:
    """Lower-cased name -> canonical name for every borough a run may name."""
    names = list(LONDON_BOROUGHS) + list(DEMO_BOROUGHS)
    return {n.lower(): n for n in names}


def area_key(raw: dict, origin: str) -> str:
    """"area" or "borough": the parameter naming the run's area (one of the two, not both)."""
    given = [k for k in ("area", "borough") if raw.get(k) not in (None, "")]
    if len(given) == 2:
        raise ParamsError(f"{origin}: area: given with borough; expected one of the two "
                          "(area: any local authority; borough: a London borough)")
    return given[0] if given else "borough"


def canonical_borough(value: object, where: str) -> str:
    """One of the 32 London boroughs or a demo borough, canonically spelt.

    Raises
    ------
    ParamsError
        ``"<where>: 'X' is not a London borough (did you mean ...)"``.
    """
    known = known_boroughs()
    name = str(value).strip()
    if name.lower() in known:
        return known[name.lower()]
    raise ParamsError(
        f"{where}: '{name}' is not a London borough{did_you_mean(name, known.values())}; "
        "expected one of the 32 London boroughs (e.g. Lewisham) or a demo borough"
    )


def canonical_area(value: object, where: str, known: Authorities | None,
                   lookup: Path | None) -> str:
    """A local authority of the lookup (``known``, read from ``lookup``) by name or GSS code,
    spelt as the lookup spells it; a London or demo borough also when the lookup lacks it.

    Raises
    ------
    ParamsError
        Naming the value, the lookup file, the closest name and an example.
    """
    name = str(value).strip()
    found = known.resolve(name) if known else None
    if found:
        return found
    if name.lower() in known_boroughs():
        return known_boroughs()[name.lower()]
    if known is None:
        need = (f"a lookup naming them (a LADyyNM column), and {lookup.name} names none"
                if lookup else "sources.lsoa_ward_lookup (the ONS LSOA -> ward -> local "
                "authority lookup)")
        raise ParamsError(f"{where}: '{name}' is not a London borough"
                          f"{did_you_mean(name, known_boroughs().values())}; other local "
                          f"authorities need {need}")
    raise ParamsError(f"{where}: '{name}' is not a local authority in "
                      f"{lookup.name if lookup else 'the lookup'}{known.hint(name)}; expected a "
                      f"local authority's name or GSS code, e.g. {known.example()}")
