"""Obligations (应公开事项) pages: what is due, for the user's orgs or one org and its
subordinates, with each due date's explanation; the officer records a fulfilment or undoes one.
The reads go through catalogue.queries (visibility); the writes through catalogue.actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from gongkai.catalogue import actions, queries
from gongkai.catalogue.deadlines import period_label
from gongkai.catalogue.models import Obligation, ObligationKind
from gongkai.catalogue.timing import describe
from gongkai.orgs.models import Org
from gongkai.orgs.permissions import Action, can, get_org_for
from gongkai.orgs.queries import ancestors, top_orgs_for
from gongkai.workdays import calendar
from gongkai.workspace.helpers import attempt, flash_errors, paginate, query_without_page

STATES = queries.ObligationState
KINDS = dict(ObligationKind.choices)


class ObligationFilterForm(forms.Form):
    org = forms.CharField(label=_l("组织代码"), required=False, max_length=40)
    subtree = forms.BooleanField(label=_l("包括下级组织"), required=False)
    status = forms.MultipleChoiceField(label=_l("状态"), required=False, choices=STATES.choices,
                                       widget=forms.CheckboxSelectMultiple)
    due_from = forms.DateField(label=_l("截止日期自"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    due_to = forms.DateField(label=_l("截止日期至"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("due_from") and data.get("due_to") and data["due_from"] > data["due_to"]:
            self.add_error("due_to", _("截止日期的结束不能早于开始"))
        return data


class FulfilForm(forms.Form):
    note = forms.CharField(label=_l("完成说明"), max_length=500,
                           help_text=_l("何时、以何种方式公开，如“7月5日已在党务公开栏公开”"))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_l("撤销理由"), max_length=500)


def _row(user: Any, ob: Obligation, today: Any, soon: Any, editable: dict[int, bool],
         cal: calendar.Calendar) -> dict[str, Any]:
    if ob.org_id not in editable:
        editable[ob.org_id] = can(user, Action.CATALOGUE_EDIT, ob.org)
    state = queries.obligation_state(ob, today, soon)
    explained = queries.explain_obligation(ob, cal)
    return {
        "ob": ob, "state": state, "state_label": STATES(state).label,
        "period": period_label(ob.period), "kind": KINDS.get(ob.kind, ob.kind),
        "rule": describe(ob.entry.timing),
        "explanation": explained.explanation(), "warnings": explained.warnings,
        "may_edit": editable[ob.org_id],
    }


def _default_org(user: Any) -> Org | None:
    tops = list(top_orgs_for(user)[:1])
    return tops[0] if tops else None


@login_required
def obligations(request: HttpRequest) -> HttpResponse:
    user = request.user
    data = request.GET.copy()
    if "f" not in data:
        # First visit: the user's own (top) organisation and everything below it, open ones.
        data.setlist("status", [STATES.OVERDUE, STATES.DUE_SOON, STATES.UPCOMING])
        data["subtree"] = "on"
        default = _default_org(user)
        if default is not None:
            data["org"] = default.code
    form = ObligationFilterForm(data)
    org: Org | None = None
    page, rows, counts = None, [], {}
    if form.is_valid():
        code = form.cleaned_data["org"].strip()
        if code:
            org = get_org_for(user, Action.ORG_VIEW, code=code)
        subtree = form.cleaned_data["subtree"]
        base = dict(org=org, subtree=subtree, due_from=form.cleaned_data["due_from"],
                    due_to=form.cleaned_data["due_to"])
        qs = queries.obligations_for(user, states=form.cleaned_data["status"], **base)
        page = paginate(request, qs)
        today = timezone.localdate()
        soon = queries.soon_limit(today)
        editable: dict[int, bool] = {}
        cal = calendar.snapshot()
        rows = [_row(user, ob, today, soon, editable, cal) for ob in page.object_list]
        counts = {state: queries.obligations_for(user, states=[state], **base).count()
                  for state in STATES.values}
    return render(request, "workspace/obligations/list.html", {
        "form": form, "org": org, "page": page, "rows": rows, "query": query_without_page(request),
        "counts": [(s, STATES(s).label, counts.get(s, 0)) for s in STATES.values] if counts else [],
        "breadcrumbs": ancestors(org) if org else [], "section": "obligations",
        "fulfil_form": FulfilForm(), "calendar_warning": calendar.warnings_for([timezone.localdate()]),
    })


def _back(request: HttpRequest) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("workspace:obligations")
    return HttpResponseRedirect(target)


def _record(request: HttpRequest, pk: int, form_class: type[forms.Form], operation: Any, field: str,
            done: str) -> HttpResponse:
    """Run one obligation action from a row's small form, then go back to the list it came from."""
    ob = queries.get_obligation_for(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        ok, _result = attempt(form, operation, actor=request.user, obligation=ob,
                              **{field: form.cleaned_data[field]})
        if ok:
            messages.success(request, done % {"item": ob.entry.item, "period": period_label(ob.period)})
            return _back(request)
    flash_errors(request, form)
    return _back(request)


@login_required
@require_POST
def fulfil(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(request, pk, FulfilForm, actions.obligation_fulfil, "note",
                   _("已登记完成：%(item)s（%(period)s）"))


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(request, pk, ReopenForm, actions.obligation_reopen, "reason",
                   _("已撤销完成登记：%(item)s（%(period)s）"))
