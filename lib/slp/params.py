"""Run parameters: read once from ``params/*.yaml``, validated into a typed :class:`Params`.

A parameters file names the area, the reporting period and the input files::

    borough: Lewisham                 # one of the 32 London boroughs (or a demo borough), or
    # area: Newport                   # any local authority of lsoa_ward_lookup (or W06000022)
    period_end: 2022-09               # last month of the reporting period, YYYY-MM
    comparators: [Greenwich, Southwark]
    audience: public                  # public (disclosure control on) or internal
    disclosure: {threshold: 5, sensitive_threshold: 10}
    map_categories: false             # allow mixing old and new MPS classifications via the mapping
    sources:
      borough_crime: ../shared/data/mps-borough/vintage-2023-08   # folder or list of files
      # police_uk: ../shared/data/police-uk/gwent-all-crime  # or one force's police.uk files
      population: ../shared/data/population/ons-mid2020-lsoa11-london.csv
      harm_weights: params/local/harm-weights.csv     # optional: see slp.sources.harm_weights
      previous_figures: reports/lewisham/2021-09/figures.json  # optional: "what changed"
      national: ../shared/data/home-office-prc-csp/ons-pfa-tables-ye-dec2024  # optional: ONS
    local:                            # optional: the partnership's own Markdown or CSV files
      consultation: params/local/residents-survey.md  # keys: slp.statutory.LOCAL_INPUT_KEYS
    serious_violence: [Homicide, Violence with Injury, Robbery of Personal Property, Rape,
                       Possession of Weapons]         # the local definition (this default)

Relative paths resolve against the project root (the folder holding ``pyproject.toml``), never
against the current directory, so notebooks, the CLI and scheduled jobs agree.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from slp import _yaml_file, authorities
from slp.errors import ParamsError
from slp.periods import split_month
from slp.suggest import did_you_mean

#: Every key a ``sources:`` mapping may hold: key -> (what it is, may it list several paths?).
SOURCE_KEYS: dict[str, tuple[str, bool]] = {
    "borough_crime": ("MPS Borough Level Crime CSV file(s) or a folder of them", True),
    "police_uk": ("data.police.uk files of one force (street CSVs, folders or the zip)", True),
    "ward_crime": ("MPS Ward Level Crime CSV file(s) or a folder of them", True),
    "dashboard": ("MPS Monthly Crime Dashboard CSV file(s) (domestic abuse, knife, gun)", True),
    "dashboard_mapping": ("YAML file mapping dashboard offence groups to measures", False),
    "street": ("data.police.uk street-level CSV files, a folder of them or the zip", True),
    "population": ("population file for borough rates (Census 2021 TS007a or ONS mid-year)", False),
    "ward_population": ("LSOA population file summed to wards through lsoa_ward_lookup", False),
    "lsoa_ward_lookup": ("LSOA-to-ward lookup CSV", False),
    "ward_boundaries": ("ward boundaries (GeoPackage, shapefile or GeoJSON)", False),
    "lsoa_boundaries": ("LSOA boundaries (GeoPackage, shapefile or GeoJSON)", False),
    "borough_boundaries": ("borough boundaries (GeoPackage, shapefile or GeoJSON)", False),
    "harm_weights": ("harm-weights CSV (scheme, category, weight, unit, source)", False),
    "previous_figures": ("the previous assessment's figures.json (what changed since)", False),
    "national": ("ONS police force area data tables (workbook, CSV extracts or a folder)", False),
}
REQUIRED_SOURCES = ("borough_crime", "population")  # borough_crime, or police_uk instead

TOP_KEYS = {
    "area": "the local authority the assessment is for (name or GSS code, e.g. W06000022)",
    "borough": "the borough the assessment is for",
    "period_end": "last month of the reporting period, YYYY-MM",
    "comparators": "list of boroughs to compare with",
    "audience": "public or internal",
    "disclosure": "mapping with threshold and sensitive_threshold",
    "map_categories": "true or false",
    "title": "optional report title",
    "published": "figures published earlier, as printed, to compare with (source, headline)",
    "sources": "mapping of input names to paths",
    "local": "mapping of local inputs (consultation, priorities, ...) to Markdown or CSV files",
    "serious_violence": "list of recorded-crime categories counted as serious violence",
}
AUDIENCES = ("public", "internal")

#: The default local definition of serious violence (the Serious Violence Duty's "kinds of
#: serious violence" that the recorded-crime files count): MPS categories, major or minor,
#: matched ignoring case and punctuation, so old and new file formats both match.
SERIOUS_VIOLENCE = ("Homicide", "Violence with Injury", "Robbery of Personal Property", "Rape",
                    "Possession of Weapons")
#: The default on police.uk files, whose crime types are broader: all violence and sexual
#: offences, all robbery, possession of weapons (the page names the definition used).
POLICE_UK_SERIOUS_VIOLENCE = ("Violence and sexual offences", "Robbery", "Possession of weapons")
#: File types a local input may be: Markdown (or plain text) and CSV.
LOCAL_SUFFIXES = (".md", ".markdown", ".txt", ".csv")


@dataclass(frozen=True)
class Local:
    """The partnership's own inputs (params ``local:`` block): key -> file, each resolved to an
    absolute path and checked to exist. Keys are :data:`slp.statutory.LOCAL_INPUT_KEYS`."""

    files: tuple[tuple[str, Path], ...] = ()

    def get(self, key: str) -> Path | None:
        """The file supplied for ``key``, or None."""
        return dict(self.files).get(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.files)


def project_root() -> Path:
    """Return the project root: ``$SLP_ROOT``, else the nearest folder up holding slp's
    ``pyproject.toml`` (from the working directory, then from this package), else the cwd."""
    env = os.environ.get("SLP_ROOT")
    if env:
        return Path(env).resolve()
    for start in (Path.cwd().resolve(), Path(__file__).resolve().parent):
        for folder in (start, *start.parents):
            candidate = folder / "pyproject.toml"
            if candidate.is_file() and 'name = "slp"' in candidate.read_text(errors="ignore"):
                return folder
    return Path.cwd().resolve()


@dataclass(frozen=True)
class Disclosure:
    """Small-count suppression settings for published outputs."""

    threshold: int = 5  # counts 1..threshold-1 are shown as "<threshold"
    sensitive_threshold: int = 10  # domestic abuse and sexual offences at ward level


@dataclass(frozen=True)
class Sources:
    """Input files, each already resolved to absolute paths and checked to exist."""

    borough_crime: tuple[Path, ...] = ()
    police_uk: tuple[Path, ...] = ()  # recorded crime from one force's police.uk files
    ward_crime: tuple[Path, ...] = ()
    dashboard: tuple[Path, ...] = ()
    dashboard_mapping: Path | None = None
    street: tuple[Path, ...] = ()
    population: Path | None = None
    ward_population: Path | None = None
    lsoa_ward_lookup: Path | None = None
    ward_boundaries: Path | None = None
    lsoa_boundaries: Path | None = None
    borough_boundaries: Path | None = None
    harm_weights: Path | None = None
    previous_figures: Path | None = None
    national: Path | None = None  # ONS tables: the area against England and Wales

    def items(self):
        """(key, paths) for every configured source, paths always as a tuple."""
        for f in fields(self):
            value = getattr(self, f.name)
            paths = value if isinstance(value, tuple) else ((value,) if value else ())
            if paths:
                yield f.name, paths


@dataclass(frozen=True)
class Params:
    """Validated parameters of one assessment run.

    Attributes
    ----------
    borough : str
        Canonical name of the area: a borough (``"Lewisham"``) or, from ``area:``, the local
        authority as the lookup spells it (``"Newport"``, also when given as ``W06000022``).
    period_end : str
        Last month of the reporting period, ``YYYY-MM``.
    comparators : tuple of str
        Boroughs compared with ``borough`` (never including it).
    sources : Sources
        The input files.
    audience : str
        ``"public"`` (disclosure control on) or ``"internal"`` (off; pages stamped).
    disclosure : Disclosure
        Suppression thresholds.
    map_categories : bool
        Whether old and new MPS classifications may be combined through the mapping.
    title : str or None
        Optional report title.
    path : Path or None
        The parameters file these came from (not compared: two runs with the same values
        are the same run wherever their files are).
    """

    borough: str
    period_end: str
    comparators: tuple[str, ...] = ()
    sources: Sources = field(default_factory=Sources)
    audience: str = "public"
    disclosure: Disclosure = field(default_factory=Disclosure)
    map_categories: bool = False
    title: str | None = None
    published: dict | None = None
    path: Path | None = field(default=None, compare=False)  # where they were read, not what
    local: Local = field(default_factory=lambda: Local())
    serious_violence: tuple[str, ...] = field(default_factory=lambda: SERIOUS_VIOLENCE)

    @property
    def slug(self) -> str:
        """Folder-safe borough name, e.g. ``"barking-and-dagenham"``."""
        return re.sub(r"[^a-z0-9]+", "-", self.borough.lower()).strip("-")

    @property
    def internal(self) -> bool:
        return self.audience == "internal"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (paths as strings) for manifests and papermill."""
        sources = {k: [str(p) for p in v] for k, v in self.sources.items()}
        key = "borough" if self.borough.lower() in known_boroughs() else "area"
        return {
            key: self.borough,
            "period_end": self.period_end,
            "comparators": list(self.comparators),
            "audience": self.audience,
            "disclosure": {
                "threshold": self.disclosure.threshold,
                "sensitive_threshold": self.disclosure.sensitive_threshold,
            },
            "map_categories": self.map_categories,
            "title": self.title,
            "published": _published_raw(self.published),
            "sources": sources,
            "local": {k: str(v) for k, v in self.local.files},
            "serious_violence": list(self.serious_violence),
        }


