"""The public report form: what it asks, what it refuses, and that a report is never lost."""

import re

import pytest
from django.core import signing
from django.test import Client, override_settings

from hotline.intake.form_tokens import SALT
from hotline.intake.models import Channel, Report, ReportedUrl, Url
from hotline.intake.tests.conftest import TOKEN_FIELD, reference_in

pytestmark = pytest.mark.django_db


def test_report_form_asks_for_addresses_where_seen_and_what_it_shows(browser):
    page = browser.client.get("/report/").content.decode()
    assert '<textarea id="id_urls" name="urls"' in page
    assert page.count('name="where_seen"') == 7
    assert page.count('name="content_kind"') == 4
    assert "<legend>Where did you see it?</legend>" in page
    assert 'name="contact_email"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_honeypot_is_hidden_from_people_and_assistive_technology(browser):
    page = browser.client.get("/report/").content.decode()
    honeypot = re.search(r'<div class="honey" aria-hidden="true">.*?</div>', page, re.S)
    assert honeypot is not None
    assert 'name="website"' in honeypot[0]
    assert 'tabindex="-1"' in honeypot[0]


def test_report_is_filed_and_its_reference_shown_on_the_thank_you_page(browser):
    response = browser.send(urls="www.example.com/page\nhttps://example.org/other")
    assert response.status_code == 200
    report = Report.objects.get()
    assert reference_in(response) == report.reference
    assert "We have received 2 web addresses." in response.content.decode()
    assert report.channel == Channel.WEB_FORM
    assert report.source is None
    assert report.language == "en"
    assert sorted(Url.objects.values_list("canonical", flat=True)) == [
        "http://www.example.com/page",
        "https://example.org/other",
    ]


def test_reference_is_not_put_in_any_address(browser):
    response = browser.send()
    assert response.status_code == 200
    assert "Location" not in response
    assert Report.objects.get().reference not in response.wsgi_request.get_full_path()


def test_reference_is_neither_guessable_nor_sequential(browser):
    references = [reference_in(browser.send(urls=f"http://example.com/{n}")) for n in range(5)]
    assert all(re.fullmatch(r"HL-[0-9A-HJKMNP-TV-Z]{12}", ref) for ref in references)
    assert len(set(references)) == 5
    assert references != sorted(references) or references != sorted(references, reverse=True)


def test_blank_lines_between_addresses_are_ignored(browser):
    browser.send(urls="\n\nhttp://example.com/a\n\n   \nhttp://example.com/b\n")
    assert ReportedUrl.objects.count() == 2


def test_missing_answers_are_listed_in_an_error_summary_linking_to_each_field(browser):
    response = browser.send(urls="", where_seen="", content_kind="")
    page = response.content.decode()
    assert response.status_code == 422
    assert 'class="error-summary"' in page
    assert '<a href="#id_urls">Enter at least one web address.</a>' in page
    assert '<a href="#id_where_seen_0">Choose where you saw it.</a>' in page
    assert '<a href="#id_content_kind_0">Choose what it shows.</a>' in page
    assert 'id="id_where_seen_0"' in page
    assert Report.objects.count() == 0


def test_invalid_answers_are_kept_so_nothing_has_to_be_typed_again(browser):
    response = browser.send(
        urls="http://example.com/kept\njavascript:alert(1)",
        description="sample description",
        contact_email="not-an-email",
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "http://example.com/kept\njavascript:alert(1)</textarea>" in page
    assert "sample description</textarea>" in page
    assert 'value="not-an-email"' in page
    assert 'value="web_page" required checked' in page
    assert "Enter a valid email address" in page
    assert Report.objects.count() == 0


def test_javascript_address_is_refused_naming_the_line(browser):
    response = browser.send(urls="http://example.com/\njavascript:alert(1)")
    page = response.content.decode()
    assert response.status_code == 422
    assert (
        "Address 2 (javascript:alert(1)): Only web addresses that start with http:// or https://"
        in page
    )
    assert Report.objects.count() == 0
    assert Url.objects.count() == 0


def test_data_address_is_refused(browser):
    response = browser.send(urls="data:text/html;base64,PGgxPnNhbXBsZTwvaDE+")
    assert response.status_code == 422
    assert "Only web addresses that start with http:// or https://" in response.content.decode()
    assert Report.objects.count() == 0


def test_overlong_address_is_refused(browser):
    response = browser.send(urls="http://example.com/" + "a" * 2100)
    assert response.status_code == 422
    assert "longer than 2048 characters" in response.content.decode()
    assert Report.objects.count() == 0


def test_address_with_control_characters_is_refused(browser):
    response = browser.send(urls="http://example.com/a\x1bb")
    assert response.status_code == 422
    assert "invisible control characters" in response.content.decode()
    assert Report.objects.count() == 0


def test_five_hundred_addresses_are_refused_naming_the_limit(browser):
    urls = "\n".join(f"http://example.com/{n}" for n in range(500))
    response = browser.send(urls=urls)
    assert response.status_code == 422
    assert "A report can include at most 100 addresses; this one has 500." in (
        response.content.decode()
    )
    assert Report.objects.count() == 0
    assert Url.objects.count() == 0


def test_html_in_the_description_is_stored_verbatim_and_escaped_when_shown(browser):
    description = '<script>alert("x")</script><b>sample</b> & more'
    invalid = browser.send(urls="", description=description)
    assert "<script>alert" not in invalid.content.decode()
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;sample&lt;/b&gt; &amp; more"
        in (invalid.content.decode())
    )
    browser.send(description=description)
    assert Report.objects.get().description == description


