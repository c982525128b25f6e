"""A Parquet cache for harmonised sources, so a report run does not re-read unchanged inputs.

A cache entry is one folder under the cache directory (``<project root>/data/processed/`` by
default) named after the loader and a key. The key is the SHA-256 of

* the bytes (and paths) of every input file, including files named in keyword arguments
  (a lookup, a boundaries file, a mapping file) and a shapefile's side files;
* the loader's module and name and its other arguments;
* the slp code version: a hash of the slp source files plus ``slp.__version__`` and
  :data:`CACHE_VERSION`;

so a changed input, argument or library is read afresh and an unchanged one is not. Each table
is stored as Parquet (``period[M]`` months and int64 counts round-trip), the
:class:`~slp.coverage.Coverage` as JSON beside it. An entry is written into a temporary folder
and moved into place with ``os.replace``, so a crash never leaves half an entry.

Examples
--------
>>> from slp.sources.borough import read_borough_crime
>>> crime = cached(read_borough_crime, "../shared/data/mps-borough/vintage-2023-08")  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

import slp
from slp.coverage import Coverage
from slp.errors import SlpError

#: Bump when the stored layout changes, to invalidate every existing entry.
CACHE_VERSION = 2
#: Size above which the least recently used entries are pruned after each new entry
#: (override with the environment variable ``SLP_CACHE_MAX_BYTES``).
MAX_BYTES = 2 * 1024**3
#: Age after which a ``.tmp-*`` folder left by a killed process is removed by :func:`prune`.
STALE_SECONDS = 3600

_PACKAGE = Path(slp.__file__).resolve().parent


def default_cache_dir() -> Path:
    """``<project root>/data/processed``."""
    from slp.params import project_root

    return project_root() / "data" / "processed"


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the slp source files (``*.py``, ``*.yaml``), ``slp.__version__`` and
    :data:`CACHE_VERSION`."""
    digest = hashlib.sha256(f"{slp.__version__}|{CACHE_VERSION}".encode())
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in {".py", ".yaml", ".yml"} and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(_PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _files_of(value) -> list[Path] | None:
    """Files an argument stands for, or None when it is not a path."""
    if (
        isinstance(value, (list, tuple))
        and value
        and all(isinstance(v, (str, Path)) for v in value)
    ):
        files: list[Path] = []
        for item in value:
            found = _files_of(item)
            if found is None:
                return None
            files.extend(found)
        return files
    if not isinstance(value, (str, Path)):
        return None
    path = Path(value)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    if path.is_file():
        # A shapefile is several files with one stem.
        if path.suffix.lower() == ".shp":
            return sorted(p for p in path.parent.glob(path.stem + ".*") if p.is_file())
        return [path]
    return None


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _file_digests(files: list[Path]) -> list[str]:
    """SHA-256 of each file; several files are hashed in parallel (hashlib releases the GIL)."""
    if len(files) > 1:
        with ThreadPoolExecutor(max_workers=min(len(files), os.cpu_count() or 1)) as pool:
            return list(pool.map(_sha256_file, files))
    return [_sha256_file(f) for f in files]


def _relative_names(value, files: list[Path]) -> list[str]:
    """Names of ``files`` that do not depend on where the project is: the path inside a
    folder that was given, or the file name of a file that was given."""
    roots = [Path(v) for v in (value if isinstance(value, (list, tuple)) else [value])]
    names = []
    for path in files:
        root = next((r for r in roots if r.is_dir() and path.is_relative_to(r)), None)
        names.append(path.relative_to(root).as_posix() if root else path.name)
    return names


def _hash_value(value, digest) -> None:
    files = _files_of(value)
    if files is not None:
        # Content and project-independent names, never absolute paths: moving the project (or
        # the data) finds the same entries.
        digest.update(b"files:")
        names = _relative_names(value, files)
        for name, sha in zip(names, _file_digests(files), strict=True):
            digest.update(f"{name}={sha};".encode())
    elif isinstance(value, pd.DataFrame):
        digest.update(b"frame:" + ",".join(map(str, value.columns)).encode())
        digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
    elif isinstance(value, pd.Series):
        digest.update(b"series:")
        digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
    elif isinstance(value, Mapping):
        digest.update(json.dumps(value, sort_keys=True, default=str).encode())
    else:
        digest.update(repr(value).encode())


def cache_key(loader: Callable, paths, arguments: Mapping[str, Any]) -> str:
    """The SHA-256 key of one loader call (see the module docstring for what goes in)."""
    digest = hashlib.sha256()
    digest.update(f"{loader.__module__}.{loader.__qualname__}|{code_version()}".encode())
    _hash_value(paths, digest)
    for name in sorted(arguments):
        digest.update(f"|{name}=".encode())
        _hash_value(arguments[name], digest)
    return digest.hexdigest()


def cached(loader: Callable, paths, *, cache_dir: str | Path | None = None, **arguments):
    """Call ``loader(paths, **arguments)`` through the Parquet cache.

    Parameters
    ----------
    loader : callable
        A source loader, e.g. :func:`slp.sources.borough.read_borough_crime`. It must return a
        dataclass of DataFrames / Series / Coverage / plain values, or a (Geo)DataFrame.
    paths
        The loader's first argument (files or folders).
    cache_dir : str or Path, optional
        Where entries live; ``<project root>/data/processed`` by default.
    **arguments
        The loader's keyword arguments (part of the key).

    Returns
    -------
    The loader's result, read from the cache when the inputs, arguments and slp code are
    unchanged.
    """
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    key = cache_key(loader, paths, arguments)
    entry = folder / f"{loader.__name__}-{key[:24]}"
    if (entry / "manifest.json").is_file():
        try:
            result = load_entry(entry)
        except (OSError, ValueError, KeyError, ImportError, AttributeError, TypeError):
            # A damaged or foreign entry is rebuilt, not trusted.
            shutil.rmtree(entry, ignore_errors=True)
        else:
            _touch(entry)  # recently used: pruned last
            return _relocate(result, [paths, *arguments.values()])
    result = loader(paths, **arguments)
    store_entry(result, entry, key=key, loader=f"{loader.__module__}.{loader.__qualname__}")
    prune(folder, max_bytes=max_bytes_setting(), keep=entry)
    return result


def _touch(entry: Path) -> None:
    with contextlib.suppress(OSError):  # a read-only cache still serves
        os.utime(entry / "manifest.json")


def _relocate(result, arguments: list):
    """Point a cached result's Coverage at the input files as they are now.

    Entries are keyed by content and relative names, so an entry made before the project (or
    its data) moved is found again; its Coverage still names the old locations, which are
    replaced by the current file with the same name.
    """
    current: dict[str, list[Path]] = {}
    for value in arguments:
        for path in _files_of(value) or []:
            current.setdefault(path.name, []).append(path)
    if not dataclasses.is_dataclass(result) or isinstance(result, type):
        return result
    for f in dataclasses.fields(result):
        value = getattr(result, f.name)
        if isinstance(value, Coverage):
            value.files = [
                p if Path(p).exists() or len(current.get(Path(p).name, [])) != 1
                else current[Path(p).name][0]
                for p in value.files
            ]
    return result


def store_entry(result, entry: Path, *, key: str = "", loader: str = "") -> Path:
    """Write ``result`` as a cache entry folder, atomically.

    Returns
    -------
    Path
        The entry folder.
    """
    entry.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{entry.name}-", dir=entry.parent))
    try:
        manifest = {
            "key": key,
            "loader": loader,
            "code_version": code_version(),
            "cache_version": CACHE_VERSION,
            **_write(result, tmp),
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, default=str))
        try:
            os.replace(tmp, entry)
        except OSError:
            # Another process stored the same entry first (a non-empty folder cannot be
            # replaced); theirs is as good as ours.
            if not (entry / "manifest.json").is_file():
                raise
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return entry


