"""Background work of intake: thin wrappers over services, safe to run again."""

from django_tasks import task

from hotline.intake import mail
from hotline.intake.models import Report


@task()
def send_report_confirmation(report_id: int) -> None:
    """Tell a reporter who left an email address that their report arrived, and its reference."""
    report = Report.objects.filter(pk=report_id).exclude(contact_email="").first()
    if report is not None:
        mail.send_report_confirmation(report)
