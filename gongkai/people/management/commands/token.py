from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.people import actions
from gongkai.people.models import ApiToken, User


class Command(BaseCommand):
    help = ("API 访问令牌：`gongkai token create USERNAME [--name NAME]`（令牌只显示这一次）、"
            "`gongkai token list [USERNAME]`、`gongkai token revoke ID`")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create", help="为用户创建访问令牌，令牌只显示这一次")
        create.add_argument("username")
        create.add_argument("--name", default="", help="令牌名称，便于日后辨认")
        listing = sub.add_parser("list", help="列出访问令牌（不含令牌本身）")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="吊销访问令牌")
        revoke.add_argument("token_id", type=int, help="令牌编号（见 token list）")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = {"create": self._create, "list": self._list, "revoke": self._revoke}
        handler[options["subcommand"]](options)

    def _person(self, username: str) -> User:
        person = User.objects.filter(username=username).first()
        if person is None:
            raise CommandError(_("没有用户名为 %(u)s 的用户") % {"u": username})
        if not person.is_active:
            raise CommandError(_("用户 %(u)s 已停用，不能创建令牌") % {"u": username})
        return person

    def _create(self, options: dict[str, Any]) -> None:
        person = self._person(options["username"])
        try:
            # The console operator acts as the system (actor None): see people.actions.
            token, raw = actions.token_create(actor=None, person=person, name=options["name"])
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        # The token alone on stdout, so a script can capture it; the notice goes to stderr.
        self.stdout.write(raw)
        self.stderr.write(_("已为 %(u)s 创建令牌 #%(id)s「%(name)s」。令牌只显示这一次，请立即保存；"
                            "使用方法：Authorization: Bearer <令牌>")
                          % {"u": person.username, "id": token.pk, "name": token.name})

    def _list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("person").order_by("person__username", "-created_at")
        if options["username"]:
            tokens = tokens.filter(person=self._person_any(options["username"]))
        for token in tokens:
            status = _("已吊销") if token.revoked_at else _("有效")
            used = (timezone.localtime(token.last_used_at).strftime("%Y-%m-%d %H:%M")
                    if token.last_used_at else _("从未使用"))
            created = timezone.localtime(token.created_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write("\t".join([
                str(token.pk), token.person.username, token.name, f"{token.prefix}…",
                _("创建于 %(t)s") % {"t": created}, _("最近使用 %(t)s") % {"t": used}, status,
            ]))

    def _person_any(self, username: str) -> User:
        person = User.objects.filter(username=username).first()
        if person is None:
            raise CommandError(_("没有用户名为 %(u)s 的用户") % {"u": username})
        return person

    def _revoke(self, options: dict[str, Any]) -> None:
        token = ApiToken.objects.filter(pk=options["token_id"]).first()
        if token is None:
            raise CommandError(_("没有编号为 %(id)s 的令牌") % {"id": options["token_id"]})
        actions.token_revoke(actor=None, token=token)
        self.stdout.write(_("已吊销令牌 #%(id)s（%(u)s「%(name)s」）")
                          % {"id": token.pk, "u": token.person.username, "name": token.name})
