"""Whole-number settings: a value outside its bounds stops start-up with the variable named."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from hotline.env import Env


def test_a_whole_number_within_its_bounds_is_read() -> None:
    assert Env({"HOTLINE_SHARE": "100"}).integer("HOTLINE_SHARE", 80, minimum=1, maximum=100) == 100
    assert Env({}).integer("HOTLINE_SHARE", 80, minimum=1, maximum=100) == 80


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("150", "HOTLINE_SHARE must be at most 100, not 150"),
        ("0", "HOTLINE_SHARE must be at least 1, not 0"),
        ("eighty", "HOTLINE_SHARE must be a whole number, not 'eighty'"),
    ],
)
def test_a_value_outside_its_bounds_is_refused_with_the_variable_named(
    value: str, message: str
) -> None:
    with pytest.raises(ImproperlyConfigured) as refused:
        Env({"HOTLINE_SHARE": value}).integer("HOTLINE_SHARE", 80, minimum=1, maximum=100)

    assert str(refused.value) == message
