# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: slp
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   slp:
#     section: Domestic abuse and VAWG
# ---

# %% tags=["parameters"]
params_file: str = "params/demo.yaml"  # the parameters file (YAML), relative to the project root
prepared: str = ""  # set by `slp run`: the inputs it loaded once for every notebook; leave empty

# %%
from slp import assessment
from slp.sections import domestic_abuse, intros

a = assessment.prepare(params_file, prepared=prepared)

# %%
domestic_abuse.title(a, "Domestic abuse and violence against women and girls")

# %%
intros.intro(a, "domestic_abuse.flags")

# %%
domestic_abuse.domestic_abuse(a)

# %% [markdown]
# ## Sexual offences and violence against the person
#
# From the recorded-crime files: these categories include, but are not limited to, violence against women and girls.

# %%
domestic_abuse.vawg_recorded(a)
