"""`hotline demo`: fill an empty database with a believable, benign demonstration.

Everything is invented: addresses are on reserved domains (example.com/.net/.org, .test,
.invalid), descriptions are neutral placeholders, and nobody's identity is recorded. The
data is planned first, as plain values drawn from one seeded generator (so `--seed` gives
the same demo), then written with bulk inserts.
"""

import random
import secrets
import string
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hotline.accounts.models import Role, User
from hotline.assessment.demo import capture_cases
from hotline.assessment.grade import Grade
from hotline.assessment.models import Assessment, Confirmation
from hotline.assessment.vocabulary import AgeBand, AssessmentStatus, Category, Outcome, Sex
from hotline.audit.log import record
from hotline.capture.models import MediaItem
from hotline.intake.canonical import canonicalise
from hotline.intake.models import (
    Channel,
    ContentKind,
    Report,
    ReportedUrl,
    ReportingSource,
    SourceKind,
    Url,
    UrlState,
    WhereSeen,
)
from hotline.intake.services import CROCKFORD_ALPHABET, REFERENCE_LENGTH
from hotline.lists.demo import (
    DemoMember,
    create_member,
    propose_keywords,
    publish_current_versions,
    publish_first_versions,
)
from hotline.takedown.demo import fill_takedown

DEMO_STAFF = (
    ("analyst1", Role.ANALYST),
    ("analyst2", Role.ANALYST),
    ("analyst3", Role.ANALYST),
    ("senior1", Role.SENIOR_ANALYST),
    ("manager1", Role.MANAGER),
)
# (name, kind, priority weight, share of reports); the rest of the reports are the public's.
DEMO_SOURCES = (
    ("Example Partner Hotline", SourceKind.PARTNER_HOTLINE, 20, 0.14),
    ("Example Video Platform", SourceKind.PLATFORM, 10, 0.12),
    ("Example Social Network", SourceKind.PLATFORM, 10, 0.10),
    ("Example Police Unit", SourceKind.POLICE, 30, 0.07),
)
DESCRIPTIONS = (
    "",
    "sample description",
    "Sample description: found while searching.",
    "Sample description of where the link was shared.",
    "Sample description, seen in a group chat.",
    "Sample text for the demonstration.",
)
WHERE_SEEN = {
    WhereSeen.WEB_PAGE: 35,
    WhereSeen.SOCIAL_MEDIA: 25,
    WhereSeen.CHAT: 12,
    WhereSeen.FILE_SHARING: 10,
    WhereSeen.ONLINE_GAME: 5,
    WhereSeen.EMAIL: 3,
    WhereSeen.OTHER: 10,
}
CONTENT_KINDS = {ContentKind.IMAGES: 60, ContentKind.VIDEOS: 25, ContentKind.TEXT: 5, "other": 10}
OUTCOMES = {
    Outcome.CONFIRMED: 45,
    Outcome.NOT_ILLEGAL: 22,
    Outcome.UNREACHABLE: 13,
    Outcome.OFF_REMIT: 12,
    Outcome.NPI: 8,
}
CATEGORIES = {Category.A: 18, Category.B: 24, Category.C: 58}
AGE_BANDS = {
    AgeBand.AGE_0_2: 3,
    AgeBand.AGE_3_6: 9,
    AgeBand.AGE_7_10: 22,
    AgeBand.AGE_11_13: 42,
    AgeBand.AGE_14_15: 18,
    AgeBand.AGE_16_17: 6,
}
SEXES = {Sex.GIRLS: 72, Sex.BOYS: 10, Sex.BOTH: 12, Sex.UNIDENTIFIABLE: 6}
TEENS = {AgeBand.AGE_11_13, AgeBand.AGE_14_15, AgeBand.AGE_16_17}
HISTORY_DAYS = 425  # about 14 months
ASSESSORS = 4  # the three analysts and the senior analyst, in DEMO_STAFF order
SENIOR = 3


def pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass(frozen=True)
class PlannedReport:
    reference: str
    received_at: datetime
    source: int | None  # index into DEMO_SOURCES; None for the public
    where_seen: str
    content_kind: str
    description: str
    contact_email: str
    language: str
    urls: tuple[tuple[str, str], ...]  # (as submitted, canonical)


