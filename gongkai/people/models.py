"""People, their affiliations with organisations, and the roles they hold there."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import Org

MOBILE_PATTERN = r"^1[3-9]\d{9}$"
# Mainland mobile numbers, or landlines with an area code (0xxx-xxxxxxx, optional extension).
PHONE_PATTERN = r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$"
phone_validator = RegexValidator(
    PHONE_PATTERN, _("电话号码格式不正确：应为11位手机号或带区号的固定电话（如 0791-12345678）")
)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who can sign in: officer, reviewer, leader, member, supervisor ...

    Custom from the first migration so that real name and phone are first-class."""

    username_validator = UnicodeUsernameValidator()

    username = models.CharField(
        _("用户名"), max_length=150, unique=True, validators=[username_validator],
        error_messages={"unique": _("该用户名已被使用")},
    )
    real_name = models.CharField(_("姓名"), max_length=64)
    phone = models.CharField(_("手机号"), max_length=32, blank=True, validators=[phone_validator])
    email = models.EmailField(_("电子邮箱"), blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    is_staff = models.BooleanField(_("可进入后台"), default=False)
    date_joined = models.DateTimeField(_("加入时间"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["real_name"]

    class Meta:
        ordering = ["username"]
        verbose_name = _("人员")

    def __str__(self) -> str:
        return f"{self.real_name}（{self.username}）" if self.real_name else self.username

    def get_full_name(self) -> str:
        return self.real_name

    def get_short_name(self) -> str:
        return self.real_name or self.username


class AffiliationKind(models.TextChoices):
    MEMBER = "member", _("党员")
    STAFF = "staff", _("职工")


class Affiliation(models.Model):
    """A person belongs to an organisation as a party member (党员) or as staff (职工).
    A person may have several: staff of a bureau, member of its branch."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="affiliations")
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
    subordinates is decided in gongkai.people.permissions, not here."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="role_grants")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["person", "org", "role"], name="role_grant_unique"),
        ]
        indexes = [models.Index(fields=["org", "role"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} @ {self.org}"


def hash_token(raw: str) -> str:
    # Tokens are 256-bit random strings, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A personal access token for the REST API. Only its hash is stored; the token itself is
    shown once when created."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=64)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("访问令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
