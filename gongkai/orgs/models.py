"""The hierarchy of party organisations (党组织), and the people attached to each: their
affiliations (党员 / 职工) and the roles they hold there. These sit here, not in `people`, so that
the permission module (orgs/permissions.py) depends only on this app."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"
code_validator = RegexValidator(
    CODE_PATTERN,
    _("代码只能由字母、数字、下划线、点和连字符组成，以字母或数字开头，最长40个字符"),
)
PATH_SEPARATOR = "/"


class OrgKind(models.Model):
    """An org kind (组织类型): 县(区)委, 党支部 ... Data, not code, so administrators can add kinds;
    it decides the catalogue template an organisation starts from."""

    code = models.CharField(_("代码"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=64, unique=True)
    description = models.CharField(_("说明"), max_length=255, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)
    # 报批 by kind: every item of an org of this kind goes to the superior's leader after its
    # own leader's approval (gongkai.disclosures.actions._escalation), as for an item beyond the
    # org's authority. Off by default: the seeds name no kind whose items all need it.
    approval_by_superior = models.BooleanField(_("本级公开事项须报上级审批"), default=False)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("组织类型")

    def __str__(self) -> str:
        return self.name


class Org(models.Model):
    """An organisation (党组织): one node of the hierarchy.

    `path` is the materialized path of codes from the root, e.g. ``/county/town01/v03/``, with
    `depth` its number of segments minus one. Subtree queries use a literal prefix
    (`path__startswith=org.path`), which an index serves (DESIGN.md). Codes never change once
    created, so a path changes only when the org or an ancestor moves."""

    code = models.CharField(_("代码"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=128)
    short_name = models.CharField(_("简称"), max_length=64, blank=True)
    kind = models.ForeignKey(OrgKind, on_delete=models.PROTECT, verbose_name=_("组织类型"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("上级组织"),
    )
    path = models.CharField(max_length=1024, unique=True)
    depth = models.PositiveSmallIntegerField(default=0, db_index=True)
    address = models.CharField(_("地址"), max_length=255, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=128, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    is_active = models.BooleanField(_("有效"), default=True, db_index=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("党组织")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_name_unique_among_siblings"),
            # Roots have no parent, and NULLs never collide in a unique constraint.
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(parent__isnull=True),
                name="org_root_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def ancestor_codes(self) -> list[str]:
        """Codes from the root down to the parent (not including self)."""
        return self.path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR)[:-1]

    def is_descendant_of(self, other: Org) -> bool:
        return self.path != other.path and self.path.startswith(other.path)

    def is_self_or_descendant_of(self, other: Org) -> bool:
        return self.path.startswith(other.path)


def build_path(parent_path: str | None, code: str) -> str:
    return f"{parent_path or PATH_SEPARATOR}{code}{PATH_SEPARATOR}"


def depth_of(path: str) -> int:
    return path.strip(PATH_SEPARATOR).count(PATH_SEPARATOR)


class AffiliationKind(models.TextChoices):
    MEMBER = "member", _("党员")
    STAFF = "staff", _("职工")


class Affiliation(models.Model):
    """A person belongs to an organisation as a party member (党员) or as staff (职工).
    A person may have several: staff of a bureau, member of its branch."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="affiliations"
    )
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="affiliations")
    kind = models.CharField(_("关系"), max_length=16, choices=AffiliationKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("组织关系")
        constraints = [
            models.UniqueConstraint(fields=["person", "org", "kind"], name="affiliation_unique"),
        ]
        indexes = [models.Index(fields=["org", "kind"])]

    def __str__(self) -> str:
        return f"{self.person} @ {self.org} ({self.get_kind_display()})"


class Role(models.TextChoices):
    OFFICER = "officer", _("公开专员")
    REVIEWER = "reviewer", _("审核人")
    SECRECY_REVIEWER = "secrecy_reviewer", _("保密审查人")
    LEADER = "leader", _("主要负责人")
    SUPERVISOR = "supervisor", _("监督员")
    ADMIN = "admin", _("管理员")


class RoleGrant(models.Model):
    """A role held by a person at an organisation. Whether it reaches the organisation's
    subordinates is decided in gongkai.orgs.permissions, not here."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="role_grants")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["person", "org", "role"], name="role_grant_unique"),
        ]
        indexes = [models.Index(fields=["org", "role"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} @ {self.org}"
