"""Managers run takedown from the console: every hand step is a button, and every one audited."""

import pytest
from django.urls import reverse

from hotline.audit.models import AuditEntry
from hotline.takedown.models import (
    CaseState,
    ContactStatus,
    NoticeKind,
    NoticeStatus,
    NoticeTemplate,
    Partner,
    Provider,
    TakedownCase,
)
from hotline.takedown.tests.conftest import case_of, put_up, record_capture

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(confirmer, site, mailbox):
    """A confirmed url hosted here whose provider is unknown: it waits in the no-contact queue."""
    put_up(site, "/page")
    url = confirmer.url(site.url("/page"))
    record_capture(url)
    confirmer.confirm(url)
    return case_of(url)


def test_the_console_shows_the_no_contact_queue(manager_client, waiting):
    response = manager_client.get(reverse("takedown:dashboard"))

    assert response.status_code == 200
    assert waiting.reference in response.content.decode()
    assert AuditEntry.objects.filter(action="takedown.console_viewed").exists()


def test_analysts_may_not_open_the_console_but_may_see_a_case(analyst_client, waiting):
    assert analyst_client.get(reverse("takedown:dashboard")).status_code == 403
    response = analyst_client.get(reverse("takedown:case", args=[waiting.pk]))
    assert response.status_code == 200
    assert "Name the provider" not in response.content.decode()


def test_naming_a_new_provider_sends_the_waiting_notice(
    manager_client, waiting, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("takedown:assign", args=[waiting.pk]),
            {"name": "Sample Hosting", "abuse_email": "abuse@sample.example.net"},
        )

    assert response.status_code == 302
    case = TakedownCase.objects.get(pk=waiting.pk)
    assert case.state == CaseState.NOTIFIED
    assert mailbox.messages[0][0] == ["abuse@sample.example.net"]
    assert AuditEntry.objects.filter(action="takedown.provider_assigned").exists()


def test_fixing_a_providers_contact_releases_its_waiting_cases(
    manager_client, confirmer, site, mailbox, django_capture_on_commit_callbacks
):
    quiet = Provider.objects.create(name="Quiet Hosting")
    quiet.rules.create(kind="network", value="127.0.0.0/8")
    put_up(site, "/page")
    url = confirmer.url(site.url("/page"))
    record_capture(url)
    confirmer.confirm(url)
    assert case_of(url).state == CaseState.NO_CONTACT

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("takedown:provider", args=[quiet.pk]),
            {
                "name": "Quiet Hosting",
                "abuse_email": "abuse@quiet.example.net",
                "contact_status": ContactStatus.CONFIRMED,
                "language": "fr",
                "country_code": "GB",
                "notes": "",
            },
        )

    assert response.status_code == 302
    assert case_of(url).state == CaseState.NOTIFIED
    [(recipients, message)] = mailbox.messages
    assert recipients == ["abuse@quiet.example.net"]
    assert "Signalement" in message["Subject"]  # the provider's language


def test_a_held_notice_goes_when_a_manager_releases_it(
    manager_client, confirmer, provider, site, mailbox, settings, django_capture_on_commit_callbacks
):
    settings.HOTLINE_TAKEDOWN_POLICE_CHECK = True
    put_up(site, "/page")
    url = confirmer.url(site.url("/page"))
    record_capture(url)
    confirmer.confirm(url)
    case = case_of(url)
    assert case.state == CaseState.HELD

    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(reverse("takedown:release", args=[case.pk]))

    assert case_of(url).state == CaseState.NOTIFIED
    assert len(mailbox.messages) == 1


def test_a_manager_records_a_bounce_and_the_provider_goes_back_to_the_queue(
    manager_client, confirmer, provider, site, mailbox
):
    put_up(site, "/page")
    url = confirmer.url(site.url("/page"))
    record_capture(url)
    confirmer.confirm(url)
    notice = case_of(url).notices.get()

    manager_client.post(reverse("takedown:bounced", args=[notice.pk]))

    notice.refresh_from_db()
    provider.refresh_from_db()
    assert notice.status == NoticeStatus.BOUNCED
    assert provider.contact_status == ContactStatus.BOUNCING
    assert case_of(url).state == CaseState.NO_CONTACT


def test_checking_an_address_by_hand_records_what_was_found(manager_client, waiting, site):
    site.routes.clear()

    manager_client.post(reverse("takedown:recheck", args=[waiting.pk]))

    case = TakedownCase.objects.get(pk=waiting.pk)
    assert (case.last_check, case.consecutive_absent) == ("absent", 1)
    assert AuditEntry.objects.filter(action="takedown.checked_by_hand").exists()


def test_a_template_using_anything_but_its_variables_is_refused(manager_client):
    template = NoticeTemplate.objects.get(kind=NoticeKind.NOTICE, language="en")

    response = manager_client.post(
        reverse("takedown:template", args=[template.pk]),
        {"subject": "Notice {{ reference }}", "body": "{% debug %} {{ settings.SECRET_KEY }}"},
    )

    assert response.status_code == 200
    assert "may be used" in response.content.decode()
    template.refresh_from_db()
    assert "debug" not in template.body


def test_a_manager_edits_a_template_in_the_console(manager_client):
    template = NoticeTemplate.objects.get(kind=NoticeKind.NOTICE, language="en")

    response = manager_client.post(
        reverse("takedown:template", args=[template.pk]),
        {
            "subject": "Notice {{ reference }}",
            "body": "{% for url in urls %}{{ url.address }}\n{% endfor %}",
        },
    )

    assert response.status_code == 302
    template.refresh_from_db()
    assert template.subject == "Notice {{ reference }}"
    assert AuditEntry.objects.filter(action="takedown.template_changed").exists()


def test_a_manager_adds_a_partner_hotline(manager_client):
    response = manager_client.post(
        reverse("takedown:partners"),
        {
            "name": "Partner hotline DE",
            "kind": "hotline",
            "country_code": "de",
            "email": "reports@partner-de.example.org",
            "language": "en",
            "active": "on",
        },
    )

    assert response.status_code == 302
    assert Partner.objects.get().country_code == "DE"


def test_a_manager_adds_a_rule_to_a_provider(manager_client, provider):
    response = manager_client.post(
        reverse("takedown:provider_rule", args=[provider.pk]),
        {"kind": "asn", "value": "AS64511"},
    )

    assert response.status_code == 302
    assert provider.rules.filter(kind="asn", value="64511").exists()


def test_the_seeded_templates_cover_english_and_french():
    pairs = set(NoticeTemplate.objects.values_list("kind", "language"))
    assert pairs == {(kind, language) for kind in NoticeKind for language in ("en", "fr")}


def test_the_assessment_case_page_shows_the_takedown_status(analyst_client, waiting):
    response = analyst_client.get(reverse("assessment:case", args=[waiting.url_id]))

    page = response.content.decode()
    assert waiting.reference in page
    assert "No contact found" in page


def test_taking_away_a_providers_address_parks_its_cases(manager_client, confirmer, provider, site):
    put_up(site, "/page")
    url = confirmer.url(site.url("/page"))
    record_capture(url)
    confirmer.confirm(url)
    assert case_of(url).state == CaseState.NOTIFIED

    manager_client.post(
        reverse("takedown:provider", args=[provider.pk]),
        {
            "name": provider.name,
            "abuse_email": "",
            "contact_status": ContactStatus.NONE,
            "language": "en",
            "country_code": "",
            "notes": "",
        },
    )

    assert case_of(url).state == CaseState.NO_CONTACT
