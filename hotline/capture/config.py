"""What settings.py reads for the evidence store; nothing here imports Django's machinery.

The master keys are read once, when the settings load, so that a malformed key stops every
process at start rather than the first capture.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from hotline.capture.keys import KEY_FILE_NAME, generate_key_file, parse_keys
from hotline.env import Env


def master_keys(env: Env, var_dir: Path) -> list[bytes]:
    """The master keys, newest first: from the environment, a key file, or a local key file."""
    inline = env.raw("HOTLINE_EVIDENCE_MASTER_KEY")
    key_file = env.raw("HOTLINE_EVIDENCE_MASTER_KEY_FILE")
    if inline and key_file:
        raise ImproperlyConfigured(
            "set HOTLINE_EVIDENCE_MASTER_KEY or HOTLINE_EVIDENCE_MASTER_KEY_FILE, not both"
        )
    if inline:
        return parse_keys(inline, "HOTLINE_EVIDENCE_MASTER_KEY")
    path = Path(key_file) if key_file else var_dir / KEY_FILE_NAME
    if not key_file:
        generate_key_file(path)
    try:
        text = path.read_text()
    except OSError as error:
        raise ImproperlyConfigured(
            f"cannot read the evidence master key file {path}: {error.strerror}"
        ) from None
    return parse_keys(text, str(path))


def s3_storage(env: Env) -> dict[str, Any]:
    """django-storages' S3 backend, from its usual AWS_* names; credentials are left to boto3."""
    bucket = env.raw("AWS_STORAGE_BUCKET_NAME")
    if bucket is None:
        raise ImproperlyConfigured("HOTLINE_EVIDENCE_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME")
    options = {
        "bucket_name": bucket,
        "endpoint_url": env.raw("AWS_S3_ENDPOINT_URL"),
        "region_name": env.raw("AWS_S3_REGION_NAME"),
        "addressing_style": env.raw("AWS_S3_ADDRESSING_STYLE"),
        "location": env.string("AWS_LOCATION", "evidence"),
        # Names are random and never reused: no need to ask the service whether one is taken.
        "file_overwrite": True,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
