"""The grade form of one media item, with the url form's keys where they mean the same thing.

Its keys only act while the item has the focus (its element is a shortcut scope in grading.js):
a b c the categories, 2 and 3 NPI and not illegal (the url form's outcome digits for them),
q-y the age band, g o h u the sex, s m i the flags, Enter saves.
"""

from typing import Any

from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from hotline.assessment.forms import Option
from hotline.assessment.media_grades import FLAG_FIELDS, classification_problems
from hotline.assessment.shortcuts import CHOICE_KEYS, FLAG_KEYS
from hotline.assessment.vocabulary import AgeBand, GradeCategory, Outcome, Sex

CATEGORY_KEYS = {
    **CHOICE_KEYS["category"],
    GradeCategory.NPI: CHOICE_KEYS["outcome"][Outcome.NPI],
    GradeCategory.NOT_ILLEGAL: CHOICE_KEYS["outcome"][Outcome.NOT_ILLEGAL],
}
ITEM_CHOICES: dict[str, Any] = {"category": GradeCategory, "age_band": AgeBand, "sex": Sex}
ITEM_KEYS = {**CHOICE_KEYS, "category": CATEGORY_KEYS}


def _choice(choices: Any, label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the options shown.")},
    )


class MediaGradeForm(forms.Form):
    """What one item is; categories A to C with the youngest age band and the sex."""

    category = _choice(GradeCategory.choices, _("What this item is"))
    age_band = _choice(AgeBand.choices, _("Youngest age band"))
    sex = _choice(Sex.choices, _("Sex of the children"))
    self_generated = forms.BooleanField(label=_("Self-generated"), required=False)
    commercial = forms.BooleanField(label=_("Commercial"), required=False)
    ai_generated = forms.BooleanField(label=_("AI-generated"), required=False)

    def __init__(self, *args: Any, item_pk: int, **kwargs: Any) -> None:
        kwargs["prefix"] = f"item{item_pk}"
        super().__init__(*args, **kwargs)
        self.item_pk = item_pk

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            for name, message in classification_problems(self.grade_fields()).items():
                self.add_error(name, message)
        return cleaned

    def grade_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields: dict[str, Any] = {name: data.get(name) or "" for name in ITEM_CHOICES}
        return fields | {flag: bool(data.get(flag)) for flag in FLAG_FIELDS}

    @cached_property
    def groups(self) -> dict[str, list[Option]]:
        return {
            name: [
                self._option(name, value, str(label), ITEM_KEYS[name][value])
                for value, label in choices.choices
            ]
            for name, choices in ITEM_CHOICES.items()
        }

    @cached_property
    def flags(self) -> list[Option]:
        return [
            self._option(name, "on", str(self.fields[name].label), FLAG_KEYS[name])
            for name in FLAG_FIELDS
        ]

    def _option(self, name: str, value: str, label: str, key: str) -> Option:
        field = self[name]
        checked = bool(field.value()) if name in FLAG_FIELDS else field.value() == value
        errors = [str(error) for error in field.errors]
        html_id = f"id_{field.html_name}_{value}"
        return Option(html_id, field.html_name, value, label, key, checked, False, errors)
