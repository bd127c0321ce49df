"""`hotline create-source-key NAME --kind KIND [--weight N]`: print a new API key once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotline.intake.models import ReportingSource, SourceKind
from hotline.intake.source_keys import issue_key


class Command(BaseCommand):
    help = "Create (or find) a reporting source and print a new API key for it, shown only once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="The source's name, e.g. a partner hotline.")
        parser.add_argument("--kind", required=True, choices=SourceKind.values)
        parser.add_argument(
            "--weight", type=int, help="Queue priority added to every address the source reports."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        weight = options["weight"]
        if weight is not None and not 0 <= weight <= 1000:
            raise CommandError("--weight must be between 0 and 1000.")
        source = self._source(options["name"].strip(), options["kind"], weight)
        key = issue_key(source)
        self.stdout.write(f"Source: {source.name} ({source.get_kind_display()})")
        self.stdout.write(f"Key prefix: {key.partition('.')[0]}")
        self.stdout.write(f"Key: {key}")
        self.stdout.write("Store the key now: it is not kept and cannot be shown again.")

    def _source(self, name: str, kind: str, weight: int | None) -> ReportingSource:
        if not name:
            raise CommandError("Give the source a name.")
        source, created = ReportingSource.objects.get_or_create(
            name=name, defaults={"kind": kind, "priority_weight": weight or 0}
        )
        if not created and source.kind != kind:
            raise CommandError(
                f"{name!r} already exists as a source of kind {source.kind}, not {kind}."
            )
        if not created and weight is not None and source.priority_weight != weight:
            source.priority_weight = weight
            source.save(update_fields=["priority_weight"])
        return source
