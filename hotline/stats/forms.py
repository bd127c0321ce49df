from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from hotline.stats.figures import current_year

EARLIEST_YEAR = 1990


class YearForm(forms.Form):
    """The year whose figures to show; a bad one is explained and this year shown instead."""

    def __init__(self, query: QueryDict, *args: Any, **kwargs: Any) -> None:
        super().__init__(query if "year" in query else None, *args, **kwargs)
        self.fields["year"] = forms.IntegerField(
            label=_("Year"),
            min_value=EARLIEST_YEAR,
            max_value=current_year(),
            error_messages={
                "required": _("Enter a year, for example 2025."),
                "invalid": _("Enter a year as four digits, for example 2025."),
                "min_value": _("Enter a year from %(limit_value)s onwards."),
                "max_value": _("There are no figures for years after %(limit_value)s yet."),
            },
        )

    def chosen_year(self) -> int:
        """The valid year asked for, or this year when none (or a bad one) was."""
        if not self.is_bound or not self.is_valid():
            return current_year()
        year: int = self.cleaned_data["year"]
        return year
