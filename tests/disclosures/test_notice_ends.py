"""The end of a notice's period is stored when an item is published or amended and follows the
holiday calendar; the portal's "open notices" reads it."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from gongkai.disclosures import actions, notices
from gongkai.disclosures.models import Disclosure
from gongkai.workdays import actions as workdays_actions
from gongkai.workdays import calendar
from tests.disclosures.conftest import DW, approved

pytestmark = pytest.mark.django_db


def _at(day: date) -> str:
    return timezone.make_aware(datetime.combine(day, time(9))).isoformat()


def test_publishing_stores_the_end_counted_in_working_days(dw: DW) -> None:
    # Go-live Friday 2026-09-25; 5 working days skip the weekend and National Day (10-01..10-08,
    # with 09-27 and 10-10 worked on 2026's schedule as the calendar holds it).
    go_live = date(2026, 9, 25)
    item = approved(dw, notice_workdays=5, go_live_at=_at(go_live))
    item = actions.disclosure_publish(actor=dw.w.officer, item=item)
    expected = calendar.due(go_live, 5)
    assert Disclosure.objects.get(pk=item.pk).notice_ends_on == expected
    assert expected > date(2026, 10, 1)  # the holiday was skipped, not counted


def test_an_item_that_is_no_notice_has_no_end(dw: DW) -> None:
    item = actions.disclosure_publish(actor=dw.w.officer, item=approved(dw))
    assert Disclosure.objects.get(pk=item.pk).notice_ends_on is None


def test_a_new_holiday_moves_the_stored_end(dw: DW) -> None:
    go_live = date(2026, 7, 6)  # a Monday
    item = actions.disclosure_publish(
        actor=dw.w.officer, item=approved(dw, notice_workdays=5, go_live_at=_at(go_live))
    )
    before = Disclosure.objects.get(pk=item.pk).notice_ends_on
    assert before == calendar.due(go_live, 5)
    workdays_actions.schedule_day_set(actor=None, day=date(2026, 7, 8), kind="holiday", name="测试假日")
    after = Disclosure.objects.get(pk=item.pk).notice_ends_on
    assert after == calendar.due(go_live, 5) and after > before


def test_recompute_since_fills_items_written_in_bulk(dw: DW) -> None:
    item = actions.disclosure_publish(
        actor=dw.w.officer, item=approved(dw, notice_workdays=7, go_live_at=_at(date(2026, 5, 11)))
    )
    Disclosure.objects.filter(pk=item.pk).update(notice_ends_on=None)
    assert notices.recompute_since() == 1
    assert Disclosure.objects.get(pk=item.pk).notice_ends_on == calendar.due(date(2026, 5, 11), 7)
    assert notices.recompute_since() == 0  # nothing left to change
