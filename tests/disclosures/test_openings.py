"""Staged release (先党内后党外): when a party item's public date comes, its officers are told,
once, whoever runs the job and however often (issue 4 §4 and §6)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai import jobs
from gongkai.audit.chain import verify
from gongkai.audit.models import AuditEvent
from gongkai.disclosures import actions, gate, openings, tasks
from gongkai.disclosures.models import Disclosure
from gongkai.notify.models import Notification
from gongkai.orgs.models import Role
from gongkai.testing import UserFactory, grant
from tests.disclosures.conftest import DW, approved

pytestmark = pytest.mark.django_db


def staged(
    dw: DW, *, go_live: datetime | None = None, public_from: datetime, **overrides: object
) -> Disclosure:
    item = approved(
        dw,
        scope="party",
        go_live_at=go_live.isoformat() if go_live else None,
        public_from=public_from.isoformat(),
        **overrides,
    )
    actions.disclosure_publish(actor=dw.w.officer, item=item)
    return Disclosure.objects.prefetch_related("labels").get(pk=item.pk)


def told(kind: str = openings.KIND) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", "subject"))


def opened_events(item: Disclosure) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="disclosure.public_opened", object_id=str(item.pk)))


def test_the_officers_are_told_once_when_a_staged_item_opens_to_the_public(dw: DW) -> None:
    second_officer = UserFactory.create(username="officer2", real_name="第二专员")
    grant(second_officer, dw.w.town, Role.OFFICER)
    now = timezone.now()
    item = staged(dw, public_from=now + timedelta(days=3), title="关于换届选举结果的公告")

    assert openings.notify_openings(now + timedelta(days=2)).items == 0  # still party only
    assert told() == [] and Disclosure.objects.get(pk=item.pk).public_opening_notified_at is None

    later = now + timedelta(days=3, minutes=5)
    assert gate.can_view(None, item, later)  # the gate opened it, not the job
    report = openings.notify_openings(later)
    assert (report.items, report.people) == (1, 2)
    subject = "已向社会公开：《关于换届选举结果的公告》"
    assert told() == [("officer", subject), ("officer2", subject)]
    notification = Notification.objects.get(recipient=dw.w.officer, kind=openings.KIND)
    assert notification.url == f"/staff/disclosures/{item.pk}/" and item.index_number in notification.body
    # The party members who read it first, and the superiors who oversaw it, hear nothing.
    assert not Notification.objects.filter(
        kind=openings.KIND, recipient__in=[dw.w.member, dw.county_officer, dw.w.leader]
    ).exists()
    assert Disclosure.objects.get(pk=item.pk).public_opening_notified_at == later
    (event,) = opened_events(item)
    assert event.actor_name == "system" and event.new["staged"] is True
    assert event.new["notified"] == sorted([dw.w.officer.pk, second_officer.pk])

    # A second run, and a later one, tell nobody again and audit nothing more.
    assert openings.notify_openings(later).items == 0
    assert openings.notify_openings(later + timedelta(days=1)).items == 0
    assert Notification.objects.filter(kind=openings.KIND).count() == 2 and len(opened_events(item)) == 1
    assert verify().ok


def test_two_workers_claiming_the_same_item_notify_once(dw: DW) -> None:
    now = timezone.now()
    item = staged(dw, public_from=now + timedelta(hours=1))
    later = now + timedelta(hours=2)
    # Both read the list before either claimed; the conditional UPDATE lets one through.
    assert list(openings.due(later).values_list("pk", flat=True)) == [item.pk]
    assert openings._open_one(item.pk, later) == 1
    assert openings._open_one(item.pk, later) is None
    assert len(told()) == 1 and len(opened_events(item)) == 1


def test_items_that_never_open_later_are_left_alone(dw: DW) -> None:
    now = timezone.now()
    public = approved(dw, scope="public", title="向社会公开的事项")
    actions.disclosure_publish(actor=dw.w.officer, item=public)
    withdrawn = staged(dw, public_from=now + timedelta(hours=1), title="撤销了的事项")
    actions.disclosure_withdraw(actor=dw.w.officer, item=withdrawn, explanation="事项已终止")
    actions.disclosure_approve(actor=dw.w.leader, item=withdrawn, opinion="同意撤销")
    ended = staged(
        dw,
        public_from=now + timedelta(days=2),
        display_until=(now + timedelta(days=1)).isoformat(),
        title="展示已截止的事项",
    )
    later = now + timedelta(days=3)
    assert not gate.can_view(None, Disclosure.objects.get(pk=ended.pk), later)
    assert openings.notify_openings(later).items == 0 and told() == []
    assert not AuditEvent.objects.filter(action="disclosure.public_opened").exists()


def test_an_item_public_from_its_go_live_is_recorded_without_telling_anyone(dw: DW) -> None:
    # The approval took longer than planned: the public date had passed when it was published,
    # so it went out to everyone at once and there is no later moment to tell anyone about.
    now = timezone.now()
    item = staged(dw, public_from=now + timedelta(minutes=1))
    Disclosure.objects.filter(pk=item.pk).update(public_from=item.go_live_at)
    report = openings.notify_openings(now + timedelta(minutes=5))
    assert (report.items, report.people) == (1, 0) and told() == []
    (event,) = opened_events(item)
    assert event.new["staged"] is False and event.new["notified"] == []
    assert openings.notify_openings(now + timedelta(minutes=10)).items == 0


def test_the_periodic_job_runs_every_five_minutes_and_does_the_work(dw: DW) -> None:
    started = [t.name for t in jobs.huey.read_periodic(datetime(2026, 6, 1, 3, 35))]
    assert any(name.endswith("notify_openings") for name in started)
    started = [t.name for t in jobs.huey.read_periodic(datetime(2026, 6, 1, 3, 36))]
    assert not any(name.endswith("notify_openings") for name in started)
    with pytest.raises(ValueError):
        tasks.every_minutes(7)

    now = timezone.now()
    item = staged(dw, go_live=now - timedelta(hours=2), public_from=now - timedelta(hours=1))
    tasks.notify_openings()  # queued and, as in every test, run at once
    tasks.notify_openings()  # a retry, or a second consumer
    assert [name for name, _subject in told()] == ["officer"]
    assert len(opened_events(item)) == 1


def test_the_command_handles_the_backlog(dw: DW, capsys: pytest.CaptureFixture[str]) -> None:
    now = timezone.now()
    for n in range(3):
        staged(dw, go_live=now - timedelta(hours=2), public_from=now - timedelta(hours=1), title=f"事项{n}")
    call_command("disclosures", "notify-openings")
    assert "处理 3 个，通知 3 人次" in capsys.readouterr().out
    call_command("disclosures", "notify-openings")
    assert "处理 0 个，通知 0 人次" in capsys.readouterr().out
    assert Notification.objects.filter(kind=openings.KIND).count() == 3
