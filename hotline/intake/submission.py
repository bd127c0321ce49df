"""What a reporter submitted, checked once for the form and the API alike, with one wording."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hotline.intake.canonical import CanonicalUrl, InvalidUrl, canonicalise
from hotline.intake.models import ContentKind, Url, WhereSeen

EMAIL_MAX_LENGTH = 254
EXCERPT_LENGTH = 60
# NUL and lone surrogates cannot be stored by PostgreSQL; other controls are never meant.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True)
class SubmittedUrl:
    """One distinct address of a report: as typed, and its canonical form."""

    submitted: str
    canonical: CanonicalUrl
    canonical_hash: str


@dataclass(frozen=True)
class Submission:
    """A checked report: every address canonical and distinct, every choice valid."""

    urls: tuple[SubmittedUrl, ...]
    where_seen: str
    content_kind: str
    description: str = ""
    contact_email: str = ""


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str | Promise
    index: int | None = None


class InvalidSubmission(ValueError):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{error.field}: {error.message}" for error in errors))
        self.errors = errors


# Choices.values builds a new list at every call.
WHERE_SEEN_CHOICES = frozenset(WhereSeen.values)
CONTENT_KIND_CHOICES = frozenset(ContentKind.values)


def urls_from_lines(text: str) -> list[str]:
    """The addresses of a one-per-line text box; blank lines are not addresses."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def read_submission(
    *,
    urls: Sequence[str],
    where_seen: str,
    content_kind: str,
    description: str = "",
    contact_email: str = "",
) -> Submission:
    """The checked submission, or InvalidSubmission listing every problem at once."""
    errors: list[FieldError] = []
    checked_urls = _read_urls(urls, errors)
    if where_seen not in WHERE_SEEN_CHOICES:
        errors.append(FieldError("where_seen", _("Choose where you saw it.")))
    if content_kind not in CONTENT_KIND_CHOICES:
        errors.append(FieldError("content_kind", _("Choose what it shows.")))
    description = description.strip()
    _check_description(description, errors)
    contact_email = contact_email.strip()
    _check_contact_email(contact_email, errors)
    if errors:
        raise InvalidSubmission(errors)
    return Submission(checked_urls, where_seen, content_kind, description, contact_email)


def _read_urls(urls: Sequence[str], errors: list[FieldError]) -> tuple[SubmittedUrl, ...]:
    if not urls:
        errors.append(FieldError("urls", _("Enter at least one web address.")))
        return ()
    limit = settings.HOTLINE_MAX_URLS_PER_REPORT
    if len(urls) > limit:
        message: str | Promise = _(
            "A report can include at most %(limit)s addresses; this one has %(count)s. "
            "Please send them in several reports."
        ) % {"limit": limit, "count": len(urls)}
        errors.append(FieldError("urls", message))
        return ()
    distinct: dict[str, SubmittedUrl] = {}
    for index, typed in enumerate(urls):
        try:
            canonical = canonicalise(typed, max_length=settings.HOTLINE_MAX_URL_LENGTH)
        except InvalidUrl as problem:
            errors.append(FieldError("urls", _url_message(index, typed, problem), index))
            continue
        digest = Url.hash_canonical(canonical.url)
        distinct.setdefault(digest, SubmittedUrl(typed.strip(), canonical, digest))
    return tuple(distinct.values())


def _url_message(index: int, typed: str, problem: InvalidUrl) -> str:
    excerpt = "".join(c if c.isprintable() else "\ufffd" for c in typed.strip()[:EXCERPT_LENGTH])
    if len(typed.strip()) > EXCERPT_LENGTH:
        excerpt += "…"
    return _("Address %(number)s (%(address)s): %(problem)s") % {
        "number": index + 1,
        "address": excerpt,
        "problem": problem.message,
    }


def _check_description(description: str, errors: list[FieldError]) -> None:
    limit = settings.HOTLINE_MAX_DESCRIPTION_LENGTH
    if len(description) > limit:
        message: str | Promise = _(
            "The description can be at most %(limit)s characters long; it has %(count)s."
        ) % {"limit": limit, "count": len(description)}
        errors.append(FieldError("description", message))
    elif not _is_storable_text(description):
        message = _("The description contains invisible control characters. Please remove them.")
        errors.append(FieldError("description", message))


def _is_storable_text(text: str) -> bool:
    return _UNSTORABLE.search(text) is None


def _check_contact_email(contact_email: str, errors: list[FieldError]) -> None:
    if not contact_email:
        return
    try:
        if len(contact_email) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
        validate_email(contact_email)
    except ValidationError:
        message = _("Enter a valid email address, such as name@example.com, or leave it empty.")
        errors.append(FieldError("contact_email", message))
