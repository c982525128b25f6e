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
#     section: Ward maps
# ---

# %% tags=["parameters"]
params_file: str = "params/demo.yaml"  # the parameters file (YAML), relative to the project root
prepared: str = ""  # set by `slp run`: the inputs it loaded once for every notebook; leave empty

# %%
from slp import assessment
from slp.sections import ward_maps

a = assessment.prepare(params_file, prepared=prepared)

# %%
ward_maps.title(a, "Ward maps")

# %% [markdown]
# ## Crime rate by ward
#
# Crimes per 1,000 residents in each ward over the last 12 months.

# %%
ward_maps.ward_rates(a)

# %% [markdown]
# ## Change by ward
#
# The change in each ward's count against the previous 12 months.

# %%
ward_maps.ward_change(a)

# %% [markdown]
# ## Hotspots
#
# Getis-Ord Gi* finds wards whose rate, together with their neighbours', is higher (hot spot) or lower (cold spot) than chance would explain, after a correction for testing many wards at once.

# %%
ward_maps.hotspots(a)

# %% [markdown]
# ## Explore the wards
#
# Move over or tab to a ward to see its figures. The table below the map holds the same numbers.

# %%
ward_maps.interactive_ward_map(a)
