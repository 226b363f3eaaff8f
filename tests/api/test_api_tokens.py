"""Personal access tokens: /api/v1/me/tokens and `gongkai token`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gongkai.audit.models import AuditEvent
from gongkai.people.models import ApiToken, hash_token
from tests.api.conftest import ApiClient


def test_signed_in_person_creates_lists_and_revokes_a_token(world, as_user):
    client = as_user(world.officer)
    created = client.post("me/tokens", {"name": "脚本"})
    assert created.status == 201
    raw = created.data["token"]
    assert ApiToken.objects.get(token_hash=hash_token(raw)).person == world.officer
    listed = client.get("me/tokens").data
    assert [t["name"] for t in listed] == ["脚本"] and "token" not in listed[0]
    scripted = ApiClient(headers={"Authorization": f"Bearer {raw}"})
    assert scripted.get("me").data["username"] == "officer"
    assert client.delete(f"me/tokens/{created.data['id']}").status == 204
    assert scripted.get("me").status == 401
    assert [e.action for e in AuditEvent.objects.order_by("seq")] == ["token.create", "token.revoke"]


def test_a_token_cannot_mint_more_tokens(world, with_token):
    client = with_token(world.officer)
    assert client.post("me/tokens", {"name": "x"}).status == 401
    assert ApiToken.objects.filter(person=world.officer).count() == 1


def test_nobody_revokes_someone_elses_token(world, as_user, with_token):
    with_token(world.officer)
    token = ApiToken.objects.get(person=world.officer)
    assert as_user(world.superuser).delete(f"me/tokens/{token.pk}").status == 404
    assert as_user(world.admin).delete(f"me/tokens/{token.pk}").status == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_token_name_too_long_is_422(world, as_user):
    assert as_user(world.officer).post("me/tokens", {"name": "长" * 65}).status == 422
    assert not ApiToken.objects.exists()


def test_cli_creates_a_token_that_works_and_prints_it_once(world):
    out, err = StringIO(), StringIO()
    call_command("token", "create", "officer", "--name", "备份脚本", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert raw.startswith("gk_") and "\n" not in raw
    assert "只显示这一次" in err.getvalue()
    token = ApiToken.objects.get(token_hash=hash_token(raw))
    assert token.name == "备份脚本"
    event = AuditEvent.objects.get(action="token.create")
    assert event.actor is None and event.actor_name == "system"
    assert ApiClient(headers={"Authorization": f"Bearer {raw}"}).get("me").status == 200

    listing = StringIO()
    call_command("token", "list", "officer", stdout=listing)
    assert "备份脚本" in listing.getvalue() and raw not in listing.getvalue()

    call_command("token", "revoke", str(token.pk), stdout=StringIO())
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert ApiClient(headers={"Authorization": f"Bearer {raw}"}).get("me").status == 401


@pytest.mark.parametrize("args", [["create", "nobody"], ["revoke", "999"], ["list", "nobody"]])
def test_cli_refuses_unknown_names_and_ids(world, args):
    with pytest.raises(CommandError):
        call_command("token", *args, stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()


def test_cli_refuses_a_deactivated_person(world):
    world.member.is_active = False
    world.member.save(update_fields=["is_active"])
    with pytest.raises(CommandError):
        call_command("token", "create", "member", stdout=StringIO(), stderr=StringIO())
