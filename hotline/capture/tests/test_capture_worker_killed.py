"""A worker killed mid-capture: the task is retried and finishes, nothing stored twice, no
half-written blob.

A real `hotline db_worker` process captures a local page whose third image answers only when
the test lets it; the test kills the worker with SIGKILL while it waits there, after it has
stored the page's WARC and two images. The sweep fails the run left RUNNING and requests the
url's capture again, the dispatcher queues it, and a new worker finishes the capture.
"""

import os
import signal
import threading

import pytest

from hotline.capture.tests.media_site import pattern
from hotline.capture.tests.servers import Handler, LocalServer, respond

IMAGES = {
    f"/{name}.png": pattern(48 + index * 8, 40 * index, "PNG")
    for index, name in enumerate(["first", "second", "slow", "last"])
}
PAGE = b"<!doctype html><title>Neutral gallery</title>" + b"".join(
    b'<img src="%s">' % path.encode() for path in IMAGES
)

FILE_REPORT = """
from hotline.intake.models import Channel
from hotline.intake.services import file_report
from hotline.intake.submission import read_submission
submission = read_submission(urls=[{url!r}], where_seen="web_page", content_kind="images")
print(json.dumps(file_report(submission, channel=Channel.WEB_FORM).report.pk))
"""

DISPATCH = """
from hotline.capture.requests import dispatch_capture_requests
print(json.dumps(dispatch_capture_requests()))
"""

STATE = """
from django_tasks_db.models import DBTaskResult
from hotline.capture.models import Capture, CaptureMedia, EvidenceBlob, MediaItem
runs = sorted(DBTaskResult.objects.values_list("status", "exception_class_path"))
state = {
    "runs": runs,
    "captures": list(Capture.objects.values_list("status", flat=True)),
    "media": MediaItem.objects.count(),
    "links": CaptureMedia.objects.count(),
    "blobs": EvidenceBlob.objects.count(),
}
print(json.dumps(state))
"""

SWEEP = """
from datetime import timedelta
from django.utils import timezone
from hotline.capture.tasks import sweep_lost_captures_now
print(json.dumps(sweep_lost_captures_now(timezone.now(), timedelta(0))))
"""

# Every blob row decrypts to bytes of its SHA-256, and every stored file is a blob row's.
EVIDENCE = """
import hashlib
from datetime import timedelta
from django.utils import timezone
from hotline.capture.blobstore import configured_store
from hotline.capture.evidence import open_blob
from hotline.capture.models import EvidenceBlob
from hotline.capture.retention import stray_names
blobs = EvidenceBlob.objects.all()
intact = [hashlib.sha256(open_blob(blob)).hexdigest() == blob.sha256 for blob in blobs]
strays = list(stray_names(configured_store(), timezone.now() + timedelta(days=2)))
print(json.dumps(state | {"intact": intact, "strays": strays}))
"""


class HeldImage:
    """A route that answers only once released, and tells when a request has arrived."""

    def __init__(self, data: bytes) -> None:
        self.arrived = threading.Event()
        self.released = threading.Event()
        self.answer = respond(200, data, [("Content-Type", "image/png")])

    def __call__(self, handler: Handler) -> None:
        self.arrived.set()
        self.released.wait(timeout=60)
        self.answer(handler)


@pytest.fixture
def held():
    server = LocalServer()
    held = HeldImage(IMAGES["/slow.png"])
    server.routes["/page"] = respond(200, PAGE, [("Content-Type", "text/html; charset=utf-8")])
    for path, data in IMAGES.items():
        server.routes[path] = (
            held if path == "/slow.png" else respond(200, data, [("Content-Type", "image/png")])
        )
    yield server, held
    held.released.set()
    server.close()


def test_a_worker_killed_mid_capture_is_retried_and_stores_nothing_twice(hotline_site, held):
    server, image = held
    hotline_site.extra["HOTLINE_CAPTURE_ON_REPORT"] = "true"
    hotline_site.python(FILE_REPORT.format(url=server.url("/page")))
    assert hotline_site.python(DISPATCH) == 1
    worker = hotline_site.start("db_worker", "--queue-name", "*")
    assert image.arrived.wait(timeout=60)

    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    image.released.set()
    killed = hotline_site.python(STATE)
    assert killed["runs"] == [["RUNNING", ""]]
    assert killed["captures"] == []
    # The page's WARC and the two images before the held one were stored before the kill.
    assert (killed["blobs"], killed["media"]) == (3, 2)

    assert len(hotline_site.python(SWEEP)) == 1
    assert hotline_site.python(DISPATCH) == 1
    hotline_site.run("db_worker", "--queue-name", "*", "--batch")

    done = hotline_site.python(STATE + EVIDENCE)
    assert done["runs"] == [
        ["FAILED", "hotline.core.task_results.WorkerLost"],
        ["SUCCESSFUL", ""],
    ]
    assert done["captures"] == ["fetched"]
    assert (done["media"], done["links"]) == (4, 4)
    # Four images stored once each, and a WARC per attempt: each records what that attempt saw.
    assert done["blobs"] == 6
    assert (done["intact"], done["strays"]) == ([True] * 6, [])
    assert [path for path, _ in server.requests].count("/slow.png") == 2
