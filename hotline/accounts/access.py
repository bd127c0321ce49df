"""Who may open which staff page. Every refusal of a signed-in person is audited."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hotline.accounts.models import User
from hotline.audit.log import record

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def is_verified(request: HttpRequest) -> bool:
    """Whether this session passed the second factor (set by django-otp's middleware)."""
    return bool(getattr(request.user, "is_verified", lambda: False)())


def deny(request: HttpRequest, reason: str) -> HttpResponse:
    """403 with an audit entry naming the page that was refused."""
    record("access.denied", actor=request.user, detail={"path": request.path, "reason": reason})
    return render(request, "403.html", {"reason": reason}, status=403)


def role_required(allowed: Callable[[User], bool], description: Promise) -> Callable[[View], View]:
    """Signed in, second factor verified, and a role that `allowed` accepts."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_verified(request):
                return redirect("accounts:two_factor")
            if not allowed(user):
                return deny(request, gettext("This page is for %(who)s.") % {"who": description})
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator


staff_required = role_required(lambda user: user.has_staff_role, _("hotline staff"))
analyst_required = role_required(lambda user: user.is_analyst, _("analysts"))
senior_analyst_required = role_required(lambda user: user.is_senior_analyst, _("senior analysts"))
manager_required = role_required(lambda user: user.is_manager, _("managers"))
