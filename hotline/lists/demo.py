"""Lists for `hotline demo`: keywords (neutral placeholder tokens) proposed and reviewed by the
demo's analysts, the three lists published through the lists app's own publishing, and one member
organisation with an API key.

The lists are published twice: a first version a week ago, then the current one, which drops the
urls whose content was removed since and a keyword retired meanwhile, so the console shows
versions with additions and removals.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from hotline.accounts.models import User
from hotline.lists.keys import issue_key
from hotline.lists.models import (
    Download,
    Keyword,
    ListName,
    ListVersion,
    Member,
    MemberKey,
    Scope,
)
from hotline.lists.publishing import publish

APPROVED_TERMS = (
    "token-alpha",
    "token-bravo",
    "token-charlie",
    "token-delta",
    "sample-term-1",
    "sample-term-2",
    "sample-term-3",
    "sample-term-4",
)
RETIRED_TERM = "token-delta"
WAITING_TERMS = ("token-echo", "sample-term-5")
REJECTED_TERM = "sample-term-6"
FIRST_VERSION_AGE = timedelta(days=7)


@dataclass(frozen=True)
class DemoMember:
    member: Member
    key: MemberKey
    plaintext: str


def propose_keywords(rng: random.Random, analysts: Sequence[User], now: datetime) -> None:
    """Terms proposed by one analyst and reviewed by another; two still wait for a review."""
    for term in (*APPROVED_TERMS, REJECTED_TERM, *WAITING_TERMS):
        proposer, reviewer = rng.sample(list(analysts), 2)
        keyword = Keyword.propose(term, proposer)
        if term in WAITING_TERMS:
            continue
        approve = term != REJECTED_TERM
        keyword.review(reviewer, approve, "" if approve else "Sample reason: too general.")
        proposed_at = now - timedelta(days=rng.uniform(20, 300))
        Keyword.objects.filter(pk=keyword.pk).update(
            proposed_at=proposed_at, reviewed_at=proposed_at + timedelta(hours=rng.uniform(1, 72))
        )


def publish_first_versions(manager: User, now: datetime) -> None:
    """Every list's first version, dated a week ago."""
    for name in ListName.values:
        publish(name, by=manager)
    ListVersion.objects.filter(number=1).update(published_at=now - FIRST_VERSION_AGE)


def publish_current_versions(manager: User, analyst: User) -> None:
    """A term retired since the first version, then every list published again."""
    Keyword.objects.get(term=RETIRED_TERM).retire(analyst, "Sample reason: no longer seen.")
    for name in ListName.values:
        publish(name, by=manager)


def create_member(manager: User, now: datetime) -> DemoMember:
    """A member that accepted the terms, with a key for every list and matching, and downloads."""
    member = Member.objects.create(
        name="Example Member Organisation",
        contact_email="lists@member.example.net",
        terms_accepted_at=now - timedelta(days=30),
    )
    key, plaintext = issue_key(member, Scope.values, by=manager)
    Download.objects.bulk_create(
        Download(member=member, key=key, list_name=name, version=1, format="json", at=at)
        for name, at in (
            (ListName.HASHES, now - FIRST_VERSION_AGE + timedelta(hours=2)),
            (ListName.URLS, now - FIRST_VERSION_AGE + timedelta(hours=2)),
            (ListName.KEYWORDS, now - FIRST_VERSION_AGE + timedelta(days=1)),
        )
    )
    return DemoMember(member, key, plaintext)
