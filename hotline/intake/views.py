from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("home")


def report(request: HttpRequest) -> HttpResponse:
    return HttpResponse("report")


def advice(request: HttpRequest, audience: str) -> HttpResponse:
    return HttpResponse("advice")
