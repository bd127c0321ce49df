"""A short way through Django's middleware for the report API (load shedding is in front of
Django, in `hotline.intake.shedding`)."""

from collections.abc import Callable
from typing import cast

from django.http import HttpRequest, HttpResponseBase
from django.middleware.common import CommonMiddleware
from django.middleware.locale import LocaleMiddleware
from django.urls import resolve
from django.utils.deprecation import MiddlewareMixin

from hotline.intake.shedding import REPORT_API_PATH

Handler = Callable[[HttpRequest], HttpResponseBase]


class ReportApiMiddleware:
    """A short way through for the report API, placed first after the static files.

    The API takes JSON and sets no cookie, so the session, user, second factor, CSRF, messages,
    lock-out and page headers (CSP, framing) have nothing to do, for about 5 % of the server's
    CPU per report. What applies to it still does: the language of the messages
    (LocaleMiddleware), and the host check and Content-Length (CommonMiddleware).
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.report_api = _chain(_resolved_view, LocaleMiddleware, CommonMiddleware)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method == "POST" and request.path_info == REPORT_API_PATH:
            return self.report_api(request)
        return self.get_response(request)


def _chain(view: Handler, *middleware: type[MiddlewareMixin]) -> Handler:
    """`view` behind `middleware`, the first outermost, as Django chains its MIDDLEWARE."""
    handler = view
    for layer in reversed(middleware):
        # Given a synchronous handler, Django's middleware answers synchronously.
        handler = cast(Handler, layer(handler))
    return handler


def _resolved_view(request: HttpRequest) -> HttpResponseBase:
    match = resolve(request.path_info)
    request.resolver_match = match
    response: HttpResponseBase = match.func(request, *match.args, **match.kwargs)
    return response
