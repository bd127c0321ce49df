"""Capture benchmark: pages captured per minute by one and by two task workers.

A local site of --pages benign pages, each showing --images distinct generated PNG pictures
(a gradient with seeded noise), is served from 127.0.0.1 by a threaded HTTP server in this
process. For each worker count: a fresh database (SQLite under a temporary HOTLINE_VAR_DIR, or a
new database on the PostgreSQL server of DATABASE_URL), `hotline migrate`, one url per page with
its capture task enqueued on the database backend, then that many real `hotline db_worker`
processes (with HOTLINE_FETCH_ALLOW_LOOPBACK=true) until every task has finished.

Traffic goes to 127.0.0.1 only; each phase stops once its tasks are done or after --timeout
seconds. Progress goes to stderr; `--json` prints the figures as JSON on stdout. Exit status 0
when every page was captured without error, 1 otherwise, 2 when the benchmark cannot run.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
from intake import BenchError, configured_database_url, fresh_database, hotline_command
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
IMAGE_SIZE = 64
POLL_S = 2.0

ENQUEUE = """
import sys
from django.db import transaction
from django.utils import timezone
from hotline.capture.tasks import capture_url_task
from hotline.intake.models import Url
base, pages = sys.argv[1], int(sys.argv[2])
now = timezone.now()
canonicals = [f"{base}/page/{number}" for number in range(pages)]
with transaction.atomic():
    urls = Url.objects.bulk_create(
        Url(canonical=c, canonical_hash=Url.hash_canonical(c), host="127.0.0.1",
            first_reported_at=now, last_reported_at=now)
        for c in canonicals
    )
    for url in Url.objects.filter(canonical__in=canonicals).order_by("pk"):
        capture_url_task.enqueue(url.pk, now.isoformat())
"""

COUNTS = {
    "tasks_done": "SELECT count(*) FROM django_tasks_database_dbtaskresult "
    "WHERE status IN ('SUCCESSFUL', 'FAILED')",
    "tasks_failed": "SELECT count(*) FROM django_tasks_database_dbtaskresult "
    "WHERE status = 'FAILED'",
    "captures_fetched": "SELECT count(*) FROM capture_capture WHERE status = 'fetched'",
    "captures_failed": "SELECT count(*) FROM capture_capture WHERE status = 'failed'",
    "media_items": "SELECT count(*) FROM capture_mediaitem",
    "media_links": "SELECT count(*) FROM capture_capturemedia",
    "media_link_errors": "SELECT count(*) FROM capture_capturemedia WHERE error <> ''",
    "evidence_bytes": "SELECT coalesce(sum(size), 0) FROM capture_evidenceblob",
}
SPAN = (
    "SELECT min(started_at), max(finished_at) FROM django_tasks_database_dbtaskresult "
    "WHERE status IN ('SUCCESSFUL', 'FAILED')"
)


def log(message: str) -> None:
    print(f"[capture-bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- The local site ---------------------------------------------------------------------------


def picture(page: int, index: int) -> bytes:
    """A PNG of its own for each (page, index): a gradient under seeded noise."""
    rng = np.random.default_rng(page * 1000 + index)
    ramp = np.linspace(0, 160, IMAGE_SIZE, dtype=np.float32)
    base = ramp[None, :, None] + ramp[:, None, None] * np.array([0.2, 0.5, 0.8], np.float32)
    noise = rng.integers(0, 96, (IMAGE_SIZE, IMAGE_SIZE, 3))
    buffer = io.BytesIO()
    Image.fromarray((base + noise).clip(0, 255).astype(np.uint8)).save(buffer, "PNG")
    return buffer.getvalue()


def page_html(page: int, images: int) -> bytes:
    tags = "".join(f'<img src="/img/{page}/{index}.png" alt="">' for index in range(images))
    return f"<!doctype html><title>Sample page {page}</title><p>sample text</p>{tags}".encode()


class SiteHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SiteServer

    def do_GET(self) -> None:
        parts = self.path.strip("/").split("/")
        try:
            if parts[0] == "page" and len(parts) == 2:
                self._send(page_html(int(parts[1]), self.server.images), "text/html")
                return
            if parts[0] == "img" and len(parts) == 3 and parts[2].endswith(".png"):
                self._send(picture(int(parts[1]), int(parts[2][:-4])), "image/png")
                return
        except ValueError:
            pass
        self._send(b"not found", "text/plain", 404)

    def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the figures come from the database."""


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    images = 10


@contextmanager
def local_site(images: int) -> Iterator[str]:
    server = SiteServer((HOST, 0), SiteHandler)
    server.images = images
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# --- Databases --------------------------------------------------------------------------------


@contextmanager
def phase_database(workdir: Path) -> Iterator[tuple[str | None, str]]:
    """The DATABASE_URL for a phase (None: SQLite under the var dir) and what it is."""
    configured = configured_database_url() if os.environ.get("DATABASE_URL") else None
    if configured is None:
        yield None, "sqlite"
        return
    with fresh_database(configured) as url:
        yield url, "postgresql"


def counts(database_url: str | None, var_dir: Path) -> dict[str, Any]:
    queries = {**COUNTS, "span": SPAN}
    if database_url is None:
        with sqlite3.connect(f"file:{var_dir / 'hotline.sqlite3'}?mode=ro", uri=True) as db:
            rows = {name: db.execute(sql).fetchone() for name, sql in queries.items()}
    else:
        with psycopg.connect(database_url) as db:
            rows = {name: db.execute(sql).fetchone() for name, sql in queries.items()}
    figures: dict[str, Any] = {name: rows[name][0] for name in COUNTS}
    figures["span"] = rows["span"]
    return figures


