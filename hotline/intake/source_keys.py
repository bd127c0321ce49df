"""API keys of reporting sources: shown once when issued, then known only by prefix and SHA-256."""

import hmac
import secrets

from django.utils import timezone

from hotline.audit.log import record
from hotline.intake.models import ReportingSource, SourceApiKey

KEY_PREFIX = "hl_"
PREFIX_RANDOM_BYTES = 4
SECRET_BYTES = 32


class UnknownKey(LookupError):
    pass


def issue_key(source: ReportingSource) -> str:
    """A new key for `source`. The caller must show it now: it cannot be recovered."""
    prefix = KEY_PREFIX + secrets.token_hex(PREFIX_RANDOM_BYTES)
    key = f"{prefix}.{secrets.token_urlsafe(SECRET_BYTES)}"
    api_key = SourceApiKey.objects.create(
        source=source, prefix=prefix, key_hash=SourceApiKey.hash_key(key)
    )
    record("intake.source_key.issued", target=api_key, detail={"source": source.name})
    return key


def revoke_key(prefix: str) -> SourceApiKey:
    api_key = SourceApiKey.objects.select_related("source").filter(prefix=prefix).first()
    if api_key is None:
        raise UnknownKey(prefix)
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        record("intake.source_key.revoked", target=api_key, detail={"source": api_key.source.name})
    return api_key


def source_for_key(key: str) -> ReportingSource | None:
    """The active source whose live key this is, or None for any other string."""
    prefix, dot, _ = key.partition(".")
    if not dot:
        return None
    api_key = (
        SourceApiKey.objects.select_related("source")
        .filter(prefix=prefix, revoked_at__isnull=True, source__active=True)
        .first()
    )
    if api_key is None or not hmac.compare_digest(api_key.key_hash, SourceApiKey.hash_key(key)):
        return None
    return api_key.source
