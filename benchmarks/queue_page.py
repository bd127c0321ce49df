"""Queue page benchmark: how fast the analysts' queue renders with 100,000 urls in the database.

Creates a throwaway database with Django's test-database machinery (a temporary SQLite file, or
a `hotline_bench_queue_<pid>` database on the PostgreSQL server named by DATABASE_URL), fills it
with benign urls on reserved domains spread over realistic priorities and dates, then renders
the first page and a deep page of `/staff/queue/` through Django's test client as an analyst
with a verified second factor. The database is destroyed afterwards, whatever happens.

Progress goes to stderr; `--json` prints the figures as JSON on stdout. Exits 1 when the goal
(p95 under 150 ms) is missed.

    .venv/bin/python benchmarks/queue_page.py --json
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/queue_page.py --json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOAL_P95_MS = 150.0
BATCH = 5000
HOSTS = 5000
ANALYSTS = 10
QUEUED_SHARE = 0.9
CLAIMED_SHARE = 0.01
OTHER_STATES = ("awaiting_confirmation", "disputed", "assessed")


def log(message: str) -> None:
    print(f"[queue-bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=100_000, help="urls to insert")
    parser.add_argument("--requests", type=int, default=60, help="timed renders of each page")
    parser.add_argument("--seed", type=int, default=20240601, help="random seed for the data")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.urls < 1 or args.requests < 1:
        parser.error("--urls and --requests must be at least 1")
    return args


def configure_django(work_dir: Path) -> None:
    """Real settings, but nothing written under the project's var/ directory."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
    os.environ["HOTLINE_VAR_DIR"] = str(work_dir)
    os.environ.setdefault("HOTLINE_SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()


@contextmanager
def throwaway_database(work_dir: Path) -> Iterator[str]:
    """A fresh, migrated database that is destroyed on the way out; yields its vendor."""
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test_settings["NAME"] = str(work_dir / "queue-bench.sqlite3")
    else:
        test_settings["NAME"] = f"hotline_bench_queue_{os.getpid()}"
    setup_test_environment()
    log(f"creating a throwaway {connection.vendor} database {test_settings['NAME']}")
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield connection.vendor
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)
        teardown_test_environment()
        log("throwaway database destroyed")


def make_analysts() -> list[Any]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hotline.accounts.models import Role, User

    analysts = []
    for number in range(ANALYSTS):
        analyst = User.objects.create_user(username=f"bench-analyst-{number}", role=Role.ANALYST)
        TOTPDevice.objects.create(user=analyst, name="default", confirmed=True)
        analysts.append(analyst)
    return analysts


def a_url(number: int, now: datetime, rng: random.Random, analysts: list[Any]) -> Any:
    """One benign url: most reported once, a long tail reported often, most still queued."""
    from hotline.intake.models import Url

    canonical = f"http://h{number % HOSTS}.example.test/page/{number}"
    age = timedelta(days=min(rng.expovariate(1 / 12), 180))
    first = now - age
    url = Url(
        canonical=canonical,
        canonical_hash=Url.hash_canonical(canonical),
        host=f"h{number % HOSTS}.example.test",
        report_count=min(int(rng.paretovariate(1.6)), 500),
        source_count=rng.choices([1, 2, 3], weights=[90, 8, 2])[0],
        source_weight=rng.choices([0, 20, 50], weights=[96, 3, 1])[0],
        first_reported_at=first,
        last_reported_at=first + age * rng.random(),
    )
    url.priority = url.compute_priority()
    if rng.random() > QUEUED_SHARE:
        url.state = rng.choice(OTHER_STATES)
    elif rng.random() < CLAIMED_SHARE:
        url.claimed_by = rng.choice(analysts)
        url.claimed_at = now - timedelta(minutes=rng.uniform(0, 60))
    return url


def insert_urls(total: int, seed: int, analysts: list[Any]) -> int:
    """Bulk-insert `total` urls; returns how many are queued."""
    from django.utils import timezone

    from hotline.intake.models import Url, UrlState

    rng = random.Random(seed)
    now = timezone.now()
    started = time.perf_counter()
    for start in range(0, total, BATCH):
        batch = [a_url(n, now, rng, analysts) for n in range(start, min(start + BATCH, total))]
        Url.objects.bulk_create(batch)
        done = start + len(batch)
        log(f"inserted {done:,}/{total:,} urls ({done / (time.perf_counter() - started):,.0f}/s)")
    return Url.objects.filter(state=UrlState.QUEUED).count()


def analyse_tables() -> None:
    """Planner statistics, as PostgreSQL's autovacuum would have gathered by now."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def render(client: Any, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}, not 200")
    return elapsed


def queries_of(client: Any, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        render(client, path)
    return len(captured.captured_queries)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def figures(samples: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(percentile(samples, 0.95), 2),
    }


def measure(client: Any, pages: dict[str, str], requests: int) -> dict[str, list[float]]:
    for path in pages.values():
        render(client, path)  # warm caches and connections before timing
    timings: dict[str, list[float]] = {name: [] for name in pages}
    for number in range(requests):
        for name, path in pages.items():
            timings[name].append(render(client, path))
        if (number + 1) % 20 == 0:
            log(f"rendered each page {number + 1}/{requests} times")
    return timings


def run(args: argparse.Namespace, database: str) -> dict[str, Any]:
    from django.conf import settings
    from django.test.utils import override_settings

    from hotline.accounts.testing import verified_client

    analysts = make_analysts()
    queued = insert_urls(args.urls, args.seed, analysts)
    analyse_tables()
    deep = max(1, int(queued * 0.9) // settings.HOTLINE_QUEUE_PAGE_SIZE)
    pages = {"first": "/staff/queue/", "deep": f"/staff/queue/?page={deep}"}
    storage = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": storage}):
        client = verified_client(analysts[0])
        queries = {name: queries_of(client, path) for name, path in pages.items()}
        timings = measure(client, pages, args.requests)
    every = [sample for samples in timings.values() for sample in samples]
    overall = figures(every)
    return {
        "benchmark": "queue_page",
        "database": database,
        "urls": args.urls,
        "queued": queued,
        "page_size": settings.HOTLINE_QUEUE_PAGE_SIZE,
        "requests": len(every),
        **overall,
        "queries_per_page": max(queries.values()),
        "pages": {
            name: {"path": pages[name], "queries": queries[name], **figures(timings[name])}
            for name in pages
        },
        "goal": {"p95_ms_below": GOAL_P95_MS},
        "goal_met": overall["p95_ms"] < GOAL_P95_MS,
    }


def main() -> int:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="hotline-queue-bench-") as work:
        configure_django(Path(work))
        with throwaway_database(Path(work)) as database:
            result = run(args, database)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{result['database']}: {result['urls']:,} urls, p50 {result['p50_ms']} ms, "
            f"p95 {result['p95_ms']} ms, {result['queries_per_page']} queries per page"
        )
    log("goal met" if result["goal_met"] else f"goal missed: p95 is not below {GOAL_P95_MS} ms")
    return 0 if result["goal_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
