"""Run the production web server (gunicorn) and, beside it, task workers and the scheduler.

Each machine runs `hotline serve`; machines added for background work run
`hotline serve --no-web` against the same database (and Redis, with the RQ backend).
"""

import gc
import os
import signal
import subprocess
import sys
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from gunicorn.app.base import BaseApplication

from hotline.lists.matching import warm_up_in_background
from hotline.wsgi import application

Child = subprocess.Popen[bytes]


class HotlineServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return application


# How long a thread may keep the GIL while another waits for it (Python's default is 5 ms).
# A report makes one to a handful of round trips to the database, and after each one its
# thread waits for the GIL held by threads reading new requests: at 5 ms a wait, a report that
# needs 3 ms of CPU held its intake slot for 20-30 ms, and the process turned reports away at
# half a core.
WEB_GIL_SWITCH_INTERVAL_S = 0.0005


def _prepare_worker(worker: object) -> None:
    """Each web worker hands the GIL over sooner, leaves the objects of start-up out of garbage
    collection, and builds its hash list index as it starts, not at its first match request."""
    sys.setswitchinterval(WEB_GIL_SWITCH_INTERVAL_S)
    # A full collection walked every module, model and URL pattern loaded at start-up, stopping
    # all of the process's threads for tens of milliseconds: long enough for the reports waiting
    # behind them to be turned away.
    gc.freeze()
    warm_up_in_background()


def worker_command(backend: str) -> list[str] | None:
    """The `hotline` command that runs tasks of `backend`; None when tasks run in the caller."""
    if backend.startswith("django_tasks_db."):
        return ["db_worker", "--queue-name", "*"]
    if backend.startswith("django_tasks_rq."):
        return ["rqworker", "--job-class", "django_tasks_rq.Job", *settings.RQ_QUEUES]
    return None


def start(*arguments: str) -> Child:
    return subprocess.Popen([sys.executable, "-m", "hotline.cli", *arguments])  # noqa: S603


def stop(children: list[Child]) -> None:
    for child in children:
        child.terminate()
    for child in children:
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()


class Command(BaseCommand):
    help = "Serve Hotline with gunicorn, with task workers and the scheduler in child processes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=settings.HOTLINE_WEB_WORKERS)
        parser.add_argument("--threads", type=int, default=settings.HOTLINE_WEB_THREADS)
        parser.add_argument("--no-worker", action="store_true", help="Do not start task workers.")
        parser.add_argument(
            "--task-workers", type=int, default=1, help="How many task workers to start."
        )
        parser.add_argument(
            "--no-scheduler", action="store_true", help="Do not start the periodic scheduler."
        )
        parser.add_argument(
            "--no-web", action="store_true", help="Run only the workers and the scheduler."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        children = self._start_children(options)
        try:
            if options["no_web"]:
                self._wait()
            else:
                self.stdout.write(f"Hotline is serving on http://{options['bind']}/")
                HotlineServer(self._gunicorn_options(options)).run()
        finally:
            stop(children)

    def _start_children(self, options: dict[str, Any]) -> list[Child]:
        children = []
        command = worker_command(settings.TASKS["default"]["BACKEND"])
        if command is not None and not options["no_worker"]:
            children += [start(*command) for _ in range(options["task_workers"])]
        if not options["no_scheduler"]:
            children.append(start("run_schedule"))
        if options["no_web"] and not children:
            raise CommandError("--no-web with nothing else to run: no worker and no scheduler")
        return children

    def _wait(self) -> None:
        """Until SIGTERM or SIGINT, or until a child stops on its own (an error)."""

        def _interrupt(signum: int, frame: FrameType | None) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, _interrupt)
        try:
            pid, status = os.wait()
        except KeyboardInterrupt:
            return
        # Exit non-zero, so that a supervisor (systemd, a container runtime) starts us again.
        raise CommandError(f"child process {pid} stopped (wait status {status}); stopping")

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
            "post_worker_init": _prepare_worker,
        }
