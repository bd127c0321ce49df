from django.conf import settings
from django.http import HttpRequest


def hotline(request: HttpRequest) -> dict[str, object]:
    return {"hotline_name": settings.HOTLINE_NAME}
