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
#     section: Hate crime
# ---

# %% tags=["parameters"]
params_file: str = "params/demo.yaml"  # the parameters file (YAML), relative to the project root
prepared: str = ""  # set by `slp run`: the inputs it loaded once for every notebook; leave empty

# %%
from slp import assessment
from slp.sections import hate_crime, intros

a = assessment.prepare(params_file, prepared=prepared)

# %%
hate_crime.title(a, "Hate crime")

# %%
intros.intro(a, "hate_crime.flags")

# %%
hate_crime.hate_crime(a)

# %% [markdown]
# ## Hate crime by strand
#
# Racist, faith (antisemitic, islamophobic), homophobic, transphobic and disability hate crime.

# %%
hate_crime.hate_crime_strands(a)
