"""Takedown benchmark: the recheck scheduler's database load, and how exact removal times are.

    .venv/bin/python benchmarks/takedown.py --json                 # 10,000 urls, 200 providers
    .venv/bin/python benchmarks/takedown.py --urls 500 --hours 8   # a quick run
    .venv/bin/python benchmarks/takedown.py --latency-only --json  # confirmation to SMTP only

A fresh SQLite database in a temporary directory, and a web server on 127.0.0.1 that serves each
benchmark url ("/u/<n>") until its simulated removal time and answers 404 after it. Providers
behave in one of three ways: prompt (removal within 2 hours of the notice), slow (2 hours to the
end of the run), never. The clock is simulated: each cycle sets it one recheck interval later and
runs the real recheck cycle (real fetches through the SSRF-safe fetcher, real database writes),
then the real notice sender (repeat notices, to Django's in-memory mail backend).

Measured: queries and wall time per recheck cycle, fetches per second, and for every url whose
removal was detected, the error of its recorded removal time (must be under one interval; none
of the "never" urls may be found removed). The latency phase starts aiosmtpd on 127.0.0.1 and a
real `hotline db_worker` process on the same database, confirms urls as two analysts would, and
times each confirmation until the SMTP server has received the notice.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BEHAVIOURS = (("prompt", 0.5), ("slow", 0.35), ("never", 0.15))


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Clock:
    """The simulated time the web server answers by, in seconds since the start."""

    now = 0.0
    removal: dict[int, float] = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        number = int(self.path.rsplit("/", 1)[-1]) if self.path.startswith("/u/") else -1
        gone_at = Clock.removal.get(number, -1.0)
        present = number >= 0 and Clock.now < gone_at
        body = b"<html><body>sample page</body></html>" if present else b"not found"
        self.send_response(200 if present else 404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent."""


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


