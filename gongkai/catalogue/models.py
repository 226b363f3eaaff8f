"""Catalogue templates (基本目录) and each organisation's catalogue (党务公开目录), versioned.

A template's rows are never edited in place: an edit (or a changed template file) adds a
TemplateVersion, and a catalogue remembers the template version it started from, so catalogues
already made never change behind their owners' backs. Likewise a catalogue's in-force version is
never edited: a revision (动态调整) is a new CatalogueVersion that goes through approval and
filing again, and the old one stays readable."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.catalogue.vocab import Scope
from gongkai.orgs.models import Org, OrgKind


class CatalogueTemplate(models.Model):
    """A standard catalogue (基本目录) for one or more org kinds, from the seed documents."""

    code = models.SlugField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    kinds = models.ManyToManyField(OrgKind, related_name="catalogue_templates",
                                   verbose_name=_("适用的组织类型"), blank=True)
    source = models.CharField(_("出处"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("目录模板")

    def __str__(self) -> str:
        return self.name

    def latest_version(self) -> TemplateVersion | None:
        return self.versions.order_by("-version").first()


class TemplateOrigin(models.TextChoices):
    FILE = "file", _("模板文件")
    EDIT = "edit", _("页面编辑")


class TemplateVersion(models.Model):
    """The rows of a template as they stood at one time. `content_hash` lets the loader tell
    whether a template file changed since it was last loaded."""

    template = models.ForeignKey(CatalogueTemplate, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("版本"))
    name = models.CharField(_("名称"), max_length=128)
    source = models.CharField(_("出处"), max_length=255, blank=True)
    rows = models.JSONField(_("事项"), default=list)
    content_hash = models.CharField(max_length=64)
    origin = models.CharField(max_length=8, choices=TemplateOrigin.choices, default=TemplateOrigin.FILE)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template", "-version"]
        verbose_name = _("目录模板版本")
        constraints = [models.UniqueConstraint(fields=["template", "version"],
                                               name="template_version_unique")]

    def __str__(self) -> str:
        return f"{self.template.code} v{self.version}"

    def row(self, number: str | None) -> dict[str, object] | None:
        if number is None:
            return None
        return next((r for r in self.rows if r.get("number") == number), None)


class Catalogue(models.Model):
    """An organisation's disclosure catalogue: the sequence of its versions."""

    org = models.OneToOneField(Org, on_delete=models.PROTECT, related_name="catalogue")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("党务公开目录")

    def __str__(self) -> str:
        return str(_("%(org)s党务公开目录") % {"org": self.org.name})


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    APPROVED = "approved", _("已审批")
    FILED = "filed", _("已报备")
    RETURNED = "returned", _("已退回")
    IN_FORCE = "in_force", _("生效中")
    SUPERSEDED = "superseded", _("已废止")


# Versions whose content may still change (a returned version goes back to editing).
EDITABLE = (Status.DRAFT, Status.RETURNED)
# Versions that are on their way and block starting another one.
OPEN = (Status.DRAFT, Status.APPROVED, Status.FILED, Status.RETURNED)
# Versions that were published: readable by anyone (the seeds want the catalogue public).
PUBLISHED = (Status.IN_FORCE, Status.SUPERSEDED)


