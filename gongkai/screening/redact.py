"""One-click redaction (脱敏) of a finding: mask a number or an address where it occurs.

The text is scanned again and every occurrence with the finding's key is replaced by its
suggested redaction, so the result never depends on offsets that another edit may have moved,
and the same number written twice in a field is masked twice. Nothing outside those spans
changes; in an HTML body only the characters that change are rewritten (tags, attributes and
entities around and inside the number stay as they were).

Markings (密级标志, 内部标注, ★) are not masked: replacing "秘密★1年" with asterisks would hide
the fact that the text was classified, not declassify it. The reviewer edits the text (or has
it declassified) or publishes on an override with a reason; `redact` raises `NotRedactable`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from gongkai.screening import markup
from gongkai.screening.scan import Finding, field_label, scan


class RedactionError(ValueError):
    """The finding cannot be redacted in this text; the message is for the user."""


class FindingGone(RedactionError):
    """The text no longer contains the finding (it was edited or already redacted)."""


class NotRedactable(RedactionError):
    """The finding is a marking, which masking cannot fix."""


def redact(text: str, finding: Finding) -> str:
    """`text` with every occurrence of `finding` (same key) masked."""
    spans = _occurrences(scan(text, field=finding.field), finding)
    out = text
    for start, end, replacement in reversed(spans):
        out = out[:start] + replacement + out[end:]
    return out


def redact_html(source: str, finding: Finding) -> str:
    """The HTML body with every visible occurrence of `finding` masked, markup untouched."""
    doc = markup.parse(source)
    spans = _occurrences(scan(doc.text, field=finding.field), finding)
    changes: dict[int, str] = {}
    for start, end, replacement in spans:
        changes.update(_changes(doc, start, end, replacement))
    return markup.rewrite(doc, changes)


def _occurrences(found: list[Finding], finding: Finding) -> list[tuple[int, int, str]]:
    if finding.redaction is None:
        raise NotRedactable(
            _("%(label)s“%(text)s”不能自动遮盖：请修改文本删除它，或由保密审查人填写理由后放行。")
            % {"label": finding.label, "text": finding.text})
    spans = [(f.start, f.end, f.redaction) for f in found if f.key == finding.key and f.redaction]
    if not spans:
        # The number itself is not repeated: messages end up in logs.
        raise FindingGone(
            _("%(field)s中已找不到要遮盖的%(label)s（文本可能已修改或已遮盖），请重新检查。")
            % {"field": field_label(finding.field), "label": finding.label})
    return spans


def _changes(doc: markup.Document, start: int, end: int, replacement: str) -> dict[int, str]:
    """Per visible character, what it becomes so that text[start:end] reads `replacement`.

    Masks keep the length, so each character maps to one character and a number split by
    inline tags is masked in place. Otherwise (e-mail: "zhang@…" → "z***@…") the common head and
    tail are kept and the differing middle goes where the middle starts.
    """
    original = doc.text[start:end]
    if len(original) == len(replacement):
        return {start + k: new for k, (old, new) in enumerate(zip(original, replacement, strict=True))
                if old != new}
    head = 0
    while head < min(len(original), len(replacement)) and original[head] == replacement[head]:
        head += 1
    tail = 0
    while (tail < min(len(original), len(replacement)) - head
           and original[-1 - tail] == replacement[-1 - tail]):
        tail += 1
    middle = range(start + head, end - tail)
    inserted = replacement[head:len(replacement) - tail]
    real = [i for i in middle if doc.owner[i] >= 0]
    changes = dict.fromkeys(real, "")
    if real:
        changes[real[0]] = inserted
        return changes
    # Nothing to replace, only to insert: attach it to the nearest kept character.
    kept_before = [i for i in range(start, start + head) if doc.owner[i] >= 0]
    if kept_before:
        changes[kept_before[-1]] = doc.text[kept_before[-1]] + inserted
    else:
        anchor = next(i for i in range(end - tail, end) if doc.owner[i] >= 0)
        changes[anchor] = inserted + doc.text[anchor]
    return changes
