"""`hotline revoke-source-key PREFIX`: stop a reporting source's key from working."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotline.intake.source_keys import UnknownKey, revoke_key


class Command(BaseCommand):
    help = "Revoke a reporting source's API key, given the prefix printed when it was created."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("prefix", help="The key's prefix, e.g. hl_1a2b3c4d.")

    def handle(self, *args: Any, **options: Any) -> None:
        prefix = options["prefix"].strip().partition(".")[0]
        try:
            api_key = revoke_key(prefix)
        except UnknownKey:
            raise CommandError(f"No key has the prefix {prefix!r}.") from None
        when = api_key.revoked_at.isoformat() if api_key.revoked_at else ""
        self.stdout.write(f"Key {api_key.prefix} of {api_key.source.name} is revoked ({when}).")