class CatalogueVersion(models.Model):
    """One version of a catalogue and where it stands: draft → approved (by the org's leader)
    → filed (报备, with the superior) → in force (acknowledged) or returned with comments."""

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    based_on = models.ForeignKey(TemplateVersion, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("依据的模板版本"))
    change_explanation = models.TextField(_("调整说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approval_opinion = models.TextField(_("审批意见"), blank=True)
    filed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    acknowledge_opinion = models.TextField(_("备案意见"), blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    return_comment = models.TextField(_("退回意见"), blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["catalogue", "-number"]
        verbose_name = _("目录版本")
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "number"], name="catalogue_version_unique"),
            models.UniqueConstraint(fields=["catalogue"], condition=models.Q(status="in_force"),
                                    name="catalogue_one_in_force"),
            models.UniqueConstraint(
                fields=["catalogue"],
                condition=models.Q(status__in=["draft", "approved", "filed", "returned"]),
                name="catalogue_one_open_version"),
        ]

    def __str__(self) -> str:
        return str(_("%(org)s目录 第%(n)s版") % {"org": self.catalogue.org.name, "n": self.number})

    @property
    def org(self) -> Org:
        return self.catalogue.org

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_published(self) -> bool:
        return self.status in PUBLISHED

    @property
    def filed_age_days(self) -> int | None:
        """Whole days since filing, for the superior's list of incoming filings."""
        if self.filed_at is None:
            return None
        return (timezone.now() - self.filed_at).days


class Entry(models.Model):
    """One row of a catalogue version (目录事项)."""

    version = models.ForeignKey(CatalogueVersion, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveIntegerField(_("顺序"))
    number = models.CharField(_("序号"), max_length=16)
    category = models.CharField(_("类别"), max_length=64, blank=True)
    item = models.CharField(_("公开事项"), max_length=200)
    content = models.TextField(_("公开内容"), blank=True)
    responsible = models.CharField(_("责任部门"), max_length=128, blank=True)
    scope = models.CharField(_("公开范围"), max_length=16, choices=Scope.choices)
    targets = models.TextField(_("公开对象"), blank=True)
    timing = models.JSONField(_("公开时限"))
    channels = models.JSONField(_("公开方式"), default=list)
    notice_workdays = models.PositiveSmallIntegerField(_("公示期（工作日）"), null=True, blank=True)
    basis = models.CharField(_("依据"), max_length=255, blank=True)
    remarks = models.TextField(_("备注"), blank=True)
    wider_scope_reason = models.TextField(_("扩大公开范围的理由"), blank=True)
    # Items of this entry always get the risk assessment step (风险评估), flagged or not
    # (gongkai.disclosures.actions._start_workflow). A database default too: the demo writes
    # entries with plain INSERTs that name only the columns it knows.
    requires_risk_assessment = models.BooleanField(_("须进行风险评估"), default=False, db_default=False)
    # The template row it came from: how a row is matched across versions and checked
    # against the template's scope; null for a row the organisation added itself.
    template_row_number = models.CharField(max_length=16, null=True, blank=True)

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("目录事项")
        indexes = [models.Index(fields=["version", "position"])]

    def __str__(self) -> str:
        return f"{self.number} {self.item}"


class ObligationKind(models.TextChoices):
    PERIODIC = "periodic", _("定期公开")
    REFRESH = "refresh", _("定期更新")
    FIRST = "first", _("首次公开")
    EVENT = "event", _("事项公开")  # a prompt or phased entry's item: N working days after the event


class Obligation(models.Model):
    """"Entry E of org O is due by D" (应公开事项): derived from the catalogue in force, one row
    per entry and period, never duplicated (unique org + entry key + period).

    The due date is `anchor` plus `workdays` working days, stored so that a calendar change can
    recompute every open deadline with a handful of UPDATEs grouped by (anchor, workdays).
    Upcoming / due soon / overdue are decided in the query from the due date and today, never
    by a job flipping flags (DESIGN.md "Time")."""

    # No database-level foreign keys for these two: obligations are derived data (re-derivable
    # from the catalogues at any time) written by the million, and PostgreSQL's deferred FK
    # triggers doubled the time of a county-wide derive at commit. Django's collector still
    # cascades deletes; orgs and in-force entries are never deleted anyway.
    # No index of its own: the unique (org, entry key, period) index leads with org.
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="obligations",
                            db_constraint=False, db_index=False)
    # DO_NOTHING and no index either: only entries of draft or returned versions are ever
    # deleted (catalogue.actions), and those have no obligations, while an index here cost a
    # sixth of a county-wide derive. Lookups go by (org, entry key, period) instead.
    entry = models.ForeignKey(Entry, on_delete=models.DO_NOTHING, related_name="obligations",
                              db_constraint=False, db_index=False)
    # The entry across catalogue versions: "t:<template row number>" for a row from the
    # template, "n:<number>" for a row the org added; a revision keeps the key, so open
    # obligations follow the revised entry instead of being duplicated.
    entry_key = models.CharField(max_length=20)
    kind = models.CharField(_("类型"), max_length=8, choices=ObligationKind.choices)
    # "2026-03", "2026-Q1", "2026-H1", "2026", "first" (the one publication of a standing
    # entry without a refresh cycle), or "item-<id>" (an event-driven item's own obligation).
    period = models.CharField(_("期次"), max_length=16)
    period_start = models.DateField(_("期间开始"))
    period_end = models.DateField(_("期间结束"))
    anchor = models.DateField(_("起算日"))
    workdays = models.PositiveSmallIntegerField(_("工作日数"))
    due_date = models.DateField(_("截止日期"))
    fulfilled_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    fulfilled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+", db_index=False)
    fulfilment_note = models.CharField(_("完成说明"), max_length=500, blank=True)
    # The disclosure item that fulfilled it, once items exist (the disclosures issue).
    item_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "org_id", "id"]
        verbose_name = _("应公开事项")
        constraints = [models.UniqueConstraint(fields=["org", "entry_key", "period"],
                                               name="obligation_unique_period")]
        # The unique index serves "an org's obligations" (a few dozen rows each); the partial
        # one serves "everything overdue" across a county.
        indexes = [
            models.Index(fields=["due_date"], name="obligation_open_due",
                         condition=models.Q(fulfilled_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.org_id}:{self.entry_key}:{self.period}"
