"""Load shedding for the public intake endpoints.

Under overload a web server queues requests until they time out. Instead, each process lets
only a few reports be written at once; a request that cannot start within a short wait is
answered 503 with Retry-After at once, so reporters and partners learn quickly to retry.
"""

import threading
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

INTAKE_PATHS = ("/report/", "/api/v1/reports")


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
