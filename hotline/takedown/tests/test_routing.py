"""A confirmed url goes where its hosting says: the provider here, a partner abroad, or police."""

import json

import pytest

from hotline.capture.tests.servers import respond
from hotline.takedown import cases
from hotline.takedown.directory import find_provider
from hotline.takedown.models import (
    CaseState,
    ContactStatus,
    Notice,
    NoticeKind,
    Partner,
    PartnerKind,
    Provider,
    ProviderRule,
    Route,
    RuleKind,
)
from hotline.takedown.tests.conftest import case_of, put_up, record_capture

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(confirmer, site):
    put_up(site, "/page")
    return confirmer.url(site.url("/page"))


def test_content_hosted_with_a_partner_hotline_is_referred_to_it(confirmer, page, mailbox, police):
    Partner.objects.create(
        name="Partner hotline FR",
        kind=PartnerKind.HOTLINE,
        country_code="fr",
        email="reports@partner.example.org",
        language="fr",
    )
    record_capture(page, country="FR")

    confirmer.confirm(page)

    case = case_of(page)
    assert (case.route, case.state, case.country_code) == (Route.PARTNER, CaseState.NOTIFIED, "FR")
    [(recipients, message)] = mailbox.messages
    assert recipients == ["reports@partner.example.org"]
    assert "Transmission" in message["Subject"]
    assert Notice.objects.get().kind == NoticeKind.REFERRAL


def test_content_hosted_where_no_partner_works_is_referred_to_law_enforcement(
    confirmer, page, mailbox, police
):
    record_capture(page, country="US")

    confirmer.confirm(page)

    case = case_of(page)
    assert (case.route, case.partner) == (Route.POLICE, police)
    assert mailbox.messages[0][0] == ["referrals@police.example.org"]


def test_a_provider_with_no_contact_waits_in_the_no_contact_queue(confirmer, page, mailbox):
    Provider.objects.create(name="Quiet Hosting").rules.create(
        kind=RuleKind.NETWORK, value="127.0.0.0/8"
    )
    record_capture(page)

    confirmer.confirm(page)

    case = case_of(page)
    assert case.provider is not None
    assert (case.state, case.provider.name) == (CaseState.NO_CONTACT, "Quiet Hosting")
    assert mailbox.messages == []
    assert not Notice.objects.exists()


def test_an_unknown_network_without_rdap_waits_in_the_no_contact_queue(confirmer, page, mailbox):
    record_capture(page)

    confirmer.confirm(page)

    case = case_of(page)
    assert (case.state, case.provider) == (CaseState.NO_CONTACT, None)
    assert mailbox.messages == []


def test_with_the_police_check_on_a_notice_waits_for_a_manager(
    confirmer, page, provider, mailbox, settings
):
    settings.HOTLINE_TAKEDOWN_POLICE_CHECK = True
    record_capture(page)

    confirmer.confirm(page)

    assert case_of(page).state == CaseState.HELD
    assert mailbox.messages == []


RDAP_ANSWER = {
    "objectClassName": "ip network",
    "handle": "NET-SAMPLE-1",
    "startAddress": "127.0.0.0",
    "endAddress": "127.255.255.255",
    "ipVersion": "v4",
    "name": "SAMPLE-NET",
    "country": "GB",
    "entities": [
        {
            "objectClassName": "entity",
            "handle": "ABUSE-SAMPLE",
            "roles": ["abuse"],
            "vcardArray": [
                "vcard",
                [
                    ["version", {}, "text", "4.0"],
                    ["fn", {}, "text", "Sample abuse desk"],
                    ["email", {}, "text", "abuse@sample-net.example.net"],
                ],
            ],
        }
    ],
}


def test_rdap_suggests_the_abuse_contact_of_an_unknown_network(
    confirmer, page, site, mailbox, settings
):
    site.routes["/rdap/ip/127.0.0.1"] = respond(
        200, json.dumps(RDAP_ANSWER).encode(), [("Content-Type", "application/rdap+json")]
    )
    settings.HOTLINE_TAKEDOWN_RDAP = True
    settings.HOTLINE_TAKEDOWN_RDAP_URL = site.url("/rdap/ip/")
    record_capture(page)

    confirmer.confirm(page)

    provider = case_of(page).provider
    assert provider is not None
    assert (provider.name, provider.contact_status) == ("SAMPLE-NET", ContactStatus.SUGGESTED)
    assert provider.abuse_email == "abuse@sample-net.example.net"
    assert provider.rules.get().value == "127.0.0.0/8"
    assert mailbox.messages[0][0] == ["abuse@sample-net.example.net"]


def test_rdap_out_of_reach_leaves_the_case_in_the_no_contact_queue(
    confirmer, page, site, mailbox, settings
):
    settings.HOTLINE_TAKEDOWN_RDAP = True
    settings.HOTLINE_TAKEDOWN_RDAP_URL = "http://127.0.0.1:9/rdap/ip/"
    record_capture(page)

    confirmer.confirm(page)

    assert case_of(page).state == CaseState.NO_CONTACT
    assert mailbox.messages == []


def test_an_rdap_answer_without_an_abuse_contact_suggests_nothing(page, site, settings):
    answer = {**RDAP_ANSWER, "entities": []}
    site.routes["/rdap/ip/127.0.0.1"] = respond(200, json.dumps(answer).encode())
    settings.HOTLINE_TAKEDOWN_RDAP = True
    settings.HOTLINE_TAKEDOWN_RDAP_URL = site.url("/rdap/ip/")

    assert cases.provider_from_rdap("127.0.0.1") is None
    assert not Provider.objects.exists()


def test_the_most_specific_directory_rule_wins(db):
    by_asn = Provider.objects.create(name="By AS")
    wide = Provider.objects.create(name="Wide range")
    narrow = Provider.objects.create(name="Narrow range")
    by_domain = Provider.objects.create(name="By domain")
    ProviderRule.objects.create(provider=by_asn, kind=RuleKind.ASN, value="AS64500")
    ProviderRule.objects.create(provider=wide, kind=RuleKind.NETWORK, value="127.0.0.0/8")
    ProviderRule.objects.create(provider=narrow, kind=RuleKind.NETWORK, value="127.0.0.1/32")
    ProviderRule.objects.create(provider=by_domain, kind=RuleKind.DOMAIN, value="Files.Example.")
    assert find_provider("cdn.files.example", "127.0.0.1", 64500) == by_domain
    assert find_provider("other.example", "127.0.0.1", 64500) == narrow
    assert find_provider("other.example", "127.0.0.2", 64500) == wide
    assert find_provider("other.example", "10.0.0.1", 64500) == by_asn
    assert find_provider("other.example", None, None) is None


def test_rdap_is_not_asked_about_a_private_address(settings, site):
    settings.HOTLINE_TAKEDOWN_RDAP = True
    settings.HOTLINE_TAKEDOWN_RDAP_URL = site.url("/rdap/ip/")

    assert cases.provider_from_rdap("10.1.2.3") is None
    assert site.requests == []