def test_description_with_a_nul_character_is_refused_and_kept_in_the_form(browser):
    response = browser.send(description="sample\x00description")
    assert response.status_code == 422
    assert "invisible control characters" in response.content.decode()
    assert Report.objects.count() == 0


@override_settings(HOTLINE_MAX_DESCRIPTION_LENGTH=100)
def test_description_over_the_limit_is_refused(browser):
    response = browser.send(description="a" * 101)
    assert response.status_code == 422
    assert "at most 100 characters long; it has 101" in response.content.decode()


def test_double_click_files_one_report_and_shows_the_same_reference(browser):
    form = browser.open_form()
    first = browser.send(form)
    second = browser.send(form)
    assert first.status_code == second.status_code == 200
    assert reference_in(first) == reference_in(second)
    assert Report.objects.count() == 1
    assert Url.objects.get().report_count == 1


def test_replayed_submission_from_another_browser_files_no_second_report(browser):
    form = browser.open_form()
    first = browser.send(form)
    replayer = browser.__class__()
    replayed = replayer.send({**replayer.open_form(), "token": form["token"]})
    assert reference_in(replayed) == reference_in(first)
    assert Report.objects.count() == 1


def test_each_opened_form_files_its_own_report(browser):
    browser.send()
    browser.send()
    assert Report.objects.count() == 2


def test_forged_form_token_asks_to_send_again_with_answers_kept(browser):
    form = {**browser.open_form(), "token": "forged:token:value"}
    response = browser.send(form, description="sample description")
    page = response.content.decode()
    assert response.status_code == 400
    assert "please check them and send the report again" in page
    assert "sample description</textarea>" in page
    assert Report.objects.count() == 0
    new_token = TOKEN_FIELD.search(page)
    assert new_token is not None
    assert new_token[1] != form["token"]
    assert browser.send({**form, "token": new_token[1]}).status_code == 200
    assert Report.objects.count() == 1


def test_expired_form_token_asks_to_send_again(browser):
    form = browser.open_form()
    with override_settings(HOTLINE_REPORT_FORM_MAX_AGE_SECONDS=-1):
        response = browser.send(form)
    assert response.status_code == 400
    assert "This form was open for too long" in response.content.decode()
    assert Report.objects.count() == 0


def test_form_token_signed_for_another_purpose_is_refused(browser):
    other = signing.TimestampSigner(salt=SALT + "-other").sign("nonce")
    response = browser.send({**browser.open_form(), "token": other})
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_post_without_csrf_token_is_refused_and_nothing_stored():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/report/", {"urls": "http://example.com/", "where_seen": "chat"})
    assert response.status_code == 403
    assert "Nothing was saved" in response.content.decode()
    assert Report.objects.count() == 0


def test_oversized_form_body_is_refused_with_a_clear_page(browser):
    form = browser.open_form()
    response = browser.send(form, description="a" * (300 * 1024))
    assert response.status_code == 413
    assert "Your report was too large" in response.content.decode()
    assert Report.objects.count() == 0


def test_filled_honeypot_shows_a_plausible_thank_you_and_stores_nothing(browser):
    response = browser.send(website="http://example.net/spam")
    assert response.status_code == 200
    assert re.fullmatch(r"HL-[0-9A-Z]{12}", reference_in(response))
    assert Report.objects.count() == 0
    assert Url.objects.count() == 0


def test_put_is_not_allowed(browser):
    assert browser.client.put("/report/").status_code == 405


def test_report_form_renders_in_french_when_the_browser_asks_for_it(browser):
    page = browser.client.get("/report/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr">' in page
    assert "Signaler une adresse web" in page
    assert "<legend>Où l" in page


def test_report_in_french_is_filed_in_french(browser):
    form = browser.open_form(HTTP_ACCEPT_LANGUAGE="fr")
    response = browser.client.post(
        "/report/",
        {**form, "urls": "http://example.com/", "where_seen": "chat", "content_kind": "text"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert "Merci" in response.content.decode()
    assert Report.objects.get().language == "fr"
