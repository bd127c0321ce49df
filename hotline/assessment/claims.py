"""Claims keep two analysts off the same url: every change is one conditional UPDATE.

A claim is held by `Url.claimed_by` since `Url.claimed_at`; after HOTLINE_CLAIM_MINUTES it lapses
and anyone may take the url over. The holder may still finish a lapsed claim nobody took over.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline.accounts.models import User
from hotline.assessment.errors import (
    AlreadyDecided,
    AssessmentRefused,
    ClaimHeldByAnother,
    ClaimRequired,
)
from hotline.audit.log import record
from hotline.intake.models import Url, UrlState

QUEUE_ORDER = ("-priority", "first_reported_at", "id")
# Losing this many races in a row means the queue is being emptied faster than it can be read.
CLAIM_NEXT_ATTEMPTS = 5


@dataclass(frozen=True)
class Claim:
    holder: User
    since: datetime


def lapse_cutoff(now: datetime | None = None) -> datetime:
    """Claims taken before this moment have lapsed."""
    return (now or timezone.now()) - timedelta(minutes=settings.HOTLINE_CLAIM_MINUTES)


def active_claim(url: Url, cutoff: datetime | None = None) -> Claim | None:
    """Who holds the url now, if anyone; reads `claimed_by`, so select it with the url."""
    if url.claimed_by is None or url.claimed_at is None:
        return None
    if url.claimed_at < (cutoff or lapse_cutoff()):
        return None
    return Claim(url.claimed_by, url.claimed_at)


def claimable_by(analyst: User, now: datetime) -> Q:
    return Q(claimed_by__isnull=True) | Q(claimed_at__lt=lapse_cutoff(now)) | Q(claimed_by=analyst)


def claim(url: Url, analyst: User) -> None:
    """Take the url for `analyst`, or refuse naming who holds it."""
    now = timezone.now()
    previous = url.claimed_by if url.claimed_by_id not in (None, analyst.pk) else None
    detail = {"state": url.state}
    if previous is not None:
        detail["took_over_lapsed_claim_of"] = previous.get_username()
    with transaction.atomic():
        taken = (
            Url.objects.filter(pk=url.pk)
            .filter(claimable_by(analyst, now))
            .update(claimed_by=analyst, claimed_at=now)
        )
        if taken:
            record("claim.taken", actor=analyst, target=url, detail=detail)
    if not taken:
        raise refusal(url, analyst)
    url.claimed_by, url.claimed_at = analyst, now


def release(url: Url, analyst: User) -> None:
    """Give the url back to the queue; only its holder may."""
    with transaction.atomic():
        released = Url.objects.filter(pk=url.pk, claimed_by=analyst).update(
            claimed_by=None, claimed_at=None
        )
        if released:
            record("claim.released", actor=analyst, target=url, detail={"state": url.state})
    if not released:
        raise refusal(url, analyst)
    url.claimed_by, url.claimed_at = None, None


def claim_next(analyst: User) -> Url | None:
    """The queued url the analyst already holds, else the first free one; None when none is."""
    queued = Url.objects.filter(state=UrlState.QUEUED).order_by(*QUEUE_ORDER)
    held = queued.filter(claimed_by=analyst).first()
    if held is not None:
        return held
    for _attempt in range(CLAIM_NEXT_ATTEMPTS):
        candidate = _first_free(queued)
        if candidate is None:
            return None
        try:
            claim(candidate, analyst)
        except ClaimHeldByAnother:
            continue
        return candidate
    raise AssessmentRefused(
        _("Other analysts claimed the next cases at the same moment; try again.")
    )


def _first_free(queued: QuerySet[Url]) -> Url | None:
    now = timezone.now()
    return queued.filter(Q(claimed_by__isnull=True) | Q(claimed_at__lt=lapse_cutoff(now))).first()


def require_holder(url: Url, analyst: User) -> None:
    """Refuse unless `analyst` holds the url (a lapsed claim nobody took over still counts)."""
    if url.claimed_by_id != analyst.pk:
        raise refusal(url, analyst)


def advance(url: Url, analyst: User, from_state: str, to_state: str) -> None:
    """Move the url on and release the claim, only if it is still at `from_state` and held."""
    moved = Url.objects.filter(pk=url.pk, state=from_state, claimed_by=analyst).update(
        state=to_state, claimed_by=None, claimed_at=None
    )
    if not moved:
        raise refusal(url, analyst, expected_state=from_state)
    url.state, url.claimed_by, url.claimed_at = to_state, None, None


def refusal(url: Url, analyst: User, expected_state: str | None = None) -> AssessmentRefused:
    """Why a conditional update on the url matched nothing, read afresh from the database."""
    current = Url.objects.select_related("claimed_by").get(pk=url.pk)
    if expected_state is not None and current.state != expected_state:
        return AlreadyDecided(
            _("This case has already moved on: it is now “%(state)s”. Nothing was changed.")
            % {"state": current.get_state_display()}
        )
    holding = active_claim(current)
    if holding is not None and holding.holder.pk != analyst.pk:
        return ClaimHeldByAnother(holding.holder.get_username(), holding.since)
    return ClaimRequired()
