from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hotline.lists.models import Keyword, Member, Scope


class MemberForm(forms.ModelForm[Member]):
    class Meta:
        model = Member
        fields = ["name", "contact_email"]
        labels = {"name": _("Organisation"), "contact_email": _("Contact email")}


class TermsForm(forms.Form):
    accepted_on = forms.DateField(
        label=_("Terms accepted on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date the member signed the terms of use; without it, no key works."),
    )

    def clean_accepted_on(self) -> date:
        accepted: date = self.cleaned_data["accepted_on"]
        if accepted > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return accepted

    def accepted_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["accepted_on"], time()))


class KeyForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label=_("The key may"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The key stops working at the start of this day."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        default_days = timedelta(days=settings.HOTLINE_MEMBER_KEY_DAYS)
        self.fields["expires_on"].initial = timezone.localdate() + default_days

    def clean_expires_on(self) -> date:
        expires: date = self.cleaned_data["expires_on"]
        if expires <= timezone.localdate():
            raise forms.ValidationError(_("Choose a date after today."))
        return expires

    def expires_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["expires_on"], time()))


class KeywordForm(forms.Form):
    term = forms.CharField(label=_("Term"), max_length=Keyword._meta.get_field("term").max_length)
