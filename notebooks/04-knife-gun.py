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
#     section: Knife and gun crime
# ---

# %% tags=["parameters"]
params_file: str = "params/demo.yaml"  # the parameters file (YAML), relative to the project root
prepared: str = ""  # set by `slp run`: the inputs it loaded once for every notebook; leave empty

# %%
from slp import assessment
from slp.sections import intros, knife_gun

a = assessment.prepare(params_file, prepared=prepared)

# %%
knife_gun.title(a, "Knife and gun crime")

# %%
intros.intro(a, "knife_gun.flags")

# %%
knife_gun.knife_gun(a)

# %% [markdown]
# ## Possession of weapons offences
#
# From the recorded-crime files. These are possession offences, not the knife-crime flag: a knife used in a robbery is recorded as robbery.

# %%
knife_gun.weapon_possession(a)