def _write(result, folder: Path) -> dict:
    if isinstance(result, pd.DataFrame):
        return {"root": _write_value("result", result, folder)}
    if not dataclasses.is_dataclass(result) or isinstance(result, type):
        raise SlpError(
            f"cache: cannot store a {type(result).__name__}; expected a loader result "
            "(a dataclass or a DataFrame)"
        )
    cls = type(result)
    fields = {
        f.name: _write_value(f.name, getattr(result, f.name), folder)
        for f in dataclasses.fields(result)
    }
    return {"type": f"{cls.__module__}:{cls.__qualname__}", "fields": fields}


def _write_value(name: str, value, folder: Path) -> dict:
    if isinstance(value, pd.DataFrame):
        file = f"{name}.parquet"
        geo = type(value).__name__ == "GeoDataFrame"
        value.to_parquet(
            folder / file, index=not isinstance(value.index, pd.RangeIndex), compression="zstd"
        )
        if geo:
            return {"kind": "geoframe", "file": file}
        return {"kind": "frame", "file": file, "strings": _string_columns(value)}
    if isinstance(value, pd.Series):
        file = f"{name}.parquet"
        frame = value.to_frame(name="__values__")
        frame.to_parquet(folder / file, index=True, compression="zstd")
        return {
            "kind": "series",
            "file": file,
            "name": value.name,
            "index_name": value.index.name,
            "strings": None,
        }
    if isinstance(value, Coverage):
        file = f"{name}.coverage.json"
        data = dataclasses.asdict(value)
        data["files"] = [str(p) for p in value.files]
        (folder / file).write_text(json.dumps(data, indent=1))
        return {"kind": "coverage", "file": file}
    try:
        json.dumps(value)
    except TypeError as exc:
        raise SlpError(f"cache: field '{name}' ({type(value).__name__}) cannot be stored") from exc
    return {"kind": "json", "value": value}


