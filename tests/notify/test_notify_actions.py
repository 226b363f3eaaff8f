"""notify(), mark_read() and the e-mail preference: the rules of the notification platform."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from gongkai.audit.models import AuditEvent
from gongkai.notify import actions, queries
from gongkai.notify.models import DEFAULT_EMAIL_MODE, EmailMode, Notification

pytestmark = pytest.mark.django_db


def _notify(recipients, key="task:1:assigned", **kw):
    fields = {"kind": "task_assigned", "subject": "请审核：2025年第三季度党费收缴情况",
              "body": "某某镇党委提交了一项公开事项，请在 3 个工作日内审核。", "url": "/staff/",
              "dedup_key": key}
    fields.update(kw)
    return actions.notify(recipients, **fields)


def test_notify_creates_one_notification_per_recipient(world):
    created = _notify([world.reviewer, world.secrecy, world.reviewer])
    assert sorted(n.recipient_id for n in created) == sorted([world.reviewer.pk, world.secrecy.pk])
    n = Notification.objects.get(recipient=world.reviewer)
    assert (n.kind, n.url, n.read_at, n.emailed_at) == ("task_assigned", "/staff/", None, None)
    assert n.subject == "请审核：2025年第三季度党费收缴情况"


def test_the_same_event_notifies_nobody_twice(world):
    first = _notify([world.reviewer])
    again = _notify([world.reviewer], subject="改过的标题")
    assert [n.pk for n in again] == [n.pk for n in first]
    assert Notification.objects.filter(recipient=world.reviewer).count() == 1
    assert Notification.objects.get(recipient=world.reviewer).subject.startswith("请审核")


def test_the_same_event_reaches_a_new_recipient_once(world):
    _notify([world.reviewer])
    _notify([world.reviewer, world.leader])
    assert Notification.objects.filter(dedup_key="task:1:assigned").count() == 2


def test_another_event_is_another_notification(world):
    _notify([world.reviewer], key="task:1:assigned")
    _notify([world.reviewer], key="task:2:assigned")
    assert queries.unread_count(world.reviewer) == 2


def test_recipients_may_be_ids_and_inactive_people_are_skipped(world):
    world.member.is_active = False
    world.member.save(update_fields=["is_active"])
    created = _notify([world.officer.pk, world.member.pk])
    assert [n.recipient_id for n in created] == [world.officer.pk]
    assert _notify([]) == []


@pytest.mark.parametrize("url", ["https://example.org/x", "//example.org/x", "javascript:alert(1)",
                                 "staff/"])
def test_a_notification_links_only_into_this_site(world, url):
    with pytest.raises(ValueError, match="path on this site"):
        _notify([world.officer], url=url)
    assert not Notification.objects.exists()


@pytest.mark.parametrize(("field", "value"), [("kind", ""), ("kind", "Task Assigned"), ("dedup_key", ""),
                                              ("subject", "  \n ")])
def test_kind_key_and_subject_are_required(world, field, value):
    with pytest.raises(ValueError):
        _notify([world.officer], **{field: value})
    assert not Notification.objects.exists()


def test_a_long_subject_is_cut_and_line_breaks_are_flattened(world):
    (n,) = _notify([world.officer], subject="标题\n第二行" + "长" * 300)
    assert n.subject.startswith("标题 第二行") and len(n.subject) == 200 and n.subject.endswith("…")


def test_mark_read_marks_only_the_listed_own_notifications(world):
    _notify([world.officer], key="a")
    _notify([world.officer], key="b")
    a = Notification.objects.get(dedup_key="a")
    assert actions.mark_read(world.officer, [a.pk]) == 1
    assert actions.mark_read(world.officer, [a.pk]) == 0  # already read: harmless
    assert queries.unread_count(world.officer) == 1
    first_read = Notification.objects.get(pk=a.pk).read_at
    actions.mark_read(world.officer, [a.pk])
    assert Notification.objects.get(pk=a.pk).read_at == first_read


def test_someone_elses_id_refuses_the_whole_request(world):
    _notify([world.officer], key="a")
    _notify([world.member], key="b")
    mine = Notification.objects.get(recipient=world.officer)
    theirs = Notification.objects.get(recipient=world.member)
    with pytest.raises(ValidationError) as error:
        actions.mark_read(world.officer, [mine.pk, theirs.pk])
    assert str(theirs.pk) in error.value.message_dict["ids"][0]
    assert Notification.objects.filter(read_at__isnull=False).count() == 0


def test_mark_all_read_touches_only_ones_own(world):
    _notify([world.officer, world.member], key="a")
    _notify([world.officer], key="b")
    assert actions.mark_read(world.officer, "all") == 2
    assert queries.unread_count(world.officer) == 0
    assert queries.unread_count(world.member) == 1


def test_notifications_for_lists_only_ones_own_newest_first(world):
    _notify([world.officer], key="old")
    _notify([world.officer, world.member], key="new")
    assert [n.dedup_key for n in queries.notifications_for(world.officer)] == ["new", "old"]
    assert [n.dedup_key for n in queries.notifications_for(world.member)] == ["new"]
    assert not queries.notifications_for(None).exists()


def test_default_email_mode_is_the_daily_digest(world):
    assert DEFAULT_EMAIL_MODE == EmailMode.DIGEST
    assert queries.email_mode_for(world.officer) == "digest"


def test_choosing_the_email_mode_is_audited(world):
    actions.set_email_mode(actor=world.officer, mode="immediate")
    assert queries.email_mode_for(world.officer) == "immediate"
    event = AuditEvent.objects.get(action="notify.preference")
    assert (event.old, event.new, event.actor_id) == ({"email_mode": "digest"}, {"email_mode": "immediate"},
                                                      world.officer.pk)
    actions.set_email_mode(actor=world.officer, mode="immediate")  # unchanged: no second event
    assert AuditEvent.objects.filter(action="notify.preference").count() == 1


def test_an_unknown_email_mode_is_refused_in_chinese(world):
    with pytest.raises(ValidationError, match="立即发送"):
        actions.set_email_mode(actor=world.officer, mode="hourly")
    assert queries.email_mode_for(world.officer) == "digest"


def test_many_recipients_are_handled_in_chunks(world, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(actions, "CHUNK", 2)
    people = [world.officer, world.reviewer, world.secrecy, world.leader, world.member]
    actions.set_email_mode(actor=world.member, mode="immediate")
    with django_capture_on_commit_callbacks() as callbacks:
        created = _notify(people)
    assert sorted(n.recipient_id for n in created) == sorted(p.pk for p in people)
    assert Notification.objects.count() == 5
    assert len(callbacks) == 1  # the one immediate person's e-mail