@dataclass
class PlannedUrl:
    canonical: str
    host: str
    first_reported_at: datetime
    last_reported_at: datetime
    report_count: int = 0
    sources: set[int | None] = field(default_factory=set)


@dataclass(frozen=True)
class PlannedCase:
    """What happened to one url: still queued, waiting on a second analyst, disputed,
    final (confirmed by a second analyst where needed), or overruled by a senior analyst."""

    canonical: str
    fate: str
    grade: Grade | None = None
    analyst: int = 0
    checker: int = 0
    assessed_at: datetime | None = None
    decided_at: datetime | None = None


@dataclass
class Plan:
    reports: list[PlannedReport]
    urls: dict[str, PlannedUrl]
    cases: list[PlannedCase]


def plan_demo(rng: random.Random, now: datetime, report_count: int) -> Plan:
    reports = plan_reports(rng, now, report_count)
    urls = tally_urls(reports)
    return Plan(reports, urls, plan_cases(rng, now, list(urls.values())))


def plan_reports(rng: random.Random, now: datetime, count: int) -> list[PlannedReport]:
    """Reports over the last 14 months, more of them lately; popular urls are named again."""
    times = sorted(_received_at(rng, now) for _ in range(count))
    recent: deque[tuple[str, str]] = deque(maxlen=60)
    return [_plan_report(rng, moment, recent) for moment in times]


def _received_at(rng: random.Random, now: datetime) -> datetime:
    """Half the reports uniformly, half leaning recent: about three times as many lately."""
    position = rng.random() if rng.random() < 0.5 else max(rng.random(), rng.random())
    return now - timedelta(days=HISTORY_DAYS * (1 - position), minutes=rng.randrange(1, 120))


def _plan_report(
    rng: random.Random, received_at: datetime, recent: deque[tuple[str, str]]
) -> PlannedReport:
    source = _pick_source(rng)
    urls: dict[str, str] = {}
    for _ in range(rng.choices((1, 2, 3), weights=(80, 15, 5))[0]):
        submitted, canonical = _pick_url(rng, recent)
        urls.setdefault(canonical, submitted)
        recent.append((submitted, canonical))
    public = source is None
    return PlannedReport(
        reference="HL-" + "".join(rng.choices(CROCKFORD_ALPHABET, k=REFERENCE_LENGTH)),
        received_at=received_at,
        source=source,
        where_seen=pick(rng, WHERE_SEEN),
        content_kind=pick(rng, CONTENT_KINDS),
        description=rng.choice(DESCRIPTIONS) if public else "Sample referral.",
        contact_email=f"reporter{rng.randrange(10_000)}@example.com"
        if public and rng.random() < 0.15
        else "",
        language=rng.choice(("en",) * 9 + ("fr",)) if public else "",
        urls=tuple((submitted, canonical) for canonical, submitted in urls.items()),
    )


def _pick_source(rng: random.Random) -> int | None:
    draw = rng.random()
    for index, (*_details, share) in enumerate(DEMO_SOURCES):
        if draw < share:
            return index
        draw -= share
    return None


def _pick_url(rng: random.Random, recent: deque[tuple[str, str]]) -> tuple[str, str]:
    """A url named lately (the more often, the likelier), or a new one."""
    if recent and rng.random() < 0.3:
        return rng.choice(recent)
    submitted = _new_address(rng)
    return submitted, canonicalise(submitted).url


def _new_address(rng: random.Random) -> str:
    number = rng.randrange(100, 99_999)
    token = "".join(rng.choices(string.ascii_lowercase + string.digits, k=8))
    addresses = (
        f"https://images.example.com/gallery/{number}",
        f"http://files.example.net/share/{token}",
        f"https://forum.example.org/thread/{number}?page={rng.randint(1, 9)}",
        f"https://video.example.test/watch/{token}",
        f"https://cdn{rng.randint(1, 4)}.hosting.test/u/{token}.jpg",
        f"https://board.example.invalid/b/{number}",
        f"https://social.example.com/user{number}/posts/{token}",
    )
    return rng.choices(addresses, weights=(25, 20, 10, 15, 15, 5, 10))[0]


