"""E-mail: immediate people get one mail per notification, digest people one mail a day with
everything unread, "off" people none; a job run twice sends once; a rolled-back change sends
nothing. Mail goes to Django's locmem outbox (pytest-django sets it)."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail as outbox
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from gongkai import jobs
from gongkai.notify import actions, mail, tasks
from gongkai.notify.models import Notification

pytestmark = pytest.mark.django_db


def _notify(recipients, key="item:7:public", subject="《关于2025年度民主评议党员情况的公示》已向社会公开"):
    return actions.notify(recipients, kind="item_public", subject=subject, body="公示期 5 个工作日。",
                          url="/staff/", dedup_key=key)


def _mode(person, mode):
    actions.set_email_mode(actor=person, mode=mode)


def test_an_immediate_person_gets_one_email_when_the_change_commits(world, settings,
                                                                    django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://gk.example.gov.cn"
    _mode(world.reviewer, "immediate")
    with django_capture_on_commit_callbacks(execute=True):
        _notify([world.reviewer])
        assert outbox.outbox == []  # nothing before the commit
    (message,) = outbox.outbox
    assert message.to == [world.reviewer.email]
    assert message.subject == "[党务公开平台] 《关于2025年度民主评议党员情况的公示》已向社会公开"
    assert "公示期 5 个工作日。" in message.body
    assert "https://gk.example.gov.cn/staff/" in message.body
    assert "https://gk.example.gov.cn/notifications/" in message.body
    assert Notification.objects.get(recipient=world.reviewer).emailed_at is not None


def test_notifying_the_same_event_again_sends_no_second_email(world, django_capture_on_commit_callbacks):
    _mode(world.reviewer, "immediate")
    with django_capture_on_commit_callbacks(execute=True):
        _notify([world.reviewer])
    with django_capture_on_commit_callbacks(execute=True):
        _notify([world.reviewer])
    assert len(outbox.outbox) == 1


def test_digest_and_off_people_get_no_immediate_email(world, django_capture_on_commit_callbacks):
    _mode(world.secrecy, "off")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _notify([world.leader, world.secrecy])  # the leader never chose: the daily digest
    assert callbacks == []
    assert outbox.outbox == []


def test_a_rolled_back_change_queues_no_email(world, django_capture_on_commit_callbacks):
    _mode(world.reviewer, "immediate")
    with (django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError),
          transaction.atomic()):
        _notify([world.reviewer])
        raise RuntimeError("the caller's action failed after notifying")
    assert callbacks == []
    assert outbox.outbox == []
    assert not Notification.objects.exists()


def test_the_email_job_run_twice_sends_once(world, queue, django_capture_on_commit_callbacks):
    _mode(world.reviewer, "immediate")
    with django_capture_on_commit_callbacks(execute=True):
        (n,) = _notify([world.reviewer])
    (job,) = queue.pending()
    assert job.name.endswith("send_email") and job.args == (n.pk,)
    assert outbox.outbox == []  # queued, not run
    queue.execute(job)
    queue.execute(job)  # a retry, or a second worker
    assert len(outbox.outbox) == 1
    assert mail.send_notification_email(n.pk) is False


def test_a_refused_email_is_released_for_the_retry(world, monkeypatch):
    _mode(world.reviewer, "immediate")
    (n,) = _notify([world.reviewer])

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")

    monkeypatch.setattr(mail, "send_mail", refuse)
    with pytest.raises(smtplib.SMTPException):
        mail.send_notification_email(n.pk)
    assert Notification.objects.get(pk=n.pk).emailed_at is None
    monkeypatch.undo()
    assert mail.send_notification_email(n.pk) is True
    assert len(outbox.outbox) == 1


@pytest.mark.parametrize("change", ["read", "off", "no_address", "inactive", "deleted"])
def test_no_immediate_email_when_things_changed_before_the_job_ran(world, change):
    _mode(world.reviewer, "immediate")
    (n,) = _notify([world.reviewer])
    if change == "read":
        actions.mark_read(world.reviewer, [n.pk])
    elif change == "off":
        _mode(world.reviewer, "off")
    elif change == "no_address":
        world.reviewer.email = ""
        world.reviewer.save(update_fields=["email"])
    elif change == "inactive":
        world.reviewer.is_active = False
        world.reviewer.save(update_fields=["is_active"])
    else:
        n.delete()
    assert mail.send_notification_email(n.pk) is False
    assert outbox.outbox == []


def test_a_digest_person_gets_one_digest_with_every_unread_item(world):
    _notify([world.leader], key="a", subject="待审批：第一项")
    _notify([world.leader], key="b", subject="待审批：第二项")
    _notify([world.leader], key="c", subject="已读的一项")
    actions.mark_read(world.leader, [Notification.objects.get(dedup_key="c").pk])
    report = mail.send_digests(timezone.now())
    assert (report.people, report.notifications, report.failed) == (1, 2, [])
    (message,) = outbox.outbox
    assert message.to == [world.leader.email]
    assert "通知汇总：2 条未读" in message.subject
    assert "待审批：第一项" in message.body and "待审批：第二项" in message.body
    assert "已读的一项" not in message.body


def test_the_digest_run_twice_sends_once_then_only_what_is_new(world):
    _notify([world.leader], key="a")
    mail.send_digests(timezone.now())
    assert mail.send_digests(timezone.now()).people == 0
    assert len(outbox.outbox) == 1
    _notify([world.leader], key="b", subject="新到的一项")
    mail.send_digests(timezone.now())
    assert len(outbox.outbox) == 2 and "新到的一项" in outbox.outbox[1].body


def test_the_digest_leaves_out_immediate_and_off_people_and_later_items(world):
    _mode(world.reviewer, "immediate")
    _mode(world.secrecy, "off")
    cutoff = timezone.now()
    _notify([world.reviewer, world.secrecy], key="a")
    Notification.objects.update(created_at=cutoff - timedelta(hours=1))
    _notify([world.leader], key="later")
    Notification.objects.filter(dedup_key="later").update(created_at=cutoff + timedelta(minutes=1))
    assert mail.send_digests(cutoff).people == 0
    assert outbox.outbox == []


def test_a_long_digest_lists_fifty_and_counts_the_rest(world):
    for i in range(mail.DIGEST_MAX_ITEMS + 3):
        _notify([world.leader], key=f"k{i}", subject=f"第{i}项")
    mail.send_digests(timezone.now())
    (message,) = outbox.outbox
    assert "另有 3 条" in message.body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_a_refused_digest_is_reported_and_sent_next_time(world, monkeypatch):
    _notify([world.leader], key="a")

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(mail, "send_mail", refuse)
    report = mail.send_digests(timezone.now())
    assert report.failed == [world.leader.username]
    with pytest.raises(tasks.DigestIncomplete):
        tasks.daily_digest.call_local()
    monkeypatch.undo()
    assert mail.send_digests(timezone.now()).people == 1


def test_digest_command_sends_and_reports(world, capsys):
    _notify([world.leader, world.officer], key="a")
    call_command("notify", "digest")
    assert "发送 2 封邮件，含 2 条通知" in capsys.readouterr().out
    assert len(outbox.outbox) == 2


def test_digest_command_fails_loudly_when_mail_cannot_be_sent(world, monkeypatch):
    _notify([world.leader], key="a")
    monkeypatch.setattr(mail, "send_mail", lambda *a, **k: (_ for _ in ()).throw(OSError("down")))
    with pytest.raises(CommandError, match="发送失败"):
        call_command("notify", "digest")


@pytest.mark.parametrize(("utc", "due"), [
    (datetime(2025, 6, 1, 23, 30), True),   # 07:30 on 2 June in Beijing
    (datetime(2025, 6, 2, 7, 30), False),    # 15:30 in Beijing
    (datetime(2025, 6, 1, 23, 31), False),
])
def test_the_digest_job_runs_at_half_past_seven_beijing_time(utc, due):
    started = [t.name for t in jobs.huey.read_periodic(utc)]  # what the worker's scheduler asks
    assert any(name.endswith("daily_digest") for name in started) is due
    assert jobs.daily_at(7, 30)(utc) is due


def test_the_digest_time_follows_the_configured_time_zone(settings):
    settings.TIME_ZONE = "UTC"
    assert jobs.daily_at(7, 30)(datetime(2025, 6, 2, 7, 30, tzinfo=UTC).replace(tzinfo=None))