known_boroughs = authorities.known_boroughs


def _where(origin: str, key: str) -> str:
    return f"{origin}: {key}"


def _described(value: Any) -> str:
    """What a YAML value is, in an analyst's words (never a Python type name).

    Examples
    --------
    >>> _described(None)
    'nothing (an empty value or an empty file)'
    >>> _described(["a", "b"])
    'a list (- a, - b)'
    >>> _described("data/x.csv")
    "the text 'data/x.csv'"
    """
    if value is None:
        return "nothing (an empty value or an empty file)"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (true or false)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value[:60]}'"
    if isinstance(value, list):
        items = ", ".join(f"- {item}" for item in value[:3]) + (", ..." if len(value) > 3 else "")
        return f"a list ({items})"
    return f"'{str(value)[:60]}'"


def parse_period_end(value: Any, origin: str = "parameters") -> str:
    """Return ``value`` as a ``YYYY-MM`` string or raise :class:`ParamsError`.

    Examples
    --------
    >>> parse_period_end("2022-09")
    '2022-09'
    """
    if isinstance(value, _dt.date):
        raise ParamsError(
            f"{_where(origin, 'period_end')}: '{value}' is a date; expected a month YYYY-MM, "
            f"e.g. {value:%Y-%m}"
        )
    text = str(value).strip()
    parts = split_month(text)
    if parts is None or parts[0] < 2000:
        raise ParamsError(
            f"{_where(origin, 'period_end')}: '{text}' is not a month; expected YYYY-MM with "
            "a month from 01 to 12 and a year from 2000, e.g. 2022-09"
        )
    return f"{parts[0]:04d}-{parts[1]:02d}"


