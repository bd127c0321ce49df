"""The evidence store on S3-compatible storage, against moto's S3 server on 127.0.0.1.

The same code as on a local directory, through django-storages: only the store differs.
"""

import io
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from importlib.util import find_spec
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import require_service
from hotline.capture.blobstore import configured_store
from hotline.capture.config import s3_storage
from hotline.capture.evidence import open_blob, store
from hotline.capture.evidence_errors import EvidenceCorrupt, EvidenceMissing
from hotline.capture.models import EvidenceBlob
from hotline.capture.retention import stray_names
from hotline.capture.tests.conftest import master_key
from hotline.capture.tests.evidence_samples import sample_bytes, sample_png
from hotline.env import Env

pytestmark = pytest.mark.django_db

CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    require_service(
        find_spec("moto") is not None and find_spec("storages") is not None,
        "moto and django-storages (pip install -e '.[dev]')",
    )
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@dataclass
class Bucket:
    client: Any
    name: str

    def keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def get(self, key: str) -> bytes:
        body: bytes = self.client.get_object(Bucket=self.name, Key=key)["Body"].read()
        return body


@pytest.fixture
def bucket(settings, s3_endpoint) -> Bucket:
    import boto3

    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **CREDENTIALS)
    name = f"evidence-{secrets.token_hex(4)}"
    client.create_bucket(Bucket=name)
    storage = s3_storage(Env({"AWS_STORAGE_BUCKET_NAME": name, "AWS_S3_ENDPOINT_URL": s3_endpoint}))
    storage["OPTIONS"].update(region_name="us-east-1", access_key="testing", secret_key="testing")
    settings.STORAGES = {**settings.STORAGES, "evidence": storage}
    settings.HOTLINE_EVIDENCE_STORAGE = "s3"
    settings.HOTLINE_EVIDENCE_MASTER_KEYS = [master_key()]
    return Bucket(client, name)


def test_stored_bytes_come_back_unchanged_from_s3(bucket):
    image = sample_png()
    blob = store(image)
    assert open_blob(blob) == image
    assert bucket.keys() == [f"evidence/{blob.storage_name}"]


def test_no_plaintext_reaches_the_bucket(bucket):
    marker = "BENIGN-MARKER-93a7"
    blob = store(sample_png(marker))
    assert marker.encode() not in bucket.get(f"evidence/{blob.storage_name}")


def test_the_same_bytes_stored_twice_make_one_object(bucket):
    data = sample_bytes()
    assert store(data).pk == store(data).pk
    assert len(bucket.keys()) == 1


def test_a_tampered_object_is_refused(bucket):
    blob = store(sample_bytes())
    key = f"evidence/{blob.storage_name}"
    bucket.client.put_object(Bucket=bucket.name, Key=key, Body=bucket.get(key)[::-1])
    with pytest.raises(EvidenceCorrupt, match=blob.sha256):
        open_blob(blob)


def test_a_missing_object_is_reported_as_missing(bucket):
    blob = store(sample_bytes())
    bucket.client.delete_object(Bucket=bucket.name, Key=f"evidence/{blob.storage_name}")
    with pytest.raises(EvidenceMissing, match=blob.storage_name):
        open_blob(blob)


def test_retention_deletes_the_object_and_keeps_the_hash(bucket):
    blob = store(sample_bytes())
    EvidenceBlob.objects.filter(pk=blob.pk).update(last_seen_at=timezone.now() - timedelta(400))
    call_command("apply_retention", stdout=io.StringIO())
    assert bucket.keys() == []
    assert EvidenceBlob.objects.get(sha256=blob.sha256).deleted_at is not None


def test_objects_no_row_names_are_found_as_strays(bucket):
    kept = store(sample_bytes())
    orphan = f"ab/cd/{'0' * 32}"
    bucket.client.put_object(Bucket=bucket.name, Key=f"evidence/{orphan}", Body=b"ciphertext")
    later = timezone.now() + timedelta(days=2)
    assert list(stray_names(configured_store(), later)) == [orphan]
    assert kept.storage_name in [name for name, _ in configured_store().entries()]
