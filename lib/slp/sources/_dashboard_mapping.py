"""The editable mapping of MPS Monthly Crime Dashboard rows to slp measures.

Private to :mod:`slp.sources.dashboard`; the file format is described in
``dashboard_measures.yaml`` beside this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from slp.errors import SourceError

SOURCE = "MPS Monthly Crime Dashboard"
DEFAULT_MAPPING = Path(__file__).with_name("dashboard_measures.yaml")

#: File kind -> the name the London Datastore gives the download.
KINDS: dict[str, str] = {
    "tno": "TNOCrimeData",
    "other": "OtherCrimeData",
    "knife": "KnifeCrimeData",
}
#: ``Measure`` values read as positive outcomes (older files say "Outcomes").
OUTCOME_MEASURES = ("positive outcomes", "outcomes")
ANY = "*"
_KEYS = ("file", "type", "subtype", "measure")
_SPACES = re.compile(r"\s+")


def norm(value: str) -> str:
    """A category value as compared: stripped, repeated spaces made one, case folded."""
    return _SPACES.sub(" ", str(value).strip()).casefold()


def norm_series(values: pd.Series) -> pd.Series:
    """:func:`norm` for a column of strings (computed once per distinct value)."""
    uniques = pd.unique(values)
    return values.map({u: norm(u) for u in uniques})


@dataclass(frozen=True)
class MeasureSpec:
    """Which rows make one measure.

    Attributes
    ----------
    name, label : str
        Key used in data and figures (``domestic_abuse``) and the words for reports.
    files : tuple of str
        File kinds (keys of :data:`KINDS`) the measure is read from.
    types, subtypes, measures : tuple of str or None
        Accepted values (normalised with :func:`norm`); None accepts any value.
    except_types : tuple of str
        Types left out (normalised), for ``type: "*"``.
    """

    name: str
    label: str
    files: tuple[str, ...]
    types: tuple[str, ...] | None
    subtypes: tuple[str, ...] | None
    measures: tuple[str, ...] | None
    except_types: tuple[str, ...] = ()

    def describe(self) -> str:
        """The rows wanted, in words, for error messages."""

        def show(values):
            return "any" if values is None else " or ".join(f"'{v}'" for v in values)

        return (
            f"type {show(self.types)}, subtype {show(self.subtypes)}, "
            f"measure {show(self.measures)}"
        )


def _values(name, key, spec, path) -> tuple[str, ...] | None:
    raw = spec.get(key)
    items = raw if isinstance(raw, list) else [raw]
    if raw is None or any(not str(v).strip() for v in items if v is not None) or not items:
        raise SourceError(
            f"{SOURCE} mapping", path, f"measure '{name}': '{key}' is empty; expected a value "
            "or a list of values"
        )
    values = tuple(norm(v) for v in items)
    return None if ANY in values else values


def _spec(name: str, spec, path) -> MeasureSpec:
    missing = [k for k in _KEYS if not isinstance(spec, dict) or spec.get(k) in (None, "", [])]
    if missing:
        raise SourceError(
            f"{SOURCE} mapping",
            path,
            f"measure '{name}' lacks {', '.join(missing)}; expected file, type, subtype and "
            "measure",
        )
    files = _values(name, "file", spec, path) or tuple(KINDS)
    wrong = [f for f in files if f not in KINDS]
    if wrong:
        raise SourceError(
            f"{SOURCE} mapping",
            path,
            f"measure '{name}': file '{wrong[0]}' is not a dashboard file kind; expected one of "
            f"{', '.join(KINDS)}",
        )
    excluded = spec.get("except_types") or []
    excluded = excluded if isinstance(excluded, list) else [excluded]
    return MeasureSpec(
        name=name,
        label=str(spec.get("label") or name.replace("_", " ").capitalize()),
        files=files,
        types=_values(name, "type", spec, path),
        subtypes=_values(name, "subtype", spec, path),
        measures=_values(name, "measure", spec, path),
        except_types=tuple(norm(v) for v in excluded),
    )


def read_mapping(mapping=None) -> dict[str, MeasureSpec]:
    """Load and check the dashboard measure mapping.

    Parameters
    ----------
    mapping : str, Path, dict or None
        A YAML file, an already-loaded dict, or None for ``dashboard_measures.yaml``.

    Returns
    -------
    dict
        Measure name -> :class:`MeasureSpec`, in the file's order.

    Raises
    ------
    SourceError
        The file is missing or not YAML, a measure lacks ``file``, ``type``, ``subtype`` or
        ``measure``, or names a file kind other than tno, other or knife.

    Examples
    --------
    >>> spec = read_mapping()["domestic_abuse"]
    >>> spec.files, spec.types, spec.subtypes
    (('other',), ('domestic abuse',), ('domestic abuse',))
    """
    where = DEFAULT_MAPPING if mapping is None else mapping
    if isinstance(where, dict):
        raw, path = where, None
    else:
        path = Path(where)
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise SourceError(f"{SOURCE} mapping", path, f"cannot be read: {exc}") from exc
        except yaml.YAMLError as exc:
            raise SourceError(f"{SOURCE} mapping", path, f"is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict) or not raw:
        raise SourceError(
            f"{SOURCE} mapping",
            path,
            "expected measures like 'domestic_abuse:' with file, type, subtype and measure "
            "under each",
        )
    return {str(name): _spec(str(name), spec, path) for name, spec in raw.items()}