def _resolve_paths(key: str, value: Any, root: Path, origin: str) -> tuple[Path, ...]:
    what, many = SOURCE_KEYS[key]
    items = value if isinstance(value, list | tuple) else [value]
    if not many and len(items) > 1:
        raise ParamsError(f"{_where(origin, 'sources.' + key)}: expected one path ({what}); "
                          f"found a list of {len(items)}")
    paths = []
    for item in items:
        if not isinstance(item, str | os.PathLike) or not str(item).strip():
            raise ParamsError(
                f"{_where(origin, 'sources.' + key)}: '{item}' is not a path; expected {what}"
            )
        path = Path(item).expanduser()
        path = (path if path.is_absolute() else root / path).resolve()
        if not path.exists():
            raise ParamsError(
                f"{_where(origin, 'sources.' + key)}: '{item}' does not exist (looked for "
                f"{path}); expected {what}"
                + (". Run 'slp demo' to create the demo data" if "demo" in str(item) else ""))
        paths.append(path)
    return tuple(paths)


def _sources(raw: Any, root: Path, origin: str) -> Sources:
    if not isinstance(raw, dict):
        raise ParamsError(f"{_where(origin, 'sources')}: expected a mapping of input names to "
                          f"paths (indented lines like 'borough_crime: path'); found "
                          f"{_described(raw)}")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in SOURCE_KEYS:
            raise ParamsError(f"{_where(origin, 'sources.' + str(key))}: unknown source"
                              f"{did_you_mean(key, SOURCE_KEYS)}; expected one of {', '.join(SOURCE_KEYS)}")
        if value in (None, "", []):
            continue
        paths = _resolve_paths(key, value, root, origin)
        values[key] = paths if SOURCE_KEYS[key][1] else paths[0]
    if "police_uk" in values:
        _police_uk_sources(values, origin)
    for key in REQUIRED_SOURCES:
        if key not in values and not (key == "borough_crime" and "police_uk" in values):
            also = " (or sources.police_uk: police.uk files)" if key == "borough_crime" else ""
            raise ParamsError(f"{_where(origin, 'sources.' + key)}: missing; expected "
                              f"{SOURCE_KEYS[key][0]}{also}")
    return Sources(**values)


