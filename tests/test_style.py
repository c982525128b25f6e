"""The house style: colours with enough contrast on white (WCAG 2), checked by known answers."""

from __future__ import annotations

import pytest

from slp import style


def test_contrast_ratio_known_answers():
    # WebAIM: #767676 is the lightest grey with 4.5:1 on white (4.54:1); black on white is 21:1.
    assert style.contrast_ratio("#767676") == pytest.approx(4.54, abs=0.005)
    assert style.contrast_ratio("#000000") == pytest.approx(21.0)
    assert style.contrast_ratio("#FFFFFF") == pytest.approx(1.0)
    assert style.contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)


def test_palette_and_text_meet_wcag_contrast_on_white():
    assert style.contrast_ratio(style.TEXT) >= 4.5
    for colour in (*style.PALETTE[:4], style.NEUTRAL, style.MUTED):
        assert style.contrast_ratio(colour) >= 3.0, colour
    assert style.PALETTE[:4] == ("#0072B2", "#D55E00", "#009E73", "#CC79A7")  # Okabe-Ito
