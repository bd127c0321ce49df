"""Queue requested captures and enqueue periodic jobs when due; any number may run, anywhere."""

import signal
import threading
from datetime import timedelta
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from hotline.core import schedule


class Command(BaseCommand):
    help = (
        "Queue requested captures every HOTLINE_DISPATCH_SECONDS and enqueue periodic jobs "
        "(capture sweep, retention, ...) when due. Several schedulers never queue the same "
        "request or run twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="dispatch what is requested and enqueue what is due now, then stop",
        )
        parser.add_argument(
            "--tick",
            type=int,
            default=settings.HOTLINE_SCHEDULE_TICK_SECONDS,
            help="seconds between two looks (default: HOTLINE_SCHEDULE_TICK_SECONDS)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            for name, moved in schedule.dispatch().items():
                if moved:
                    self.stdout.write(f"{name}: queued {moved}")
            for name in schedule.enqueue_due():
                self.stdout.write(f"enqueued {name}")
            return
        names = ", ".join(job.name for job in schedule.registered())
        self.stdout.write(f"scheduling {names} every {options['tick']} s")
        dispatchers = ", ".join(sorted(schedule.DISPATCHERS))
        every = settings.HOTLINE_DISPATCH_SECONDS
        self.stdout.write(f"dispatching {dispatchers} every {every} s")
        stop = threading.Event()

        def _stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        schedule.run_forever(timedelta(seconds=options["tick"]), stop, timedelta(seconds=every))
