import re
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

CODE_PATTERN = re.compile(r"\d{6}")


class SignInForm(AuthenticationForm):
    """Django's sign-in form with one message for every failure, so it never reveals whether
    a username exists or an account is inactive."""

    error_messages = {
        "invalid_login": _(
            "The username or password is not right. Both are case-sensitive. "
            "After several unsuccessful attempts, sign-in is paused for a while."
        ),
        "inactive": _(
            "The username or password is not right. Both are case-sensitive. "
            "After several unsuccessful attempts, sign-in is paused for a while."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = _("Enter your username.")
        self.fields["password"].error_messages["required"] = _("Enter your password.")


class CodeForm(forms.Form):
    """The six-digit code an authenticator app shows; spaces typed between digits are ignored."""

    code = forms.CharField(
        label=_("Six-digit code"),
        help_text=_("The code changes every 30 seconds. Enter the one shown now."),
        max_length=20,
        error_messages={"required": _("Enter the six-digit code from your authenticator app.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not CODE_PATTERN.fullmatch(code):
            raise forms.ValidationError(
                _("The code is six digits, such as 123456."), code="malformed"
            )
        return code

    def refuse(self, wait_seconds: int) -> None:
        """Show why a well-formed code was not accepted."""
        message: str
        if wait_seconds:
            message = gettext(
                "Too many wrong codes in a row. Wait %(seconds)d seconds, then enter the code "
                "shown at that moment."
            ) % {"seconds": wait_seconds}
        else:
            message = gettext(
                "That code was not accepted. Check that your phone's clock is right and enter "
                "the code shown now."
            )
        self.add_error("code", message)
