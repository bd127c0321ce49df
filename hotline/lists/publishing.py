"""Publishing a list: compare what it should hold with what it lists, and write a new version.

Everything happens in one transaction with the list's row locked, so two publishes of the same
list run one after the other, and a publish that fails part-way leaves no trace: members keep
reading the previous version. An unchanged list gets no new version.
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline.accounts.models import User
from hotline.audit.log import record
from hotline.lists.models import ListEntry, ListName, ListVersion, PublishedList
from hotline.lists.sources import REMOVAL_REASONS, SOURCES, Row, pages

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Publication:
    list_name: str
    version: int
    changed: bool
    added: int = 0
    removed: int = 0


@dataclass
class _Changes:
    """Entries to add and to remove, written a batch at a time."""

    published: PublishedList
    version: int
    additions: list[Row] = field(default_factory=list)
    removals: list[tuple[ListEntry, str]] = field(default_factory=list)
    added: int = 0
    removed: int = 0

    def add(self, row: Row) -> None:
        self.additions.append(row)
        self._flush_when_full()

    def remove(self, entry: ListEntry, reason: str = "") -> None:
        self.removals.append((entry, reason))
        self._flush_when_full()

    def _flush_when_full(self) -> None:
        if len(self.additions) + len(self.removals) >= settings.HOTLINE_LIST_CHUNK_SIZE:
            self.flush()

    def flush(self) -> None:
        # Removals first: a replaced entry must leave before its successor takes its key.
        self._write_removals()
        ListEntry.objects.bulk_create(
            ListEntry(list=self.published, key=key, data=data, added_in=self.version)
            for key, data in self.additions
        )
        self.added += len(self.additions)
        self.additions.clear()

    def _write_removals(self) -> None:
        known = REMOVAL_REASONS[self.published.name]([entry.key for entry, _r in self.removals])
        default = _("No longer confirmed.")
        reasons = sorted(
            (reason or known.get(entry.key) or default, entry.pk) for entry, reason in self.removals
        )
        for reason, group in groupby(reasons, key=lambda pair: pair[0]):
            ids = [entry_id for _reason, entry_id in group]
            ListEntry.objects.filter(pk__in=ids).update(
                removed_in=self.version, removal_reason=reason
            )
        self.removed += len(self.removals)
        self.removals.clear()


def publish(list_name: str, by: User | None = None) -> Publication:
    """Publish the list's next version if its content changed since the last one."""
    with transaction.atomic():
        PublishedList.objects.get_or_create(name=list_name)
        published = PublishedList.objects.select_for_update().get(name=list_name)
        changes = _Changes(published, published.latest_version + 1)
        _compare(changes, SOURCES[list_name](), _listed(published))
        changes.flush()
        publication = _record_version(changes, by)
    logger.info("list %s: %s", list_name, publication)
    return publication


def published_lists() -> list[PublishedList]:
    """Every list, those never published included (at version 0)."""
    for name in ListName.values:
        PublishedList.objects.get_or_create(name=name)
    return list(PublishedList.objects.order_by("name"))


def _listed(published: PublishedList) -> Iterator[ListEntry]:
    """The entries of the latest version in key order; new rows of this publish are left out."""
    entries = ListEntry.objects.filter(
        list=published, removed_in__isnull=True, added_in__lte=published.latest_version
    )
    return pages(entries, "key")


def _compare(changes: _Changes, wanted: Iterator[Row], listed: Iterator[ListEntry]) -> None:
    """Merge the two key-ordered streams: keys only wanted are added, keys only listed removed."""
    want, have = next(wanted, None), next(listed, None)
    while want is not None or have is not None:
        if want is not None and (have is None or want[0] < have.key):
            changes.add(want)
            want = next(wanted, None)
        elif have is not None and (want is None or have.key < want[0]):
            changes.remove(have)
            have = next(listed, None)
        elif want is not None and have is not None:
            if have.data != want[1]:
                changes.remove(have, _("Replaced by an entry with corrected details."))
                changes.add(want)
            want, have = next(wanted, None), next(listed, None)


def _record_version(changes: _Changes, by: User | None) -> Publication:
    published = changes.published
    name = published.name
    if not changes.added and not changes.removed:
        if by is not None:
            record("lists.publish_unchanged", actor=by, target=published, detail={"list": name})
        return Publication(name, published.latest_version, changed=False)
    now = timezone.now()
    published.latest_version = changes.version
    published.entry_count += changes.added - changes.removed
    published.published_at = now
    published.save(update_fields=["latest_version", "entry_count", "published_at"])
    version = ListVersion.objects.create(
        list=published,
        number=changes.version,
        published_at=now,
        published_by=by,
        added=changes.added,
        removed=changes.removed,
        entry_count=published.entry_count,
    )
    detail: dict[str, Any] = {"list": name, "added": changes.added, "removed": changes.removed}
    record("lists.published", actor=by, target=version, detail=detail)
    return Publication(name, changes.version, True, changes.added, changes.removed)
