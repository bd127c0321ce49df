from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotline.capture.evidence import configured_keyring
from hotline.capture.evidence_errors import MasterKeyMissing
from hotline.capture.rotation import rotate_master_key


class Command(BaseCommand):
    help = (
        "Re-wrap every evidence blob's data key with the newest (first configured) master key, "
        "without touching the stored ciphertext. Resumes where a stopped run left off."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="blobs per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        keyring = configured_keyring()
        self.stdout.write(f"re-wrapping data keys with master key {keyring.current_id}")
        try:
            rotation = rotate_master_key(
                keyring, batch_size=options["batch_size"], progress=self._progress
            )
        except MasterKeyMissing as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{rotation.rewrapped} blobs re-wrapped from master key(s) "
            f"{', '.join(rotation.from_key_ids) or '(none)'} to {rotation.to_key_id}"
        )
        if rotation.corrupt:
            raise CommandError(
                f"{len(rotation.corrupt)} blobs kept their old wrapping because their wrapped key "
                f"failed its integrity check: {', '.join(rotation.corrupt)}"
            )
        self.stdout.write(
            "every blob is under the newest key: once every process runs with it, the older keys "
            "can be removed from the configuration"
        )

    def _progress(self, done: int, total: int) -> None:
        self.stdout.write(f"re-wrapped {done} of {total}")
