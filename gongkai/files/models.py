"""Stored files: the attachments that disclosure items (and later requests, feedback) carry."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TextStatus(models.TextChoices):
    """Whether `StoredFile.text` holds the file's words. Screening treats every status but
    `ok` as "not scanned": an image or a scanned PDF must be checked by a person."""

    OK = "ok", _("已提取")
    TRUNCATED = "truncated", _("已提取（过长，已截断）")
    EMPTY = "empty", _("没有可提取的文字")
    UNSUPPORTED = "unsupported", _("此类文件不提取文字")
    FAILED = "failed", _("提取失败")


class StoredFile(models.Model):
    """One upload that passed the checks (type by content, size, virus scan). Its bytes live in
    the file store under a content-addressed `path`, shared by every upload with the same
    SHA-256; the row carries what belongs to this upload (name, uploader, time).

    This app never decides who may read a file: the app that links it (a disclosure item's
    attachment) does, before calling `store.file_response`."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    # Detected from the bytes; the browser's claim is never stored.
    content_type = models.CharField(_("内容类型"), max_length=100)
    original_name = models.CharField(_("文件名"), max_length=255)
    extension = models.CharField(_("扩展名"), max_length=16)
    # Relative to settings.FILES_DIR, e.g. "ab/cd/abcd…"; never built from user input.
    path = models.CharField(_("存储路径"), max_length=80)
    # Plain text for screening and search; large, so list queries should .defer("text").
    text = models.TextField(_("提取的文字"), blank=True)
    text_status = models.CharField(_("文字提取"), max_length=16, choices=TextStatus.choices)
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("已存文件")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
