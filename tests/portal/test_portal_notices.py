"""Notices (公示): the period runs from the day the item went live, in working days (that day
not counted, holidays skipped, 调休 make-up days counted); the home lists the notices still in
their period with the working days left, and the item page shows the countdown."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from gongkai.portal.queries import notice_state
from tests.portal.factories import publish

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.mark.parametrize(
    ("today", "remaining"),
    [
        (date(2026, 3, 16), 5),  # the go-live day (Monday) is not counted: 17, 18, 19, 20, 23 are
        (date(2026, 3, 17), 5),  # Tuesday is the first of the five, and counts while it lasts
        (date(2026, 3, 20), 2),  # Friday and the next Monday
        (date(2026, 3, 21), 1),  # the weekend: only Monday is left
        (date(2026, 3, 23), 1),  # the last day
        (date(2026, 3, 24), 0),  # over
    ],
)
def test_working_days_left_in_a_notice_period(today, remaining):
    state = notice_state(at(date(2026, 3, 16)), 5, today)
    assert state is not None
    assert (state.start, state.end, state.remaining, state.open) == (
        date(2026, 3, 16),
        date(2026, 3, 23),
        remaining,
        remaining > 0,
    )


def test_the_period_skips_national_day_and_counts_the_make_up_saturday():
    # 2026: 1-7 October off, Saturday 10 October worked (调休).
    state = notice_state(at(date(2026, 9, 30)), 5, date(2026, 10, 2))
    assert state is not None and state.end == date(2026, 10, 13)  # 8, 9, 10 (Sat), 12, 13
    assert state.remaining == 5


def test_no_countdown_without_a_notice_period():
    assert notice_state(at(date(2026, 3, 16)), None, date(2026, 3, 16)) is None


def test_home_lists_notices_in_their_period_closing_soonest_first(client, world):
    now = timezone.now()
    today = timezone.localdate(now)
    late = publish(world.town, "十个工作日的公示", notice_workdays=10, go_live_at=now - timedelta(minutes=5))
    soon = publish(world.town, "五个工作日的公示", notice_workdays=5, go_live_at=now - timedelta(minutes=5))
    over = publish(world.town, "早已结束的公示", notice_workdays=5, go_live_at=now - timedelta(days=40))
    hidden = publish(
        world.village, "党内公示", scope="party", notice_workdays=5, go_live_at=now - timedelta(minutes=5)
    )
    page = client.get("/").content.decode()
    notices = page.split('id="notice-list"')[1].split("</ul>")[0]
    assert notices.index(soon.title) < notices.index(late.title)
    assert over.title not in notices and hidden.title not in notices
    expected = notice_state(soon.go_live_at, 5, today)
    assert expected is not None
    assert (
        f"剩余 <strong>{expected.remaining}</strong> 个工作日（{expected.end.isoformat()} 截止）" in notices
    )
    client.force_login(world.member)
    assert hidden.title in client.get("/").content.decode().split('id="notice-list"')[1].split("</ul>")[0]


def test_item_page_shows_the_countdown_and_when_it_ended(client, world):
    now = timezone.now()
    running = publish(world.town, "正在公示", notice_workdays=5, go_live_at=now - timedelta(minutes=5))
    ended = publish(world.town, "公示已结束", notice_workdays=5, go_live_at=now - timedelta(days=40))
    page = client.get(f"/items/{running.index_number}/").content.decode()
    assert 'id="notice-countdown"' in page and "公示中，剩余" in page and "公示期 5 个工作日" in page
    state = notice_state(ended.go_live_at, 5, timezone.localdate(now))
    assert state is not None
    page = client.get(f"/items/{ended.index_number}/").content.decode()
    assert f"公示期已于 {state.end.isoformat()} 结束" in page
    plain = publish(world.town, "不是公示")
    assert 'id="notice-countdown"' not in client.get(f"/items/{plain.index_number}/").content.decode()
