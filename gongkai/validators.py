"""Validators shared by several apps (platform level: imports nothing of ours)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

MOBILE_PATTERN = r"^1[3-9]\d{9}$"
# Mainland mobile numbers, or landlines with an area code (0xxx-xxxxxxx, optional extension).
PHONE_PATTERN = r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$"
phone_validator = RegexValidator(
    PHONE_PATTERN, _("电话号码格式不正确：应为11位手机号或带区号的固定电话（如 0791-12345678）")
)
