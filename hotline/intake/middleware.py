"""Middleware of the public intake endpoints: load shedding, and a short way for the report API.

Under overload a web server queues requests until they time out. Instead, each process lets
only a few reports be written at once; a request that cannot start within a short wait is
answered 503 with Retry-After at once, so reporters and partners learn quickly to retry.
"""

import threading
from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.middleware.common import CommonMiddleware
from django.middleware.locale import LocaleMiddleware
from django.urls import resolve
from django.utils.deprecation import MiddlewareMixin

REPORT_API_PATH = "/api/v1/reports"
INTAKE_PATHS = ("/report/", REPORT_API_PATH)

Handler = Callable[[HttpRequest], HttpResponseBase]


class IntakeLoadSheddingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.slots = threading.BoundedSemaphore(settings.HOTLINE_INTAKE_CONCURRENCY)
        self.wait_seconds = settings.HOTLINE_INTAKE_QUEUE_TIMEOUT_MS / 1000

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or not request.path.startswith(INTAKE_PATHS):
            return self.get_response(request)
        if not self.slots.acquire(timeout=self.wait_seconds):
            return self._busy(request)
        try:
            return self.get_response(request)
        finally:
            self.slots.release()

    def _busy(self, request: HttpRequest) -> HttpResponse:
        message = "The hotline is very busy. Nothing was saved; please try again in a minute."
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse({"detail": message}, status=503)
        else:
            response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = "30"
        return response


class ReportApiMiddleware:
    """A short way through for the report API, placed right after the load shedding.

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
