"""The Parquet cache: keyed on input bytes, arguments and code; atomic; lossless."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from slp import cache
from slp.coverage import Coverage
from slp.sources.borough import read_borough_crime


@dataclass
class Loaded:
    """A loader result with every kind of field the real loaders return."""

    data: pd.DataFrame
    by_area: pd.Series
    coverage: Coverage
    label: str
    count: int
    share: float | None = None
    names: list = field(default_factory=list)


class CountingLoader:
    """A tiny loader that sums the numbers in a file, and counts how often it really ran."""

    def __init__(self):
        self.calls = 0
        self.__name__ = "count_loader"
        self.__qualname__ = "count_loader"
        self.__module__ = __name__

    def __call__(self, path, *, scale: int = 1) -> Loaded:
        self.calls += 1
        numbers = [int(x) * scale for x in Path(path).read_text().split()]
        months = pd.period_range("2022-01", periods=len(numbers), freq="M")
        data = pd.DataFrame(
            {
                "borough": ["Lewisham"] * len(numbers),
                "month": months,
                "count": pd.array(numbers, dtype="int64"),
            }
        )
        by_area = pd.Series(
            [sum(numbers)],
            index=pd.Index(["Lewisham"], name="area"),
            name="residents",
            dtype="int64",
        )
        coverage = Coverage(
            "Test",
            "numbers",
            files=[Path(path)],
            first_month="2022-01",
            last_month=str(months[-1]),
            areas=1,
            caveats=["a caveat"],
        )
        return Loaded(data, by_area, coverage, "label", sum(numbers), None, ["a", "b"])


@pytest.fixture
def numbers(tmp_path):
    path = tmp_path / "numbers.txt"
    path.write_text("1 2 3")
    return path


def test_unchanged_input_is_not_read_again(tmp_path, numbers):
    loader = CountingLoader()
    first = cache.cached(loader, numbers, cache_dir=tmp_path / "cache")
    second = cache.cached(loader, numbers, cache_dir=tmp_path / "cache")
    assert loader.calls == 1
    assert second.count == 6
    pd.testing.assert_frame_equal(first.data, second.data)
    assert second.data["month"].dtype == "period[M]"
    assert second.data["count"].dtype == "int64"
    pd.testing.assert_series_equal(first.by_area, second.by_area)
    assert second.coverage == first.coverage
    assert (second.label, second.share, second.names) == ("label", None, ["a", "b"])


def test_changed_input_is_read_again(tmp_path, numbers):
    loader = CountingLoader()
    assert cache.cached(loader, numbers, cache_dir=tmp_path / "c").count == 6
    numbers.write_text("1 2 3 4")
    assert cache.cached(loader, numbers, cache_dir=tmp_path / "c").count == 10
    assert loader.calls == 2


def test_arguments_and_code_version_are_in_the_key(tmp_path, numbers, monkeypatch):
    loader = CountingLoader()
    assert cache.cached(loader, numbers, cache_dir=tmp_path, scale=1).count == 6
    assert cache.cached(loader, numbers, cache_dir=tmp_path, scale=2).count == 12
    assert loader.calls == 2
    monkeypatch.setattr(cache, "code_version", lambda: "a different slp")
    cache.cached(loader, numbers, cache_dir=tmp_path, scale=2)
    assert loader.calls == 3


def test_entry_is_written_atomically(tmp_path, numbers, monkeypatch):
    loader = CountingLoader()

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", fail)
    with pytest.raises(OSError, match="disk full"):
        cache.cached(loader, numbers, cache_dir=tmp_path / "c")
    # Nothing half-written is left behind, so the next run starts clean.
    assert list((tmp_path / "c").iterdir()) == []


def test_damaged_entry_is_rebuilt(tmp_path, numbers):
    loader = CountingLoader()
    cache.cached(loader, numbers, cache_dir=tmp_path)
    (entry,) = [p for p in tmp_path.iterdir() if p.name.startswith("count_loader-")]
    (entry / "data.parquet").unlink()
    assert cache.cached(loader, numbers, cache_dir=tmp_path).count == 6
    assert loader.calls == 2


def test_clear(tmp_path, numbers):
    loader = CountingLoader()
    cache.cached(loader, numbers, cache_dir=tmp_path)
    assert cache.clear(tmp_path) == 1
    cache.cached(loader, numbers, cache_dir=tmp_path)
    assert loader.calls == 2


def test_default_folder_is_data_processed(project_root):
    assert cache.default_cache_dir() == project_root / "data" / "processed"


def test_real_loader_round_trip(tmp_path, write_borough):
    first = cache.cached(read_borough_crime, write_borough, cache_dir=tmp_path / "c")
    second = cache.cached(read_borough_crime, write_borough, cache_dir=tmp_path / "c")
    pd.testing.assert_frame_equal(first.data, second.data)
    pd.testing.assert_frame_equal(first.unattributed, second.unattributed)
    assert second.coverage == first.coverage
    assert second.classification == "old"
    files = {p.name for p in next((tmp_path / "c").iterdir()).iterdir()}
    assert {"data.parquet", "coverage.coverage.json", "manifest.json"} <= files


@pytest.fixture
def write_borough(tmp_path):
    path = tmp_path / "borough.csv"
    path.write_text(
        "MajorText,MinorText,LookUp_BoroughName,202101,202102\n"
        "Theft,Other Theft,Lewisham,1,2\n"
        "Theft,Other Theft,London Heathrow and London City Airports,3,4\n"
    )
    return path


# --- keyed independently of where the project is; pruned ------------------------------------


def test_moving_the_inputs_finds_the_same_entry(tmp_path):
    loader = CountingLoader()
    old = tmp_path / "old-place" / "data"
    old.mkdir(parents=True)
    (old / "numbers.txt").write_text("1 2 3")
    cache.cached(loader, old / "numbers.txt", cache_dir=tmp_path / "c")
    new = tmp_path / "moved" / "elsewhere" / "data"
    new.parent.mkdir(parents=True)
    old.rename(new)
    again = cache.cached(loader, new / "numbers.txt", cache_dir=tmp_path / "c")
    assert loader.calls == 1  # not read again, and no second entry
    assert len([p for p in (tmp_path / "c").iterdir() if p.name.startswith("count_")]) == 1
    # The coverage names the file where it is now.
    assert again.coverage.files == [new / "numbers.txt"]


def _entries(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("count_loader-"))


def test_prune_removes_least_recently_used_first(tmp_path, numbers):
    import os

    loader = CountingLoader()
    folder = tmp_path / "c"
    for scale in (1, 2, 3):
        cache.cached(loader, numbers, cache_dir=folder, scale=scale)
    entries = {p: p / "manifest.json" for p in folder.iterdir()}
    sizes = {p: sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) for p in entries}
    # Use order, oldest first: scale 2, scale 3, then scale 1 (read again last).
    for age, scale in ((300, 2), (200, 3), (100, 1)):
        key = cache.cache_key(loader, numbers, {"scale": scale})
        path = folder / f"count_loader-{key[:24]}"
        os.utime(path / "manifest.json", (1e9 - age, 1e9 - age))
    total = sum(sizes.values())
    biggest = max(sizes.values())
    removed = cache.prune(folder, max_bytes=total - 1)  # one entry must go: the oldest
    assert len(removed) == 1
    assert removed[0].name == f"count_loader-{cache.cache_key(loader, numbers, {'scale': 2})[:24]}"
    assert len(cache.prune(folder, max_bytes=biggest)) == 1  # then scale 3
    assert _entries(folder) == [f"count_loader-{cache.cache_key(loader, numbers, {'scale': 1})[:24]}"]
    assert len(cache.prune(folder, max_bytes=0)) == 1
    assert _entries(folder) == []


def test_cache_prunes_itself_past_the_size_limit(tmp_path, numbers, monkeypatch):
    loader = CountingLoader()
    monkeypatch.setenv("SLP_CACHE_MAX_BYTES", "1")  # every older entry is over the limit
    for scale in (1, 2, 3):
        cache.cached(loader, numbers, cache_dir=tmp_path / "c", scale=scale)
    # Only the newest entry is kept.
    key = cache.cache_key(loader, numbers, {"scale": 3})
    assert _entries(tmp_path / "c") == [f"count_loader-{key[:24]}"]


def test_prune_removes_other_code_versions_and_stale_temporary_folders(tmp_path, numbers, monkeypatch):
    import os

    loader = CountingLoader()
    folder = tmp_path / "c"
    cache.cached(loader, numbers, cache_dir=folder)
    stale = folder / ".tmp-count_loader-abc"
    fresh = folder / ".tmp-count_loader-def"
    stale.mkdir()
    fresh.mkdir()
    os.utime(stale, (1e9, 1e9))  # long ago: a killed run's leftover
    monkeypatch.setattr(cache, "code_version", lambda: "a different slp")
    removed = {p.name for p in cache.prune(folder, max_bytes=10**12)}
    assert ".tmp-count_loader-abc" in removed and ".tmp-count_loader-def" not in removed
    assert _entries(folder) == []  # made by other code: can never be hit again