def setup_django(work: Path, smtp_port: int | None = None) -> dict[str, str]:
    env = {
        "HOTLINE_VAR_DIR": str(work),
        "HOTLINE_SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnop",
        "HOTLINE_FETCH_ALLOW_LOOPBACK": "true",
        "HOTLINE_TAKEDOWN_RDAP": "false",
        "HOTLINE_CAPTURE_ON_REPORT": "false",
        "HOTLINE_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "HOTLINE_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "hotline.settings",
    }
    if smtp_port is not None:
        env["HOTLINE_EMAIL_BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"
        env["HOTLINE_SMTP_HOST"] = "127.0.0.1"
        env["HOTLINE_SMTP_PORT"] = str(smtp_port)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return env


def build(
    urls: int, providers: int, port: int, hours: float, seed: int
) -> tuple[datetime, dict[int, str]]:
    """Urls, confirmed assessments and due takedown cases; the behaviour of each url."""
    from django.utils import timezone

    from hotline.accounts.models import Role, User
    from hotline.assessment.models import Assessment
    from hotline.assessment.vocabulary import AssessmentStatus, Outcome
    from hotline.intake.models import Url, UrlState
    from hotline.takedown.models import CaseState, ContactStatus, Provider, Route, TakedownCase

    rng = random.Random(seed)
    start = timezone.now()
    analyst = User.objects.create_user(username="bench-analyst", role=Role.ANALYST)
    names = [name for name, _share in BEHAVIOURS]
    weights = [share for _name, share in BEHAVIOURS]
    made = Provider.objects.bulk_create(
        Provider(
            name=f"Provider {index:03d}",
            abuse_email=f"abuse@provider{index}.example.net",
            contact_status=ContactStatus.CONFIRMED,
        )
        for index in range(providers)
    )
    behaviour = {provider.pk: rng.choices(names, weights)[0] for provider in made}
    address = [f"http://127.0.0.1:{port}/u/{number}" for number in range(urls)]
    url_rows = Url.objects.bulk_create(
        Url(
            canonical=text,
            canonical_hash=Url.hash_canonical(text),
            host="127.0.0.1",
            state=UrlState.ASSESSED,
            first_reported_at=start,
            last_reported_at=start,
        )
        for text in address
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(
            url=url,
            analyst=analyst,
            outcome=Outcome.CONFIRMED,
            category="C",
            age_band="11-13",
            sex="girls",
            status=AssessmentStatus.CONFIRMED,
            decided_at=start,
        )
        for url in url_rows
    )
    kinds: dict[int, str] = {}
    cases = []
    for number, (url, assessment) in enumerate(zip(url_rows, assessments, strict=True)):
        provider = made[number % providers]
        kinds[number] = behaviour[provider.pk]
        Clock.removal[number] = removal_offset(kinds[number], hours, rng)
        cases.append(
            TakedownCase(
                url=url,
                assessment=assessment,
                opened_at=start,
                state=CaseState.DUE,
                route=Route.PROVIDER,
                provider=provider,
                country_code="GB",
                peer_ip="127.0.0.1",
                expected_final_url=url.canonical,
                notice_due_at=start,
                next_check_at=start,
            )
        )
    TakedownCase.objects.bulk_create(cases, batch_size=1000)
    return start, kinds


def removal_offset(kind: str, hours: float, rng: random.Random) -> float:
    if kind == "prompt":
        return rng.uniform(0, 2 * 3600)
    if kind == "slow":
        return rng.uniform(2 * 3600, max(hours - 1, 2.5) * 3600)
    return float("inf")


class QueryCounter:
    """Counts the statements a block sends to the database, however many (no query log)."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self) -> "QueryCounter":
        self._wrapper = self.connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._wrapper.__exit__(*exc)


def simulate(args: argparse.Namespace, start: datetime) -> dict[str, Any]:
    from django.core import mail
    from django.db import connection

    from hotline.takedown import rechecks, sending
    from hotline.takedown.models import TakedownCase

    mail.outbox = []
    interval = timedelta(minutes=args.interval_minutes)
    Clock.now = 0.0
    with QueryCounter(connection) as queries:
        began = time.perf_counter()
        sending.send_all_due(start)
        first_notices = {"seconds": time.perf_counter() - began, "queries": queries.count}
    first_notices["emails"] = len(mail.outbox)
    notified = dict(TakedownCase.objects.values_list("pk", "first_notified_at"))
    cycles = []
    now = start
    steps = int(args.hours * 60 / args.interval_minutes)
    for step in range(1, steps + 1):
        now = start + step * interval
        Clock.now = (now - start).total_seconds()
        with QueryCounter(connection) as queries:
            began = time.perf_counter()
            result = rechecks.run_cycle(now)
            elapsed = time.perf_counter() - began
        cycle_queries = queries.count
        with QueryCounter(connection) as queries:
            sending.send_all_due(now)
        cycles.append(
            {
                "checked": result.checked,
                "removed": result.removed,
                "queries": cycle_queries,
                "seconds": round(elapsed, 3),
                "notice_queries": queries.count,
            }
        )
        progress(
            f"cycle {step}/{steps}: {result.checked} checked, {result.removed} removed, "
            f"{cycle_queries} queries, {elapsed:.2f} s"
        )
    return {
        "first_notices": first_notices,
        "cycles": cycles,
        "accuracy": accuracy(start, notified, interval, now, args),
        "emails_total": len(mail.outbox),
        "started": start.isoformat(),
    }


def accuracy(
    start: datetime,
    notified: dict[int, datetime | None],
    interval: timedelta,
    end: datetime,
    args: argparse.Namespace,
) -> dict[str, Any]:
    from hotline.takedown.models import TakedownCase

    errors, late, false_removals, missed = [], 0, 0, 0
    # Only the simulated urls: the latency phase's own cases share the database.
    rows = TakedownCase.objects.filter(url__canonical__contains="/u/").values_list(
        "pk", "url__canonical", "removed_at"
    )
    for _pk, canonical, removed_at in rows:
        number = int(canonical.rsplit("/", 1)[-1])
        truth = Clock.removal[number]
        detectable = truth + interval.total_seconds() * (args.absent_checks + 1)
        if removed_at is None:
            missed += int(detectable < (end - start).total_seconds())
            continue
        if truth == float("inf"):
            false_removals += 1
            continue
        error = (removed_at - start).total_seconds() - truth
        errors.append(error)
        late += int(not 0 <= error < interval.total_seconds())
    return {
        "removed_detected": len(errors),
        "error_seconds_mean": round(statistics.fmean(errors), 1) if errors else None,
        "error_seconds_max": round(max(errors), 1) if errors else None,
        "error_seconds_min": round(min(errors), 1) if errors else None,
        "outside_one_interval": late,
        "false_removals": false_removals,
        "missed_removals": missed,
        "interval_seconds": interval.total_seconds(),
        "never_urls_still_open": sum(
            1
            for _pk, canonical, removed in rows
            if removed is None and Clock.removal[int(canonical.rsplit("/", 1)[-1])] == float("inf")
        ),
    }


def summary(cycles: list[dict[str, Any]]) -> dict[str, Any]:
    busy = [cycle for cycle in cycles if cycle["checked"]]
    checked = sum(cycle["checked"] for cycle in busy)
    seconds = sum(cycle["seconds"] for cycle in busy)
    return {
        "cycles": len(cycles),
        "checks": checked,
        "checks_per_second": round(checked / seconds, 1) if seconds else None,
        "queries_per_cycle_max": max((cycle["queries"] for cycle in busy), default=0),
        "queries_per_cycle_mean": round(statistics.fmean(c["queries"] for c in busy), 1)
        if busy
        else 0,
        "seconds_per_cycle_max": max((cycle["seconds"] for cycle in busy), default=0),
        "seconds_per_cycle_mean": round(statistics.fmean(c["seconds"] for c in busy), 3)
        if busy
        else 0,
        "first_cycle": busy[0] if busy else None,
    }


def latency(work: Path, env: dict[str, str], port: int, runs: int) -> dict[str, Any]:
    """Confirmation to SMTP acceptance, through a real db_worker process on the same database."""
    from aiosmtpd.controller import Controller

    received: list[float] = []

    class Inbox:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.append(time.monotonic())
            return "250 Message accepted"

    controller = Controller(Inbox(), hostname="127.0.0.1", port=int(env["HOTLINE_SMTP_PORT"]))
    controller.start()
    worker = subprocess.Popen(
        [sys.executable, "-m", "hotline.cli", "db_worker", "--queue-name", "*"],
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)  # the worker's own start-up is not part of a confirmation's latency
        return {
            "backend": "django_tasks_db.DatabaseBackend",
            "worker": "hotline db_worker",
            "seconds": confirm_and_wait(port, runs, received),
        }
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        controller.stop()


def confirm_and_wait(port: int, runs: int, received: list[float]) -> list[float | None]:
    from django.utils import timezone

    from hotline.accounts.models import Role, User
    from hotline.assessment import claims
    from hotline.assessment.grade import Grade
    from hotline.assessment.models import Assessment
    from hotline.capture.models import Capture, CaptureStatus
    from hotline.intake.models import Url
    from hotline.takedown.models import ContactStatus, Provider

    provider = Provider.objects.create(
        name="Latency Hosting",
        abuse_email="abuse@latency.example.net",
        contact_status=ContactStatus.CONFIRMED,
    )
    provider.rules.create(kind="network", value="127.0.0.0/8")
    first = User.objects.create_user(username="latency-one", role=Role.ANALYST)
    second = User.objects.create_user(username="latency-two", role=Role.ANALYST)
    grade = Grade("confirmed", "C", "11-13", "girls")
    times = []
    for run in range(runs):
        now = timezone.now()
        text = f"http://127.0.0.1:{port}/latency/{run}"
        url = Url.objects.create(
            canonical=text,
            canonical_hash=Url.hash_canonical(text),
            host="127.0.0.1",
            first_reported_at=now,
            last_reported_at=now,
        )
        Capture.objects.create(
            url=url,
            started_at=now,
            finished_at=now,
            status=CaptureStatus.FETCHED,
            http_status=200,
            final_url=text,
            peer_ip="127.0.0.1",
            country_code="GB",
        )
        claims.claim(url, first)
        assessment = Assessment.submit(url, first, grade)
        claims.claim(url, second)
        before = len(received)
        began = time.monotonic()
        assessment.confirm(second)
        deadline = began + 120
        while len(received) == before and time.monotonic() < deadline:
            time.sleep(0.01)
        times.append(round(received[-1] - began, 3) if len(received) > before else None)
        progress(f"latency run {run + 1}: {times[-1]} s")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=10_000)
    parser.add_argument("--providers", type=int, default=200)
    parser.add_argument("--hours", type=float, default=12, help="simulated hours to run")
    parser.add_argument("--interval-minutes", type=int, default=15)
    parser.add_argument("--absent-checks", type=int, default=3)
    parser.add_argument("--latency-runs", type=int, default=5)
    parser.add_argument("--latency-only", action="store_true")
    parser.add_argument("--no-latency", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--concurrency",
        type=int,
        default=4,
        help="recheck threads; on loopback more only contend for the GIL (production default 8)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ["HOTLINE_TAKEDOWN_RECHECK_MINUTES"] = str(args.interval_minutes)
    os.environ["HOTLINE_TAKEDOWN_ABSENT_CHECKS"] = str(args.absent_checks)
    os.environ["HOTLINE_TAKEDOWN_RECHECK_BATCH"] = str(args.urls + args.latency_runs + 100)
    os.environ["HOTLINE_TAKEDOWN_RECHECK_CONCURRENCY"] = str(args.concurrency)
    server = Server(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    with tempfile.TemporaryDirectory(prefix="hotline-takedown-bench-") as directory:
        work = Path(directory)
        env = setup_django(work, smtp_port=free_port())
        report: dict[str, Any] = {
            "urls": args.urls,
            "providers": args.providers,
            "interval_minutes": args.interval_minutes,
            "simulated_hours": args.hours,
            "database": "sqlite",
        }
        if not args.no_latency:
            report["latency"] = latency(work, env, port, args.latency_runs)
        if not args.latency_only:
            from django.test import override_settings

            progress(f"building {args.urls} urls across {args.providers} providers")
            start, kinds = build(args.urls, args.providers, port, args.hours, args.seed)
            report["behaviours"] = {
                name: list(kinds.values()).count(name) for name, _ in BEHAVIOURS
            }
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                simulated = simulate(args, start)
            report["scheduler"] = summary(simulated["cycles"])
            report["first_notices"] = simulated["first_notices"]
            report["accuracy"] = simulated["accuracy"]
            report["emails_total"] = simulated["emails_total"]
            report["per_cycle"] = simulated["cycles"]
    server.shutdown()
    accurate = report.get("accuracy", {}).get("outside_one_interval", 0) == 0
    print(json.dumps(report, indent=2) if args.json else _text(report))
    return 0 if accurate else 1


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _text(report: dict[str, Any]) -> str:
    shown = {key: value for key, value in report.items() if key != "per_cycle"}
    return json.dumps(shown, indent=2)


if __name__ == "__main__":
    sys.exit(main())
