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
#     section: What changed since the last assessment
# ---

# %% tags=["parameters"]
params_file: str = "params/demo.yaml"  # the parameters file (YAML), relative to the project root
prepared: str = ""  # set by `slp run`: the inputs it loaded once for every notebook; leave empty

# %%
from slp import assessment
from slp.sections import changes

a = assessment.prepare(params_file, prepared=prepared)

# %%
changes.title(a, "What changed since the last assessment")

# %% [markdown]
# ## Compared with
#
# The regulations ask the assessment for the changes since the previous one, and why.

# %%
changes.previous(a)

# %% [markdown]
# ## What moved
#
# Rates, ranks and verdicts that changed, and categories that entered or left the five largest.

# %%
changes.moves(a)

# %% [markdown]
# ## Why, as far as the data can say

# %%
changes.reasons(a)

# %% [markdown]
# ## The partnership's account

# %%
changes.partnership(a)
