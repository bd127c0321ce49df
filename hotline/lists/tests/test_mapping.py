import pytest

from hotline.lists.mapping import Classification, classify


@pytest.mark.parametrize(
    ("category", "age_band", "ai_generated", "expected"),
    [
        ("A", "0-2", False, Classification(interpol_baseline=True, industry="A1")),
        ("B", "11-13", False, Classification(interpol_baseline=True, industry="A1")),
        ("C", "7-10", False, Classification(interpol_baseline=False, industry="A2")),
        ("A", "14-15", False, Classification(interpol_baseline=False, industry="B1")),
        ("C", "16-17", False, Classification(interpol_baseline=False, industry="B2")),
        ("A", "3-6", True, Classification(interpol_baseline=False, industry="A1")),
        ("B", "", False, Classification(interpol_baseline=False, industry="B1")),
    ],
)
def test_grades_map_to_the_baseline_and_the_industry_classes(
    category: str, age_band: str, ai_generated: bool, expected: Classification
) -> None:
    assert classify(category, age_band, ai_generated) == expected


@pytest.mark.parametrize("category", ["npi", "not_illegal", ""])
def test_categories_the_lists_do_not_take_map_to_nothing(category: str) -> None:
    assert classify(category, "3-6", False) is None
