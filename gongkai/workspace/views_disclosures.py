"""Staff pages for disclosure items (公开事项): the list, proposing one (提出), the item page with
the procedure's steps and the buttons the user may press now, editing, amending, the history
with revision diffs, reposting a superior's item (转载), and the user's inbox (我的待办).
Thin: parse, call one query or action, render. Who may see what is `disclosures.queries`; who
may do what is `disclosures.actions` (a refused action is a 403 via `attempt`, a wrong state
its Conflict message)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.catalogue.queries import catalogue_in_force, entries_of
from gongkai.catalogue.vocab import Scope
from gongkai.disclosures import actions, gate, queries
from gongkai.disclosures.models import Disclosure, ItemStatus, Step
from gongkai.orgs.models import Org
from gongkai.orgs.permissions import Action, can, get_org_for, orgs_where
from gongkai.orgs.queries import ancestors
from gongkai.workspace import disclosure_display
from gongkai.workspace.forms_disclosures import (
    AmendForm,
    ApproveForm,
    CreateForm,
    EditForm,
    ExplanationForm,
    FilterForm,
    OpinionForm,
)
from gongkai.workspace.forms_repost import RepostForm
from gongkai.workspace.helpers import attempt, forbid_unless, paginate, query_without_page
from gongkai.workspace.views_disclosure_screening import screening_context

# The buttons of the item page posted to `act`; edit and amend are pages of their own.
ACTS: dict[str, Any] = {
    "submit": gettext_lazy("提交审核"), "approve": gettext_lazy("通过"), "return": gettext_lazy("退回"),
    "escalate": gettext_lazy("报上级审批"), "publish": gettext_lazy("发布"),
    "withdraw": gettext_lazy("申请撤销"),
}
OPINION_LABELS: dict[str, Any] = {"return": gettext_lazy("退回意见"), "escalate": gettext_lazy("报批理由")}
PROPOSE_LINKS = 10


@login_required
def disclosure_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = FilterForm(request.GET)
    qs = queries.readable_by(user)
    if form.is_valid():
        if form.cleaned_data["org"]:
            qs = qs.filter(org__code=form.cleaned_data["org"].strip())
        if form.cleaned_data["status"]:
            qs = qs.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["q"]:
            qs = qs.filter(title__contains=form.cleaned_data["q"].strip())
    page = paginate(request, qs.order_by("-updated_at", "-id"))
    # Where the user may propose: their own org first (paths sort parents before children).
    propose = list(orgs_where(user, Action.DISCLOSURE_PROPOSE).filter(is_active=True)
                   .order_by("path")[:PROPOSE_LINKS])
    return render(request, "workspace/disclosures/list.html", {
        "form": form, "page": page, "query": query_without_page(request), "propose_orgs": propose,
    })


@login_required
def disclosure_create(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = get_org_for(user, Action.ORG_VIEW, code=code)
    forbid_unless(can(user, Action.DISCLOSURE_PROPOSE, org))
    version = catalogue_in_force(org)
    entries = list(entries_of(version)) if version else []
    initial = {"entry": request.GET.get("entry", ""), "interprets": request.GET.get("interprets", "")}
    form = CreateForm(request.POST or None, entries=entries, initial=initial,
                      interpretable=list(queries.interpretable(org)))
    if request.method == "POST" and form.is_valid():
        ok, item = attempt(form, actions.disclosure_create, actor=user, org=org, data=form.item_data(),
                           entry_id=form.entry_id(),
                           off_catalogue_reason=form.cleaned_data["off_catalogue_reason"],
                           interprets_id=form.cleaned_data["interprets"])
        if ok and item is not None:
            messages.success(request, _("已提出公开事项（草稿），索引号 %(n)s") % {"n": item.index_number})
            return redirect("workspace:disclosure", pk=item.pk)
    return render(request, "workspace/disclosures/form.html", {
        "form": form, "org": org, "breadcrumbs": [*ancestors(org), org], "item": None,
        "title": _("提出公开事项"), "submit_label": _("保存草稿"), "form_id": "disclosure-form",
    })


def _item_page(request: HttpRequest, item: Disclosure, bound: tuple[str, forms.Form] | None = None,
               status: int = 200) -> HttpResponse:
    user = request.user
    staff = queries.is_staff_reader(user, item)
    revision = queries.revision_for(user, item)  # outside readers: what was published (as the API)
    workflow = item.workflows.select_related("revision").order_by("-id").first() if staff else None
    steps = list(workflow.tasks.select_related("org", "decided_by").order_by("position")) if workflow else []
    allowed = queries.allowed_actions(user, item)
    task = actions.current_task_for(user, item) if "approve" in allowed else None
    act_forms: dict[str, forms.Form] = {
        "approve": ApproveForm(prefix="approve", step=task.step if task else ""),
        "return": OpinionForm(prefix="return", label=OPINION_LABELS["return"]),
        "escalate": OpinionForm(prefix="escalate", label=OPINION_LABELS["escalate"]),
        "withdraw": ExplanationForm(prefix="withdraw"),
    }
    if bound is not None:
        act_forms[bound[0]] = bound[1]
    return render(request, "workspace/disclosures/item.html", {
        "item": item, "org": item.org, "revision": revision, "staff": staff,
        "breadcrumbs": [*ancestors(item.org), item.org] if staff else [],
        "settings": disclosure_display.settings_of(revision, staff=staff),
        "workflow": workflow, "steps": steps, "allowed": allowed, "task": task,
        "is_risk": task is not None and task.step == Step.RISK,
        "is_approval": task is not None and task.step in (Step.APPROVAL, Step.SUPERIOR),
        "forms": act_forms, "acts": ACTS, "today": timezone.localdate(),
        "can_repost": bool(repost_orgs(user, item)),
        "interpretations": list(queries.interpretations_for(user, item)),
        "can_interpret": staff and item.interprets_id is None and item.status != ItemStatus.WITHDRAWN
        and can(user, Action.DISCLOSURE_PROPOSE, item.org),
        **(screening_context(user, item) if staff else {}),
    }, status=status)


@login_required
def disclosure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_page(request, queries.get_item_for(request.user, pk))


def _run(user: Any, item: Disclosure, action: str, form: forms.Form) -> Disclosure:
    data = form.cleaned_data
    if action == "submit":
        return actions.disclosure_submit(actor=user, item=item)
    if action == "approve":
        assert isinstance(form, ApproveForm)
        return actions.disclosure_approve(actor=user, item=item, opinion=data["opinion"],
                                          details=form.details())
    if action == "return":
        return actions.disclosure_return(actor=user, item=item, opinion=data["opinion"])
    if action == "escalate":
        return actions.disclosure_escalate(actor=user, item=item, opinion=data["opinion"])
    if action == "publish":
        return actions.disclosure_publish(actor=user, item=item)
    return actions.disclosure_withdraw(actor=user, item=item, explanation=data["explanation"])


def _act_form(action: str, user: Any, item: Disclosure, data: Any) -> forms.Form:
    if action == "approve":
        task = actions.current_task_for(user, item)
        return ApproveForm(data, prefix="approve", step=task.step if task else "")
    if action in ("return", "escalate"):
        return OpinionForm(data, prefix=action, label=OPINION_LABELS[action])
    if action == "withdraw":
        return ExplanationForm(data, prefix=action)
    return forms.Form(data)  # submit, publish: a bare button


@login_required
@require_POST
def disclosure_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    if action not in ACTS:
        raise Http404
    item = queries.get_item_for(user, pk)
    form = _act_form(action, user, item, request.POST)
    if form.is_valid():
        ok, _result = attempt(form, _run, user=user, item=item, action=action, form=form)
        if ok:
            messages.success(request, _("已%(a)s") % {"a": ACTS[action]})
            return redirect("workspace:disclosure", pk=item.pk)
    # Nothing was changed (the action is atomic). A wrong state or a rule about the whole
    # decision (a half-recorded meeting) is said at the top; field errors stay by their field.
    for message in form.non_field_errors():
        messages.error(request, str(message))
    return _item_page(request, queries.get_item_for(user, pk), bound=(action, form))


@login_required
def disclosure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = queries.get_item_for(user, pk)
    forbid_unless("edit" in queries.allowed_actions(user, item))
    assert item.current is not None
    form = EditForm(request.POST or None, initial=EditForm.initial_for(item.current), entry=item.entry)
    if request.method == "POST" and form.is_valid():
        ok, _item = attempt(form, actions.disclosure_update, actor=user, item=item, data=form.item_data(),
                            note=form.cleaned_data["note"])
        if ok:
            messages.success(request, _("已保存"))
            return redirect("workspace:disclosure", pk=item.pk)
    return render(request, "workspace/disclosures/form.html", {
        "form": form, "org": item.org, "breadcrumbs": [*ancestors(item.org), item.org], "item": item,
        "title": _("修改公开事项"), "submit_label": _("保存"), "form_id": "disclosure-form",
        "restarts": item.status in ("in_review", "approved"),
    })


@login_required
def disclosure_amend(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = queries.get_item_for(user, pk)
    forbid_unless("amend" in queries.allowed_actions(user, item))
    source = item.published_revision or item.current
    assert source is not None
    form = AmendForm(request.POST or None, initial=AmendForm.initial_for(source), entry=item.entry)
    if request.method == "POST" and form.is_valid():
        ok, _item = attempt(form, actions.disclosure_amend, actor=user, item=item, data=form.item_data(),
                            explanation=form.cleaned_data["explanation"])
        if ok:
            messages.success(request, _("已申请变更，变更后的内容经审核、审批后公开"))
            return redirect("workspace:disclosure", pk=item.pk)
    return render(request, "workspace/disclosures/form.html", {
        "form": form, "org": item.org, "breadcrumbs": [*ancestors(item.org), item.org], "item": item,
        "title": _("变更公开事项"), "submit_label": _("提交变更"), "form_id": "amend-form",
    })


@login_required
def disclosure_history(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = queries.get_item_for(user, pk)
    # The working papers (drafts, opinions) are the org's staff's, as in the API.
    if not can(user, Action.ORG_VIEW, item.org):
        raise Http404
    data = queries.history(item)
    revisions = data["revisions"]  # newest first
    rows = [(rev, disclosure_display.changes(older, rev) if older is not None else None)
            for rev, older in zip(revisions, [*revisions[1:], None], strict=True)]
    return render(request, "workspace/disclosures/history.html", {
        "item": item, "org": item.org, "breadcrumbs": [*ancestors(item.org), item.org],
        "rows": rows, "workflows": data["workflows"], "today": timezone.localdate(),
    })


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    page = paginate(request, queries.tasks_for(request.user))
    return render(request, "workspace/disclosures/tasks.html", {
        "page": page, "today": timezone.localdate(),
    })


def repost_orgs(user: Any, item: Disclosure) -> list[Org]:
    """Where `user` could repost (转载) `item`: the active orgs strictly below the item's org on
    which they may propose items, when the item is published and theirs to read. For the button
    and the form's choices only; `actions.disclosure_repost` checks it all again."""
    if item.status != ItemStatus.PUBLISHED or item.scope == Scope.TARGETED or not gate.can_view(user, item):
        return []
    return list(
        orgs_where(user, Action.DISCLOSURE_PROPOSE)
        .filter(is_active=True, path__startswith=item.org.path)
        .exclude(pk=item.org_id)
        .order_by("path")
    )


@login_required
def disclosure_repost(request: HttpRequest, pk: int) -> HttpResponse:
    """转载: copy a superior's published item into one of the actor's orgs as a draft."""
    user = request.user
    original = queries.get_item_for(user, pk)
    orgs = repost_orgs(user, original)
    if not orgs:  # not theirs to repost: the page does not exist for them
        raise Http404
    form = RepostForm(request.POST or None, orgs=orgs, original_scope=original.scope,
                      initial={"org": orgs[0].code, "scope": original.scope})
    if request.method == "POST" and form.is_valid():
        ok, item = attempt(form, actions.disclosure_repost, actor=user, original=original,
                           org=form.chosen_org(), scope=form.cleaned_data["scope"])
        if ok and item is not None:
            messages.success(request, _("已转载为%(org)s的草稿，索引号 %(n)s；经本组织审核、审批后发布")
                             % {"org": item.org.name, "n": item.index_number})
            return redirect("workspace:disclosure", pk=item.pk)
    return render(request, "workspace/disclosures/form.html", {
        "form": form, "org": original.org, "breadcrumbs": [], "item": original,
        "title": _("转载公开事项"), "submit_label": _("转载"), "form_id": "repost-form",
    })
