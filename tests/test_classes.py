"""Classes for maps: breaks worked by hand, labels, and colours light to dark / blue to red."""

from __future__ import annotations

import pytest

from slp import style
from slp.classes import NEUTRAL_FILL, class_colours, classify
from slp.errors import SlpError


def test_quantile_breaks_by_hand():
    """Linear-interpolated thirds of 1..8, 100: position 8/3 = 2.67 between the 3rd and 4th
    values -> 3.67; position 16/3 = 5.33 between the 6th and 7th -> 6.33; last break = max."""
    classes = classify([1, 2, 3, 4, 5, 6, 7, 8, 100], "quantiles", 3)
    assert classes.bins == pytest.approx((3 + 2 / 3, 6 + 1 / 3, 100))
    assert classes.labels == ("1 to 3", "4 to 6", "7 to 100")
    assert classes.counts == (3, 3, 3)


def test_equal_interval_breaks_by_hand():
    """Width (100 - 1) / 3 = 33: breaks 34, 67, 100; eight values in the first class, none in
    the second, one (100) in the third."""
    classes = classify([1, 2, 3, 4, 5, 6, 7, 8, 100], "equal_interval", 3)
    assert classes.bins == (34.0, 67.0, 100.0)
    assert classes.labels == ("1 to 8", "over 34 to 67", "100")
    assert classes.counts == (8, 0, 1)
    assert [classes.class_of(v) for v in (1, 34, 34.5, 100)] == [0, 0, 1, 2]


def test_natural_breaks_find_the_obvious_groups():
    classes = classify([1, 2, 3, 10, 11, 12, 20, 21, 22], "natural_breaks", 3)
    assert classes.bins == (3.0, 12.0, 22.0)


def test_user_defined_breaks_get_the_maximum_added():
    classes = classify([1, 2, 3, 4, 5, 6, 7, 8, 100], "user_defined", bins=[5, 50])
    assert classes.bins == (5.0, 50.0, 100.0)
    assert classes.counts == (5, 3, 1)


def test_fewer_distinct_values_than_classes():
    classes = classify([1, 1, 2], "quantiles", 5)
    assert classes.bins == (1.0, 2.0)
    assert classes.labels == ("1", "2")


def test_diverging_classes_break_at_zero():
    """Equal intervals of -6..8 in two: width 7, breaks 1 and 8, so -6, -2 and 4 would share
    a class. Diverging adds 0 as a break; the class (0, 1] would then be empty, so the break at
    1 is dropped: breaks 0 and 8."""
    assert classify([-6, -2, 4, 8], "equal_interval", 2).bins == (1, 8)
    assert classify([-6, -2, 4, 8], "equal_interval", 2, diverging=True).bins == (0, 8)


def test_diverging_class_of_zeros_is_neutral():
    """Thirds of -1..1: breaks -1/3, 1/3, 1; with 0 added, (0, 1/3] is empty and dropped.
    Classes: -1 (blue), 0 (neutral grey), 1 (red)."""
    classes = classify([-1, -1, 0, 0, 0, 1], "equal_interval", 3, diverging=True)
    assert classes.bins == pytest.approx((-1 / 3, 0, 1))
    assert classes.labels == ("-1", "0", "1")
    blue, grey, red = class_colours(classes, diverging=True)
    assert grey == NEUTRAL_FILL
    assert int(blue[5:7], 16) > int(blue[1:3], 16) and int(red[1:3], 16) > int(red[5:7], 16)


def test_class_colours_sequential_light_to_dark_and_diverging_blue_to_red():
    classes = classify([1, 2, 3, 4, 5, 6, 7, 8, 100], "quantiles", 3)
    colours = class_colours(classes)
    darkness = [style.contrast_ratio(c) for c in colours]
    assert darkness == sorted(darkness) and len(set(colours)) == 3
    change = classify([-10, -5, 5, 10], "equal_interval", 2, diverging=True)
    blue, red = class_colours(change, diverging=True)
    assert int(blue[5:7], 16) > int(blue[1:3], 16)  # more blue than red
    assert int(red[1:3], 16) > int(red[5:7], 16)  # more red than blue


@pytest.mark.parametrize("kwargs", [{"scheme": "jenks2"}, {"k": 0}])
def test_bad_classification_is_an_error(kwargs):
    with pytest.raises(SlpError):
        classify([1, 2, 3], **{"scheme": "quantiles", "k": 3, **kwargs})
