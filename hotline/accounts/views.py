from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("home")


def login(request: HttpRequest) -> HttpResponse:
    return HttpResponse("login")


def two_factor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("two factor")


def logout(request: HttpRequest) -> HttpResponse:
    return HttpResponse("logout")
