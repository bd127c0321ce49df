from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hotline.capture.blobstore import BlobStore, configured_store
from hotline.capture.retention import (
    HOLDS,
    Policy,
    audit,
    check_holds,
    delete_expired,
    expired_blobs,
    stray_names,
)


class Command(BaseCommand):
    help = (
        "Delete the content of evidence that no open case holds and nothing has stored for "
        "HOTLINE_EVIDENCE_RETENTION_DAYS days, keeping its hashes; then remove stray files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be deleted, delete nothing"
        )
        parser.add_argument("--batch-size", type=int, default=500, help="blobs per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        policy = Policy(settings.HOTLINE_EVIDENCE_RETENTION_DAYS, timezone.now(), HOLDS)
        try:
            check_holds(policy.holds)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        store = configured_store()
        if options["dry_run"]:
            self._preview(policy, store)
            return
        deleted = self._expire(policy, store, options["batch_size"])
        strays = 0
        for name in stray_names(store, policy.now):
            store.delete(name)
            strays += 1
        self.stdout.write(f"removed {strays} stray files")
        audit(policy, deleted, strays)

    def _expire(self, policy: Policy, store: BlobStore, batch_size: int) -> int:
        if policy.days == 0:
            self.stdout.write("HOTLINE_EVIDENCE_RETENTION_DAYS is 0: all evidence is kept")
            return 0
        deleted = delete_expired(policy, store, batch_size=batch_size, progress=self._progress)
        self.stdout.write(f"deleted the content of {deleted} blobs; their hashes are kept")
        return deleted

    def _preview(self, policy: Policy, store: BlobStore) -> None:
        if policy.days:
            expired = expired_blobs(policy.cutoff, policy.holds.values()).count()
            self.stdout.write(f"would delete the content of {expired} blobs")
        strays = sum(1 for _ in stray_names(store, policy.now))
        self.stdout.write(f"would remove {strays} stray files")

    def _progress(self, done: int, total: int) -> None:
        self.stdout.write(f"deleted {done} of {total}")
