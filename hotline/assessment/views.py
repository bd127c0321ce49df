from django.http import HttpRequest, HttpResponse


def queue(request: HttpRequest) -> HttpResponse:
    return HttpResponse("queue")


def confirmations(request: HttpRequest) -> HttpResponse:
    return HttpResponse("confirmations")


def disputes(request: HttpRequest) -> HttpResponse:
    return HttpResponse("disputes")
