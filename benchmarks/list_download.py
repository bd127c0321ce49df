"""List download benchmark: a member streams a hash list of N entries from a real server.

Builds a throwaway database (a new `hotline_bench_<random>` database on the PostgreSQL server
named by DATABASE_URL, or on a throwaway PostgreSQL cluster with --postgres, else a SQLite file
in a temporary directory), migrates it, writes N benign
hash list entries (counters hashed into digests: labels, not images) straight into the entries
table in bulk, one published version, and a member with a key. Then it starts
`hotline serve --no-worker --no-scheduler` and downloads the whole list with httpx as a member
would, reading the stream chunk by chunk, while sampling the server's resident memory.

Progress goes to stderr; `--json` prints the figures on stdout. Exits 1 when a goal is missed
(first byte in under 1 s; server memory growing by less than 64 MiB during the download).

    .venv/bin/python benchmarks/list_download.py --entries 100000 --json
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/list_download.py \
        --entries 5000000 --json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from intake import (
    HOST,
    ROOT,
    BenchError,
    free_port,
    fresh_database,
    postgresql_server,
    wait_until_healthy,
)

GOAL_TTFB_S = 1.0
GOAL_RSS_GROWTH_MIB = 64
BATCH = 20_000
RSS_SAMPLE_S = 0.25
# Memory counts as settled when ten samples a second apart lie within 2 MiB.
SETTLED_SAMPLES = 10
SETTLED_MIB = 2.0
# What the matching index logs when a worker has built it (hotline/lists/matching.py).
INDEX_BUILT = "hash list index: version"
ENTRY_MARK = b'"added_in":'


def log(message: str) -> None:
    print(f"[list-bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000, help="hash list entries")
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.add_argument("--threads", type=int, default=4, help="server threads (one worker)")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="without DATABASE_URL: start a throwaway PostgreSQL instead of using SQLite",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--fill", help=argparse.SUPPRESS)  # internal: the child that writes rows
    args = parser.parse_args()
    if args.entries < 1:
        parser.error("--entries must be at least 1")
    return args


# --- Filling the database (runs in a child process with Django set up) ------------------------


def entry_data(number: int) -> tuple[str, str]:
    """The entry's key (its SHA-256) and its data as JSON text."""
    label = f"sample media {number}".encode()
    sha256 = hashlib.sha256(label).hexdigest()
    return sha256, json.dumps(
        {
            "md5": hashlib.md5(label).hexdigest(),  # noqa: S324 - a list field, not security
            "sha1": hashlib.sha1(label).hexdigest(),  # noqa: S324
            "sha256": sha256,
            "pdq": hashlib.sha256(label + b"pdq").hexdigest(),
            "category": "ABC"[number % 3],
            "age_band": "11-13",
            "sex": "unidentifiable",
            "self_generated": False,
            "commercial": False,
            "ai_generated": False,
            "interpol_baseline": number % 3 != 2,
            "industry": "A1" if number % 3 != 2 else "A2",
        },
        separators=(",", ":"),
    )


def fill(entries: int, key: str) -> None:
    """Write the list, its version and a member key; Django is set up by the caller."""
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from hotline.lists.models import ListEntry, ListVersion, Member, MemberKey, PublishedList

    now = timezone.now()
    with transaction.atomic():
        published = PublishedList.objects.create(
            name="hashes", latest_version=1, published_at=now, entry_count=entries
        )
        ListVersion.objects.create(list=published, number=1, added=entries, entry_count=entries)
        member = Member.objects.create(name="Sample Member", terms_accepted_at=now)
        MemberKey.objects.create(
            member=member,
            prefix=key.partition(".")[0],
            key_hash=MemberKey.hash_key(key),
            scopes=["hashes"],
        )
        table = ListEntry._meta.db_table
        writer = _copy_rows if connection.vendor == "postgresql" else _insert_rows
        writer(connection, table, published.pk, entries)


