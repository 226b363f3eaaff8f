"""Audience labels follow the hierarchy (issue 4 §4, "computed at publication and on every
change"): moving an org hands its items' oversight to the new superiors at once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from itertools import count

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.disclosures import gate
from gongkai.disclosures.models import AudienceLabel, Disclosure, ItemStatus, Revision
from gongkai.orgs import actions as org_actions
from gongkai.orgs import hooks
from gongkai.orgs.models import Org, Role
from gongkai.people.models import User
from gongkai.testing import UserFactory, World, grant, make_org

pytestmark = pytest.mark.django_db
_numbers = count(1)


def item_at(org: Org, scope: str, *, status: str = ItemStatus.PUBLISHED) -> Disclosure:
    """A published item made directly (the procedure is not under test here), labelled as the
    publish action labels it."""
    now = timezone.now()
    item = Disclosure.objects.create(
        org=org,
        index_number=f"{org.code}-2026-{next(_numbers):05d}",
        title=f"{org.name}的事项",
        scope=scope,
        status=status,
    )
    revision = Revision.objects.create(
        disclosure=item, number=1, title=item.title, scope=scope, content_hash="x"
    )
    item.current = revision
    if status != ItemStatus.DRAFT:
        item.published_revision = revision
        item.go_live_at = item.published_at = now - timedelta(hours=1)
        gate.write_labels(item, revision)
    item.save()
    return item


def fresh(user: User) -> User:
    # A user object caches its labels and grants (with their org paths) for one request.
    return User.objects.get(pk=user.pk)


def sees(user: User, item: Disclosure) -> bool:
    """The object check and the queryset, which must agree."""
    reader = fresh(user)
    loaded = Disclosure.objects.prefetch_related("labels").get(pk=item.pk)
    by_object = gate.can_view(reader, loaded)
    assert gate.visible_to(reader).filter(pk=item.pk).exists() == by_object
    return by_object


@pytest.fixture
def bureau_leader(world: World) -> User:
    user: User = UserFactory.create(username="bleader", real_name="局党组书记")
    grant(user, world.bureau, Role.LEADER)
    return user


def test_after_a_move_the_new_superiors_leader_sees_the_items_and_the_old_ones_does_not(
    world: World, bureau_leader: User
) -> None:
    group = make_org("group1", "第一党小组", world.village)
    unit_item = item_at(world.village, "unit")
    party_item = item_at(group, "party")  # two levels down: the whole subtree moves
    stays = item_at(world.village2, "unit")  # a sibling that does not move
    for item in (unit_item, party_item):
        assert sees(world.leader, item) and not sees(bureau_leader, item)

    org_actions.org_move(actor=world.admin, org=world.village, new_parent=world.bureau, reason="隶属关系调整")

    for item in (unit_item, party_item):
        assert sees(bureau_leader, item), item
        assert not sees(world.leader, item), item
        assert not sees(world.officer, item), item  # the old superior's officer, likewise
        assert sees(world.supervisor, item)  # the county is still above it
    assert sees(world.leader, stays) and not sees(bureau_leader, stays)
    # Exactly the labels publishing would write now.
    for item in (unit_item, party_item, stays):
        item.refresh_from_db()
        assert item.published_revision is not None
        expected = {(label, starts) for label, starts in gate.item_labels(item, item.published_revision)}
        assert set(item.labels.values_list("label", "starts_at")) == expected
    event = AuditEvent.objects.filter(action="org.move").latest("seq")
    assert event.new["relabelled_items"] == 2 and event.new["parent"] == "bureau"


def test_drafts_get_no_labels_and_withdrawn_items_stay_hidden(world: World, bureau_leader: User) -> None:
    draft = item_at(world.village, "public", status=ItemStatus.DRAFT)
    withdrawn = item_at(world.village, "public", status=ItemStatus.WITHDRAWN)
    Disclosure.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())
    org_actions.org_move(actor=world.admin, org=world.village, new_parent=world.bureau)
    assert not AudienceLabel.objects.filter(disclosure=draft).exists()
    assert AudienceLabel.objects.filter(disclosure=withdrawn, label=f"oversee:{world.bureau.pk}").exists()
    assert not sees(bureau_leader, withdrawn) and not sees(world.superuser, withdrawn)


def test_a_failing_follower_undoes_the_move(world: World) -> None:
    item = item_at(world.village, "unit")

    def broken(_paths: Sequence[str]) -> None:
        raise ValidationError("模拟失败")

    hooks.on_subtree_moved(broken)
    try:
        with pytest.raises(ValidationError):
            org_actions.org_move(actor=world.admin, org=world.village, new_parent=world.bureau)
    finally:
        hooks.remove(broken)
    assert Org.objects.get(pk=world.village.pk).path == "/county/town/village/"
    assert AudienceLabel.objects.filter(disclosure=item, label=f"oversee:{world.town.pk}").exists()
    assert not AudienceLabel.objects.filter(disclosure=item, label=f"oversee:{world.bureau.pk}").exists()


def test_deactivating_an_org_needs_no_relabelling(world: World) -> None:
    # Labels name orgs by id and do not depend on whether they are active; the gate drops the
    # roles and affiliations held at an inactive org when it computes a reader's labels.
    item = item_at(world.village2, "unit")
    before = set(item.labels.values_list("label", flat=True))
    org_actions.org_set_active(actor=world.admin, org=world.village2, active=False, reason="合并")
    assert set(item.labels.values_list("label", flat=True)) == before
    assert sees(world.leader, item)  # the town, still active, still oversees it


def test_a_move_by_spreadsheet_import_relabels_too(world: World, bureau_leader: User) -> None:
    from gongkai.orgs.importing import import_orgs
    from tests.imports.helpers import ORG_HEADER, csv_bytes

    item = item_at(world.village, "unit")
    assert sees(world.leader, item) and not sees(bureau_leader, item)
    village = Org.objects.get(pk=world.village.pk)
    rows = [ORG_HEADER, [village.code, village.name, village.kind.code, world.bureau.code]]
    report = import_orgs(actor=None, data=csv_bytes(rows), file_name="move.csv")
    assert report.ok and report.details["moved"] == 1, report.errors
    assert report.details["relabelled_items"] == 1
    assert sees(bureau_leader, item) and not sees(world.leader, item)
    event = AuditEvent.objects.filter(action="import.orgs").latest("seq")
    assert event.new["relabelled_items"] == 1
