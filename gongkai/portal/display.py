"""What goes on an organisation's bulletin board (公开栏) and e-screen (电子屏).

Both hang where anyone walks past, so they show what an anonymous visitor may see, whoever asks
for them: the visibility gate for `AnonymousUser` (through `portal.queries.visible_items`), the
items live now. Of those:

- the org's notices (公示) in their notice period, with the working days left, whatever their
  channels: a notice is there to be seen by the people it concerns, and the board is where they
  look for it;
- the org's other current items whose channels include the board's (`bulletin_board`) or the
  screen's (`e_screen`). When none does (many organisations tick only 门户网站), every current
  public item of the org is shown instead and `fallback` says so: an empty board helps nobody,
  and nothing shown is more than the portal already shows to everyone.

Notices come first (closing soonest first), then the items, newest go-live first; the board
groups the items by category (主题分类), in the order of each category's newest item.

Item bodies are sanitised HTML; the board and the screen set them as plain paragraphs (tags
stripped, paragraph breaks kept), the same text for the HTML print view, the PDF and the screen,
cut to a length a board or a screen can carry, with the item's web address for the rest."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from gongkai.catalogue.vocab import Channel
from gongkai.disclosures.models import Disclosure
from gongkai.orgs.models import Org
from gongkai.portal.queries import NoticeState, notices_open_in, visible_items

# A board is a few sheets on a wall and a screen a loop a passer-by may watch: beyond these the
# rest is on the website (the board says how many more there are).
BOARD_ITEMS = 30
SCREEN_ITEMS = 30
# About a column of an A4 sheet; the screen shows what fits at its type size.
BOARD_BODY_CHARS = 2000
SCREEN_BODY_CHARS = 180
ELLIPSIS = "……"

# Tags of the sanitised body (disclosures.content.ALLOWED_TAGS) that end a paragraph.
_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "blockquote", "tr", "table", "ul", "ol", "hr"}
_CELLS = {"td", "th"}
# Runs of whitespace, but not the ideographic space (　) that separates table cells.
_SPACES = re.compile(r"[^\S\u3000]+")


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] = []
        self._lists: list[list[int]] = []  # per open list: [ordered?, items so far]

    def _flush(self) -> None:
        text = _SPACES.sub(" ", "".join(self._current)).strip()
        if text:
            self.paragraphs.append(text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("ul", "ol"):
            self._lists.append([tag == "ol", 0])
        if tag in _BLOCKS:
            self._flush()
        if tag == "li":
            if self._lists and self._lists[-1][0]:
                self._lists[-1][1] += 1
                self._current.append(f"{self._lists[-1][1]}. ")
            else:
                self._current.append("· ")
        elif tag in _CELLS and self._current:
            self._current.append("　")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._flush()
        if tag in ("ul", "ol") and self._lists:
            self._lists.pop()

    def handle_data(self, data: str) -> None:
        self._current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def plain_paragraphs(html: str) -> list[str]:
    """The body's text as paragraphs: one per block (p, li, heading, table row ...), whitespace
    inside a paragraph collapsed, list items marked, table cells separated by a wide space."""
    parser = _Paragraphs()
    parser.feed(html or "")
    parser.close()
    return parser.paragraphs


def cut(paragraphs: list[str], limit: int) -> tuple[list[str], bool]:
    """The paragraphs up to `limit` characters in all; True when something was left off."""
    kept: list[str] = []
    left = limit
    for paragraph in paragraphs:
        if len(paragraph) > left:
            if left > 0:
                kept.append(paragraph[:left].rstrip() + ELLIPSIS)
            return kept, True
        kept.append(paragraph)
        left -= len(paragraph)
    return kept, False


@dataclass(frozen=True)
class Posting:
    """One item as the board and the screen show it (the published revision's content)."""

    index_number: str
    title: str
    category: str
    doc_number: str
    go_live: date
    paragraphs: list[str]
    truncated: bool
    attachments: int
    notice: NoticeState | None = None

    @property
    def url(self) -> str:
        return reverse("portal:item", args=[self.index_number])

    @property
    def category_label(self) -> str:
        return self.category or _("未分类")


@dataclass
class Selection:
    """An org's current postings for one channel."""

    org: Org
    channel: str
    today: date
    fallback: bool
    notices: list[Posting] = field(default_factory=list)
    items: list[Posting] = field(default_factory=list)
    left_off: int = 0  # current items beyond the limit, on the website only

    @property
    def channel_label(self) -> str:
        return str(Channel(self.channel).label)

    @property
    def postings(self) -> list[Posting]:
        return [*self.notices, *self.items]

    def groups(self) -> list[tuple[str, list[Posting]]]:
        """The items by category, each category where its newest item comes."""
        grouped: dict[str, list[Posting]] = {}
        for posting in self.items:
            grouped.setdefault(posting.category_label, []).append(posting)
        return list(grouped.items())


def _current(org: Org, now: datetime) -> QuerySet[Disclosure]:
    return visible_items(AnonymousUser(), org=org, now=now).select_related("published_revision")


def _on_channel(qs: QuerySet[Disclosure], channel: str) -> QuerySet[Disclosure]:
    # `channels` is a JSON list of codes. JSON containment is not available on SQLite, but its
    # text is (`["portal", "bulletin_board"]` on both databases), and a code in quotes cannot
    # match another code. Only one org's current items are scanned.
    return qs.annotate(channels_text=Cast("published_revision__channels", TextField())).filter(
        channels_text__contains=json.dumps(channel)
    )


def _posting(item: Disclosure, body_chars: int, notice: NoticeState | None = None) -> Posting:
    revision = item.published_revision
    assert revision is not None and item.go_live_at is not None  # live items are published
    paragraphs, truncated = cut(plain_paragraphs(revision.body), body_chars)
    return Posting(
        index_number=item.index_number,
        title=revision.title,
        category=revision.category,
        doc_number=revision.doc_number,
        go_live=timezone.localdate(item.go_live_at),
        paragraphs=paragraphs,
        truncated=truncated,
        attachments=len(revision.attachment_ids or []),
        notice=notice,
    )


def select(org: Org, channel: str, *, limit: int, body_chars: int, now: datetime | None = None) -> Selection:
    """The org's open notices, then its current items on `channel` (or all of them when none
    is on it), `limit` postings in all."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    current = _current(org, now)
    notices = [(n.item, n.state) for n in notices_open_in(current, now, limit)]
    on_channel = _on_channel(current, channel)
    fallback = not on_channel.exists()
    items = (current if fallback else on_channel).exclude(pk__in=[item.pk for item, _state in notices])
    room = limit - len(notices)
    total = items.count()
    shown = list(items[:room]) if room > 0 else []
    return Selection(
        org=org,
        channel=channel,
        today=today,
        fallback=fallback,
        notices=[_posting(item, body_chars, state) for item, state in notices],
        items=[_posting(item, body_chars) for item in shown],
        left_off=total - len(shown),
    )


def board(org: Org, now: datetime | None = None) -> Selection:
    """What the bulletin board (公开栏) of `org` carries now."""
    return select(org, Channel.BULLETIN_BOARD, limit=BOARD_ITEMS, body_chars=BOARD_BODY_CHARS, now=now)


def screen(org: Org, now: datetime | None = None) -> Selection:
    """What the e-screen (电子屏) of `org` rotates through now."""
    return select(org, Channel.E_SCREEN, limit=SCREEN_ITEMS, body_chars=SCREEN_BODY_CHARS, now=now)


# --- text shared by the board, the PDF and the screen -----------------------------------------


def long_date(day: date) -> str:
    return format_date(day, "Y年n月j日")


def notice_text(state: NoticeState) -> str:
    return _("公示期 %(start)s 至 %(end)s，还剩 %(n)s 个工作日") % {
        "start": long_date(state.start),
        "end": long_date(state.end),
        "n": state.remaining,
    }


def posting_meta(posting: Posting) -> str:
    """发布日期 and 文号 on one line."""
    parts = [_("发布日期：%(d)s") % {"d": long_date(posting.go_live)}]
    if posting.doc_number:
        parts.append(_("文号：%(n)s") % {"n": posting.doc_number})
    return "　".join(parts)


def fallback_text(selection: Selection) -> str:
    return _("本组织的公开事项未选“%(channel)s”公开方式，这里列出全部向社会公开的现行事项。") % {
        "channel": selection.channel_label
    }


def left_off_text(selection: Selection) -> str:
    return _("另有 %(n)s 项现行公开事项，请到党务公开网站查看。") % {"n": selection.left_off}


# --- the screen's data (screen.json) ------------------------------------------------------------


def _slide(posting: Posting) -> dict[str, Any]:
    notice = posting.notice
    return {
        "index_number": posting.index_number,
        "kind": "notice" if notice is not None else "item",
        "title": posting.title,
        "category": posting.category_label,
        "doc_number": posting.doc_number,
        "go_live": posting.go_live.isoformat(),
        "meta": posting_meta(posting),
        "paragraphs": posting.paragraphs,
        "truncated": posting.truncated,
        "url": posting.url,
        "notice": None
        if notice is None
        else {
            "start": notice.start.isoformat(),
            "end": notice.end.isoformat(),
            "workdays": notice.workdays,
            "remaining": notice.remaining,
            "text": notice_text(notice),
        },
    }


def screen_payload(selection: Selection, now: datetime | None = None) -> dict[str, Any]:
    """The screen's data as JSON-ready values. `version` changes exactly when what the screen
    shows changes: the page swaps its slides only then."""
    now = now or timezone.now()
    slides = [_slide(posting) for posting in selection.postings]
    content = {
        "org": {"code": selection.org.code, "name": selection.org.name, "phone": selection.org.phone},
        "date": selection.today.isoformat(),
        "fallback": selection.fallback,
        "left_off": selection.left_off,
        "slides": slides,
    }
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True).encode()
    version = hashlib.sha256(canonical).hexdigest()[:16]
    return {
        **content,
        "channel": selection.channel,
        "generated_at": timezone.localtime(now).isoformat(timespec="seconds"),
        "version": version,
    }
