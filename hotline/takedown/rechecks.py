"""Rechecking noticed urls until their content is gone, and watching that it stays gone.

Each check fetches the url through the one fetcher and reads the answer as:
- present: a 2xx response from where the confirmed content was served (after any redirects);
- absent: a 4xx answer, a redirect elsewhere (a landing page), a host name that no longer
  resolves, a redirect loop;
- unreachable: no answer (refused, reset, timed out) or a 5xx error.
Absent and unreachable both count towards removal, but only when consecutive: content is removed
once `HOTLINE_TAKEDOWN_ABSENT_CHECKS` checks in a row could not get it (a host whose name or
server disappeared is gone for everyone), and its removal time is the first of those checks. A
cycle in which not one of at least `OUR_NETWORK_DOWN_MIN` checks got an HTTP answer says more
about our own network than the hosts', so it counts for nothing and is postponed.
"""

from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hotline.audit.log import record
from hotline.capture.errors import (
    BodyTooLarge,
    ConnectionFailed,
    FetchError,
    FetchTimeout,
    UndecodableBody,
)
from hotline.capture.fetcher import Fetcher, FetchPolicy
from hotline.takedown.cases import recheck_interval
from hotline.takedown.models import CaseEvent, CaseState, TakedownCase

PRESENT, ABSENT, UNREACHABLE = "present", "absent", "unreachable"
CHECK_BODY_BYTES = 256 * 1024
OUR_NETWORK_DOWN_MIN = 5
CHECKED_FIELDS = [
    "state",
    "next_check_at",
    "last_checked_at",
    "last_check",
    "last_check_detail",
    "consecutive_absent",
    "absent_since",
    "removed_at",
    "removed_before_notice",
    "reopened_count",
    "notice_due_at",
]


@dataclass(frozen=True)
class Check:
    outcome: str
    detail: str
    answered: bool


@dataclass
class CycleResult:
    checked: int = 0
    removed: int = 0
    reopened: int = 0
    postponed: int = 0


def check(fetcher: Fetcher, address: str, expected_final_url: str) -> Check:
    try:
        result = fetcher.fetch(address, max_body_bytes=CHECK_BODY_BYTES)
    except (BodyTooLarge, UndecodableBody) as error:
        return Check(PRESENT, str(error), True)
    except (ConnectionFailed, FetchTimeout) as error:
        return Check(UNREACHABLE, str(error), False)
    except FetchError as error:
        return Check(ABSENT, str(error), False)
    if result.status >= 500:
        return Check(UNREACHABLE, f"HTTP {result.status}", True)
    if result.status >= 400:
        return Check(ABSENT, f"HTTP {result.status}", True)
    if expected_final_url and not same_page(result.url, expected_final_url):
        return Check(ABSENT, f"redirected to {result.url}", True)
    return Check(PRESENT, f"HTTP {result.status}", True)


def same_page(found: str, expected: str) -> bool:
    """The same host and path (and query), whatever the scheme: http to https is not a move."""
    a, b = urlsplit(found), urlsplit(expected)
    return (a.hostname, a.path.rstrip("/"), a.query) == (b.hostname, b.path.rstrip("/"), b.query)


def due_for_check(now: datetime) -> list[TakedownCase]:
    cases = TakedownCase.objects.filter(next_check_at__lte=now).select_related("url")
    return list(cases.order_by("next_check_at")[: settings.HOTLINE_TAKEDOWN_RECHECK_BATCH])


def run_cycle(now: datetime | None = None, fetcher: Fetcher | None = None) -> CycleResult:
    """Check every case whose check is due, and record what changed."""
    now = now or timezone.now()
    cases = due_for_check(now)
    if not cases:
        return CycleResult()
    fetcher = fetcher or Fetcher(FetchPolicy.from_settings())
    checks = fetch_all(fetcher, cases)
    if len(cases) >= OUR_NETWORK_DOWN_MIN and not any(item.answered for item in checks):
        return _postpone(cases, now)
    result = CycleResult(checked=len(cases))
    events: list[CaseEvent] = []
    for case, item in zip(cases, checks, strict=True):
        change = apply(case, item, now)
        if change:
            events.append(CaseEvent(case=case, at=now, action=change, detail=_detail(case, item)))
    with transaction.atomic():
        TakedownCase.objects.bulk_update(cases, CHECKED_FIELDS, batch_size=500)
        CaseEvent.objects.bulk_create(events)
        _audit(events)
    result.removed = sum(event.action == "removed" for event in events)
    result.reopened = sum(event.action == "reopened" for event in events)
    return result