def _police_uk_sources(values: dict[str, Any], origin: str) -> None:
    """police.uk files: alone, with a lookup, and their street files as ``street`` by default."""
    where = _where(origin, "sources.police_uk")
    if "borough_crime" in values:
        raise ParamsError(f"{where}: given with sources.borough_crime; expected one of the two "
                          "(police.uk files of a force, or the MPS borough files)")
    if "lsoa_ward_lookup" not in values:
        raise ParamsError(f"{where}: needs sources.lsoa_ward_lookup (the ONS LSOA -> ward -> "
                          "local authority lookup) to place each crime's LSOA in its authority")
    values.setdefault("street", values["police_uk"])


def from_mapping(raw: Any, *, origin: str = "parameters", root: Path | None = None,
                 path: Path | None = None) -> Params:
    """Validate a parameters mapping (as read from YAML) into :class:`Params`.

    Raises
    ------
    ParamsError
        Naming the key, the value found and what was expected.
    """
    if not isinstance(raw, dict):
        raise ParamsError(f"{origin}: expected a YAML mapping of parameters (borough, "
                          f"period_end, sources, ...); found {_described(raw)}")
    root = root or project_root()
    for key in raw:
        if key not in TOP_KEYS:
            raise ParamsError(f"{_where(origin, str(key))}: unknown parameter"
                              f"{did_you_mean(key, TOP_KEYS)}; expected one of {', '.join(TOP_KEYS)}")
    key = authorities.area_key(raw, origin)
    for required in (key, "period_end", "sources"):
        if raw.get(required) in (None, ""):
            raise ParamsError(f"{_where(origin, required)}: missing; expected {TOP_KEYS[required]}")
    police_uk = isinstance(raw["sources"], dict) and raw["sources"].get("police_uk")
    sources = _sources(raw["sources"], root, origin) if key == "area" or police_uk else None
    known = (authorities.read(sources.lsoa_ward_lookup)
             if sources and sources.lsoa_ward_lookup else None)
    def canonical(value: Any, name: str) -> str:  # a borough on the MPS files, else the lookup's
        if sources is None:
            return authorities.canonical_borough(value, _where(origin, name))
        return authorities.canonical_area(value, _where(origin, name), known, sources.lsoa_ward_lookup)

    borough = canonical(raw[key], key)
    period_end = parse_period_end(raw["period_end"], origin)
    comparators = tuple(canonical(c, "comparators") for c in _listed(raw, key, origin))
    if borough in comparators:
        raise ParamsError(f"{_where(origin, 'comparators')}: lists the {key} itself "
                          f"('{borough}'); expected other {key}s")
    audience = str(raw.get("audience") or "public").strip().lower()
    if audience not in AUDIENCES:
        raise ParamsError(f"{_where(origin, 'audience')}: '{audience}' is not an audience; "
                          "expected public or internal")
    disclosure = _disclosure(raw.get("disclosure"), origin)
    map_categories = raw.get("map_categories", False)
    if not isinstance(map_categories, bool):
        raise ParamsError(f"{_where(origin, 'map_categories')}: '{map_categories}' is not "
                          "true or false")
    title = raw.get("title")
    from slp import published as published_mod

    return Params(
        borough=borough,
        period_end=period_end,
        comparators=comparators,
        sources=sources or _sources(raw["sources"], root, origin),
        audience=audience,
        disclosure=disclosure,
        map_categories=map_categories,
        title=str(title) if title else None,
        published=published_mod.parse(raw.get("published"), origin),
        path=path,
        local=parse_local(raw.get("local"), root, origin),
        serious_violence=parse_serious_violence(raw.get("serious_violence"), origin, (
            POLICE_UK_SERIOUS_VIOLENCE if police_uk else SERIOUS_VIOLENCE)),
    )


