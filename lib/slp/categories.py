"""MPS crime classifications and the mapping between the old and the new one.

The MPS has published recorded crime under three classifications:

``"oldest"``
    The 2008-2018 ``Borough, Major Category, Minor Category`` files (e.g. "Theft and Handling",
    "Fraud or Forgery"). No mapping to the later classifications is offered: its categories
    are drawn differently (vehicle crime sits inside theft), so they cannot be matched.
``"old"``
    Title-case ``MajorText``/``MinorText`` (e.g. "Violence Against the Person" /
    "Violence with Injury"), used until the 2024 re-basing.
``"new"``
    Upper-case Home Office categories (e.g. "VIOLENCE AGAINST THE PERSON" /
    "VIOLENCE WITH INJURY"), from late 2024.

:data:`OLD_TO_NEW` maps every old (major, minor) pair to a new one. The direction is old onto
new because the old classification is finer: several old minor categories (all 25 of
"Miscellaneous Crimes Against Society", the six weapons offences) became one new minor
category, so old -> new is a function but new -> old is not. The mapping was built from the
real files: the old vintage-2024-02 and the new vintage-2024-11 borough files both cover
2021-01..2024-01, and over those months each mapped old category's MPS-wide total (all rows)
is within 1.6% of the new category's, the grand total within 0.05% (see
``tests/test_categories.py``). Borough totals differ more, by 2-3%: the new files put offences
with no known borough in an ``Unknown`` row that the old files did not have. So a mapped
series still has a step where the classifications meet.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from slp.errors import CategoryMixError

CLASSIFICATIONS = ("oldest", "old", "new")

#: Major categories of the old title-case classification and the new one they became.
OLD_TO_NEW_MAJOR: dict[str, str] = {
    "Arson and Criminal Damage": "ARSON AND CRIMINAL DAMAGE",
    "Burglary": "BURGLARY",
    "Drug Offences": "DRUG OFFENCES",
    "Historical Fraud and Forgery": "FRAUD AND FORGERY",
    "Miscellaneous Crimes Against Society": "MISCELLANEOUS CRIMES AGAINST SOCIETY",
    "Possession of Weapons": "POSSESSION OF WEAPONS",
    "Public Order Offences": "PUBLIC ORDER OFFENCES",
    "Robbery": "ROBBERY",
    "Sexual Offences": "SEXUAL OFFENCES",
    "Theft": "THEFT",
    "Vehicle Offences": "VEHICLE OFFENCES",
    "Violence Against the Person": "VIOLENCE AGAINST THE PERSON",
}

_MISC = "Miscellaneous Crimes Against Society"
_MISC_MINORS = (
    "Absconding from Lawful Custody",
    "Aiding Suicide",
    "Bail Offences",
    "Bigamy",
    "Concealing an Infant Death Close to Birth",
    "Dangerous Driving",
    "Disclosure, Obstruction, False or Misleading State",
    "Exploitation of Prostitution",
    "Forgery or Use of Drug Prescription",
    "Fraud or Forgery Associated with Driver Records",
    "Going Equipped for Stealing",
    "Handling Stolen Goods",
    "Making, Supplying or Possessing Articles for use i",
    "Obscene Publications",
    "Offender Management Act",
    "Other Forgery",
    "Other Notifiable Offences",
    "Perjury",
    "Perverting Course of Justice",
    "Possession of False Documents",
    "Profitting From or Concealing Proceeds of Crime",
    "Soliciting for Prostitution",
    "Threat or Possession With Intent to Commit Crimina",
    "Wildlife Crime",
)
_WEAPON_MINORS = (
    "Other Firearm Offences",
    "Other Knife Offences",
    "Possession of Article with Blade or Point",
    "Possession of Firearm with Intent",
    "Possession of Firearms Offences",
    "Possession of Other Weapon",
)

#: Every old (major, minor) pair seen in the real files -> the new (major, minor) pair.
OLD_TO_NEW: dict[tuple[str, str], tuple[str, str]] = {
    ("Arson and Criminal Damage", "Arson"): ("ARSON AND CRIMINAL DAMAGE", "ARSON"),
    ("Arson and Criminal Damage", "Criminal Damage"): (
        "ARSON AND CRIMINAL DAMAGE",
        "CRIMINAL DAMAGE",
    ),
    # The 2020 files say "Burglary - Residential"; later old files "Domestic Burglary". The new
    # files say "BURGLARY IN A DWELLING" for months to 2024-01 (the ones that overlap the old
    # files) and "BURGLARY - RESIDENTIAL" after.
    ("Burglary", "Burglary - Residential"): ("BURGLARY", "BURGLARY IN A DWELLING"),
    ("Burglary", "Domestic Burglary"): ("BURGLARY", "BURGLARY IN A DWELLING"),
    ("Burglary", "Burglary - Business and Community"): (
        "BURGLARY",
        "BURGLARY BUSINESS AND COMMUNITY",
    ),
    ("Burglary", "Burglary Business and Community"): (
        "BURGLARY",
        "BURGLARY BUSINESS AND COMMUNITY",
    ),
    ("Drug Offences", "Drug Trafficking"): ("DRUG OFFENCES", "TRAFFICKING OF DRUGS"),
    ("Drug Offences", "Possession of Drugs"): ("DRUG OFFENCES", "POSSESSION OF DRUGS"),
    ("Historical Fraud and Forgery", "Historical Fraud and Forgery"): (
        "FRAUD AND FORGERY",
        "FRAUD AND FORGERY",
    ),
    **{
        (_MISC, minor): ("MISCELLANEOUS CRIMES AGAINST SOCIETY", "MISC CRIMES AGAINST SOCIETY")
        for minor in _MISC_MINORS
    },
    **{
        ("Possession of Weapons", minor): ("POSSESSION OF WEAPONS", "POSSESSION OF WEAPONS")
        for minor in _WEAPON_MINORS
    },
    ("Public Order Offences", "Other Offences Against the State, or Public Order"): (
        "PUBLIC ORDER OFFENCES",
        "OTHER OFFENCES PUBLIC ORDER",
    ),
    ("Public Order Offences", "Public Fear Alarm or Distress"): (
        "PUBLIC ORDER OFFENCES",
        "PUBLIC FEAR ALARM OR DISTRESS",
    ),
    ("Public Order Offences", "Racially or Religiously Aggravated Public Fear, Al"): (
        "PUBLIC ORDER OFFENCES",
        "RACE OR RELIGIOUS AGG PUBLIC FEAR",
    ),
    ("Public Order Offences", "Violent Disorder"): ("PUBLIC ORDER OFFENCES", "VIOLENT DISORDER"),
    ("Robbery", "Robbery of Business Property"): ("ROBBERY", "ROBBERY OF BUSINESS PROPERTY"),
    ("Robbery", "Robbery of Personal Property"): ("ROBBERY", "ROBBERY OF PERSONAL PROPERTY"),
    ("Sexual Offences", "Other Sexual Offences"): ("SEXUAL OFFENCES", "OTHER SEXUAL OFFENCES"),
    ("Sexual Offences", "Rape"): ("SEXUAL OFFENCES", "RAPE"),
    ("Theft", "Bicycle Theft"): ("THEFT", "BICYCLE THEFT"),
    ("Theft", "Other Theft"): ("THEFT", "OTHER THEFT"),
    ("Theft", "Shoplifting"): ("THEFT", "SHOPLIFTING"),
    ("Theft", "Theft from Person"): ("THEFT", "THEFT FROM THE PERSON"),
    ("Vehicle Offences", "Aggravated Vehicle Taking"): (
        "VEHICLE OFFENCES",
        "AGGRAVATED VEHICLE TAKING",
    ),
    ("Vehicle Offences", "Interfering with a Motor Vehicle"): (
        "VEHICLE OFFENCES",
        "INTERFERING WITH A MOTOR VEHICLE",
    ),
    ("Vehicle Offences", "Theft from a Motor Vehicle"): (
        "VEHICLE OFFENCES",
        "THEFT FROM A VEHICLE",
    ),
    ("Vehicle Offences", "Theft or Taking of a Motor Vehicle"): (
        "VEHICLE OFFENCES",
        "THEFT OR UNAUTH TAKING OF A MOTOR VEH",
    ),
    ("Violence Against the Person", "Homicide"): ("VIOLENCE AGAINST THE PERSON", "HOMICIDE"),
    ("Violence Against the Person", "Violence with Injury"): (
        "VIOLENCE AGAINST THE PERSON",
        "VIOLENCE WITH INJURY",
    ),
    ("Violence Against the Person", "Violence without Injury"): (
        "VIOLENCE AGAINST THE PERSON",
        "VIOLENCE WITHOUT INJURY",
    ),
}

#: Major categories that only the 2008-2018 ("oldest") classification uses.
OLDEST_ONLY_MAJORS = frozenset(
    {
        "Theft and Handling",
        "Criminal Damage",
        "Drugs",
        "Fraud or Forgery",
        "Other Notifiable Offences",
    }
)


def classify(majors: Iterable[str]) -> str | None:
    """Which classification a set of major categories belongs to.

    Parameters
    ----------
    majors : iterable of str
        Major category names from one file.

    Returns
    -------
    str or None
        ``"new"`` when every name is upper case, ``"oldest"`` when any is a 2008-2018-only
        major category, ``"old"`` when all are title case, and None when the names mix upper
        and title case (a file that should not exist).

    Examples
    --------
    >>> classify(["THEFT", "ROBBERY"])
    'new'
    >>> classify(["Theft", "Robbery"])
    'old'
    """
    names = {str(m).strip() for m in majors if str(m).strip()}
    upper = {m for m in names if m.isupper()}
    if names and upper == names:
        return "new"
    if upper:
        return None
    if names & OLDEST_ONLY_MAJORS:
        return "oldest"
    return "old"


def mapping_table() -> pd.DataFrame:
    """The old -> new mapping as a frame an analyst can read or export.

    Returns
    -------
    DataFrame
        Columns ``old_major, old_minor, new_major, new_minor``, one row per old pair.
    """
    rows = [(*old, *new) for old, new in OLD_TO_NEW.items()]
    return pd.DataFrame(rows, columns=["old_major", "old_minor", "new_major", "new_minor"])


def old_to_new(frame: pd.DataFrame, *, keys: Iterable[str]) -> tuple[pd.DataFrame, list[str]]:
    """Re-label old title-case categories as new upper-case ones and re-add the counts.

    Parameters
    ----------
    frame : DataFrame
        Long frame with ``major``, ``minor``, ``count`` and the other ``keys`` columns
        (e.g. ``borough, month``), in the old classification.
    keys : iterable of str
        The other identifying columns; rows sharing keys and the new (major, minor) are summed.

    Returns
    -------
    mapped, unmapped : DataFrame, list of str
        The re-labelled frame (same columns) and "major / minor" names that were not in
        :data:`OLD_TO_NEW` (they are upper-cased as they stand, so the caller can report them).

    Examples
    --------
    >>> old = pd.DataFrame({"borough": ["A", "A"], "major": ["Possession of Weapons"] * 2,
    ...     "minor": ["Other Knife Offences", "Possession of Other Weapon"], "count": [1, 2]})
    >>> old_to_new(old, keys=["borough"])[0]["count"].tolist()
    [3]
    """
    keys = list(keys)
    pairs = frame[["major", "minor"]].drop_duplicates()
    lookup_major, lookup_minor, unmapped = {}, {}, []
    for major, minor in pairs.itertuples(index=False):
        new = OLD_TO_NEW.get((major, minor))
        if new is None:
            unmapped.append(f"{major} / {minor}")
            new = (OLD_TO_NEW_MAJOR.get(major, str(major).upper()), str(minor).upper())
        lookup_major[(major, minor)], lookup_minor[(major, minor)] = new
    index = pd.MultiIndex.from_frame(frame[["major", "minor"]])
    out = frame.copy()
    out["major"] = index.map(lookup_major).astype(str)
    out["minor"] = index.map(lookup_minor).astype(str)
    columns = list(frame.columns)
    group = [c for c in columns if c != "count"]
    missing = set(keys) - set(group)
    if missing:
        raise KeyError(f"old_to_new: key columns not in frame: {sorted(missing)}")
    summed = out.groupby(group, sort=False, observed=True, as_index=False)["count"].sum()
    summed["count"] = summed["count"].astype("int64")
    return summed[columns], sorted(unmapped)


def check_same_classification(found: dict, source: str) -> str:
    """The one classification of several files, or a CategoryMixError naming them.

    Parameters
    ----------
    found : dict
        File path -> classification (``"oldest"``, ``"old"`` or ``"new"``).
    source : str
        Source name for the message.
    """
    kinds = sorted(set(found.values()), key=CLASSIFICATIONS.index)
    if len(kinds) <= 1:
        return kinds[0] if kinds else "old"
    paths = [Path(p) for p in found]
    counts = {p.name: sum(q.name == p.name for q in paths) for p in paths}
    shown = {p: p.name if counts[p.name] == 1 else f"{p.parent.name}/{p.name}" for p in paths}
    by_kind = {
        kind: ", ".join(f"'{shown[Path(p)]}'" for p, k in found.items() if k == kind)
        for kind in kinds
    }
    listed = "; ".join(f"{kind}: {names}" for kind, names in by_kind.items())
    raise CategoryMixError(
        source,
        None,
        f"files use different crime classifications ({listed}); a series must not mix them. "
        "Read them separately, or pass map_categories=True to map the old title-case "
        "categories onto the new upper-case ones"
        + (
            " (the 2008-2018 'Major Category' classification cannot be mapped)"
            if "oldest" in kinds
            else ""
        ),
    )
