"""Who a `gongkai import|export` command acts as."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from gongkai.people.models import User


def actor_for(username: str | None) -> User | None:
    """`--as USERNAME` acts with that person's rights; without it the console operator acts
    with full rights as "system" (actor None), like `gongkai token`."""
    if not username:
        return None
    person = User.objects.filter(username=username, is_active=True).first()
    if person is None:
        raise CommandError(_("没有用户名为 %(u)s 的有效用户") % {"u": username})
    return person
