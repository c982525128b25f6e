"""The 32 London boroughs policed by the MPS, and the rows of MPS files that are not boroughs.

London, in every London comparison, is these 32 boroughs: the City of London has its own
police force and the airports row is not a borough.
"""

from __future__ import annotations

LONDON_BOROUGHS: dict[str, str] = {
    "Barking and Dagenham": "E09000002",
    "Barnet": "E09000003",
    "Bexley": "E09000004",
    "Brent": "E09000005",
    "Bromley": "E09000006",
    "Camden": "E09000007",
    "Croydon": "E09000008",
    "Ealing": "E09000009",
    "Enfield": "E09000010",
    "Greenwich": "E09000011",
    "Hackney": "E09000012",
    "Hammersmith and Fulham": "E09000013",
    "Haringey": "E09000014",
    "Harrow": "E09000015",
    "Havering": "E09000016",
    "Hillingdon": "E09000017",
    "Hounslow": "E09000018",
    "Islington": "E09000019",
    "Kensington and Chelsea": "E09000020",
    "Kingston upon Thames": "E09000021",
    "Lambeth": "E09000022",
    "Lewisham": "E09000023",
    "Merton": "E09000024",
    "Newham": "E09000025",
    "Redbridge": "E09000026",
    "Richmond upon Thames": "E09000027",
    "Southwark": "E09000028",
    "Sutton": "E09000029",
    "Tower Hamlets": "E09000030",
    "Waltham Forest": "E09000031",
    "Wandsworth": "E09000032",
    "Westminster": "E09000033",
}

# The synthetic demo's fictional boroughs live here, not in slp.demo, so that checking a
# parameters file never has to import the geometry stack the generator needs.
#: The focus borough of the demo (fictional; not the name of any UK local authority).
DEMO_BOROUGH: str = "Wexbridge"

#: Two fictional boroughs that share a boundary with :data:`DEMO_BOROUGH`.
DEMO_COMPARATORS: list[str] = ["Calderwick", "Ashmere"]

#: The 32 fictional boroughs that stand for "London" in the demo, in alphabetical order.
DEMO_BOROUGHS: list[str] = sorted(
    [
        "Ashmere",
        "Brackenholt",
        "Brindlecombe",
        "Calderwick",
        "Coldharbour Downs",
        "Denholm Marsh",
        "Dunmarsh",
        "Eastwick Vale",
        "Elmstow",
        "Fernleigh Vale",
        "Foxley Common",
        "Glenmoor",
        "Greyhollow",
        "Hartsmere",
        "Hollins Park",
        "Ivelbury",
        "Kestonbrook",
        "Kingsreach",
        "Larchmont Heath",
        "Mardlow",
        "Netherfold",
        "Orchard Stanmere",
        "Pelham Reach",
        "Quenby",
        "Rookwater",
        "Saltmarsh Cross",
        "Thornwick",
        "Ulverdean",
        "Vantage Hill",
        "Wendlemoor",
        "Wexbridge",
        "Yarrowfield",
    ]
)

#: The demo's fictional police force outside London (``slp demo`` writes its police.uk files).
DEMO_FORCE: str = "Wexshire Constabulary"

#: The force's five fictional authorities, each its own Community Safety Partnership area.
DEMO_FORCE_AUTHORITIES: list[str] = ["Ferrowdale", "Harlbury", "Morrick Vale", "Stonecombe",
                                     "Wexmouth"]

#: The fictional authority next to the force (in another force); a few of its rows fall there.
DEMO_FORCE_NEIGHBOUR: str = "Tollgate Moor"


#: Rows that appear in MPS files but are not boroughs; kept out of borough and London totals.
NOT_BOROUGHS: frozenset[str] = frozenset(
    {
        "London Heathrow and London City Airports",
        "Heathrow",
        "Unknown",
        "Aviation Security (SO18)",
        "City of London",
    }
)


def is_not_borough(name: str) -> bool:
    """True for MPS rows that are not one of the boroughs (airports, unknown, aviation)."""
    text = str(name).strip()
    return text in NOT_BOROUGHS or "airport" in text.lower() or text.lower().startswith("unknown")


def is_demo_borough(name: str) -> bool:
    """True for the fictional boroughs and authorities of the synthetic demo (never a real
    place): the demo's London boroughs, its force's authorities and their neighbour."""
    text = str(name).strip()
    return text in DEMO_BOROUGHS or text in DEMO_FORCE_AUTHORITIES or text == DEMO_FORCE_NEIGHBOUR


def area_noun(counts: dict[str, float]) -> str:
    """What a file's areas are in plain words: ``"borough"`` when at least half of ``counts``
    (area name -> count) is in London's boroughs or the demo's fictional ones, else ``"local
    authority"`` (a police.uk force outside London).

    >>> area_noun({"Lewisham": 5, "Greenwich": 2}), area_noun({"Newport": 5, "Lewisham": 1})
    ('borough', 'local authority')
    """
    total = sum(counts.values())
    london = sum(v for k, v in counts.items() if k in LONDON_BOROUGHS or k in DEMO_BOROUGHS)
    return "borough" if not total or 2 * london >= total else "local authority"