def _listed(raw: dict, key: str, origin: str) -> list:
    """The comparators as given: a list, or one name."""
    listed = raw.get("comparators") or []
    listed = [listed] if isinstance(listed, str) else listed
    if not isinstance(listed, list):
        raise ParamsError(f"{_where(origin, 'comparators')}: expected a list of {key}s; "
                          f"found {_described(listed)}")
    return listed


def _published_raw(spec: dict | None) -> dict | None:
    """The ``published`` parameter back in its YAML form (figures as printed)."""
    if not spec:
        return None
    return {"source": spec["source"],
            "headline": {m: {k: f.text for k, f in figures.items()}
                         for m, figures in spec["headline"].items()}}


def _disclosure(raw: Any, origin: str) -> Disclosure:
    if raw in (None, {}):
        return Disclosure()
    if not isinstance(raw, dict):
        raise ParamsError(f"{_where(origin, 'disclosure')}: expected a mapping with threshold "
                          f"and sensitive_threshold; found {_described(raw)}")
    values = {}
    for key, value in raw.items():
        if key not in ("threshold", "sensitive_threshold"):
            raise ParamsError(f"{_where(origin, 'disclosure.' + str(key))}: unknown setting; "
                              "expected threshold or sensitive_threshold")
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
            raise ParamsError(f"{_where(origin, 'disclosure.' + key)}: '{value}' is not a "
                              "whole number from 1 to 100")
        values[key] = value
    result = Disclosure(**values)
    if result.sensitive_threshold < result.threshold:
        raise ParamsError(f"{_where(origin, 'disclosure.sensitive_threshold')}: "
                          f"{result.sensitive_threshold} is below threshold {result.threshold}; "
                          "the sensitive threshold must be at least as strict")
    return result


def _locate(path: str | os.PathLike, root: Path) -> Path:
    file = Path(path).expanduser()
    if not file.is_absolute():
        file = (root / file) if (root / file).exists() else Path.cwd() / file
    return file.resolve()


def read_raw(path: str | os.PathLike, *, root: Path | None = None) -> tuple[Any, Path, str]:
    """Read a parameters file as written, unvalidated: ``(mapping, file, origin)``.

    Raises
    ------
    ParamsError
        The file is missing, binary, not YAML, or gives a key twice (naming the key and line).
    """
    root = root or project_root()
    file = _locate(path, root)
    origin = _display(file, root)
    if file.exists() and not file.is_file():  # never open a FIFO or device: it may block
        kind = "a folder" if file.is_dir() else "not a regular file"
        raise ParamsError(f"{origin}: is {kind}; expected a YAML parameters file such as "
                          "params/demo.yaml")
    if not file.is_file():
        raise ParamsError(f"{origin}: parameters file not found; expected a YAML file such as "
                          "params/demo.yaml")
    text = _yaml_file.text(file, origin)
    try:
        raw = yaml.load(text, Loader=_yaml_file.StrictLoader)  # noqa: S506 - a safe loader
    except _yaml_file.DuplicateKey as dup:
        raise ParamsError(f"{origin}: line {dup.line}: '{dup.key}' is given twice (first on "
                          f"line {dup.first}); expected each parameter once") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        raise ParamsError(f"{origin}:{line} is not valid YAML ({getattr(exc, 'problem', exc)})") from None
    return raw, file, origin


