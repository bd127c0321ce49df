"""Fixtures shared by every app's tests: staff of each role, signed in with a second factor."""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.db import connection
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, sync_playwright

from hotline.accounts.models import Role, User
from hotline.accounts.testing import verified_client
from hotline.core.tests.services import REDIS_SERVER, HotlineSite, RedisServer

# Playwright's sync API runs an event loop in the test thread; Django's ORM is used beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

STAFF_PASSWORD = "correct horse battery staple 42"  # noqa: S105

CHROMIUM = "/usr/bin/chromium"
# Without the networking switches Chromium calls Google's services at start-up, which a closed
# network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out tests marked `postgres` (races between connections) on SQLite, whose in-memory
    test database refuses concurrent connections; CI's PostgreSQL phase runs them."""
    if connection.vendor == "postgresql":
        return
    kept = [item for item in items if item.get_closest_marker("postgres") is None]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


def require_service(available: bool, name: str) -> None:
    """Skip a test whose service is missing on a developer machine; fail it in CI."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{name} is required in CI but is not available")
    pytest.skip(f"{name} is not available on this machine")


@pytest.fixture
def make_staff(db: None) -> Callable[..., User]:
    def make(role: str, username: str | None = None) -> User:
        user = User.objects.create_user(
            username=username or f"{role}-{User.objects.count() + 1}",
            password=STAFF_PASSWORD,
            role=role,
        )
        TOTPDevice.objects.create(user=user, name="default", confirmed=True)
        return user

    return make


@pytest.fixture
def analyst(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.ANALYST, "analyst-one")


@pytest.fixture
def second_analyst(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.ANALYST, "analyst-two")


@pytest.fixture
def senior_analyst(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.SENIOR_ANALYST, "senior-one")


@pytest.fixture
def manager(make_staff: Callable[..., User]) -> User:
    return make_staff(Role.MANAGER, "manager-one")


@pytest.fixture
def analyst_client(analyst: User) -> Client:
    return verified_client(analyst)


@pytest.fixture
def second_analyst_client(second_analyst: User) -> Client:
    return verified_client(second_analyst)


@pytest.fixture
def senior_analyst_client(senior_analyst: User) -> Client:
    return verified_client(senior_analyst)


@pytest.fixture
def manager_client(manager: User) -> Client:
    return verified_client(manager)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, driven by Playwright; required in CI."""
    require_service(shutil.which(CHROMIUM) is not None, f"Debian's Chromium ({CHROMIUM})")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer | None]:
    """A redis-server of the test session's own, or None where it is not installed."""
    if REDIS_SERVER is None:
        yield None
        return
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
def rq_backend(redis_server: RedisServer | None, settings: Any) -> RedisServer:
    """Tasks go to RQ queues in an empty real Redis, as with HOTLINE_TASK_BACKEND=RQBackend."""
    require_service(redis_server is not None, "redis-server")
    assert redis_server is not None
    redis.Redis.from_url(redis_server.url).flushall()
    settings.RQ_QUEUES = {"default": {"URL": redis_server.url, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    return redis_server


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database file migrated once per session, for `hotline_site` to copy."""
    template = HotlineSite(tmp_path_factory.mktemp("hotline-template") / "var")
    template.run("migrate", "--no-input", timeout=600)
    return template.var_dir / "hotline.sqlite3"


@pytest.fixture
def hotline_site(tmp_path: Path, migrated_database: Path) -> Iterator[HotlineSite]:
    """A migrated Hotline installation of the test's own, run as separate processes."""
    site = HotlineSite(tmp_path / "var")
    site.var_dir.mkdir()
    shutil.copyfile(migrated_database, site.var_dir / "hotline.sqlite3")
    yield site
    site.stop()
