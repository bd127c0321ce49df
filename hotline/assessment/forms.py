"""The grading, dispute and resolution forms; their rules are the models' and `Grade`'s."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from hotline.assessment.grade import FLAGS, GRADE_CHOICES, Grade
from hotline.assessment.shortcuts import CHOICE_KEYS, DISPUTE, FLAG_KEYS
from hotline.assessment.vocabulary import AgeBand, Category, Outcome, Sex

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NOTES_MAX_LENGTH = 5000
CHOICES = {"outcome": Outcome, **GRADE_CHOICES}


@dataclass(frozen=True)
class Option:
    """One radio button or checkbox as the template draws it, with its keyboard shortcut."""

    id: str
    name: str
    value: str
    label: str
    key: str
    checked: bool
    opens_grade: bool
    errors: list[str]


def _choice(choices: Any, label: "StrOrPromise", required: bool) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the options shown.")},
    )


class GradeForm(forms.Form):
    """Outcome, and for a confirmed outcome only, the classification of the worst content."""

    outcome = _choice(Outcome.choices, _("Outcome"), required=False)
    category = _choice(Category.choices, _("Category of the most severe content"), False)
    age_band = _choice(AgeBand.choices, _("Youngest age band"), False)
    sex = _choice(Sex.choices, _("Sex of the children"), False)
    self_generated = forms.BooleanField(label=_("Self-generated"), required=False)
    commercial = forms.BooleanField(label=_("Commercial"), required=False)
    ai_generated = forms.BooleanField(label=_("AI-generated"), required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    override_reason = forms.CharField(
        label=_("Why the page differs from the grades of its items"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            for name, message in self.to_grade().problems().items():
                self.add_error(name, message)
        return cleaned

    def to_grade(self) -> Grade:
        data = self.cleaned_data
        return Grade(
            outcome=data.get("outcome") or "",
            category=data.get("category") or "",
            age_band=data.get("age_band") or "",
            sex=data.get("sex") or "",
            self_generated=bool(data.get("self_generated")),
            commercial=bool(data.get("commercial")),
            ai_generated=bool(data.get("ai_generated")),
            notes=data.get("notes") or "",
        )

    def add_problems(self, problems: dict[str, str]) -> None:
        for name, message in problems.items():
            self.add_error(name if name in self.fields else None, message)

    @cached_property
    def groups(self) -> dict[str, list[Option]]:
        """The radio buttons of each choice, ready to draw with their keys."""
        return {
            name: [
                self._option(name, value, str(label), CHOICE_KEYS[name][value])
                for value, label in choices.choices
            ]
            for name, choices in CHOICES.items()
        }

    @cached_property
    def flags(self) -> list[Option]:
        return [
            self._option(name, "on", str(self.fields[name].label), FLAG_KEYS[name])
            for name in FLAGS
        ]

    def _option(self, name: str, value: str, label: str, key: str) -> Option:
        current = self[name].value()
        checked = bool(current) if name in FLAGS else current == value
        opens_grade = name == "outcome" and value == Outcome.CONFIRMED
        errors = [str(error) for error in self[name].errors] if name in FLAGS else []
        return Option(f"id_{name}_{value}", name, value, label, key, checked, opens_grade, errors)


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you disagree?"),
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "data-shortcut": DISPUTE}),
        error_messages={"required": _("Say why you disagree with this assessment.")},
    )
