"""The notification page (/notifications/): one's own notifications, mark read, and the e-mail
preference. Every signed-in person has one, staff or member."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gongkai.notify import actions, queries
from gongkai.notify.context import unread_count_for_request
from gongkai.notify.forms import PreferenceForm
from gongkai.notify.models import EmailMode

PER_PAGE = 30


def _page(request: HttpRequest, form: PreferenceForm, status: int = 200) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    qs = queries.notifications_for(request.user, unread=True if unread_only else None)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notify/list.html", {
        "page": page, "notifications": page.object_list, "unread_only": unread_only,
        "unread_total": unread_count_for_request(request), "form": form,
        "email_mode_label": EmailMode(queries.email_mode_for(request.user)).label,
    }, status=status)


@login_required
@never_cache
def notification_list(request: HttpRequest) -> HttpResponse:
    return _page(request, PreferenceForm(initial={"email_mode": queries.email_mode_for(request.user)}))


def _back(request: HttpRequest) -> HttpResponseRedirect:
    """Back to the page the button was on (same site only), else the list."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return HttpResponseRedirect(target)
    return redirect("notify:list")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = queries.get_notification_for(request.user, pk)  # 404 for someone else's
    actions.mark_read(request.user, [notification.pk])
    return _back(request)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    marked = actions.mark_read(request.user, "all")
    messages.success(request, _("已将 %(n)s 条通知标为已读") % {"n": marked})
    return _back(request)


@login_required
@require_POST
def preference_update(request: HttpRequest) -> HttpResponse:
    form = PreferenceForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    mode = actions.set_email_mode(actor=request.user, mode=form.cleaned_data["email_mode"])
    messages.success(request, _("邮件提醒已设为：%(mode)s") % {"mode": EmailMode(mode).label})
    return redirect("notify:list")
