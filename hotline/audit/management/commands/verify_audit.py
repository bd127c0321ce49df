from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hotline.audit.log import verify_chain
from hotline.audit.models import AuditHead


class Command(BaseCommand):
    help = "Check that no audit entry was altered, reordered or deleted."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = list(verify_chain())
        for problem in problems:
            self.stderr.write(f"entry {problem.seq}: {problem.message}")
        if problems:
            raise CommandError(f"audit log FAILED verification: {len(problems)} problem(s)")
        head = AuditHead.objects.filter(pk=1).first()
        self.stdout.write(f"audit log verified: {head.seq if head else 0} entries, chain intact")
