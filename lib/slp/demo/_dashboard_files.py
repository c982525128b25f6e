"""The synthetic demo's MPS Monthly Crime Dashboard downloads, in the three real layouts.

Writes what an analyst downloads from the London Datastore (see
``../shared/data/mps-dashboard/SCHEMA-EVIDENCE.md``), so the demo exercises the real reader:

- yearly ``MPS_BoroughSNT_TNOCrimeDatafyYY-YY.csv`` and ``MPS_BoroughSNT_OtherCrimeDatafyYY-YY.csv``
  (Title Case categories, some years "Hate crime"/"Knife crime", knife crime still in the Other
  file, no ``FY_FYIndex`` before 2022-23, ``Outcomes`` rather than ``Positive Outcomes`` before
  2019-20, legacy hate-crime subtypes "Anti-Semitic" and "Transgender Crime");
- rolling ``M1045_MonthlyCrimeDashboard_{TNO,Other,Knife}CrimeData.csv`` over the last 48
  months (UPPER CASE categories in TNO and Other, KnifeCrimeData with 11 columns and
  ``Area Name``/``Area Code``), refreshed later, so the months it shares with the last yearly file
  are revised figures that must win;
- UTF-8 with BOM, ``dd/mm/yyyy`` months, rows with a zero count left out, Safer Neighbourhood
  Team rows beside the Borough rows in some files, an ``Aviation Security (SO18)`` row.

Counts are synthetic (fictional boroughs), drawn from ``numpy.random.default_rng(seed)``: domestic
abuse about 11% of all crime (more in lockdown), knife crime 1.4-1.8%, gun crime a few a month,
hate crime about 1.2%, with a step at CONNECT (March 2024) in domestic abuse and hate crime.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

ROLLING_MONTHS = 48
YEARLY_REFRESH = "06/04/{year}"  # a yearly file is refreshed just after its year ends
CONNECT = pd.Period("2024-03", "M")
AVIATION = "Aviation Security (SO18)"

#: (file kind, type, subtype, series) in the canonical Title Case of the pre-CONNECT files.
CATALOGUE: tuple[tuple[str, str, str, str], ...] = (
    ("other", "Domestic Abuse", "Domestic Abuse", "da"),
    ("other", "Domestic Abuse", "Domestic Abuse Violence with Injury", "da_vwi"),
    ("other", "Gun Crime", "Gun Crime", "gun"),
    ("other", "Gun Crime", "Gun Crime Personal Robbery", "gun_robbery"),
    ("other", "Gun Crime", "Lethal Barrel Discharge", "lbd"),
    ("other", "Hate Crime", "Hate Crime", "hate"),
    ("other", "Hate Crime", "Racist and Religious Crime", "racist_religious"),
    ("other", "Hate Crime", "Racist Crime", "racist"),
    ("other", "Hate Crime", "Faith Crime", "faith"),
    ("other", "Hate Crime", "Antisemitic", "antisemitic"),
    ("other", "Hate Crime", "Islamophobic Crime", "islamophobic"),
    ("other", "Hate Crime", "Homophobic Crime", "homophobic"),
    ("other", "Hate Crime", "Transphobic Crime", "transphobic"),
    ("other", "Hate Crime", "Disability Crime", "disability"),
    ("knife", "Knife Crime", "Knife Crime", "knife"),
    ("knife", "Knife Crime", "Knife Crime with Injury", "knife_injury"),
    ("knife", "Knife Crime", "Knife Crime with Injury (Personal Robbery)", "knife_robbery"),
    ("knife", "Knife Crime", "Knife Injury Victims (1-24)", "knife_victims"),
    ("knife", "Knife Crime", "Knife Injury Victims (non DA 1-24)", "knife_victims_non_da"),
)
#: Series with positive-outcome rows, and the share of offences with one.
OUTCOME_SHARE = {"da": 0.12, "gun": 0.2, "hate": 0.15, "knife": 0.18}
_LEGACY_SUBTYPES = {"antisemitic": "Anti-Semitic", "transphobic": "Transgender Crime"}

#: Fallback TNO groups (Home Office, title case) and shares when no crime frame is given.
_TNO_SHARES = {
    ("Violence Against the Person", "Violence with Injury"): 0.10,
    ("Violence Against the Person", "Violence without Injury"): 0.15,
    ("Violence Against the Person", "Stalking and Harassment"): 0.09,
    ("Theft", "Other Theft"): 0.13,
    ("Theft", "Shoplifting"): 0.07,
    ("Theft", "Theft from the Person"): 0.05,
    ("Vehicle Offences", "Theft from a Vehicle"): 0.07,
    ("Vehicle Offences", "Theft or Unauth Taking of a Motor Veh"): 0.04,
    ("Burglary", "Domestic Burglary"): 0.06,
    ("Burglary", "Burglary - Business and Community"): 0.02,
    ("Robbery", "Robbery of Personal Property"): 0.04,
    ("Arson and Criminal Damage", "Criminal Damage"): 0.07,
    ("Drug Offences", "Possession of Drugs"): 0.04,
    ("Public Order Offences", "Other Offences Public Order"): 0.04,
    ("Sexual Offences", "Other Sexual Offences"): 0.015,
    ("Sexual Offences", "Rape"): 0.01,
    ("Possession of Weapons", "Possession of Weapons"): 0.01,
}


def _boroughs(boroughs) -> pd.DataFrame:
    """name, code, centrality (0 edge .. 1 centre) from a frame or a list of names."""
    if isinstance(boroughs, pd.DataFrame):
        frame = boroughs.reset_index(drop=True)
    else:
        frame = pd.DataFrame({"name": list(boroughs)})
    if "code" not in frame:
        frame["code"] = [f"E09{900001 + i:06d}" for i in range(len(frame))]
    if "centrality" not in frame:
        frame["centrality"] = np.linspace(0.0, 1.0, len(frame))
    return frame[["name", "code", "centrality"]]


def _lockdown(months: pd.PeriodIndex) -> np.ndarray:
    """0..1 depth of the pandemic lockdowns by month (1 in April 2020 and January 2021)."""
    depth = {"2020-03": 0.35, "2020-04": 1.0, "2020-05": 0.85, "2020-06": 0.6, "2020-07": 0.4,
             "2020-08": 0.3, "2020-09": 0.3, "2020-10": 0.4, "2020-11": 0.75, "2020-12": 0.65,
             "2021-01": 1.0, "2021-02": 0.95, "2021-03": 0.8, "2021-04": 0.5, "2021-05": 0.3,
             "2021-06": 0.2, "2021-07": 0.1}
    return np.array([depth.get(str(m), 0.0) for m in months])


def _totals(areas: pd.DataFrame, months: pd.PeriodIndex, crime, rng) -> np.ndarray:
    """All recorded crime per (borough, month): from ``crime`` when given, else drawn."""
    if crime is not None:
        month = crime["month"].astype(str)
        table = crime.assign(month=month).pivot_table(
            index="borough", columns="month", values="count", aggfunc="sum", fill_value=0)
        return table.reindex(index=areas["name"], columns=[str(m) for m in months],
                             fill_value=0).to_numpy(dtype=np.int64)
    level = 1500.0 * (0.6 + 0.9 * areas["centrality"].to_numpy())[:, None]
    season = 1.0 + 0.05 * np.cos((months.month.to_numpy() - 7) / 12.0 * 2 * np.pi)
    dip = 1.0 - 0.3 * _lockdown(months)
    return rng.poisson(level * (season * dip)[None, :])


def _series(areas, months, totals, rng) -> dict[str, np.ndarray]:
    """Every dashboard series, (boroughs, months), subsets never above their parent."""
    n_b, n_m = totals.shape
    central = areas["centrality"].to_numpy()[:, None]
    after = (months >= CONNECT)[None, :]
    lockdown = _lockdown(months)[None, :]
    s: dict[str, np.ndarray] = {}
    da_share = rng.uniform(0.10, 0.12, (n_b, 1)) * (1 + 0.25 * lockdown) * np.where(after, 1.08, 1)
    s["da"] = rng.binomial(totals, np.clip(da_share, 0, 1))
    s["da_vwi"] = rng.binomial(s["da"], 0.3)
    knife_share = rng.uniform(0.014, 0.018, (n_b, 1)) * (1 + 0.3 * central) * np.ones((1, n_m))
    s["knife"] = rng.binomial(totals, knife_share)
    s["knife_injury"] = rng.binomial(s["knife"], 0.27)
    s["knife_robbery"] = rng.binomial(s["knife_injury"], 0.2)
    s["knife_victims"] = rng.binomial(s["knife_injury"], 0.5)
    s["knife_victims_non_da"] = rng.binomial(s["knife_victims"], 0.85)
    s["gun"] = np.minimum(rng.poisson((0.4 + 1.8 * central) * np.ones((1, n_m))), 8)
    s["gun_robbery"] = rng.binomial(s["gun"], 0.3)
    s["lbd"] = np.minimum(rng.poisson((0.2 + 0.8 * central) * np.ones((1, n_m))), 4)
    hate_share = rng.uniform(0.010, 0.014, (n_b, 1)) * np.where(after, 0.9, 1)
    s["hate"] = rng.binomial(totals, np.clip(hate_share * np.ones((1, n_m)), 0, 1))
    s["racist"] = rng.binomial(s["hate"], 0.68)
    s["faith"] = rng.binomial(s["hate"] - s["racist"], 0.25)
    s["racist_religious"] = s["racist"] + s["faith"]
    s["antisemitic"] = rng.binomial(s["faith"], 0.4)
    s["islamophobic"] = rng.binomial(s["faith"] - s["antisemitic"], 0.6)
    s["homophobic"] = rng.binomial(s["hate"], 0.12)
    s["transphobic"] = rng.binomial(s["hate"], 0.02)
    s["disability"] = rng.binomial(s["hate"], 0.04)
    return s


def _tno_series(areas, months, totals, crime, rng) -> list[tuple[str, str, np.ndarray]]:
    """(group, subgroup, counts) for TNOCrimeData: the demo's own categories when given."""
    if crime is not None:
        table = crime.assign(month=crime["month"].astype(str)).pivot_table(
            index=["major", "minor", "borough"], columns="month", values="count",
            aggfunc="sum", fill_value=0)
        categories = table.index.droplevel("borough").unique().sort_values()
        full = pd.MultiIndex.from_tuples(
            [(g, sg, b) for g, sg in categories for b in areas["name"]],
            names=table.index.names)
        values = table.reindex(index=full, columns=[str(m) for m in months], fill_value=0)
        counts = values.to_numpy(dtype=np.int64).reshape(len(categories), len(areas), -1)
        return [(str(g), str(sg), counts[i]) for i, (g, sg) in enumerate(categories)]
    shares = np.array(list(_TNO_SHARES.values()))
    draws = rng.multinomial(totals.ravel(), shares / shares.sum())
    return [(g, sg, draws[:, i].reshape(totals.shape))
            for i, (g, sg) in enumerate(_TNO_SHARES)]


