# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   slp:
#     section: Knife and gun crime
# ---

# %% tags=["parameters"]
from typing import Optional

params_file: str = "params/demo.yaml"  # parameters file, relative to the project root
borough: Optional[str] = None  # overrides the file's borough, e.g. "Lewisham"
period_end: Optional[str] = None  # overrides the last month of the reporting period, YYYY-MM
comparators: Optional[list] = None  # overrides the comparator boroughs
audience: Optional[str] = None  # "public" (small counts suppressed) or "internal"
sources: Optional[dict] = None  # input files; set by `papermill -f params/X.yaml`
disclosure: Optional[dict] = None  # suppression thresholds; set by `papermill -f`
map_categories: Optional[bool] = None  # allow mixing old and new MPS classifications
title: Optional[str] = None  # optional report title
published: Optional[dict] = None  # figures printed earlier, to compare with; set by `papermill -f`
prepared: Optional[str] = None  # set by `slp run`: the inputs loaded once for the whole run; leave None

# %%
from slp import assessment
from slp.sections import knife_gun

a = assessment.prepare(
    params_file, borough=borough, period_end=period_end, comparators=comparators,
    audience=audience, sources=sources, disclosure=disclosure,
    map_categories=map_categories, title=title, published=published, prepared=prepared,
)

# %%
knife_gun.title(a, "Knife and gun crime")

# %% [markdown]
# ## Knife crime and gun crime
#
# Knife crime, knife crime with injury and gun crime as flagged in the MPS Monthly Crime Dashboard.

# %%
knife_gun.knife_gun(a)

# %% [markdown]
# ## Possession of weapons offences
#
# From the recorded-crime files. These are possession offences, not the knife-crime flag: a knife used in a robbery is recorded as robbery.

# %%
knife_gun.weapon_possession(a)
