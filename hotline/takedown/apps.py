from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings


class TakedownConfig(AppConfig):
    name = "hotline.takedown"
    label = "takedown"

    def ready(self) -> None:
        from hotline.core.schedule import PeriodicJob, register
        from hotline.takedown import receivers  # noqa: F401
        from hotline.takedown.tasks import takedown_cycle_task

        register(
            PeriodicJob(
                name="takedown-cycle",
                interval=lambda: timedelta(seconds=settings.HOTLINE_TAKEDOWN_CYCLE_SECONDS),
                task=takedown_cycle_task,
            )
        )