def load(path: str | os.PathLike, *, root: Path | None = None) -> Params:
    """Read and validate a parameters YAML file.

    Parameters
    ----------
    path : str or PathLike
        The file; relative paths resolve against the project root, then the cwd.

    Raises
    ------
    ParamsError
        The file is missing, is not YAML, gives a key twice, or a value is invalid.
    """
    root = root or project_root()
    raw, file, origin = read_raw(path, root=root)
    return from_mapping(raw, origin=origin, root=root, path=file)


def save(params: Params, path: str | os.PathLike) -> Path:
    """Write ``params`` as a parameters file that :func:`load` reads back as the same values
    (every path absolute, every name canonical): how ``slp run`` hands the parameters it
    resolved once to each notebook.

    Examples
    --------
    >>> p = load("params/demo.yaml")  # doctest: +SKIP
    >>> load(save(p, "/tmp/resolved.yaml")) == p  # doctest: +SKIP
    True
    """
    path = Path(path)
    text = yaml.safe_dump(params.to_dict(), sort_keys=False, allow_unicode=True)
    path.write_text(f"# resolved by slp from {params.path or 'parameters'}\n{text}",
                    encoding="utf-8")
    return path


def resolve(params_file: str | None = None, **overrides: Any) -> Params:
    """Parameters for a notebook: the file, with any papermill-injected values on top.

    When ``sources`` is injected the injected values alone form the parameters; otherwise
    ``params_file`` is read and non-None overrides replace its values (the file is read once
    and the result validated once).
    """
    given = {k: v for k, v in overrides.items() if v is not None}
    if "sources" in given or not params_file:
        return from_mapping(given, origin="notebook parameters")
    if not given:
        return load(params_file)
    root = project_root()
    raw, file, origin = read_raw(params_file, root=root)
    if not isinstance(raw, dict):
        return from_mapping(raw, origin=origin)  # says what was found instead of a mapping
    merged = raw | given
    return from_mapping(merged, origin=f"{origin} + notebook parameters", root=root, path=file)


def _display(path: Path | None, root: Path | None = None) -> str:
    if path is None:
        return "parameters"
    root = root or project_root()
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def parse_local(raw: Any, root: Path, origin: str) -> Local:
    """Validate the ``local:`` block: local input key -> one existing Markdown, text or CSV file.

    Raises
    ------
    ParamsError
        Not a mapping, an unknown key, or a path that is missing or of another type.
    """
    from slp.statutory import LOCAL_INPUT_KEYS as KEYS

    if raw in (None, {}):
        return Local()
    if not isinstance(raw, dict):
        raise ParamsError(f"{_where(origin, 'local')}: expected a mapping of local inputs "
                          f"({', '.join(KEYS)}) to files; found {raw!r}")
    files = []
    for key, value in ((k, v) for k, v in raw.items() if v not in (None, "")):
        where, path = _where(origin, f"local.{key}"), Path(str(value)).expanduser()
        path = (path if path.is_absolute() else root / path).resolve()
        if key not in KEYS:
            problem = f"unknown local input{did_you_mean(key, KEYS)}; expected one of {', '.join(KEYS)}"
        elif path.suffix.lower() not in LOCAL_SUFFIXES:
            problem = (f"'{value}' is a {path.suffix or 'file without a type'}; expected a "
                       f"file ending {', '.join(LOCAL_SUFFIXES)}")
        elif not path.is_file():
            problem = (f"'{value}' does not exist (looked for {path}); expected a Markdown or "
                       "CSV file the partnership wrote")
        else:
            files.append((str(key), path))
            continue
        raise ParamsError(f"{where}: {problem}")
    return Local(tuple(files))


def parse_serious_violence(raw: Any, origin: str,
                           default: tuple[str, ...] = SERIOUS_VIOLENCE) -> tuple[str, ...]:
    """Validate ``serious_violence``: a non-empty list of category names (else ``default``)."""
    if raw in (None, []):
        return default
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
        raise ParamsError(f"{_where(origin, 'serious_violence')}: {raw!r} is not a list of "
                          "category names; expected e.g. [Homicide, Violence with Injury]")
    return tuple(dict.fromkeys(i.strip() for i in items))