def _case(text: str, style: str, column: str) -> str:
    if style == "upper":
        return text.upper()
    if style == "sentence" and column == "type":
        return text[:1].upper() + text[1:].lower()  # "Hate crime", "Knife crime" (fy files)
    return text


def _long(areas, months, pieces, keep: np.ndarray, style: str, legacy: bool) -> pd.DataFrame:
    """Rows (borough, month, type, subtype, measure, count) for the months in ``keep``."""
    frames = []
    cols = np.flatnonzero(keep)
    b_idx, m_idx = np.meshgrid(np.arange(len(areas)), cols, indexing="ij")
    for type_, subtype, measure, counts in pieces:
        values = counts[:, cols].ravel()
        nonzero = values > 0  # zero counts have no row
        frames.append(pd.DataFrame({
            "borough": areas["name"].to_numpy()[b_idx.ravel()[nonzero]],
            "code": areas["code"].to_numpy()[b_idx.ravel()[nonzero]],
            "month": m_idx.ravel()[nonzero],  # position in ``months``
            "type": _case(type_, style, "type"),
            "subtype": _case(subtype, style, "subtype"),
            "measure": ("Outcomes" if legacy and measure != "Offences" else measure),
            "count": values[nonzero],
        }))
    return pd.concat(frames, ignore_index=True)


