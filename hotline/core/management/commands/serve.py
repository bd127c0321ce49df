"""Run the production web server (gunicorn) and, unless told not to, a task worker beside it."""

import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from gunicorn.app.base import BaseApplication

from hotline.wsgi import application


class HotlineServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return application


class Command(BaseCommand):
    help = "Serve Hotline with gunicorn and run the background task worker in a child process."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=settings.HOTLINE_WEB_WORKERS)
        parser.add_argument("--threads", type=int, default=settings.HOTLINE_WEB_THREADS)
        parser.add_argument("--no-worker", action="store_true", help="Do not start a task worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = None if options["no_worker"] else self._start_task_worker()
        self.stdout.write(f"Hotline is serving on http://{options['bind']}/")
        try:
            HotlineServer(self._gunicorn_options(options)).run()
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)

    def _start_task_worker(self) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "hotline.cli", "db_worker", "--queue-name", "*"]
        return subprocess.Popen(command)  # noqa: S603

    def _gunicorn_options(self, options: dict[str, Any]) -> dict[str, Any]:
        # No access log: request lines carry client addresses, which we never record.
        return {
            "bind": options["bind"],
            "workers": options["workers"],
            "threads": options["threads"],
            "worker_class": "gthread",
            "accesslog": None,
            "errorlog": "-",
            "timeout": 60,
            "graceful_timeout": 20,
            "backlog": 2048,
            # A socket of its own per worker, so the kernel spreads connections evenly; on a
            # shared socket one worker takes most keep-alive clients and sheds load early.
            "reuse_port": True,
        }
