"""The methods note: plain English, nothing overstated, no survey-style significance claims."""

from __future__ import annotations

from slp.methods import methods_note


def test_methods_note_explains_unusual_reference_period_and_recording():
    note = methods_note("12-month changes 2012-03..2020-02, n=96")
    assert note.startswith("## How we say whether a change is unusual")
    assert "(for the headline figure: 12-month changes 2012-03..2020-02, n=96)" in note
    note = " ".join(note.split())  # the markdown is wrapped; phrases may cross lines
    for phrase in ("within the range of normal year-to-year variation", "March 2020 to March 2021",
                   "fewer than 20 crimes", "usual seasonal pattern", "Benjamini-Hochberg",
                   "the level the 2017-2020 trend would have reached",
                   "reported", "record"):
        assert phrase in note
    assert "significan" not in note.lower()  # issue 11: no "statistically significant"


def test_methods_note_without_a_reference_reads_cleanly():
    note = methods_note()
    assert "same kind and measure" in " ".join(note.split())
    assert " \n" not in note and "  " not in note
