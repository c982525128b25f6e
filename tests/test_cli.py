"""The `slp` command as a user meets it: help, one-line errors, exit codes, figures as JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from support import ROOT


def slp(*args: str, cwd=ROOT, env_extra=None) -> subprocess.CompletedProcess:
    env = os.environ | (env_extra or {})
    return subprocess.run([sys.executable, "-m", "slp.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize(("command", "options"), [
    ((), ["demo", "run", "figures", "cache", "--version"]),
    (("cache",), ["--prune", "--max-bytes", "--cache-dir"]),
    (("demo",), ["--out", "--seed"]),
    (("run",), ["PARAMS.yaml", "--reports", "--jobs"]),
    (("figures",), ["PARAMS.yaml", "--json"]),
])
def test_help_documents_every_option(command, options):
    result = slp(*command, "--help")
    assert result.returncode == 0
    for option in options:
        assert option in result.stdout


BAD = {
    "period_end: 2022-13": "period_end: '2022-13' is not a month",
    "borough: Narnia": "borough: 'Narnia' is not a London borough",
}


@pytest.mark.parametrize("line", list(BAD), ids=["bad-month", "unknown-borough"])
def test_bad_params_fail_fast_with_one_line_and_write_nothing(tmp_path, line):
    good = (ROOT / "params" / "demo.yaml").read_text()
    key = line.split(":")[0]
    body = "\n".join(line if row.startswith(key + ":") else row for row in good.splitlines())
    params = tmp_path / "bad.yaml"
    params.write_text(body.replace("data/raw/demo", str(ROOT / "data/raw/demo")))
    reports = tmp_path / "reports"
    # run in-process in a child so we can also see which heavy libraries were imported
    code = (
        "import sys; from slp.cli import main; rc = main(['run', sys.argv[1], '--reports', "
        "sys.argv[2]]); heavy = [m for m in ('geopandas', 'papermill', 'nbconvert', 'esda') "
        "if m in sys.modules]; print('heavy:', heavy); sys.exit(rc)"
    )
    result = subprocess.run([sys.executable, "-c", code, str(params), str(reports)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("slp: error: ")
    assert BAD[line] in lines[0]
    assert "Traceback" not in result.stderr
    assert not reports.exists()
    # validation never loads the geography or notebook stack: that is what keeps it instant
    assert "heavy: []" in result.stdout


def test_missing_params_file_is_a_user_error(tmp_path):
    result = slp("figures", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert "parameters file not found" in result.stderr


@pytest.mark.slow
def test_figures_json_follows_the_contract_and_is_repeatable(demo_params):
    first = slp("figures", str(demo_params), "--json")
    assert first.returncode == 0, first.stderr
    second = slp("figures", str(demo_params), "--json")
    assert first.stdout == second.stdout
    numbers = json.loads(first.stdout)
    assert numbers["borough"] == "Wexbridge" and numbers["period_end"] == "2026-09"
    assert [h["months"] for h in numbers["headline"]] == [12, 6, 3]
    h12 = numbers["headline"][0]
    assert (h12["start"], h12["end"]) == ("2025-10", "2026-09")
    for key in ("count", "previous_count", "change_pct", "rate_per_1000", "london_change_pct",
                "rank", "rank_of", "verdict", "usual_range_pct", "z", "reference",
                "differs_from_london", "p_value"):
        assert key in h12
    assert "significant" not in h12  # issue 11: no test against chance alone
    assert h12["verdict"] in ("within", "larger_rise", "larger_fall")
    low, high = h12["usual_range_pct"]
    assert low < high and isinstance(h12["differs_from_london"], bool)
    assert h12["reference"].startswith("12-month changes") and h12["z"] is not None
    for row in numbers["categories"]:
        assert {"verdict", "usual_range_pct", "z", "reference", "differs_from_london"} <= set(row)
        assert "significant" not in row
    assert h12["rank_of"] == 32
    # change_pct is the % change of the two counts, worked here from the counts themselves
    assert h12["change_pct"] == pytest.approx(
        100 * (h12["count"] - h12["previous_count"]) / h12["previous_count"], abs=0.006)
    assert numbers["categories"] and all(c["months"] == 12 for c in numbers["categories"])
    assert numbers["national"] is None  # the demo has no ONS national tables (issue 16)


def test_run_help_documents_batch_and_cluster_options():
    result = slp("run", "--help", env_extra={"COLUMNS": "200"})
    assert result.returncode == 0
    for option in ("--boroughs", "--notebooks", "--jobs", "--executor", "--scheduler",
                   "all|A,B", "dask"):
        assert option in result.stdout


def _in_process(*args: str) -> subprocess.CompletedProcess:
    """``slp ARGS`` in a child that also prints which heavy libraries it imported."""
    code = (
        "import sys; from slp.cli import main; rc = main(sys.argv[1:]); "
        "heavy = [m for m in ('geopandas', 'papermill', 'nbconvert', 'esda') "
        "if m in sys.modules]; print('heavy:', heavy); sys.exit(rc)"
    )
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_a_binary_params_file_is_one_line_and_exit_2(tmp_path):
    params = tmp_path / "params.yaml"
    params.write_bytes(bytes(range(256)) * 4)
    result = slp("run", str(params), "--reports", str(tmp_path / "reports"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"slp: error: {params}: is not a text file (found binary data); expected a YAML "
        "parameters file such as params/demo.yaml, saved as text"]
    assert not (tmp_path / "reports").exists()


def test_reports_naming_a_file_fails_before_any_notebook_runs(tmp_path, demo_params):
    afile = tmp_path / "reports.html"
    afile.write_text("keep me")
    result = _in_process("run", str(demo_params), "--reports", str(afile))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"slp: error: --reports: '{afile}' is a file; expected a folder to write the reports "
        "into"]
    assert "heavy: []" in result.stdout  # no notebook was started
    assert afile.read_text() == "keep me"
    batch = _in_process("run", str(demo_params), "--boroughs", "Wexbridge,Ashmere",
                        "--reports", str(afile / "sub"))
    assert batch.returncode == 2 and "heavy: []" in batch.stdout
    assert len(batch.stderr.splitlines()) == 1 and "is a file" in batch.stderr


@pytest.mark.slow
def test_a_data_error_in_a_scheduled_run_is_the_only_line_on_stderr(tmp_path):
    body = (ROOT / "params" / "demo.yaml").read_text().replace("data/raw/demo",
                                                               str(ROOT / "data/raw/demo"))
    params = tmp_path / "late.yaml"
    params.write_text("\n".join("period_end: 2031-09" if row.startswith("period_end:") else row
                                for row in body.splitlines()))
    reports = tmp_path / "reports"
    quiet = slp("run", str(params), "--notebooks", "00", "--reports", str(reports))
    assert quiet.returncode == 2
    lines = quiet.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("slp: error: period_end: 2031-09 needs"), lines
    assert quiet.stdout == ""
    assert not reports.exists()  # nothing under reports/: no borough folder, no lock file
    shown = slp("run", str(params), "--notebooks", "00", "--reports", str(reports),
                "--progress")
    assert shown.returncode == 2
    assert "loading and checking the data" in shown.stderr
    assert shown.stderr.strip().splitlines()[-1] == lines[0]


# --- slp cache --------------------------------------------------------------------------------


def _cache_entry(folder, name: str, size: int, age: float):
    """A cache entry of this slp code holding ``size`` bytes of data, last used ``age`` s ago."""
    import time

    from slp import cache

    entry = cache.store_entry(pd.DataFrame({"x": [1]}), folder / name)
    manifest = entry / "manifest.json"
    (entry / "padding.bin").write_bytes(b"\0" * (size - sum(
        p.stat().st_size for p in entry.rglob("*") if p.is_file())))
    os.utime(manifest, (time.time() - age, time.time() - age))
    return entry


def test_cache_prune_trims_least_recently_used_to_max_bytes(tmp_path):
    folder = tmp_path / "processed"
    for name, age in (("old", 300), ("middle", 200), ("new", 100)):
        _cache_entry(folder, f"loader-{name}", 10_000, age)
    # 30,000 bytes in three entries; a limit of 25,000 bytes removes the oldest entry only,
    # one of 0 removes everything.
    result = slp("cache", "--prune", "--max-bytes", "25000", "--cache-dir", str(folder))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["loader-middle", "loader-new"]
    assert result.stdout.splitlines() == [
        "removed 1 cache folder (10,000 bytes); limit 25,000 bytes",
        f"{folder}: 2 entries, 20,000 bytes",
    ]
    result = slp("cache", "--prune", "--max-bytes", "1K", "--cache-dir", str(folder))
    assert result.returncode == 0 and list(folder.iterdir()) == []
    assert result.stdout.splitlines()[0] == "removed 2 cache folders (20,000 bytes); limit 1,024 bytes"
    shown = slp("cache", "--cache-dir", str(folder))
    assert shown.stdout.splitlines() == [f"{folder}: 0 entries, 0 bytes"]


@pytest.mark.parametrize(("args", "message"), [
    (("--prune", "--max-bytes", "lots"), "--max-bytes: 'lots' is not a size; expected a whole "
                                         "number of bytes"),
    (("--prune", "--max-bytes", "-5"), "--max-bytes: '-5' is not a size"),
    (("--max-bytes", "5"), "--max-bytes: only used with --prune"),
])
def test_cache_options_are_checked_in_one_line(tmp_path, args, message):
    folder = tmp_path / "processed"
    entry = _cache_entry(folder, "loader-a", 10_000, 0)
    result = slp("cache", *args, "--cache-dir", str(folder))
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr
    assert entry.is_dir()  # nothing removed
