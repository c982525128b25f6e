"""Writes the demo partnership's own inputs (params ``local:`` block) and a harm-weights file.

Every file says on its first line that it is FICTIONAL: a made-up residents' survey summary,
priorities, a review of the previous plan, a substance-misuse note and re-offending figures for
the fictional borough, and illustrative harm weights (made up for the demo, NOT the Cambridge
Crime Harm Index or the ONS Crime Severity Score). Fixed text: nothing is drawn from the
generator, so the other demo files stay byte-identical. The ``serious_violence`` and ``asb``
inputs are left out on purpose, so the demo report also shows "not supplied".
"""

from __future__ import annotations

from pathlib import Path

from slp.boroughs import DEMO_BOROUGH
from slp.demo.counts import Draw

#: Paths written under ``out``, by role.
FILES = {
    "local_consultation": "local/residents-survey-summary.md",
    "local_priorities": "local/priorities.md",
    "local_previous_plan": "local/previous-plan-review.md",
    "local_substance_misuse": "local/substance-misuse.md",
    "local_reoffending": "local/proven-reoffending.csv",
    "harm_weights": "local/harm-weights-illustrative.csv",
}
FICTIONAL = (f"FICTIONAL: written by `slp demo` for the made-up borough of {DEMO_BOROUGH}. "
             "It describes no real place, survey or partnership.")

TEXTS = {
    "local_consultation": f"""*{FICTIONAL}*

# Residents' survey 2026: summary

The partnership's online and street survey ran for six weeks in spring 2026 and had
1,240 responses from people who live or work in {DEMO_BOROUGH}.

Residents asked the partnership to prioritise:

1. Anti-social behaviour around the town centre and the high street at night
2. Drug dealing in stairwells and parks
3. Safety of women and girls on the way home

Young people in the youth forum said **knife crime** and feeling unsafe on buses worried them
most. Traders asked for more visible patrols and quicker responses to shoplifting.
""",
    "local_priorities": f"""*{FICTIONAL}*

# Priorities chosen by the partnership board

- **Violence and exploitation**: serious youth violence, knife crime and county lines.
- **Violence against women and girls**, including domestic abuse.
- **Anti-social behaviour and the night-time economy** in the town centre.
- **Reducing re-offending**, with probation and the youth justice service.

The board chose these from the assessment's figures and the residents' survey.
""",
    "local_previous_plan": f"""*{FICTIONAL}*

# Review of the 2023-26 partnership plan

- Done: the town-centre CCTV upgrade and the women's night safety charter.
- Partly done: the youth diversion programme reached half the young people planned.
- Not done: the drug treatment outreach post was not filled; it moves into the new plan.
""",
    "local_substance_misuse": f"""*{FICTIONAL}*

# Substance misuse: what partners report

Public health reports 410 adults in structured drug treatment and 285 in alcohol
treatment in 2025-26. Alcohol-related hospital admissions were 620 per 100,000 residents.
""",
    "local_reoffending": """cohort,offenders in cohort,proven re-offending rate (%),source
Adults,1450,24.8,FICTIONAL probation figures made up by slp demo
Young people (10-17),180,31.2,FICTIONAL youth justice figures made up by slp demo
""",
    # illustrative weights by MPS major category (days), made up for the demo
    "harm_weights": """scheme,category,weight,unit,source
mps-major,Violence Against the Person,150,days,"ILLUSTRATIVE weights made up for the slp demo: not the Cambridge Crime Harm Index or any published index"
mps-major,Sexual Offences,400,days,
mps-major,Robbery,365,days,
mps-major,Burglary,120,days,
mps-major,Theft,15,days,
mps-major,Vehicle Offences,20,days,
mps-major,Arson and Criminal Damage,30,days,
mps-major,Public Order Offences,10,days,
mps-major,Miscellaneous Crimes Against Society,20,days,
mps-major,Drug Offences,excluded,days,
mps-major,Possession of Weapons,excluded,days,
mps-major,Historical Fraud and Forgery,excluded,days,
""",
}


def write(out: Path, draw: Draw) -> dict[str, Path]:
    """Write the local inputs and the illustrative harm weights; returns {role: path}."""
    written = {}
    for role, relative in FILES.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(TEXTS[role], encoding="utf-8", newline="\n")
        written[role] = path
    return written