def tally_urls(reports: Sequence[PlannedReport]) -> dict[str, PlannedUrl]:
    """Each url's counts as intake keeps them: the public counts as one source."""
    urls: dict[str, PlannedUrl] = {}
    for report in reports:
        for submitted, canonical in report.urls:
            url = urls.get(canonical)
            if url is None:
                host = canonicalise(submitted).host
                url = urls[canonical] = PlannedUrl(
                    canonical, host, report.received_at, report.received_at
                )
            url.last_reported_at = report.received_at
            url.report_count += 1
            url.sources.add(report.source)
    return urls


def plan_cases(rng: random.Random, now: datetime, urls: Sequence[PlannedUrl]) -> list[PlannedCase]:
    """The newest urls are still in the queue or with a second analyst; one is disputed."""
    newest_first = sorted(urls, key=lambda url: url.first_reported_at, reverse=True)
    queued = max(8, len(urls) // 25)
    awaiting = max(4, len(urls) // 50)
    cases = []
    for position, url in enumerate(newest_first):
        if position < queued:
            cases.append(PlannedCase(url.canonical, "queued"))
        elif position < queued + awaiting:
            cases.append(_open_case(rng, now, url, "awaiting"))
        elif position == queued + awaiting:
            cases.append(_open_case(rng, now, url, "disputed"))
        else:
            cases.append(_decided_case(rng, now, url))
    return cases


def _open_case(rng: random.Random, now: datetime, url: PlannedUrl, fate: str) -> PlannedCase:
    analyst = rng.randrange(SENIOR)
    checker = (analyst + 1) % SENIOR
    assessed_at = _between(url.first_reported_at, now, rng.uniform(0.2, 0.8))
    grade = _confirmed_grade(rng)
    return PlannedCase(url.canonical, fate, grade, analyst, checker, assessed_at)


def _decided_case(rng: random.Random, now: datetime, url: PlannedUrl) -> PlannedCase:
    analyst = rng.randrange(ASSESSORS)
    checker = rng.choice([other for other in range(ASSESSORS) if other != analyst])
    outcome = pick(rng, OUTCOMES)
    grade = _confirmed_grade(rng) if outcome == Outcome.CONFIRMED else Grade(outcome)
    decided_at = min(url.first_reported_at + timedelta(hours=rng.uniform(2, 96)), now)
    assessed_at = _between(url.first_reported_at, decided_at, rng.uniform(0.3, 0.8))
    fate = "final"
    if analyst != SENIOR and grade.needs_second_analyst() and rng.random() < 0.03:
        fate, checker = "overruled", (analyst + 1) % SENIOR
    return PlannedCase(url.canonical, fate, grade, analyst, checker, assessed_at, decided_at)


def _between(start: datetime, end: datetime, fraction: float) -> datetime:
    return start + (end - start) * fraction


def _confirmed_grade(rng: random.Random) -> Grade:
    age_band = pick(rng, AGE_BANDS)
    return Grade(
        Outcome.CONFIRMED,
        category=pick(rng, CATEGORIES),
        age_band=age_band,
        sex=pick(rng, SEXES),
        self_generated=rng.random() < (0.6 if age_band in TEENS else 0.15),
        commercial=rng.random() < 0.05,
        ai_generated=rng.random() < 0.04,
    )


@dataclass(frozen=True)
class StaffAccount:
    user: User
    password: str
    device: TOTPDevice


class Command(BaseCommand):
    help = (
        "Fill an empty database with demonstration staff, reports, assessments, captures, "
        "takedown cases, lists and a list member."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, help="Seed for the same demo every time.")
        parser.add_argument(
            "--reports", type=int, default=400, help="How many reports to create (50 to 5000)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["reports"]
        if not 50 <= count <= 5000:
            raise CommandError("--reports must be between 50 and 5000.")
        refuse_unless_empty()
        seed = options["seed"] if options["seed"] is not None else secrets.randbelow(10**6)
        self.stdout.write(f"Planning {count} reports (seed {seed})…")
        # Invented data, not secrets: a reproducible generator is the point.
        rng, now = random.Random(seed), timezone.now()  # noqa: S311
        plan = plan_demo(rng, now, count)
        with transaction.atomic():
            staff = self._create_staff()
            users = [account.user for account in staff]
            store_plan(plan, users, self.stdout.write)
            member = store_casework(rng, now, users, self.stdout.write)
            record("demo.created", detail={"seed": seed, "reports": count})
        self.stdout.write(self.style.SUCCESS("The demo is ready."))
        self._print_accounts(staff)
        self._print_member(member)

    def _create_staff(self) -> list[StaffAccount]:
        self.stdout.write(f"Creating {len(DEMO_STAFF)} staff accounts…")
        return [create_account(username, role) for username, role in DEMO_STAFF]

    def _print_accounts(self, staff: Sequence[StaffAccount]) -> None:
        self.stdout.write(
            self.style.WARNING(
                "\nStaff accounts. The passwords are shown this once: keep them now.\n"
                "Add each authenticator URI to an authenticator app (or turn it into a QR code)."
            )
        )
        for account in staff:
            self.stdout.write(
                f"\n  username: {account.user.username}\n"
                f"  role: {account.user.get_role_display()}\n"
                f"  password: {account.password}\n"
                f"  authenticator: {account.device.config_url}"
            )

    def _print_member(self, member: DemoMember) -> None:
        self.stdout.write(
            self.style.WARNING(
                f"\nList member {member.member.name}. Its API key is shown this once "
                "(send it as `Authorization: Bearer <key>`):"
            )
        )
        self.stdout.write(f"\n  member key: {member.plaintext}")


def refuse_unless_empty() -> None:
    """The demo must never mix invented cases with a hotline's real ones."""
    found = {
        "reports": Report.objects.count(),
        "web addresses": Url.objects.count(),
        "reporting sources": ReportingSource.objects.count(),
        "user accounts": User.objects.count(),
    }
    present = [f"{number} {name}" for name, number in found.items() if number]
    if present:
        raise CommandError(
            "The demo only fills an empty database, and this one already holds "
            f"{', '.join(present)}. Point HOTLINE_VAR_DIR or DATABASE_URL at a new database "
            "and run `hotline migrate` and `hotline demo` there."
        )


def create_account(username: str, role: str) -> StaffAccount:
    password = secrets.token_urlsafe(12)
    user = User.objects.create_user(username=username, password=password, role=role)
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return StaffAccount(user, password, device)


def store_plan(plan: Plan, staff: Sequence[User], say: Callable[[str], object]) -> None:
    say(f"Creating {len(DEMO_SOURCES)} reporting sources…")
    sources = ReportingSource.objects.bulk_create(
        ReportingSource(name=name, kind=kind, priority_weight=weight)
        for name, kind, weight, _share in DEMO_SOURCES
    )
    say(f"Creating {len(plan.urls)} web addresses named by {len(plan.reports)} reports…")
    urls = _store_urls(plan, sources)
    _store_reports(plan.reports, sources, urls)
    decided = sum(case.decided_at is not None for case in plan.cases)
    say(f"Creating assessments: {decided} decided, the rest queued or open…")
    _store_cases(plan.cases, urls, staff)


def store_casework(
    rng: random.Random, now: datetime, staff: Sequence[User], say: Callable[[str], object]
) -> DemoMember:
    """What follows the assessments: captures and media grades, lists, takedown, a member."""
    say("Capturing a sample of the web addresses and grading their media…")
    captured = capture_cases(rng)
    say(f"  {captured} captures recorded, {MediaItem.objects.count()} media items stored.")
    analysts, manager = staff[:ASSESSORS], staff[-1]
    propose_keywords(rng, analysts, now)
    say("Publishing the hash, URL and keyword lists…")
    publish_first_versions(manager, now)
    cases = fill_takedown(rng, now)
    say(f"Opening {cases} takedown cases with their notices (none is sent)…")
    publish_current_versions(manager, analysts[0])
    return create_member(manager, now)


def _store_urls(plan: Plan, sources: Sequence[ReportingSource]) -> dict[str, Url]:
    states = {
        "queued": UrlState.QUEUED,
        "awaiting": UrlState.AWAITING_CONFIRMATION,
        "disputed": UrlState.DISPUTED,
    }
    fates = {case.canonical: case.fate for case in plan.cases}
    rows = []
    for planned in plan.urls.values():
        url = Url(
            canonical=planned.canonical,
            canonical_hash=Url.hash_canonical(planned.canonical),
            host=planned.host,
            state=states.get(fates[planned.canonical], UrlState.ASSESSED),
            report_count=planned.report_count,
            source_count=len(planned.sources),
            source_weight=sum(sources[i].priority_weight for i in planned.sources if i is not None),
            first_reported_at=planned.first_reported_at,
            last_reported_at=planned.last_reported_at,
        )
        url.priority = url.compute_priority()
        rows.append(url)
    return {url.canonical: url for url in Url.objects.bulk_create(rows, batch_size=500)}


def _store_reports(
    planned: Sequence[PlannedReport], sources: Sequence[ReportingSource], urls: dict[str, Url]
) -> None:
    reports = Report.objects.bulk_create(
        (
            Report(
                reference=item.reference,
                received_at=item.received_at,
                where_seen=item.where_seen,
                content_kind=item.content_kind,
                description=item.description,
                contact_email=item.contact_email,
                source=None if item.source is None else sources[item.source],
                channel=Channel.WEB_FORM if item.source is None else Channel.API,
                language=item.language,
            )
            for item in planned
        ),
        batch_size=500,
    )
    ReportedUrl.objects.bulk_create(
        (
            ReportedUrl(report=report, url=urls[canonical], submitted=submitted)
            for report, item in zip(reports, planned, strict=True)
            for submitted, canonical in item.urls
        ),
        batch_size=500,
    )


def _store_cases(cases: Sequence[PlannedCase], urls: dict[str, Url], staff: Sequence[User]) -> None:
    """Assessments first, then what refers to them: replacements and confirmations."""
    rows = [
        _case_rows(case, urls[case.canonical], staff) for case in cases if case.grade is not None
    ]
    _bulk_create_dated(Assessment, [first for first, _replacement, _checks in rows])
    replacements = [replacement for _first, replacement, _checks in rows if replacement]
    _bulk_create_dated(Assessment, replacements)
    _bulk_create_dated(
        Confirmation, [check for _first, _replacement, checks in rows for check in checks]
    )


def _case_rows(
    case: PlannedCase, url: Url, staff: Sequence[User]
) -> tuple[Assessment, Assessment | None, list[Confirmation]]:
    """The assessment, the senior analyst's replacement if any, and the second analyst's say."""
    assert case.grade is not None
    assert case.assessed_at is not None
    status = {
        "awaiting": AssessmentStatus.AWAITING_CONFIRMATION,
        "disputed": AssessmentStatus.DISPUTED,
        "overruled": AssessmentStatus.OVERRULED,
    }.get(case.fate, AssessmentStatus.CONFIRMED)
    first = Assessment(
        url=url,
        analyst=staff[case.analyst],
        status=status,
        decided_at=case.decided_at,
        created_at=case.assessed_at,
        **case.grade.as_fields(),
    )
    checker = staff[case.checker]
    checked_at = case.decided_at or _between(case.assessed_at, timezone.now(), 0.5)
    checks = []
    if case.fate in {"disputed", "overruled"}:
        reason = "Sample reason: I would grade this differently."
        checks.append(_confirmation(first, checker, False, checked_at, reason))
    elif case.fate == "final" and case.grade.needs_second_analyst():
        checks.append(_confirmation(first, checker, True, checked_at))
    replacement = None
    if case.fate == "overruled":
        replacement = Assessment(
            url=url,
            analyst=staff[SENIOR],
            supersedes=first,
            status=AssessmentStatus.CONFIRMED,
            decided_at=case.decided_at,
            created_at=checked_at,
            **_regraded(case.grade).as_fields(),
        )
    return first, replacement, checks


def _regraded(grade: Grade) -> Grade:
    """The senior analyst's different view of a disputed grade."""
    category = Category.B if grade.category == Category.C else Category.C
    return Grade(**{**grade.as_fields(), "category": category})


def _confirmation(
    assessment: Assessment, analyst: User, agrees: bool, at: datetime, reason: str = ""
) -> Confirmation:
    return Confirmation(
        assessment=assessment, analyst=analyst, agrees=agrees, reason=reason, created_at=at
    )


def _bulk_create_dated(model: type[Assessment] | type[Confirmation], rows: list[Any]) -> None:
    """Insert rows, then restore their `created_at`, which auto_now_add sets to now on insert."""
    dates = [row.created_at for row in rows]
    model.objects.bulk_create(rows, batch_size=500)
    for row, created_at in zip(rows, dates, strict=True):
        row.created_at = created_at
    model.objects.bulk_update(rows, ["created_at"], batch_size=500)
