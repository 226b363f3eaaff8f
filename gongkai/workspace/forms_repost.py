"""The form of the repost page (转载): which of the actor's organisations takes the copy, and
its scope. It offers only sensible choices; the rules (never wider than the original, only
below the original's org) are `disclosures.actions.disclosure_repost`'s, which says why it
refuses a choice the form did not offer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _l

from gongkai.catalogue.vocab import Scope, is_wider
from gongkai.orgs.models import Org

# A repost has no targets of its own (the action refuses 向特定对象公开).
REPOST_SCOPES = (Scope.PUBLIC, Scope.PARTY, Scope.UNIT)


def offered_scopes(original_scope: str) -> list[Scope]:
    return [scope for scope in REPOST_SCOPES if not is_wider(scope, original_scope)]


class RepostForm(forms.Form):
    org = forms.ChoiceField(
        label=_l("转载到"), help_text=_l("原事项所属组织的下级组织中，您可以提出公开事项的组织")
    )
    scope = forms.ChoiceField(
        label=_l("公开范围"),
        choices=[(s.value, s.label) for s in REPOST_SCOPES],
        widget=forms.RadioSelect,
        help_text=_l("不能宽于原事项的公开范围。转载后成为本组织的草稿，经本组织审核、审批后发布"),
    )

    def __init__(self, *args: Any, orgs: list[Org], original_scope: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.orgs = {org.code: org for org in orgs}
        org_field: Any = self.fields["org"]
        org_field.choices = [(org.code, f"{org.name}（{org.code}）") for org in orgs]
        # Shown: the scopes the action accepts. Any repost scope still validates here, so that a
        # wider one is refused by the action, in its words.
        scope_field: Any = self.fields["scope"]
        scope_field.widget.choices = [(s.value, s.label) for s in offered_scopes(original_scope)]

    def chosen_org(self) -> Org:
        return self.orgs[self.cleaned_data["org"]]
