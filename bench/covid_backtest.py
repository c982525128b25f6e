"""Back-test: how often does the COVID projection's 95% interval cover what was recorded?

The COVID section projects "the level the 2017-2020 trend would have reached" from a log-linear
model (linear trend + month of year) fitted to about 3 years before March 2020. Here the same
model is fitted, for each of the 32 London boroughs (all crime, ``vintage-2023-08``), on 3 years
ending at five origins before the pandemic (2013-03, 2014-03, 2015-03, 2016-03, 2017-02), and
projected 3 years ahead, all before March 2020. For every projected month we record whether the
model's own 95% prediction interval covered the recorded count, and by how much the interval
would have to be widened (on the log scale) to cover it.

Reported: the model interval's coverage (overall, by year ahead, by origin); the widening
factors per year ahead that make 95% of back-tested months covered (those are
``slp.covid.BACKTEST_WIDEN``, rounded up); and, to check that they are not just fitted to the
months they are scored on, leave-one-origin-out coverage: factors estimated from the other four
origins, scored on the one left out.

Target (issue 11): the widened 95% interval covers at least 90% of back-tested months when
scored out of origin, and ``slp.covid.BACKTEST_WIDEN`` is no narrower than the factors fitted
here. Results: ``bench/results/covid_backtest.md`` and ``.json``.

Run: ``.venv/bin/python bench/covid_backtest.py``
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from slp import covid  # noqa: E402
from slp.sources.borough import read_borough_crime  # noqa: E402

RESULTS = ROOT / "bench" / "results"
DATA = ROOT.parent / "shared" / "data" / "mps-borough" / "vintage-2023-08"
ORIGINS = ("2013-03", "2014-03", "2015-03", "2016-03", "2017-02")
TARGET = 0.90


def backtest_all(crime: pd.DataFrame) -> pd.DataFrame:
    frames = []
    for borough, rows in crime.groupby("borough"):
        series = rows.groupby("month")["count"].sum().astype(float)
        table = covid.backtest_projection(series, ORIGINS)
        table.insert(0, "borough", borough)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def covered(table: pd.DataFrame, factors: dict[int, float]) -> pd.Series:
    return table["scaled_error"] <= table["year_ahead"].map(factors)


def summarise(bt: pd.DataFrame) -> dict:
    fitted = covid.widening_factors(bt)
    out_of_origin = []
    for origin in ORIGINS:
        held = bt["origin"] == pd.Period(origin, "M")
        factors = covid.widening_factors(bt[~held])
        share = float(covered(bt[held], factors).mean())
        out_of_origin.append({"origin": origin, "factors": {str(k): round(v, 3) for k, v in
                                                            factors.items()},
                              "coverage": round(share, 4)})
    pooled = sum(row["coverage"] for row in out_of_origin) / len(out_of_origin)
    constants = covid.BACKTEST_WIDEN
    return {
        "benchmark": "covid_backtest",
        "data": "MPS Borough Level Crime vintage-2023-08, 32 boroughs, all crime",
        "model": "log counts ~ linear trend + month of year (slp.covid.expected_vs_observed)",
        "fit_months": 36, "horizon_months": 36, "origins": list(ORIGINS),
        "months_scored": len(bt),
        "model_interval_coverage": round(float(bt["inside"].mean()), 4),
        "model_interval_coverage_by_year_ahead": {
            str(k): round(float(v), 4) for k, v in bt.groupby("year_ahead")["inside"].mean().items()},
        "model_interval_coverage_by_origin": {
            str(k): round(float(v), 4) for k, v in bt.groupby("origin")["inside"].mean().items()},
        "widening_factors_fitted": {str(k): round(v, 4) for k, v in fitted.items()},
        "widening_factors_in_slp_covid": {str(k): v for k, v in constants.items()},
        "coverage_with_slp_covid_factors": round(float(covered(bt, constants).mean()), 4),
        "out_of_origin": out_of_origin,
        "out_of_origin_coverage_pooled": round(pooled, 4),
        "target": f"out-of-origin coverage >= {TARGET:.0%}; slp.covid factors >= fitted",
        "met": bool(pooled >= TARGET and all(constants[k] >= fitted[k] for k in fitted)),
    }


def markdown(r: dict) -> str:
    lines = [
        "# COVID projection back-test", "",
        f"{r['data']}; model: {r['model']}. Fit on {r['fit_months']} months ending at each "
        f"origin ({', '.join(r['origins'])}), projected {r['horizon_months']} months: "
        f"{r['months_scored']:,} borough-months scored, all before March 2020.", "",
        f"- The model's own 95% interval covers **{r['model_interval_coverage']:.1%}** of "
        "months (by year ahead: " + ", ".join(
            f"{k}: {v:.1%}" for k, v in r["model_interval_coverage_by_year_ahead"].items())
        + "; by origin: " + ", ".join(
            f"{k}: {v:.1%}" for k, v in r["model_interval_coverage_by_origin"].items()) + ").",
        "- Widening (log scale) needed for 95% coverage, by year ahead: " + ", ".join(
            f"{k}: x{v:.2f}" for k, v in r["widening_factors_fitted"].items())
        + "; `slp.covid.BACKTEST_WIDEN` = " + ", ".join(
            f"{k}: x{v:.2f}" for k, v in r["widening_factors_in_slp_covid"].items())
        + f" (coverage {r['coverage_with_slp_covid_factors']:.1%}).",
        "- Out of origin (factors from the other four origins, scored on the one left out): "
        + ", ".join(f"{row['origin']}: {row['coverage']:.1%}" for row in r["out_of_origin"])
        + f"; pooled **{r['out_of_origin_coverage_pooled']:.1%}**.", "",
        f"Target: {r['target']}. **{'Met' if r['met'] else 'Not met'}.**", "",
        "The projections from the 2014 and 2015 origins miss most, and almost all their misses "
        "lie above the interval: recorded crime in London rose faster than the earlier trend "
        "from 2014, when police recording practice tightened after the 2014 inspections of "
        "crime-recording integrity (ONS attributes much of that period's rise in recorded "
        "violence to recording). A projection across the pandemic can be thrown off the same "
        "way, so even the widened interval is a guide, not a test.", "",
    ]
    return "\n".join(lines)


def main() -> int:
    crime = read_borough_crime([DATA]).data
    result = summarise(backtest_all(crime))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "covid_backtest.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "covid_backtest.md").write_text(markdown(result))
    print(markdown(result))
    suggested = {k: math.ceil(v * 100) / 100 for k, v in
                 covid.widening_factors(backtest_all(crime)).items()}
    print(f"factors rounded up to 2 decimals: {suggested}")
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
