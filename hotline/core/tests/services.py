"""Real services for tests of background work: a Redis server, and `hotline` processes.

Redis runs on a free loopback port in a temporary directory, persisting nothing. `HotlineSite`
is a throwaway installation (its own SQLite database and evidence under a temporary
HOTLINE_VAR_DIR) whose commands run as separate processes, as they do in production, so that a
worker can really be killed; the test reads and changes its database through `hotline shell`.
"""

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis

REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class RedisServer:
    directory: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        assert REDIS_SERVER is not None
        options = ["--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.directory)]
        options += ["--save", "", "--appendonly", "no", "--protected-mode", "yes"]
        self.process = subprocess.Popen(  # noqa: S603
            [REDIS_SERVER, *options], stdout=subprocess.DEVNULL
        )
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)


@dataclass
class HotlineSite:
    """A Hotline installation of its own whose commands run as child processes."""

    var_dir: Path
    extra: dict[str, str] = field(default_factory=dict)
    children: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env.update(
            DJANGO_SETTINGS_MODULE="hotline.settings",
            HOTLINE_SECRET_KEY="test-only-secret-key-for-worker-processes-0123456789",
            HOTLINE_VAR_DIR=str(self.var_dir),
            HOTLINE_FETCH_ALLOW_LOOPBACK="true",
            HOTLINE_LOG_LEVEL="WARNING",
        )
        env.update(self.extra)
        return env

    def run(self, *arguments: str, timeout: float = 120) -> str:
        completed = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "hotline.cli", *arguments],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if completed.returncode != 0:
            raise AssertionError(f"hotline {' '.join(arguments)} failed:\n{completed.stderr}")
        return completed.stdout

    def python(self, code: str) -> Any:
        """Run `code` in `hotline shell`; the JSON it printed last (`print(json.dumps(...))`)."""
        output = self.run("shell", "--no-imports", "-c", f"import json\n{code}")
        return json.loads(output.strip().splitlines()[-1])

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of a read-only SQL query on the site's database: quicker than a shell to poll."""
        with sqlite3.connect(f"file:{self.var_dir / 'hotline.sqlite3'}?mode=ro", uri=True) as db:
            return db.execute(sql).fetchall()

    def start(self, *arguments: str) -> subprocess.Popen[bytes]:
        child = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "hotline.cli", *arguments], env=self.env
        )
        self.children.append(child)
        return child

    def stop(self) -> None:
        for child in self.children:
            if child.poll() is None:
                child.terminate()
        for child in self.children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()


def wait_for(condition: Any, timeout: float = 60, interval: float = 0.2) -> Any:
    """The first truthy value `condition()` returns within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"not true within {timeout} s")
