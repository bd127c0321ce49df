"""Benign list data: media items whose "hashes" are counters, labelled with confirmed grades;
urls on reserved domains; neutral keyword tokens; members with keys."""

import hashlib
import itertools
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hotline.accounts.models import User
from hotline.assessment.media_grades import MediaGrade
from hotline.assessment.models import Assessment
from hotline.assessment.vocabulary import AssessmentStatus, GradeStatus, Outcome
from hotline.capture.models import EvidenceBlob, MediaItem
from hotline.intake.models import Url
from hotline.lists.keys import issue_key
from hotline.lists.match_api import match_limiter
from hotline.lists.matching import service
from hotline.lists.models import Keyword, KeywordStatus, Member, MemberKey

_numbers = itertools.count(1)


def _hex(label: str, digest: Callable[[bytes], Any]) -> str:
    return str(digest(label.encode()).hexdigest())


@pytest.fixture
def make_media_item(db: None) -> Callable[..., MediaItem]:
    def make(pdq: str | None = None) -> MediaItem:
        label = f"sample media {next(_numbers)}"
        sha256 = _hex(label, hashlib.sha256)
        blob = EvidenceBlob.objects.create(
            sha256=sha256, size=1, wrapped_key=b"k" * 40, nonce=b"n" * 12
        )
        return MediaItem.objects.create(
            blob=blob,
            kind="image",
            md5=_hex(label, hashlib.md5),
            sha1=_hex(label, hashlib.sha1),
            sha256=sha256,
            pdq=_hex(label, hashlib.sha256) if pdq is None else pdq,
        )

    return make


@pytest.fixture
def make_grade(
    make_media_item: Callable[..., MediaItem], analyst: User
) -> Callable[..., MediaGrade]:
    """A media grade, confirmed unless told otherwise (as if enough analysts stood behind it)."""

    def make(item: MediaItem | None = None, **fields: Any) -> MediaGrade:
        values: dict[str, Any] = {
            "category": "A",
            "age_band": "3-6",
            "sex": "girls",
            "status": GradeStatus.CONFIRMED,
            "confirmed_at": timezone.now(),
            **fields,
        }
        return MediaGrade.objects.create(
            media_item=item or make_media_item(), analyst=analyst, **values
        )

    return make


@pytest.fixture
def make_confirmed_url(analyst: User) -> Callable[..., Url]:
    def make(category: str = "B") -> Url:
        number = next(_numbers)
        canonical = f"http://site{number}.example.com/page/{number}"
        now = timezone.now()
        url = Url.objects.create(
            canonical=canonical,
            canonical_hash=Url.hash_canonical(canonical),
            host=f"site{number}.example.com",
            first_reported_at=now - timedelta(hours=1),
            last_reported_at=now,
        )
        Assessment.objects.create(
            url=url,
            analyst=analyst,
            outcome=Outcome.CONFIRMED,
            category=category,
            age_band="11-13",
            status=AssessmentStatus.CONFIRMED,
            decided_at=now,
        )
        return url

    return make


@pytest.fixture
def make_keyword(analyst: User, second_analyst: User) -> Callable[..., Keyword]:
    def make(term: str, status: str = KeywordStatus.APPROVED) -> Keyword:
        reviewed = status != KeywordStatus.PROPOSED
        return Keyword.objects.create(
            term=term,
            proposed_by=analyst,
            status=status,
            reviewed_by=second_analyst if reviewed else None,
            reviewed_at=timezone.now() if reviewed else None,
        )

    return make


@pytest.fixture
def member(db: None) -> Member:
    return Member.objects.create(name="Sample Platform Ltd", terms_accepted_at=timezone.now())


@pytest.fixture
def make_key(member: Member) -> Callable[..., tuple[MemberKey, str]]:
    def make(
        scopes: tuple[str, ...] = ("hashes", "urls", "keywords"), **fields: Any
    ) -> tuple[MemberKey, str]:
        return issue_key(fields.pop("for_member", member), scopes, **fields)

    return make


@pytest.fixture
def member_client(make_key: Callable[..., tuple[MemberKey, str]]) -> Client:
    """A test client sending a key that may download every list."""
    _key, clear = make_key()
    return Client(headers={"Authorization": f"Bearer {clear}"})


@pytest.fixture
def fresh_match_index(settings: Any) -> Iterator[None]:
    """A match index and rate limiter of the test's own, following every new version at once."""
    settings.HOTLINE_MATCH_VERSION_CHECK_SECONDS = 0
    service.reset()
    match_limiter.reset()
    yield
    service.reset()


@pytest.fixture
def matcher(make_key: Callable[..., tuple[MemberKey, str]]) -> Client:
    """A member's client whose key may use the match API."""
    _key, clear = make_key(("match",))
    return Client(headers={"Authorization": f"Bearer {clear}"})
