"""The jobs Hotline's own apps put on the schedule."""

from datetime import timedelta

from hotline.capture.tasks import apply_retention_task, sweep_lost_captures
from hotline.core.schedule import JOBS


def test_the_capture_sweep_runs_every_configured_interval(settings):
    settings.HOTLINE_CAPTURE_SWEEP_INTERVAL_MINUTES = 7
    job = JOBS["capture-sweep"]
    assert job.task == sweep_lost_captures
    assert job.current_interval() == timedelta(minutes=7)


def test_retention_runs_daily_by_default(settings):
    job = JOBS["apply-retention"]
    assert job.task == apply_retention_task
    assert job.current_interval() == timedelta(hours=settings.HOTLINE_RETENTION_INTERVAL_HOURS)
    assert settings.HOTLINE_RETENTION_INTERVAL_HOURS == 24
