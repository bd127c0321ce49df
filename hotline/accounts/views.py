"""Sign-in (password, then the second factor), sign-out, and each role's home page."""

from typing import cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import LoginView, PasswordChangeView, redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from hotline.accounts import two_factor as factor
from hotline.accounts.access import is_verified, staff_required
from hotline.accounts.forms import CodeForm, SignInForm
from hotline.accounts.models import User
from hotline.audit.log import record


def safe_next(request: HttpRequest) -> str:
    """Where to go after signing in: the `next` asked for if it stays on this site, else home."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if allowed else resolve_url(settings.LOGIN_REDIRECT_URL)


def two_factor_url(next_url: str) -> str:
    url = reverse("accounts:two_factor")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class SignInView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm

    def get_success_url(self) -> str:
        # The password is only the first step: every staff page also needs the second factor.
        return two_factor_url(self.get_redirect_url())


@never_cache
@sensitive_post_parameters("code")
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator at first sign-in, or check its code at every later one."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url = safe_next(request)
    if is_verified(request):
        return redirect(next_url)
    user = request.user
    device = factor.confirmed_device(user)
    if device is None:
        return enrol(request, user, next_url)
    return verify(request, user, device, next_url)


def enrol(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    device = factor.enrolment_device(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if _accepts_code(form, user, device, "enrolment"):
        factor.confirm_enrolment(request, user, device)
        return redirect(next_url)
    context = {
        "form": form,
        "next": next_url,
        "qr_code": factor.qr_code_svg(device),
        "manual_key": factor.manual_key(device),
    }
    return render(request, "accounts/two_factor_enrol.html", context)


def verify(request: HttpRequest, user: User, device: TOTPDevice, next_url: str) -> HttpResponse:
    form = CodeForm(request.POST if request.method == "POST" else None)
    if _accepts_code(form, user, device, "verification"):
        factor.complete_verification(request, user, device)
        return redirect(next_url)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


def _accepts_code(form: CodeForm, user: User, device: TOTPDevice, purpose: str) -> bool:
    """Whether a code was sent and the device accepts it; a refusal is audited and explained."""
    if not form.is_valid():
        return False
    check = factor.check_code(user, device, form.cleaned_data["code"])
    if not check.accepted:
        factor.record_refusal(user, device, purpose, check)
        form.refuse(check.wait_seconds)
    return check.accepted


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    return redirect("stats:overview" if user.is_manager else "assessment:queue")


@method_decorator(staff_required, name="dispatch")
class ChangePasswordView(PasswordChangeView):
    """Staff change their own password; other sessions of theirs end, this one goes on."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:home")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        record("account.password_changed", actor=form.user)
        messages.success(self.request, _("Your password is changed."))
        return response


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Every 403 (admin pages included) of a signed-in person is audited; the public's are not,
    as nothing about them is ever recorded."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        reason = str(exception) if isinstance(exception, PermissionDenied) else ""
        record("access.denied", actor=user, detail={"path": request.path, "reason": reason})
    return render(request, "403.html", status=403)
