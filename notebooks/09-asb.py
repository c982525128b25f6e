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
#     section: Anti-social behaviour
# ---

# %% tags=["parameters"]
params_file: str = "params/demo.yaml"  # the parameters file (YAML), relative to the project root
prepared: str = ""  # set by `slp run`: the inputs it loaded once for every notebook; leave empty

# %%
from slp import assessment
from slp.sections import asb

a = assessment.prepare(params_file, prepared=prepared)

# %%
asb.title(a, "Anti-social behaviour")

# %% [markdown]
# ## How much anti-social behaviour is reported to the police
#
# Incidents of anti-social behaviour reported to the police, from the data.police.uk street-level files.

# %%
asb.volume(a)

# %% [markdown]
# ## Month by month

# %%
asb.monthly(a)

# %% [markdown]
# ## Where it is reported: wards

# %%
asb.by_ward(a)

# %% [markdown]
# ## Where it is reported: small areas (LSOAs)

# %%
asb.by_lsoa(a)

# %% [markdown]
# ## The council's and housing providers' records
#
# ASB reported to the council or housing providers is not in the police data: the partnership's own figures.

# %%
asb.partners(a)
