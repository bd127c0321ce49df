"""Reading published versions: a full version, the delta since an older one, the latest number.

These are what the download API streams and what the matching index loads:

    latest_version("hashes") -> int                       # 0 before the first publish
    hash_pdqs(version=None) -> Iterator[(entry_id, pdq)]   # the version's hashes that have a PDQ
    hash_pdq_changes(since, version=None) -> Iterator[PdqChange]

A version's content is fixed once published, so a reader that picked its version number never
sees a publish that commits meanwhile.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.db.models.fields.json import KT

from hotline.lists.models import ListEntry, ListName, PublishedList


class VersionNotFound(LookupError):
    pass


@dataclass(frozen=True)
class PdqChange:
    entry_id: int
    pdq: str
    op: Literal["add", "remove"]


def latest_version(list_name: str) -> int:
    """The newest published version of the list, 0 when none is published yet."""
    found = PublishedList.objects.filter(name=list_name).values_list("latest_version", flat=True)
    return next(iter(found), 0)


def resolve_version(list_name: str, version: int | None) -> int:
    """`version`, or the latest when None; VersionNotFound unless 1 <= version <= latest."""
    latest = latest_version(list_name)
    chosen = latest if version is None else version
    if latest == 0 or not 1 <= chosen <= latest:
        raise VersionNotFound(list_name, chosen, latest)
    return chosen


def _list_id(list_name: str) -> int | None:
    """The list's row id: filtering on it, not on a join, lets the planner see how many rows
    match (nearly all of them), and so read them in id order instead of sorting them."""
    return PublishedList.objects.filter(name=list_name).values_list("pk", flat=True).first()


def _still_listed(version: int) -> Q:
    return Q(removed_in__isnull=True) | Q(removed_in__gt=version)


def entries_at(list_name: str, version: int) -> QuerySet[ListEntry]:
    """Every entry of the version, oldest first.

    `added_in + 0` keeps the database from reading the entries through the added_in index,
    which would sort the whole list before the first row: read in id order, rows stream at once.
    """
    return (
        ListEntry.objects.filter(_still_listed(version), list_id=_list_id(list_name))
        .alias(added=F("added_in") + 0)
        .filter(added__lte=version)
        .order_by("pk")
    )


def changes_between(list_name: str, since: int, version: int) -> QuerySet[ListEntry]:
    """What a member holding `since` must add and remove to hold `version`, oldest first.

    An entry both added and removed in between is left out: the member never had it. The two
    halves are separate queries so that each reads its own index (added_in, removed_in).
    """
    entries = ListEntry.objects.filter(list_id=_list_id(list_name)).order_by()
    added = entries.filter(_still_listed(version), added_in__gt=since, added_in__lte=version)
    removed = entries.filter(removed_in__gt=since, removed_in__lte=version, added_in__lte=since)
    return added.union(removed, all=True).order_by("pk")


def is_removal(entry: ListEntry, version: int) -> bool:
    return entry.removed_in is not None and entry.removed_in <= version


def hash_pdqs(version: int | None = None) -> Iterator[tuple[int, str]]:
    """(entry id, PDQ) of every hash list entry with a PDQ, at `version` (default the latest)."""
    chosen = latest_version(ListName.HASHES) if version is None else version
    if chosen == 0:
        return
    rows = entries_at(ListName.HASHES, chosen).annotate(pdq=KT("data__pdq"))
    for entry_id, pdq in rows.values_list("pk", "pdq").iterator(
        chunk_size=settings.HOTLINE_LIST_CHUNK_SIZE
    ):
        if pdq:  # media a PDQ could not be computed for are matched by their digests only
            yield entry_id, pdq


def hash_pdq_changes(since: int, version: int | None = None) -> Iterator[PdqChange]:
    """PDQ entries added to or removed from the hash list after `since`, up to `version`."""
    chosen = latest_version(ListName.HASHES) if version is None else version
    if since >= chosen:
        return
    rows = changes_between(ListName.HASHES, since, chosen).values_list("pk", "data", "removed_in")
    for entry_id, data, removed_in in rows.iterator(chunk_size=settings.HOTLINE_LIST_CHUNK_SIZE):
        if pdq := data.get("pdq"):
            gone = removed_in is not None and removed_in <= chosen
            yield PdqChange(entry_id, pdq, "remove" if gone else "add")