def _rows(list_id: int, entries: int) -> Iterator[tuple[Any, ...]]:
    for number in range(entries):
        key, data = entry_data(number)
        yield (list_id, key, data, 1, "")
        if number and number % 500_000 == 0:
            log(f"  {number:,} entries written")


def _copy_rows(connection: Any, table: str, list_id: int, entries: int) -> None:
    columns = "(list_id, key, data, added_in, removal_reason)"
    copy_sql = f"COPY {table} {columns} FROM STDIN"
    with connection.connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
        for row in _rows(list_id, entries):
            copy.write_row(row)


def _insert_rows(connection: Any, table: str, list_id: int, entries: int) -> None:
    sql = (
        f"INSERT INTO {table} (list_id, key, data, added_in, removal_reason) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s)"
    )
    rows = _rows(list_id, entries)
    with connection.cursor() as cursor:
        while batch := [row for _, row in zip(range(BATCH), rows, strict=False)]:
            cursor.executemany(sql, batch)


# --- The server and its memory ----------------------------------------------------------------


def rss_mib(pid: int) -> float:
    """Resident memory of the process and all its descendants."""
    total_kib = 0
    for each in [pid, *descendants(pid)]:
        try:
            status = Path(f"/proc/{each}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total_kib += int(line.split()[1])
    return total_kib / 1024


def descendants(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    found = [int(child) for child in children]
    return found + [grand for child in found for grand in descendants(child)]


class RssSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.samples, self.stop = pid, [0.0], threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append(rss_mib(self.pid))
            self.stop.wait(RSS_SAMPLE_S)

    @property
    def peak(self) -> float:
        return max(self.samples)

    def timeline(self, points: int = 20) -> list[float]:
        """The samples thinned out to about `points`, to show whether memory climbs."""
        step = max(1, len(self.samples) // points)
        return [round(sample, 1) for sample in self.samples[1::step]]


@contextmanager
def server(env: dict[str, str], threads: int, log_file: Any) -> Iterator[tuple[int, int]]:
    port = free_port()
    command = [sys.executable, "-m", "hotline.cli", "serve", "--no-worker", "--no-scheduler"]
    command += ["--bind", f"{HOST}:{port}", "--workers", "1", "--threads", str(threads)]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log_file, stderr=log_file)
    try:
        wait_until_healthy(port, process)
        yield port, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- The download -----------------------------------------------------------------------------


def wait_until_settled(pid: int, server_log: Path, limit_s: float = 1800) -> float:
    """Wait until the server has built its matching index and its memory stops changing.

    Each web worker builds the matching index of the whole hash list as it starts (in the
    background), which takes time and memory of its own: the download is measured after it.
    """
    started = time.monotonic()
    while time.monotonic() - started < limit_s and INDEX_BUILT not in server_log.read_text():
        time.sleep(1)
    recent: list[float] = []
    while time.monotonic() - started < limit_s:
        recent = [*recent[-(SETTLED_SAMPLES - 1) :], rss_mib(pid)]
        if len(recent) == SETTLED_SAMPLES and max(recent) - min(recent) < SETTLED_MIB:
            break
        time.sleep(1)
    return time.monotonic() - started


def download(url: str, key: str, pid: int) -> dict[str, Any]:
    sampler = RssSampler(pid)
    headers = {"Authorization": f"Bearer {key}"}
    entries, size, tail, ttfb = 0, 0, b"", None
    with httpx.Client(headers=headers, timeout=120) as client:
        client.get(url.rsplit("/", 1)[0] + "/").raise_for_status()  # warm the worker up
        rss_before = rss_mib(pid)
        sampler.start()
        started = time.perf_counter()
        with client.stream("GET", url) as response:
            response.raise_for_status()
            for chunk in response.iter_raw():
                if ttfb is None:
                    ttfb = time.perf_counter() - started
                size += len(chunk)
                window = tail + chunk
                entries += window.count(ENTRY_MARK) - tail.count(ENTRY_MARK)
                tail = window[-len(ENTRY_MARK) :]
        total = time.perf_counter() - started
        sampler.stop.set()
        sampler.join()
    return {
        "ttfb_s": round(ttfb or total, 3),
        "total_s": round(total, 2),
        "bytes": size,
        "entries_received": entries,
        "mib_per_s": round(size / 2**20 / total, 1),
        "entries_per_s": round(entries / total),
        "rss_mib": {
            "before": round(rss_before, 1),
            "peak_during": round(max(sampler.peak, rss_before), 1),
            "after": round(rss_mib(pid), 1),
            "during": sampler.timeline(),
        },
    }


@contextmanager
def database(args: argparse.Namespace, workdir: Path) -> Iterator[str | None]:
    """A fresh PostgreSQL database's URL, or None for a SQLite file under the work directory."""
    if not (args.postgres or os.environ.get("DATABASE_URL")):
        yield None
        return
    with (
        postgresql_server(workdir) as (server_url, _origin, _pid),
        fresh_database(server_url) as url,
    ):
        yield url


def benchmark(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    key = f"hlm_{secrets.token_hex(4)}.{secrets.token_urlsafe(32)}"
    with database(args, workdir) as database_url:
        env = environment(workdir, database_url)
        run(env, "migrate", "--no-input")
        log(f"writing {args.entries:,} hash list entries")
        started = time.perf_counter()
        fill_command = [sys.executable, __file__, "--entries", str(args.entries), "--fill", key]
        subprocess.run(fill_command, env=env, cwd=ROOT, check=True)
        fill_s = time.perf_counter() - started
        with (
            open(workdir / "server.log", "w") as log_file,
            server(env, args.threads, log_file) as (
                port,
                pid,
            ),
        ):
            log("waiting for the server's memory to settle (its matching index)")
            settled_s = wait_until_settled(pid, workdir / "server.log")
            log(f"downloading (memory settled after {settled_s:.0f} s)")
            url = f"http://{HOST}:{port}/api/v1/lists/hashes?format={args.format}"
            figures = download(url, key, pid)
            figures["rss_settled_after_s"] = round(settled_s)
    growth = figures["rss_mib"]["peak_during"] - figures["rss_mib"]["before"]
    return {
        "entries": args.entries,
        "format": args.format,
        "database": "postgresql" if database_url else "sqlite",
        "fill_s": round(fill_s, 1),
        **figures,
        "rss_growth_mib": round(growth, 1),
        "goals": {
            "ttfb_s": GOAL_TTFB_S,
            "rss_growth_mib": GOAL_RSS_GROWTH_MIB,
            "met": figures["ttfb_s"] < GOAL_TTFB_S
            and growth < GOAL_RSS_GROWTH_MIB
            and figures["entries_received"] == args.entries,
        },
    }


def environment(workdir: Path, database_url: str | None) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    env.update(
        HOTLINE_VAR_DIR=str(workdir / "var"),
        HOTLINE_SECRET_KEY=secrets.token_urlsafe(50),
        HOTLINE_LOG_LEVEL="INFO",  # the server's log tells when its matching index is built
        DJANGO_SETTINGS_MODULE="hotline.settings",
        PYTHONPATH=str(ROOT),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run(env: dict[str, str], *arguments: str) -> None:
    command = [sys.executable, "-m", "hotline.cli", *arguments]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"hotline {' '.join(arguments)} failed:\n{done.stderr[-3000:]}")


def main() -> int:
    args = parse_arguments()
    if args.fill:
        fill(args.entries, args.fill)
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="hotline-list-bench-"))
    try:
        figures = benchmark(args, workdir)
    except BenchError as error:
        log(str(error))
        return 2
    finally:
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    log(
        f"{figures['entries_received']:,} entries, {figures['bytes'] / 2**20:.0f} MiB: first byte "
        f"{figures['ttfb_s']} s, total {figures['total_s']} s, server memory "
        f"{figures['rss_mib']['before']} -> {figures['rss_mib']['peak_during']} MiB"
    )
    if args.json:
        print(json.dumps(figures, indent=2))
    return 0 if figures["goals"]["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
