"""`hotline hash PATH...`: the hashing core's command line, inside the hotline command."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hashcore.cli import write_hashes


class Command(BaseCommand):
    help = (
        "Print MD5, SHA-1, SHA-256 and PDQ (images) or vPDQ (videos) of each file, one JSON "
        "object per line; directories are walked recursively."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    def handle(self, *args: Any, **options: Any) -> None:
        if write_hashes(options["paths"], self.stdout):
            raise CommandError("some files could not be hashed (see their error lines)")
