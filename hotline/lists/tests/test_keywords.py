from collections.abc import Callable

import pytest
from django.test import Client

from hotline.accounts.models import User
from hotline.lists.models import Keyword, KeywordRefused, KeywordStatus, ListEntry
from hotline.lists.publishing import publish
from hotline.lists.versions import entries_at

pytestmark = pytest.mark.django_db


def test_a_term_is_published_only_after_a_second_analyst_approves_it(
    analyst: User, second_analyst: User
) -> None:
    keyword = Keyword.propose("  Token-Alpha  ", analyst)
    assert publish("keywords").changed is False

    keyword.review(second_analyst, approve=True)

    assert publish("keywords").version == 1
    assert [entry.data for entry in entries_at("keywords", 1)] == [{"term": "token-alpha"}]


def test_an_analyst_cannot_review_their_own_term(analyst: User) -> None:
    keyword = Keyword.propose("token-beta", analyst)

    with pytest.raises(KeywordRefused, match="Another analyst"):
        keyword.review(analyst, approve=True)


def test_a_term_already_listed_or_waiting_cannot_be_proposed_again(
    make_keyword: Callable[..., Keyword], second_analyst: User
) -> None:
    make_keyword("token-gamma")

    with pytest.raises(KeywordRefused, match="already"):
        Keyword.propose("TOKEN-GAMMA", second_analyst)


def test_a_rejection_needs_a_reason(analyst: User, second_analyst: User) -> None:
    keyword = Keyword.propose("token-delta", analyst)

    with pytest.raises(KeywordRefused, match="rejected"):
        keyword.review(second_analyst, approve=False)
    keyword.review(second_analyst, approve=False, reason="sample reason")

    assert keyword.status == KeywordStatus.REJECTED


def test_a_retired_term_is_removed_from_the_next_version_with_its_reason(
    make_keyword: Callable[..., Keyword], analyst: User
) -> None:
    keyword = make_keyword("token-epsilon")
    publish("keywords")

    keyword.retire(analyst, "sample reason: no longer used")
    publish("keywords")

    entry = ListEntry.objects.get()
    assert (entry.removed_in, entry.removal_reason) == (2, "sample reason: no longer used")


def test_analysts_propose_and_review_terms_in_the_console(
    analyst_client: Client, second_analyst_client: Client
) -> None:
    analyst_client.post("/staff/lists/keywords/", {"term": "token-zeta"})
    keyword = Keyword.objects.get()
    own_page = analyst_client.get("/staff/lists/keywords/").content.decode()

    second_analyst_client.post(
        f"/staff/lists/keywords/{keyword.pk}/review/", {"decision": "approve"}
    )

    keyword.refresh_from_db()
    assert keyword.status == KeywordStatus.APPROVED
    assert f"/staff/lists/keywords/{keyword.pk}/review/" not in own_page


def test_a_refused_review_is_explained(analyst_client: Client, analyst: User) -> None:
    keyword = Keyword.propose("token-eta", analyst)

    page = analyst_client.post(
        f"/staff/lists/keywords/{keyword.pk}/review/", {"decision": "approve"}, follow=True
    ).content.decode()

    assert "Another analyst must review the term you proposed." in page


def test_an_empty_term_is_refused(analyst_client: Client) -> None:
    response = analyst_client.post("/staff/lists/keywords/", {"term": "   "})

    assert response.status_code == 400
    assert not Keyword.objects.exists()


def test_managers_do_not_manage_keywords(manager_client: Client) -> None:
    assert manager_client.get("/staff/lists/keywords/").status_code == 403
