import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from hotline.intake.shedding import IntakeLoadShedding

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")

application = IntakeLoadShedding(
    get_wsgi_application(),
    concurrency=settings.HOTLINE_INTAKE_CONCURRENCY,
    max_waiting=settings.HOTLINE_INTAKE_MAX_WAITING,
    wait_seconds=settings.HOTLINE_INTAKE_QUEUE_TIMEOUT_MS / 1000,
)