def load_entry(entry: Path):
    """Read a cache entry folder back into the loader's result."""
    manifest = json.loads((entry / "manifest.json").read_text())
    if manifest.get("cache_version") != CACHE_VERSION:
        raise ValueError("cache entry of another CACHE_VERSION")
    if "root" in manifest:
        return _read_value(manifest["root"], entry)
    module, _, qualname = manifest["type"].partition(":")
    cls = importlib.import_module(module)
    for part in qualname.split("."):
        cls = getattr(cls, part)
    values = {name: _read_value(spec, entry) for name, spec in manifest["fields"].items()}
    return cls(**values)


def _read_value(spec: dict, entry: Path):
    kind = spec["kind"]
    if kind == "frame":
        return _read_frame(entry / spec["file"], spec.get("strings"))
    if kind == "geoframe":
        import geopandas as gpd

        return gpd.read_parquet(entry / spec["file"])
    if kind == "series":
        series = _read_frame(entry / spec["file"], spec.get("strings"))["__values__"]
        series.name = spec["name"]
        series.index.name = spec["index_name"]
        return series
    if kind == "coverage":
        data = json.loads((entry / spec["file"]).read_text())
        data["files"] = [Path(p) for p in data["files"]]
        return Coverage(**data)
    if kind == "json":
        return spec["value"]
    raise ValueError(f"unknown cache value kind {kind!r}")


def _string_columns(frame: pd.DataFrame) -> list[str]:
    return [
        str(c)
        for c in frame.columns
        if pd.api.types.is_string_dtype(frame[c].dtype)
        and not isinstance(frame[c].dtype, pd.CategoricalDtype)
    ]


def _read_frame(path: Path, strings: list[str] | None = None) -> pd.DataFrame:
    """Read a Parquet table; string columns are decoded through their dictionary (several
    times faster for the long, repetitive frames loaders return) and cast back to strings."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if strings is None:
        strings = [f.name for f in pq.read_schema(path) if pa.types.is_string(f.type)]
    # ParquetFile reads directly (pq.read_table would go through the dataset API).
    table = pq.ParquetFile(path, read_dictionary=strings, memory_map=True).read()
    for name in strings:
        index = table.schema.get_field_index(name)
        if not pa.types.is_dictionary(table.schema.field(index).type):
            continue
        field = table.schema.field(index).with_type(pa.string())
        table = table.set_column(index, field, pc.cast(table[name], pa.string()))
    return table.to_pandas()


def clear(cache_dir: str | Path | None = None, *, loaders: Iterable[str] | None = None) -> int:
    """Delete cache entries (all, or those of the named loaders); returns how many.

    Outputs are disposable: deleting ``data/processed`` is always safe.
    """
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    if not folder.is_dir():
        return 0
    names = tuple(f"{n}-" for n in loaders) if loaders else None
    removed = 0
    for entry in folder.iterdir():
        if (
            entry.is_dir()
            and (entry / "manifest.json").is_file()
            and (names is None or entry.name.startswith(names))
        ):
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    return removed


def max_bytes_setting() -> int:
    """:data:`MAX_BYTES`, or ``SLP_CACHE_MAX_BYTES`` from the environment when set."""
    try:
        return int(os.environ.get("SLP_CACHE_MAX_BYTES", MAX_BYTES))
    except ValueError:
        return MAX_BYTES


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def prune(
    cache_dir: str | Path | None = None,
    *,
    max_bytes: int | None = None,
    keep: Path | None = None,
) -> list[Path]:
    """Trim the cache: entries no current code can use, leftovers of killed runs, then the
    least recently used entries until the cache is at most ``max_bytes``.

    Parameters
    ----------
    cache_dir : str or Path, optional
        The cache folder; ``<project root>/data/processed`` by default.
    max_bytes : int, optional
        Size to trim to; :func:`max_bytes_setting` by default. ``0`` empties the cache.
    keep : Path, optional
        An entry never removed (the one just stored).

    Returns
    -------
    list of Path
        The entries and folders removed.

    Examples
    --------
    >>> prune(max_bytes=500 * 1024**2)  # doctest: +SKIP
    """
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    limit = max_bytes_setting() if max_bytes is None else max_bytes
    if not folder.is_dir():
        return []
    removed: list[Path] = []
    entries: list[tuple[float, int, Path]] = []
    now = time.time()
    for path in folder.iterdir():
        manifest = path / "manifest.json"
        if path.name.startswith(".tmp-") and path.is_dir():
            if now - path.stat().st_mtime > STALE_SECONDS:
                removed.append(path)
            continue
        if not path.is_dir() or not manifest.is_file() or path == keep:
            continue
        if not _current(manifest):
            removed.append(path)
            continue
        entries.append((manifest.stat().st_mtime, _size(path), path))
    total = sum(size for _, size, _ in entries) + (_size(keep) if keep and keep.is_dir() else 0)
    for _, size, path in sorted(entries):  # oldest use first
        if total <= limit:
            break
        removed.append(path)
        total -= size
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    return removed


def _current(manifest: Path) -> bool:
    """Whether an entry was made by this slp code (others can never be hit again)."""
    try:
        info = json.loads(manifest.read_text())
    except (OSError, ValueError):
        return False
    return (
        info.get("cache_version") == CACHE_VERSION and info.get("code_version") == code_version()
    )
