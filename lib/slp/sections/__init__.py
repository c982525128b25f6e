"""The sections of the assessment notebooks, one module per page; words from numbers.

Each section is a function taking an :class:`~slp.assessment.Assessment` and returning a
:class:`~slp.sections.blocks.Block` of HTML (sentences, an accessible chart with its data table,
tables) that a notebook displays, e.g. ``from slp.sections import summary`` then
``summary.headline(a)``. Every count a reader sees goes through
:func:`slp.disclosure.publish`.

========================  ===================================================================
``blocks``                HTML building blocks: Block, p, bullets, missing_source, title
``intros``                the headings and opening lines that name the frame: intro, words
``summary``               00-summary: headline, borough_ranking, funnel, crime_types, data_notes
``trends``                01-trends: monthly_trend, seasonality, category_trends,
                          largest_changes, comparators
``covid``                 02-covid: covid_rates, expected_vs_observed, pre_pandemic
``domestic_abuse``        03-domestic-abuse: domestic_abuse, vawg_recorded
``knife_gun``             04-knife-gun: knife_gun, weapon_possession
``ward_maps``             05-ward-maps: ward_rates, ward_change, hotspots, interactive_ward_map
``hate_crime``            06-hate-crime: hate_crime, hate_crime_strands
``statutory``             07-statutory: checklist, local_inputs
``serious_violence``      08-serious-violence: definition, profile, trend, knife_gun, where,
                          needs_assessment, substance_misuse, reoffending, harm
``asb``                   09-asb: volume, monthly, by_ward, by_lsoa, partners
``changes``               10-changes: previous, moves, reasons, partnership
``_shared``               category tables and the publish calls several pages use
``_dashboard``            the MPS dashboard measures as the pages show them (sentences,
                          verdict, breaks, table, chart)
``_priority_words``       the dashboard pages' sentences
``_local``                the partnership's local inputs as the pages show them
``_harm``                 harm beside volume (the serious violence page)
========================  ===================================================================
"""

PAGES = ("summary", "trends", "covid", "domestic_abuse", "knife_gun", "ward_maps",
         "hate_crime", "statutory", "serious_violence", "asb", "changes")
