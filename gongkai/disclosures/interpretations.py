"""Policy interpretations (政策解读): an item that explains another item of the same org and is
published together with it (同步发布), never before it.

The rules, kept here so the create, edit, publish and withdraw actions apply the same ones:
- the interpreted item belongs to the same org, is not withdrawn and is not itself an
  interpretation (one level: an interpretation of an interpretation helps nobody);
- an interpretation is never readable by more people than the item it explains;
- the item waits for its interpretations: publishing it needs every linked interpretation
  approved (they then go out in the same transaction), and an interpretation on its own can be
  published only once its item is out;
- withdrawing the item withdraws its published interpretations with it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongkai.catalogue.vocab import Scope, is_wider
from gongkai.disclosures.models import Disclosure, ItemStatus
from gongkai.orgs.models import Org


def interpreted_item(
    org: Org, interprets_id: int | None, *, itself: Disclosure | None = None
) -> Disclosure | None:
    """The item an interpretation of `org` may explain, or a ValidationError saying why not."""
    if interprets_id is None:
        return None
    target = Disclosure.objects.filter(pk=interprets_id, org=org).first()
    if target is None:
        raise ValidationError({"interprets": [_("所解读的事项须是本组织的公开事项")]})
    if itself is not None and (target.pk == itself.pk or itself.interpretations.exists()):
        raise ValidationError({"interprets": [_("已有解读材料的事项不能再作为解读材料")]})
    if target.interprets_id is not None:
        raise ValidationError({"interprets": [_("不能解读另一份解读材料")]})
    if target.status == ItemStatus.WITHDRAWN:
        raise ValidationError({"interprets": [_("所解读的事项已撤销")]})
    return target


def check_scope(target: Disclosure | None, scope: str) -> None:
    """An interpretation reaches no one its item does not reach."""
    if target is None:
        return
    if is_wider(scope, target.scope):
        raise ValidationError(
            {
                "scope": [
                    _("解读材料的公开范围不能宽于所解读的事项（%(s)s）") % {"s": Scope(target.scope).label}
                ]
            }
        )


def check_narrowing(item: Disclosure, scope: str) -> None:
    """An item may not shrink below the reach of its own interpretations."""
    for interpretation in item.interpretations.exclude(status=ItemStatus.WITHDRAWN).only("title", "scope"):
        if is_wider(interpretation.scope, scope):
            raise ValidationError(
                {
                    "scope": [
                        _("解读材料《%(t)s》的公开范围宽于此范围，请先调整解读材料")
                        % {"t": interpretation.title}
                    ]
                }
            )


def not_ready(item: Disclosure) -> list[Disclosure]:
    """Interpretations of `item` that keep it from going out: linked, not withdrawn, not approved."""
    return list(
        item.interpretations.exclude(
            status__in=[ItemStatus.APPROVED, ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN]
        )
        .order_by("id")
        .only("id", "title", "index_number", "status")
    )


def waiting_to_go_out(item: Disclosure) -> list[Disclosure]:
    """Approved interpretations that go out with `item` when it is published."""
    return list(item.interpretations.filter(status=ItemStatus.APPROVED).order_by("id"))


def published_with(item: Disclosure) -> list[Disclosure]:
    return list(item.interpretations.filter(status=ItemStatus.PUBLISHED).order_by("id"))


def titles(items: list[Disclosure]) -> str:
    return "、".join(f"《{i.title}》（{i.get_status_display()}）" for i in items)
