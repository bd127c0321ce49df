"""Email to reporters. Only the reference and the number of addresses are ever echoed back."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from hotline.intake.models import Report


def send_report_confirmation(report: Report) -> None:
    """Send the confirmation in the language the report was made in; SMTP errors propagate."""
    context = {
        "reference": report.reference,
        "address_count": report.reported_urls.count(),
        "hotline_name": settings.HOTLINE_NAME,
    }
    with translation.override(report.language or settings.LANGUAGE_CODE):
        subject = _("Your report %(reference)s has arrived") % {"reference": report.reference}
        body = render_to_string("intake/email/report_confirmation.txt", context)
    send_mail(subject, body, None, [report.contact_email])
