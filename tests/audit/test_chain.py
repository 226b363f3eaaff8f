"""The audit trail is a hash chain: any alteration, deletion or insertion is detected."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from gongkai.audit.chain import record, verify
from gongkai.audit.models import AuditEvent
from gongkai.orgs import actions
from gongkai.testing import kind


@pytest.fixture
def chain(world):
    for i in range(5):
        actions.org_create(actor=world.superuser, parent=world.county, code=f"b{i}",
                           name=f"支部{i}", kind=kind(), reason=f"第{i}次")
    assert AuditEvent.objects.count() == 5
    return world


def _raw_update(seq: int, **values: str) -> None:
    # Bypass the ORM's model layer as a tamperer would: straight SQL on the table.
    table = AuditEvent._meta.db_table
    sets = ", ".join(f"{k} = %s" for k in values)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {sets} WHERE seq = %s", [*values.values(), seq])


def test_intact_chain_verifies(chain, capsys):
    assert verify().ok
    call_command("audit", "verify")
    assert capsys.readouterr().out.strip() == "OK 5 events"


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        record(actor=None, action="x.y", object_type="x", object_id=1)


def test_altered_reason_is_detected(chain):
    _raw_update(3, reason="改过的原因")
    result = verify()
    assert not result.ok and result.broken_seq == 3
    with pytest.raises(CommandError, match="#3"):
        call_command("audit", "verify")


def test_altered_values_with_recomputed_own_hash_break_the_next_link(chain):
    from gongkai.audit.chain import event_hash

    event = AuditEvent.objects.get(seq=2)
    event.new = {"name": "伪造"}
    _raw_update(2, new='{"name": "伪造"}', hash=event_hash(event))
    result = verify()
    assert not result.ok and result.broken_seq == 3


def test_deleted_middle_event_is_detected(chain):
    AuditEvent.objects.filter(seq=2).delete()
    result = verify()
    assert not result.ok and result.broken_seq == 3


def test_deleted_last_event_is_detected_by_the_chain_head(chain):
    AuditEvent.objects.filter(seq=5).delete()
    result = verify()
    assert not result.ok
    assert "deleted or added" in result.problem


def test_inserted_event_is_detected(chain):
    last = AuditEvent.objects.get(seq=5)
    forged = AuditEvent.objects.get(seq=5)
    forged.pk = None
    forged.seq = 6
    forged.prev_hash = last.hash
    forged.hash = "f" * 64
    forged.save(force_insert=True)
    result = verify()
    assert not result.ok and result.broken_seq == 6


def test_event_carries_actor_org_old_new_and_request_context(world):
    from gongkai.audit import context

    with context.bind(ip="10.1.2.3", channel="web", request_id="req-1"):
        actions.org_update(actor=world.officer, org=world.village, phone="0791-8888888",
                           reason="电话变更")
    event = AuditEvent.objects.get(action="org.update")
    assert event.actor == world.officer
    assert event.org_id == world.village.pk and event.org_path == world.village.path
    assert event.old == {"phone": ""} and event.new == {"phone": "0791-8888888"}
    assert (event.reason, event.ip, event.request_id, event.channel) == (
        "电话变更", "10.1.2.3", "req-1", "web")


def test_failed_action_leaves_no_event(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.org_create(actor=world.officer, parent=world.town, code="village",
                           name="重复代码", kind=kind())
    assert not AuditEvent.objects.exists()


def test_event_rolls_back_with_the_change(world):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        actions.org_update(actor=world.officer, org=world.village, name="新名字")
        raise ZeroDivisionError
    assert not AuditEvent.objects.exists()
    assert verify().ok
