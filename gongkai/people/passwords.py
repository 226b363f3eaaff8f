from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation as _django_validators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (
    ("lower", str.islower),
    ("upper", str.isupper),
    ("digit", str.isdigit),
    ("symbol", lambda c: not c.isalnum()),
)


class CharacterClassValidator:
    """At least three of: lower-case letters, upper-case letters, digits, symbols. Chinese
    information-security rules (等保) ask for mixed character classes, not just length."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        present = sum(1 for _name, test in CLASSES if any(test(c) for c in password))
        if present < self.min_classes:
            raise ValidationError(
                _("密码须至少包含小写字母、大写字母、数字、符号中的%(n)d类。") % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("密码须至少包含小写字母、大写字母、数字、符号中的%(n)d类。") % {"n": self.min_classes}


class MinimumLengthValidator(_django_validators.MinimumLengthValidator):
    """Django's length rule with a Chinese message (Django's own zh-hans catalogue lacks the
    current wording, so users saw English)."""

    def get_error_message(self) -> str:
        return _("密码太短，至少需要%(min_length)d个字符。") % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return _("密码至少需要%(min_length)d个字符。") % {"min_length": self.min_length}
