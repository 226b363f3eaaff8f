"""The words a catalogue entry is written in: scope (公开范围), channel (公开方式) and the parts
of a timing rule (公开时限). Codes are stable (they are stored in entries, templates and the
API); labels are what the UI shows.

Scope width, used by the rule "a scope wider than the template's needs a reason":

    public (向社会)  >  party (党内)  ~  unit (本单位)  >  targeted (特定对象)

`party` (members of the org and of its subordinates) and `unit` (everyone affiliated with the
org, non-members included) reach different people and neither contains the other, so they
share a width and a move between them also counts as widening: each opens the item to people
the other kept out."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    PUBLIC = "public", _("向社会公开")
    PARTY = "party", _("党内公开")
    UNIT = "unit", _("本单位公开")
    TARGETED = "targeted", _("向特定对象公开")


SCOPE_WIDTH: dict[str, int] = {
    Scope.PUBLIC: 3,
    Scope.PARTY: 2,
    Scope.UNIT: 2,
    Scope.TARGETED: 1,
}


def is_wider(scope: str, than: str) -> bool:
    """Does `scope` open an entry to anyone `than` kept out? Everything but the same scope or
    a strictly narrower one does."""
    if scope == than:
        return False
    return SCOPE_WIDTH[scope] >= SCOPE_WIDTH[than]


class Channel(models.TextChoices):
    PORTAL = "portal", _("门户网站")
    INTRANET = "intranet", _("内网")
    BULLETIN_BOARD = "bulletin_board", _("党务公开栏")
    E_SCREEN = "e_screen", _("电子屏")
    MEETING = "meeting", _("会议")
    DOCUMENT = "document", _("文件")
    BRIEFING = "briefing", _("情况通报")
    NEW_MEDIA = "new_media", _("新媒体")
    # Named by seed 002 for disclosure to the public (三(二)3, 三(三)2 of its plans).
    SERVICE_WINDOW = "service_window", _("为民办事服务窗口")
    BLACKBOARD = "blackboard", _("板报")
    BROADCAST = "broadcast", _("广播电视")
    PRESS = "press", _("报刊")
    KIOSK = "kiosk", _("触摸查询机")


class TimingKind(models.TextChoices):
    STANDING = "standing", _("长期公开")
    PERIODIC = "periodic", _("定期公开")
    PHASED = "phased", _("分阶段公开")
    PROMPT = "prompt", _("及时公开")


class Period(models.TextChoices):
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    HALF_YEARLY = "half_yearly", _("每半年")
    YEARLY = "yearly", _("每年")


class Refresh(models.TextChoices):
    QUARTERLY = "quarterly", _("每季度")
    HALF_YEARLY = "half_yearly", _("每半年")
    YEARLY = "yearly", _("每年")
    NONE = "none", _("不定期")


# A public notice (公示) runs for this many working days (the seeds use 5 to 30).
NOTICE_MIN_WORKDAYS = 5
NOTICE_MAX_WORKDAYS = 30


def labels(choices: type[models.TextChoices], codes: list[str]) -> str:
    names = dict(choices.choices)
    return "、".join(str(names.get(code, code)) for code in codes)