def span_seconds(span: tuple[Any, Any]) -> float | None:
    first, last = span
    if first is None or last is None:
        return None
    if isinstance(first, str):  # SQLite hands back text
        first, last = datetime.fromisoformat(first), datetime.fromisoformat(last)
    return float((last - first).total_seconds())


# --- One phase --------------------------------------------------------------------------------


def environment(workdir: Path, database_url: str | None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("CI", "DATABASE_URL")}
    env.update(
        HOTLINE_VAR_DIR=str(workdir / "var"),
        HOTLINE_SECRET_KEY=secrets.token_urlsafe(50),
        HOTLINE_FETCH_ALLOW_LOOPBACK="true",
        HOTLINE_TASK_BACKEND="django_tasks_db.DatabaseBackend",
        HOTLINE_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="hotline.settings",
    )
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    return env


def run(env: dict[str, str], *arguments: str) -> None:
    done = subprocess.run(
        hotline_command(*arguments), env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BenchError(f"hotline {arguments[0]} failed:\n{done.stderr[-3000:]}")


def enqueue(env: dict[str, str], base: str, pages: int) -> float:
    started = time.monotonic()
    code = ENQUEUE.replace("sys.argv[1], int(sys.argv[2])", f"{base!r}, {pages}")
    run(env, "shell", "--no-imports", "-c", code)
    return time.monotonic() - started


def start_workers(env: dict[str, str], count: int, logs: Path) -> list[subprocess.Popen[bytes]]:
    workers = []
    for number in range(count):
        output = (logs / f"worker-{number}.log").open("wb")
        command = hotline_command("db_worker", "--queue-name", "*", "--interval", "0.2")
        workers.append(
            subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
        )
    return workers


def stop(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def wait_for_tasks(
    database_url: str | None, var_dir: Path, pages: int, timeout: float
) -> dict[str, Any]:
    started = time.monotonic()
    while True:
        figures = counts(database_url, var_dir)
        elapsed = time.monotonic() - started
        rate = figures["tasks_done"] / elapsed * 60 if elapsed else 0
        log(f"  {figures['tasks_done']}/{pages} pages done, {rate:.0f}/min, {elapsed:.0f} s")
        if figures["tasks_done"] >= pages or elapsed > timeout:
            figures["wall_s"] = round(elapsed, 1)
            return figures
        time.sleep(POLL_S)


def phase(args: argparse.Namespace, base: str, workers: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="hotline-capture-bench-") as directory:
        workdir = Path(directory)
        with phase_database(workdir) as (database_url, vendor):
            env = environment(workdir, database_url)
            log(f"{workers} worker(s): migrating a fresh {vendor} database")
            run(env, "migrate", "--no-input")
            enqueue_s = enqueue(env, base, args.pages)
            log(f"  enqueued {args.pages} captures in {enqueue_s:.1f} s; starting the workers")
            running = start_workers(env, workers, workdir)
            try:
                figures = wait_for_tasks(database_url, workdir / "var", args.pages, args.timeout)
            finally:
                stop(running)
            return summary(figures, workers, vendor, enqueue_s)


def summary(figures: dict[str, Any], workers: int, vendor: str, enqueue_s: float) -> dict[str, Any]:
    busy_s = span_seconds(figures.pop("span"))
    done = figures["captures_fetched"] + figures["captures_failed"]
    return {
        "workers": workers,
        "database": vendor,
        "enqueue_s": round(enqueue_s, 2),
        # From the first task started to the last one finished: worker start-up left out.
        "busy_s": round(busy_s, 1) if busy_s else None,
        "pages_per_minute": round(done / busy_s * 60, 1) if busy_s else None,
        **figures,
        "errors": figures["tasks_failed"] + figures["captures_failed"],
    }


# --- Main -------------------------------------------------------------------------------------


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000, help="pages on the local site")
    parser.add_argument("--images", type=int, default=10, help="distinct images per page")
    parser.add_argument(
        "--workers", default="1,2", help="comma-separated worker counts, one phase each"
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per phase at most")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    args.worker_counts = [int(count) for count in args.workers.split(",")]
    if args.pages < 1 or args.images < 0 or min(args.worker_counts) < 1:
        parser.error("--pages and every worker count must be at least 1, --images at least 0")
    return args


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    load = os.getloadavg()[0]
    log(f"{args.pages} pages of {args.images} images each; load average {load:.1f}")
    with local_site(args.images) as base:
        phases = [phase(args, base, workers) for workers in args.worker_counts]
    rates = [p["pages_per_minute"] for p in phases]
    return {
        "pages": args.pages,
        "images_per_page": args.images,
        "load_average_at_start": round(load, 2),
        "cpu_count": os.cpu_count(),
        "phases": phases,
        "speedup": round(rates[-1] / rates[0], 2) if len(rates) > 1 and rates[0] else None,
        "complete": all(p["captures_fetched"] == args.pages and p["errors"] == 0 for p in phases),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    try:
        result = benchmark(args)
    except BenchError as error:
        log(f"cannot run: {error}")
        return 2
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        log(json.dumps(result, indent=2))
    return 0 if result["complete"] else 1


if __name__ == "__main__":
    sys.exit(main())
