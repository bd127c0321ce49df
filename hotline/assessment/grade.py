"""An analyst's grade of a url, and the rules that make it complete and consistent."""

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _

from hotline.assessment.errors import InvalidGrade
from hotline.assessment.vocabulary import AgeBand, Category, Outcome, Sex

if TYPE_CHECKING:
    from hotline.assessment.models import Assessment

GRADE_CHOICES = {"category": Category, "age_band": AgeBand, "sex": Sex}
FLAGS = ("self_generated", "commercial", "ai_generated")


@dataclass(frozen=True)
class Grade:
    """The outcome and, for a confirmed outcome only, the classification of the worst content."""

    outcome: str
    category: str = ""
    age_band: str = ""
    sex: str = ""
    self_generated: bool = False
    commercial: bool = False
    ai_generated: bool = False
    notes: str = ""

    @classmethod
    def of(cls, assessment: "Assessment") -> "Grade":
        return cls(**{name: getattr(assessment, name) for name in cls.__dataclass_fields__})

    def as_fields(self) -> dict[str, Any]:
        return asdict(self)

    def problems(self) -> dict[str, str]:
        """What is wrong, by field name; empty when the grade may be saved."""
        if self.outcome not in Outcome.values:
            return {"outcome": _("Choose an outcome.")}
        if self.outcome == Outcome.CONFIRMED:
            return self._missing_classification()
        return self._stray_classification()

    def require_valid(self) -> None:
        problems = self.problems()
        if problems:
            raise InvalidGrade(problems)

    def needs_second_analyst(self) -> bool:
        return self.outcome == Outcome.CONFIRMED or bool(settings.HOTLINE_CONFIRM_ALL_OUTCOMES)

    def same_classification(self, other: "Grade") -> bool:
        """Equal apart from the notes, which explain a grade but do not change it."""
        return {**self.as_fields(), "notes": ""} == {**other.as_fields(), "notes": ""}

    def _missing_classification(self) -> dict[str, str]:
        messages = {
            "category": _("Choose the category of the most severe content."),
            "age_band": _("Choose the age band of the youngest child."),
            "sex": _("Choose the sex of the children shown."),
        }
        return {
            name: message
            for name, message in messages.items()
            if getattr(self, name) not in GRADE_CHOICES[name].values
        }

    def _stray_classification(self) -> dict[str, str]:
        message = _("Leave this empty: only a confirmed outcome is classified.")
        stray = [name for name in GRADE_CHOICES if getattr(self, name)]
        stray += [name for name in FLAGS if getattr(self, name)]
        return dict.fromkeys(stray, message)
