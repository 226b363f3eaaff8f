"""`gongkai demo` gives the demo county about a thousand disclosure items made from its catalogue
entries, in every state a real county has, deterministically and only once."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.audit.chain import verify
from gongkai.audit.models import AuditEvent
from gongkai.catalogue.models import Obligation
from gongkai.catalogue.vocab import Scope
from gongkai.demo.disclosures import body_for, period_label, title_for
from gongkai.demo.plan import COUNTY_CODE, DEMO_TOWN
from gongkai.disclosures import content, gate
from gongkai.disclosures.models import (
    AudienceLabel,
    Disclosure,
    Finding,
    IndexSequence,
    ItemStatus,
    Revision,
    Step,
    Task,
    TaskStatus,
    Workflow,
    WorkflowKind,
    WorkflowStatus,
)
from gongkai.orgs.models import Org
from gongkai.workdays import calendar


def _demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def county(db) -> Org:
    _demo()
    return Org.objects.get(code=COUNTY_CODE)


def _counts() -> dict[str, int]:
    return {"items": Disclosure.objects.count(), "revisions": Revision.objects.count(),
            "workflows": Workflow.objects.count(), "tasks": Task.objects.count(),
            "labels": AudienceLabel.objects.count(), "findings": Finding.objects.count(),
            "obligations": Obligation.objects.filter(item_id__isnull=False).count(),
            "events": AuditEvent.objects.count()}


def test_about_a_thousand_items_in_a_realistic_mix(county):
    statuses = Counter(Disclosure.objects.values_list("status", flat=True))
    total = sum(statuses.values())
    assert 850 <= total <= 1200
    assert 0.7 * total <= statuses[ItemStatus.PUBLISHED] <= 0.92 * total
    assert statuses[ItemStatus.DRAFT] >= 20
    assert statuses[ItemStatus.IN_REVIEW] >= 40
    assert statuses[ItemStatus.RETURNED] >= 5
    assert statuses[ItemStatus.APPROVED] >= 3
    assert statuses[ItemStatus.WITHDRAWN] == 1
    scopes = Counter(Disclosure.objects.filter(status=ItemStatus.PUBLISHED).values_list("scope", flat=True))
    assert set(scopes) == set(Scope.values)
    assert scopes[Scope.PUBLIC] > sum(scopes.values()) / 2  # most of them public


def test_items_are_waiting_at_every_step(county):
    waiting = Counter(Task.objects.filter(status=TaskStatus.ACTIVE, workflow__status=WorkflowStatus.RUNNING)
                      .values_list("step", flat=True))
    assert set(waiting) == set(Step.values)
    # The demo town's accounts have something to do at each of their steps.
    town = Org.objects.get(code=DEMO_TOWN)
    at_town = set(Task.objects.filter(status=TaskStatus.ACTIVE, org=town).values_list("step", flat=True))
    assert {Step.REVIEW, Step.SECRECY, Step.APPROVAL} <= at_town
    returned = Task.objects.filter(status=TaskStatus.RETURNED,
                                   workflow__disclosure__status=ItemStatus.RETURNED)
    assert returned.exists() and all(t.opinion for t in returned)
    # Superior approval happens at the parent, for an item published wider than its catalogue entry.
    for task in Task.objects.filter(step=Step.SUPERIOR).select_related("workflow__disclosure__org")[:20]:
        assert task.org_id == task.workflow.disclosure.org.parent_id
        assert task.workflow.escalated


def test_staged_scheduled_and_notices(county):
    now = timezone.now()
    published = Disclosure.objects.filter(status=ItemStatus.PUBLISHED)
    assert published.filter(go_live_at__gt=now).exists()  # scheduled
    staged = published.filter(scope=Scope.PARTY, public_from__isnull=False)
    assert staged.filter(public_from__gt=now).exists() and staged.filter(public_from__lte=now).exists()
    label = AudienceLabel.objects.filter(disclosure__in=staged, label=gate.PUBLIC).first()
    assert label is not None and label.starts_at is not None
    today = timezone.localdate()
    ends = [calendar.due(timezone.localdate(d.go_live_at), d.current.notice_workdays)
            for d in published.filter(current__notice_workdays__isnull=False, go_live_at__lte=now)
            .select_related("current")]
    assert any(end >= today for end in ends), "a notice in its notice period"
    assert any(end < today for end in ends), "a notice past its notice period"


def test_rows_are_those_the_actions_write(county):
    for item in Disclosure.objects.select_related("current", "org").order_by("?")[:150]:
        revision = item.current
        assert revision is not None and revision.title == item.title and revision.scope == item.scope
        values = {f: getattr(revision, f) for f in content.FIELDS}
        assert revision.content_hash == content.content_hash(values)
        assert item.index_number.startswith(f"{item.org.code}-")
        if item.status == ItemStatus.PUBLISHED and item.withdrawn_at is None:
            expected = {label for label, _s in gate.item_labels(item, item.published_revision)}
            assert set(item.labels.values_list("label", flat=True)) == expected
        for task in Task.objects.filter(workflow__disclosure=item, status=TaskStatus.APPROVED):
            assert task.decided_by_id and task.decided_at and task.revision_hash
    # Each org's index sequence is at its last number, so new items continue it.
    for sequence in IndexSequence.objects.filter(series="index")[:50]:
        numbers = Disclosure.objects.filter(org=sequence.org_id,
                                            index_number__startswith=f"{sequence.org.code}-{sequence.year}-")
        assert numbers.count() == sequence.last


def test_published_items_fulfil_their_obligations(county):
    fulfilled = Obligation.objects.filter(item_id__isnull=False)
    assert fulfilled.count() >= 500
    items = {d.pk: d for d in Disclosure.objects.filter(pk__in=fulfilled.values("item_id"))}
    for obligation in fulfilled[:200]:
        item = items[obligation.item_id]
        assert item.org_id == obligation.org_id and item.entry_key == obligation.entry_key
        assert item.index_number in obligation.fulfilment_note


def test_anonymous_readers_see_only_live_public_items(county):
    now = timezone.now()
    visible = gate.visible_to(None)
    assert visible.count() >= 400
    for item in visible.prefetch_related("labels"):
        assert gate.is_live(item, now)
        assert any(label.label == gate.PUBLIC and (label.starts_at is None or label.starts_at <= now)
                   for label in item.labels.all())
    assert not visible.exclude(scope__in=[Scope.PUBLIC, Scope.PARTY]).exists()
    assert not visible.filter(withdrawn_at__isnull=False).exists()


def test_showcase_items_went_through_the_actions(county):
    withdrawn = Disclosure.objects.get(status=ItemStatus.WITHDRAWN)
    assert withdrawn.withdrawal_explanation and withdrawn.withdrawn_at
    amended = Workflow.objects.get(kind=WorkflowKind.AMEND, status=WorkflowStatus.APPROVED)
    assert amended.explanation and amended.disclosure.current.number == 2
    assert amended.disclosure.published_revision_id == amended.disclosure.current_id
    register = set(AuditEvent.objects.filter(action__startswith="register.").values_list("action", flat=True))
    assert len(register) >= 3, register  # publish (a repost), amend, withdraw
    county_org = Org.objects.get(code=COUNTY_CODE)
    reposts = Disclosure.objects.filter(reposted_from__org=county_org)
    assert reposts.count() >= 2 and reposts.filter(status=ItemStatus.PUBLISHED).exists()
    findings = Finding.objects.filter(status="open")
    assert findings.count() >= 2
    assert Task.objects.filter(workflow__disclosure__findings__in=findings, step=Step.SECRECY,
                               status=TaskStatus.ACTIVE).exists()
    interpretation = Disclosure.objects.get(interprets__isnull=False)
    assert interpretation.status == interpretation.interprets.status == ItemStatus.PUBLISHED
    assert interpretation.go_live_at == interpretation.interprets.go_live_at
    assert verify().ok


def test_one_summary_event_for_the_bulk(county):
    events = list(AuditEvent.objects.filter(action="demo.disclosures"))
    assert len(events) == 1
    assert "直接写入" in events[0].reason
    assert sum(events[0].new["statuses"].values()) > 800


def test_running_twice_changes_nothing(db):
    first_output = _demo()
    first = _counts()
    titles = list(Disclosure.objects.order_by("index_number").values_list("index_number", "title", "status"))
    second_output = _demo()
    assert "已生成演示公开事项" in first_output
    assert "已生成演示公开事项" not in second_output
    assert _counts() == first
    assert list(Disclosure.objects.order_by("index_number").values_list(
        "index_number", "title", "status")) == titles
    assert verify().ok


def test_titles_and_bodies_are_chinese_and_deterministic():
    import random

    assert period_label("2026-Q3") == "2026年第三季度"
    assert period_label("2026-H1") == "2026年上半年"
    assert period_label("2026") == "2026年度"
    assert period_label("first") == ""
    assert title_for("柳溪村党支部", "党费收缴、使用和管理情况", "2026年上半年", False) == \
        "柳溪村党支部2026年上半年党费收缴、使用和管理情况公开"
    assert title_for("城关镇", "干部选拔任用情况", "", True) == "城关镇干部选拔任用情况公示"
    org = Org(code="x", name="柳溪村党支部", short_name="柳溪村", address="柳溪村村委会")
    entry = {"item": "发展党员情况", "content": "发展对象、预备党员接收情况", "responsible": ""}
    one = body_for(random.Random(1), org, entry, "", None)
    assert one == body_for(random.Random(1), org, entry, "", None)
    assert 3 <= one.count("<p>") <= 4 and "发展对象" in one


def test_past_staged_openings_are_not_told_again(county):
    from gongkai.disclosures import openings

    staged = Disclosure.objects.filter(public_from__lte=timezone.now(), status=ItemStatus.PUBLISHED)
    assert staged.exists()
    assert openings.notify_openings().items == 0
