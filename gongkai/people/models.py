"""People who sign in (the custom user model) and their API tokens. Their affiliations and
roles at organisations live in gongkai.orgs.models."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.validators import phone_validator


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
