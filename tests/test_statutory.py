"""The statutory checklist: every requirement with its law, met by a section, a local input,
in part, or not supplied."""

from __future__ import annotations

import pytest

from slp.errors import SlpError
from slp.statutory import (
    LOCAL_INPUT_KEYS,
    MET,
    NOT_SUPPLIED,
    PARTLY,
    REQUIREMENTS,
    SECTION_KEYS,
    checklist,
)


def by_key(result):
    return {i.key: i for i in result.items}


def test_every_requirement_of_the_brief_is_there_with_its_law():
    laws = {r.key: " ".join(r.law) for r in REQUIREMENTS}
    assert list(laws) == ["crime", "asb", "substance_misuse", "reoffending", "serious_violence",
                          "changes", "priorities", "community_views", "previous_plan"]
    assert "Crime and Disorder Act 1998 s.6(1)(a)" in laws["asb"]
    assert "s.6(1)(b)" in laws["substance_misuse"]
    assert "s.6(1)(c)" in laws["reoffending"]
    assert "s.6(1)(d), inserted by Police, Crime, Sentencing and Courts Act 2022 s.20" in (
        laws["serious_violence"])
    assert "s.8(3)(a) and (b) (Serious Violence Duty)" in laws["serious_violence"]
    for key in ("changes", "priorities", "community_views", "previous_plan"):
        assert "{regulations}" in laws[key]


def test_nothing_ran_and_nothing_supplied():
    result = checklist([], None)
    assert {i.status for i in result.items} == {NOT_SUPPLIED}
    assert NOT_SUPPLIED == "not supplied: local input"
    assert all(i.must_add and i.met_by == () for i in result.items)


def test_a_typical_public_data_run_in_england():
    sections = {"summary": "index.html#summary", "trends": "trends.html",
                "asb": "asb.html", "substance_misuse": "drugs.html",
                "serious_violence": "violence.html", "changes": "changes.html",
                "covid": "covid.html"}  # a section no requirement uses: ignored
    items = by_key(checklist(sections, {"consultation": "local.html#consultation"}))
    assert items["crime"].status == MET
    assert items["crime"].met_by == ("index.html#summary", "trends.html")
    assert items["asb"].status == MET
    # public data show drug offences and recorded serious violence, not the whole requirement
    assert items["substance_misuse"].status == PARTLY
    assert "public health" in items["substance_misuse"].must_add
    assert items["serious_violence"].status == PARTLY
    assert "strategic needs assessment" in items["serious_violence"].must_add
    assert items["changes"].status == MET and items["changes"].must_add == ""
    assert items["community_views"].status == MET
    assert items["community_views"].met_by == ("local.html#consultation",)
    for key in ("reoffending", "priorities", "previous_plan"):
        assert items[key].status == NOT_SUPPLIED, key
    assert "probation" in items["reoffending"].must_add
    assert "Regulations 2007 (SI 2007/1830)" in " ".join(items["priorities"].law)


def test_a_local_input_completes_a_partly_met_requirement_and_both_are_cited():
    items = by_key(checklist(["substance_misuse"], ["substance_misuse"]))
    assert items["substance_misuse"].status == MET
    assert items["substance_misuse"].met_by == ("#substance_misuse", "#substance_misuse")
    assert items["substance_misuse"].must_add == ""


def test_wales_cites_the_welsh_regulations():
    items = by_key(checklist([], [], country="Wales"))
    law = " ".join(items["changes"].law)
    assert "(Wales) Regulations 2007 (SI 2007/3076)" in law
    assert "1830" not in law
    with pytest.raises(SlpError, match="country 'Scotland' is not known"):
        checklist([], [], country="Scotland")


def test_unused_inputs_and_rows():
    result = checklist(["summary"], {"prioritys": "x.html", "priorities": "p.html"})
    assert result.unused_inputs == ("prioritys",)
    rows = result.rows()
    assert len(rows) == len(REQUIREMENTS)
    assert rows[6] == {"requirement": "Matters the partnership should prioritise",
                       "law": "Crime and Disorder (Formulation and Implementation of Strategy) "
                              "Regulations 2007 (SI 2007/1830), regs 5 to 7 (strategic "
                              "assessment)",
                       "status": "met", "met_by": "p.html", "must_add": ""}


def test_key_lists_for_pages_and_params():
    assert {"summary", "asb", "serious_violence", "changes"} <= set(SECTION_KEYS)
    assert set(LOCAL_INPUT_KEYS) == {"asb", "substance_misuse", "reoffending",
                                     "serious_violence", "changes", "priorities",
                                     "consultation", "previous_plan"}
