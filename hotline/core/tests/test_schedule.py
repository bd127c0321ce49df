"""Periodic jobs: enqueued when due, once per interval however many schedulers run; dispatchers
run at every dispatch period."""

import io
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

from hotline.core import schedule
from hotline.core.models import ScheduledJob
from hotline.core.schedule import (
    Dispatcher,
    PeriodicJob,
    dispatch,
    enqueue_due,
    register,
    register_dispatcher,
)
from hotline.core.tests.services import free_port

pytestmark = pytest.mark.django_db

RUNS: list[str] = []


@task()
def note_run() -> None:
    RUNS.append("ran")


@task()
def other_task() -> None:
    RUNS.append("other")


@pytest.fixture(autouse=True)
def empty_schedule(monkeypatch):
    monkeypatch.setattr(schedule, "JOBS", {})
    monkeypatch.setattr(schedule, "DISPATCHERS", {})
    RUNS.clear()


def test_a_job_never_run_is_enqueued_at_once():
    register(PeriodicJob("note", timedelta(hours=1), note_run))
    assert enqueue_due() == ["note"]
    assert RUNS == ["ran"]
    assert ScheduledJob.objects.get(name="note").last_enqueued_at is not None


def test_a_job_is_enqueued_again_only_once_its_interval_has_passed():
    register(PeriodicJob("note", timedelta(hours=1), note_run))
    start = timezone.now()
    enqueue_due(start)
    assert enqueue_due(start + timedelta(minutes=59)) == []
    assert enqueue_due(start + timedelta(hours=1)) == ["note"]
    assert RUNS == ["ran", "ran"]


def test_the_interval_is_read_from_settings_at_every_tick(settings):
    settings.HOTLINE_CAPTURE_SWEEP_INTERVAL_MINUTES = 30

    def interval() -> timedelta:
        return timedelta(minutes=settings.HOTLINE_CAPTURE_SWEEP_INTERVAL_MINUTES)

    register(PeriodicJob("note", interval, note_run))
    start = timezone.now()
    enqueue_due(start)
    assert enqueue_due(start + timedelta(minutes=10)) == []
    settings.HOTLINE_CAPTURE_SWEEP_INTERVAL_MINUTES = 5
    assert enqueue_due(start + timedelta(minutes=10)) == ["note"]


def test_a_second_scheduler_at_the_same_moment_enqueues_nothing():
    register(PeriodicJob("note", timedelta(hours=1), note_run))
    now = timezone.now()
    assert enqueue_due(now) == ["note"]
    assert enqueue_due(now) == []
    assert RUNS == ["ran"]


def test_a_run_claimed_elsewhere_is_not_enqueued_here():
    job = register(PeriodicJob("note", timedelta(hours=1), note_run))
    now = timezone.now()
    ScheduledJob.objects.create(name="note", last_enqueued_at=now - timedelta(minutes=1))
    assert not schedule.claim(job, now)
    assert enqueue_due(now) == []


def test_a_job_the_backend_refuses_stays_due_for_the_next_tick(settings):
    register(PeriodicJob("note", timedelta(hours=1), note_run))
    register(PeriodicJob("other", timedelta(hours=1), other_task))
    # A Redis that is not there: enqueuing raises, as when the real one is down.
    settings.RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:{free_port()}/0"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    assert enqueue_due() == []
    assert not ScheduledJob.objects.filter(last_enqueued_at__isnull=False).exists()

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert enqueue_due() == ["note", "other"]


def test_registering_a_name_again_for_another_task_is_refused():
    register(PeriodicJob("note", timedelta(hours=1), note_run))
    register(PeriodicJob("note", timedelta(hours=2), note_run))
    with pytest.raises(ValueError, match="already registered"):
        register(PeriodicJob("note", timedelta(hours=1), other_task))


def test_run_schedule_once_enqueues_what_is_due_and_says_so():
    register(PeriodicJob("note", timedelta(hours=1), note_run))
    output = io.StringIO()
    call_command("run_schedule", "--once", stdout=output)
    call_command("run_schedule", "--once", stdout=output)
    assert output.getvalue() == "enqueued note\n"
    assert RUNS == ["ran"]


def test_run_schedule_once_also_runs_the_dispatchers_and_says_what_they_queued():
    register_dispatcher(Dispatcher("requests", lambda: 3))
    output = io.StringIO()
    call_command("run_schedule", "--once", stdout=output)
    assert output.getvalue() == "requests: queued 3\n"


def test_a_failing_dispatcher_is_logged_and_the_others_still_run(caplog):
    def broken() -> int:
        raise ConnectionError("redis is down")

    register_dispatcher(Dispatcher("broken", broken))
    register_dispatcher(Dispatcher("working", lambda: 2))
    assert dispatch() == {"working": 2}
    assert "dispatcher broken failed" in caplog.text


def test_the_scheduler_dispatches_every_period_and_enqueues_jobs_every_tick():
    register(PeriodicJob("note", timedelta(hours=1), note_run))
    stop = threading.Event()
    dispatched: list[int] = []

    def count_then_stop() -> int:
        dispatched.append(1)
        if len(dispatched) == 5:
            stop.set()
        return 0

    register_dispatcher(Dispatcher("counting", count_then_stop))
    schedule.run_forever(timedelta(hours=1), stop, dispatch_every=timedelta(milliseconds=10))
    assert len(dispatched) == 5
    assert RUNS == ["ran"]
