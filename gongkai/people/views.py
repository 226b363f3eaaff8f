"""Account pages: the profile with personal access tokens. Login, logout and passwords use
Django's views with our templates (see urls.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gongkai.people import actions
from gongkai.people.forms import TokenForm
from gongkai.people.models import User


def _profile(request: HttpRequest, form: TokenForm, new_token: str | None = None) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    return render(request, "registration/profile.html", {
        "person": user,
        "grants": user.role_grants.select_related("org").order_by("org__path", "role"),
        "affiliations": user.affiliations.select_related("org").order_by("org__path"),
        "tokens": user.api_tokens.order_by("-created_at"),
        "form": form,
        "new_token": new_token,
    })


@login_required
@never_cache
def profile(request: HttpRequest) -> HttpResponse:
    return _profile(request, TokenForm())


@login_required
@never_cache
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = TokenForm(request.POST)
    if form.is_valid():
        _token, raw = actions.token_create(actor=user, person=user,
                                           name=form.cleaned_data["name"])
        # Rendered, not redirected: the token is shown this once and stored nowhere.
        return _profile(request, TokenForm(), new_token=raw)
    return _profile(request, form)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    # Only one's own tokens: someone else's looks like a missing one.
    token = user.api_tokens.filter(pk=pk).first()
    if token is None:
        raise Http404
    actions.token_revoke(actor=user, token=token)
    messages.success(request, _("已吊销令牌：%(name)s") % {"name": token.name})
    return redirect("profile")
