"""Forms of the catalogue template pages (模板维护). They only shape input; the rules (who may
edit, what a row must hold, that a note is given) are the catalogue actions'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.catalogue.actions import TEMPLATE_NOTE_LIMIT
from gongkai.catalogue.vocab import Refresh
from gongkai.workspace.forms_catalogue import EntryForm


def _note_field() -> forms.CharField:
    return forms.CharField(
        label=_("修改说明"), max_length=TEMPLATE_NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("为什么修改，依据哪个文件；记入模板的版本记录"),
        error_messages={"required": _("请填写修改说明")})


def _based_on_field() -> forms.IntegerField:
    # The version the administrator saw; the action refuses the change if another was saved since.
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class TemplateRowForm(EntryForm):
    """A template row: the catalogue entry's fields (minus the organisation's own ones), the
    note every change needs, and where a new row goes."""

    position = forms.IntegerField(
        label=_("插入位置"), required=False, min_value=1,
        help_text=_("新事项放在第几项之前；留空则放在最后"))
    note = _note_field()
    based_on = _based_on_field()

    def __init__(self, *args: Any, adding: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A template row has no "wider than the template" reason: it is the template.
        del self.fields["wider_scope_reason"]
        if not adding:
            del self.fields["position"]

    @staticmethod
    def initial_for_row(row: dict[str, Any]) -> dict[str, Any]:
        timing = row.get("timing") or {}
        return {
            **{f: row.get(f) for f in ("number", "category", "item", "content", "responsible",
                                       "scope", "targets", "channels", "notice_workdays", "basis",
                                       "remarks")},
            "requires_risk_assessment": bool(row.get("requires_risk_assessment", False)),
            "timing": timing.get("kind"), "period": timing.get("period", ""),
            "refresh": timing.get("refresh", Refresh.NONE),
            "within_workdays": timing.get("within_workdays"),
        }

    def row_data(self) -> dict[str, Any]:
        """The row as the actions take it: the entry's fields with one timing dict."""
        data = self.entry_data()
        for key in ("position", "note", "based_on"):
            data.pop(key, None)
        return data


class RowChangeForm(forms.Form):
    """Remove a row or move it: only the note (and the version seen) are asked for."""

    note = _note_field()
    based_on = _based_on_field()
