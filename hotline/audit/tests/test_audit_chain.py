import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hotline.accounts.models import User
from hotline.audit.log import record, verify_chain
from hotline.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _three_entries(actor: User) -> None:
    record("case.viewed", actor=actor, target=actor, detail={"page": "queue"})
    record("assessment.submitted", actor=actor, detail={"outcome": "not_illegal"})
    record("stats.exported", actor=actor)


def test_an_untouched_chain_verifies(analyst: User) -> None:
    _three_entries(analyst)
    assert list(verify_chain()) == []
    call_command("verify_audit")


def test_entries_refuse_to_be_changed_or_deleted_through_the_orm(analyst: User) -> None:
    entry = record("case.viewed", actor=analyst)
    entry.action = "something.else"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_an_altered_entry_is_detected(analyst: User) -> None:
    _three_entries(analyst)
    AuditEntry.objects.filter(seq=2).update(detail={"outcome": "confirmed"})
    problems = list(verify_chain())
    assert [(p.seq, p.message) for p in problems] == [
        (2, "content was altered after it was written")
    ]
    with pytest.raises(CommandError, match="FAILED"):
        call_command("verify_audit")


def test_a_deleted_entry_is_detected(analyst: User) -> None:
    _three_entries(analyst)
    AuditEntry.objects.filter(seq=2).delete()
    messages = [p.message for p in verify_chain()]
    assert "entries 2..2 are missing" in messages
    assert "does not follow the previous entry's hash" in messages


def test_a_cut_tail_is_detected(analyst: User) -> None:
    _three_entries(analyst)
    AuditEntry.objects.filter(seq=3).delete()
    assert [p.message for p in verify_chain()] == ["the log ends at 2 but had 3 entries"]


def test_a_rewritten_chain_without_the_head_is_detected(analyst: User) -> None:
    _three_entries(analyst)
    AuditEntry.objects.filter(seq=1).update(actor_username="someone-else")
    assert any(p.seq == 1 for p in verify_chain())


def test_entries_name_the_actor_and_target(analyst: User) -> None:
    entry = record("case.viewed", actor=analyst, target=analyst)
    assert entry.actor_username == "analyst-one"
    assert entry.object_type == "accounts.user"
    assert entry.object_id == str(analyst.pk)