def fetch_all(fetcher: Fetcher, cases: list[TakedownCase]) -> list[Check]:
    workers = min(settings.HOTLINE_TAKEDOWN_RECHECK_CONCURRENCY, len(cases))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(
            pool.map(
                lambda case: check(fetcher, case.url.canonical, case.expected_final_url), cases
            )
        )


def apply(case: TakedownCase, item: Check, now: datetime) -> str:
    """Record one check on the case; the name of the change it made ("removed"...) or ""."""
    case.last_checked_at = now
    case.last_check = item.outcome
    case.last_check_detail = item.detail[:300]
    change = _seen(case, now) if item.outcome == PRESENT else _missing(case, now)
    case.next_check_at = _next_check(case, now)
    return change


def _seen(case: TakedownCase, now: datetime) -> str:
    case.consecutive_absent = 0
    case.absent_since = None
    if case.state != CaseState.REMOVED:
        return ""
    case.removed_at = None
    case.removed_before_notice = False
    case.reopened_count += 1
    case.state = CaseState.NOTIFIED if case.notice_count else CaseState.DUE
    case.notice_due_at = now
    return "reopened"


def _missing(case: TakedownCase, now: datetime) -> str:
    case.consecutive_absent += 1
    case.absent_since = case.absent_since or now
    if case.state == CaseState.REMOVED:
        return ""
    if case.consecutive_absent < settings.HOTLINE_TAKEDOWN_ABSENT_CHECKS:
        return ""
    case.state = CaseState.REMOVED
    case.removed_at = case.absent_since
    case.removed_before_notice = case.first_notified_at is None
    case.notice_due_at = None
    return "removed"


def _next_check(case: TakedownCase, now: datetime) -> datetime | None:
    if case.state == CaseState.REMOVED:
        watch_end = (case.removed_at or now) + timedelta(days=settings.HOTLINE_TAKEDOWN_WATCH_DAYS)
        following = now + recheck_interval(case)
        return following if following <= watch_end else None
    return now + recheck_interval(case)


def _postpone(cases: list[TakedownCase], now: datetime) -> CycleResult:
    for case in cases:
        case.next_check_at = now + recheck_interval(case)
    TakedownCase.objects.bulk_update(cases, ["next_check_at"], batch_size=500)
    record("takedown.checks_postponed", detail={"cases": len(cases), "reason": "no answer at all"})
    return CycleResult(postponed=len(cases))


def _detail(case: TakedownCase, item: Check) -> dict[str, object]:
    detail: dict[str, object] = {"check": item.outcome, "detail": item.detail[:300]}
    if case.removed_at is not None:
        detail["removed_at"] = case.removed_at.isoformat()
    return detail


def _audit(events: Iterable[CaseEvent]) -> None:
    """One audit entry per kind of change in a cycle, listing every case it changed: a cycle
    that finds a thousand removals appends two entries to the chain, not a thousand."""
    changed: dict[str, list[dict[str, object]]] = defaultdict(list)
    for event in events:
        changed[event.action].append(
            {"case": event.case.pk, "url": event.case.url_id, **event.detail}
        )
    for action, cases in changed.items():
        record(f"takedown.{action}", detail={"cases": cases})


def check_now(case: TakedownCase, fetcher: Fetcher | None = None) -> str:
    """One check of one case at once (a manager's button); the outcome."""
    fetcher = fetcher or Fetcher(FetchPolicy.from_settings())
    item = check(fetcher, case.url.canonical, case.expected_final_url)
    now = timezone.now()
    change = apply(case, item, now)
    with transaction.atomic():
        case.save(update_fields=CHECKED_FIELDS)
        if change:
            event = CaseEvent.objects.create(
                case=case, at=now, action=change, detail=_detail(case, item)
            )
            _audit([event])
    return item.outcome