def _with_snt(rows: pd.DataFrame, rng) -> pd.DataFrame:
    """Add Safer Neighbourhood Team rows (two per borough) that add up to the borough rows."""
    parts = [rows.assign(area_type="Borough", snt=rows["borough"], area=rows["borough"])]
    rows = rows[rows["borough"] != AVIATION]
    north = rng.binomial(rows["count"].to_numpy(), 0.5)
    for side, counts in (("North", north), ("South", rows["count"].to_numpy() - north)):
        name = rows["borough"] + f" {side}"
        part = rows.assign(area_type="Safer Neighbourhood Teams", snt=name, area=name,
                           code="", count=counts)
        parts.append(part[part["count"] > 0])
    return pd.concat(parts, ignore_index=True)


def _month_labels(months: pd.PeriodIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``Month_Year`` (dd/mm/yyyy), ``Financial Year`` (``fy21-22``) and the real files'
    one-per-year ``FY_FYIndex`` (``21-22_01``) for each month."""
    year = np.where(months.month >= 4, months.year, months.year - 1)
    short = np.array([f"{y % 100:02d}-{(y + 1) % 100:02d}" for y in year], dtype=object)
    dates = np.array([m.strftime("01/%m/%Y") for m in months], dtype=object)
    return dates, "fy" + short, short + "_01"


def _write(path: Path, rows: pd.DataFrame, months, kind: str, refresh: str, *, fy_index: bool,
           snt: bool, rng) -> Path:
    rows = _with_snt(rows, rng) if snt else rows.assign(
        area_type="Borough", snt=rows["borough"], area=rows["borough"])
    dates, fy, fy_idx = (labels[rows["month"].to_numpy()] for labels in _month_labels(months))
    type_col, sub_col = (("Offence Group", "Offence Subgroup") if kind == "tno"
                         else ("Crime Type", "Crime Subtype"))
    name_col, code_col = ("Area Name", "Area Code") if kind == "knife" else ("Area name",
                                                                             "Area code")
    out = pd.DataFrame({
        "Month_Year": dates,
        "Area Type": rows["area_type"], "Borough_SNT": rows["snt"], name_col: rows["area"],
        code_col: rows["code"], type_col: rows["type"], sub_col: rows["subtype"],
        "Measure": rows["measure"], "Financial Year": fy, "FY_FYIndex": fy_idx,
        "Count": rows["count"], "Refresh Date": refresh,
    })
    if not fy_index:
        out = out.drop(columns="FY_FYIndex")
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(path, index=False, lineterminator="\n", encoding="utf-8-sig")
    return path


def _pieces(series, outcomes, kinds, *, legacy_subtypes=False, retyped=False) -> list:
    """(type, subtype, measure, counts) for the catalogue entries of ``kinds``."""
    pieces = []
    for kind, type_, subtype, key in CATALOGUE:
        if kind not in kinds:
            continue
        if legacy_subtypes:
            subtype = _LEGACY_SUBTYPES.get(key, subtype)
        if retyped and key == "lbd":
            type_ = subtype  # CONNECT files give lethal barrel discharge its own type
        pieces.append((type_, subtype, "Offences", series[key]))
        if key in outcomes:
            pieces.append((type_, subtype, "Positive Outcomes", outcomes[key]))
    return pieces


def _yearly_name(kind: str, start_year: int) -> str:
    fy = f"fy{start_year % 100:02d}-{(start_year + 1) % 100:02d}"
    label = "TNO" if kind == "tno" else "Other"
    if start_year == 2022:  # the real 2022-23 name has spaces and a month suffix
        return f"MPS Monthly Crime Dashboard_BoroughSNT_{label}CrimeData{fy}_03.csv"
    return f"MPS_BoroughSNT_{label}CrimeData{fy}.csv"


def write_dashboard_files(folder, boroughs, months: Sequence, seed: int, crime=None,
                          refresh: str = "01/10/2026") -> dict[str, list[Path]]:
    """Write the demo's dashboard downloads (yearly and rolling, all three kinds).

    Parameters
    ----------
    folder : str or Path
        Where to write (created if needed); point ``sources.dashboard`` at it.
    boroughs : DataFrame or sequence of str
        The demo boroughs: a frame with ``name`` (and optionally ``code``, ``centrality`` from
        0 at the edge of the map to 1 at its centre), or just the names.
    months : sequence of str or Period
        Every month of the demo, consecutive, oldest first.
    seed : int
        Seed of ``numpy.random.default_rng``: the same seed writes the same bytes.
    crime : DataFrame, optional
        The demo's recorded crime, ``borough, major, minor, month, count``: the TNO files hold
        exactly it and the other measures are drawn as shares of it. Without it, totals are
        drawn here.
    refresh : str
        ``Refresh Date`` of the rolling files (dd/mm/yyyy).

    Returns
    -------
    dict
        Kind (``tno``, ``other``, ``knife``) -> the files written, yearly ones first.
    """
    folder = Path(folder)
    rng = np.random.default_rng(seed)
    months = pd.PeriodIndex([pd.Period(m, "M") for m in months])
    areas = _boroughs(boroughs)
    totals = _totals(areas, months, crime, rng)
    # The aviation security "borough" row: a few offences a month, kept out by the reader.
    areas = pd.concat([areas, pd.DataFrame({"name": [AVIATION], "code": [""],
                                            "centrality": [0.0]})], ignore_index=True)
    totals = np.vstack([totals, rng.poisson(15, (1, len(months)))])
    series = _series(areas, months, totals, rng)
    outcomes = {k: rng.binomial(series[k], share) for k, share in OUTCOME_SHARE.items()}
    tno = [(g, sg, "Offences", c) for g, sg, c in _tno_series(areas, months, totals, crime, rng)]
    rolling = np.arange(len(months)) >= len(months) - ROLLING_MONTHS
    written: dict[str, list[Path]] = {"tno": [], "other": [], "knife": []}
    _write_yearly(folder, areas, months, rolling, tno, series, outcomes, written, rng)
    other = _pieces(series, outcomes, {"other"}, retyped=True)
    knife = _pieces(series, outcomes, {"knife"})
    for kind, pieces, style in (("tno", tno, "upper"), ("other", other, "upper"),
                                ("knife", knife, "title")):
        rows = _long(areas, months, pieces, rolling, style, legacy=False)
        name = f"M1045_MonthlyCrimeDashboard_{dict(tno='TNO', other='Other', knife='Knife')[kind]}"
        written[kind].append(_write(folder / f"{name}CrimeData.csv", rows, months, kind, refresh,
                                    fy_index=kind != "knife", snt=kind == "knife", rng=rng))
    return written


def _write_yearly(folder, areas, months, rolling, tno, series, outcomes, written, rng) -> None:
    """One TNO and one Other file per financial year up to the one the rolling files start in."""
    fy_start = np.where(months.month >= 4, months.year, months.year - 1)
    last = fy_start[np.argmax(rolling)]
    for start in range(int(fy_start[0]), int(last) + 1):
        keep = fy_start == start
        style = "sentence" if start in (2018, 2020) else "title"
        refreshed = YEARLY_REFRESH.format(year=start + 1)
        # The rolling files revise the months they share with this one: a few offences were
        # recorded late, so the yearly file has slightly fewer.
        def early(counts, keep=keep):
            late = rng.binomial(counts, 0.02) * (keep & rolling)[None, :]
            return counts - late
        other = [(t, s, m, early(c)) for t, s, m, c in _pieces(
            series, outcomes, {"other", "knife"}, legacy_subtypes=start < 2018)]
        for kind, pieces in (("tno", [(g, sg, m, early(c)) for g, sg, m, c in tno]),
                             ("other", other)):
            rows = _long(areas, months, pieces, keep, style, legacy=start < 2019)
            written[kind].append(_write(
                folder / _yearly_name(kind, start), rows, months, kind, refreshed,
                fy_index=start >= 2022, snt=(kind == "other" and start == 2019), rng=rng))
