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
#     section: Serious violence, substance misuse and harm
# ---

# %% tags=["parameters"]
params_file: str = "params/demo.yaml"  # the parameters file (YAML), relative to the project root
prepared: str = ""  # set by `slp run`: the inputs it loaded once for every notebook; leave empty

# %%
from slp import assessment
from slp.sections import intros, serious_violence

a = assessment.prepare(params_file, prepared=prepared)

# %%
serious_violence.title(a, "Serious violence, substance misuse and harm")

# %% [markdown]
# ## What counts as serious violence here
#
# The Serious Violence Duty asks partnerships to assess the kinds of serious violence in their area. This is the local definition this report uses.

# %%
serious_violence.definition(a)

# %% [markdown]
# ## Serious violence by kind
#
# From the recorded-crime files: each kind's volume, change, rate and rank among the areas it is compared with.

# %%
serious_violence.profile(a)

# %% [markdown]
# ## Month by month
#
# The categories of the local definition together, over the last three years.

# %%
serious_violence.trend(a)

# %%
intros.intro(a, "serious_violence.flags")

# %%
serious_violence.knife_gun(a)

# %% [markdown]
# ## Where serious violence happens
#
# The categories of the local definition by ward.

# %%
serious_violence.where(a)

# %% [markdown]
# ## The partnership's needs assessment
#
# The causes of serious violence are not in any public file: the partnership's own assessment.

# %%
serious_violence.needs_assessment(a)

# %% [markdown]
# ## Substance misuse
#
# Drug possession and drug trafficking offences, and the partners' figures.

# %%
serious_violence.substance_misuse(a)

# %% [markdown]
# ## Re-offending

# %%
serious_violence.reoffending(a)

# %% [markdown]
# ## Harm, not only volume
#
# Crimes weighted by harm, when the partnership supplies harm weights.

# %%
serious_violence.harm(a)
