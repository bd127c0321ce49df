"""What each analyst has been shown today, so that they (and the hotline) know when to stop.

Each reveal of a media item is a row: when it was shown and when it was hidden. An analyst has
at most one item revealed at a time: revealing another, or hiding it, ends the open one. A reveal
never hidden (a closed tab, a lost connection) counts for at most REVEAL_COUNTED_AT_MOST, so a
forgotten tab does not fill a day.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from hotline.accounts.models import User

REVEAL_COUNTED_AT_MOST = timedelta(minutes=5)


class MediaReveal(models.Model):
    """One media item shown unblurred to one analyst, within one case."""

    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    media_item = models.ForeignKey(
        "capture.MediaItem", on_delete=models.PROTECT, related_name="reveals"
    )
    url = models.ForeignKey("intake.Url", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["analyst", "started_at"], name="reveal_analyst_started")]

    def __str__(self) -> str:
        return f"reveal of media item {self.media_item_id} to {self.analyst_id}"

    def counted(self, now: datetime) -> timedelta:
        """How long this reveal counts for, up to `now`."""
        end = self.ended_at or min(now, self.started_at + REVEAL_COUNTED_AT_MOST)
        return max(end - self.started_at, timedelta(0))


def start_reveal(analyst: User, item_id: int, url_id: int) -> MediaReveal:
    """A new reveal; the analyst's previous one, if still open, ends now."""
    with transaction.atomic():
        end_reveals(analyst)
        return MediaReveal.objects.create(analyst=analyst, media_item_id=item_id, url_id=url_id)


def end_reveals(analyst: User, item_id: int | None = None) -> int:
    """Hide what the analyst has revealed (only that item, if named: a late request to hide it
    must not end a reveal that came after); how many reveals were open."""
    open_reveals = MediaReveal.objects.filter(analyst=analyst, ended_at__isnull=True)
    if item_id is not None:
        open_reveals = open_reveals.filter(media_item_id=item_id)
    return open_reveals.update(ended_at=timezone.now())


@dataclass(frozen=True)
class Exposure:
    """One analyst's exposure in their local day, and whether it is time for a break."""

    items: int
    minutes: int
    break_due: bool


def day_start(now: datetime) -> datetime:
    """Midnight of `now`'s day in the hotline's time zone (the analysts' local day)."""
    local = timezone.localtime(now)
    return timezone.make_aware(datetime.combine(local.date(), time.min), local.tzinfo)


def exposure_today(analyst: User, now: datetime | None = None) -> Exposure:
    now = now or timezone.now()
    reveals = MediaReveal.objects.filter(analyst=analyst, started_at__gte=day_start(now))
    return _exposure(list(reveals), now)


def team_today(now: datetime | None = None) -> list[tuple[str, Exposure]]:
    """Each analyst who revealed anything today, with their exposure, most exposed first."""
    now = now or timezone.now()
    reveals = MediaReveal.objects.filter(started_at__gte=day_start(now)).select_related("analyst")
    by_analyst: dict[str, list[MediaReveal]] = {}
    for reveal in reveals:
        by_analyst.setdefault(reveal.analyst.get_username(), []).append(reveal)
    team = [(name, _exposure(shown, now)) for name, shown in by_analyst.items()]
    return sorted(team, key=lambda row: (-row[1].minutes, -row[1].items, row[0]))


def _exposure(reveals: list[MediaReveal], now: datetime) -> Exposure:
    shown = sum((reveal.counted(now) for reveal in reveals), timedelta(0))
    minutes = int(shown.total_seconds() // 60)
    due = (
        minutes >= settings.HOTLINE_EXPOSURE_BREAK_MINUTES
        or len(reveals) >= settings.HOTLINE_EXPOSURE_BREAK_ITEMS
    )
    return Exposure(items=len(reveals), minutes=minutes, break_due=due)
