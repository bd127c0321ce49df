from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hotline.takedown.models import (
    NoticeTemplate,
    Partner,
    Provider,
    ProviderRule,
    RuleKind,
    normalised_rule,
)


class ProviderForm(forms.ModelForm[Provider]):
    class Meta:
        model = Provider
        fields = ("name", "abuse_email", "contact_status", "language", "country_code", "notes")


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Recognise it by"), choices=RuleKind.choices)
    value = forms.CharField(label=_("Value"), max_length=255)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "kind" in data and "value" in data:
            data["value"] = normalised_rule(data["kind"], data["value"])
            if ProviderRule.objects.filter(kind=data["kind"], value=data["value"]).exists():
                raise ValidationError({"value": _("Another provider already has this rule.")})
        return data


class AssignProviderForm(forms.Form):
    """Name the provider of a case: one from the directory, or a new one with its contact."""

    provider = forms.ModelChoiceField(
        label=_("A provider in the directory"), queryset=Provider.objects.all(), required=False
    )
    name = forms.CharField(label=_("Or a new provider's name"), max_length=200, required=False)
    abuse_email = forms.EmailField(label=_("Its abuse email"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("provider") and not (data.get("name") and data.get("abuse_email")):
            raise ValidationError(
                _("Choose a provider, or give a new provider's name and abuse email.")
            )
        if not data.get("provider") and Provider.objects.filter(name=data["name"]).exists():
            raise ValidationError({"name": _("This provider is already in the directory.")})
        return data


class PartnerForm(forms.ModelForm[Partner]):
    class Meta:
        model = Partner
        fields = ("name", "kind", "country_code", "email", "language", "active")


class NoticeTemplateForm(forms.ModelForm[NoticeTemplate]):
    class Meta:
        model = NoticeTemplate
        fields = ("subject", "body")
        widgets = {"body": forms.Textarea(attrs={"rows": 20})}
