"""Disclosure items (公开事项), their revisions, the procedure as run-time rows, and the audience
labels the visibility gate reads.

- Every saved edit is a Revision with a content hash; the item points at its current one.
- A Workflow is one run of the procedure (to publish, to amend, to withdraw) over one
  revision; its Tasks are the steps (review, secrecy review, risk assessment, approval,
  superior approval), each resolved relative to an org (the item's, or its superior's when
  escalated) and a role, never a global group (DESIGN.md "Workflow as data").
- AudienceLabel rows are written when an item is published or changed; reading is
  `queries.visible_to(user)`, which also decides liveness in the query."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.catalogue.models import Entry
from gongkai.catalogue.vocab import Scope
from gongkai.orgs.models import Org


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审批中")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已批准，待发布")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤销")


EDITABLE_STATUSES = (ItemStatus.DRAFT, ItemStatus.RETURNED, ItemStatus.IN_REVIEW, ItemStatus.APPROVED)


class Disclosure(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="disclosures")
    entry = models.ForeignKey(
        Entry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosures",
        verbose_name=_("目录事项"),
    )
    # The catalogue entry's key across versions (see catalogue.obligations.entry_key), kept so
    # a revised catalogue still finds the obligation this item fulfils.
    entry_key = models.CharField(max_length=20, blank=True)
    off_catalogue_reason = models.TextField(_("目录外公开的理由"), blank=True)
    index_number = models.CharField(_("索引号"), max_length=64, unique=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.DRAFT, db_index=True
    )
    current = models.ForeignKey("Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Denormalised from the current revision for lists and the gate's liveness test.
    title = models.CharField(_("标题"), max_length=200)
    scope = models.CharField(_("公开范围"), max_length=16, choices=Scope.choices)
    go_live_at = models.DateTimeField(_("计划发布时间"), null=True, blank=True)
    display_until = models.DateTimeField(_("展示截止"), null=True, blank=True)
    public_from = models.DateTimeField(_("向社会公开的时间（先党内后党外）"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawal_explanation = models.TextField(_("撤销说明"), blank=True)
    reposted_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reposts",
        verbose_name=_("转载自"),
    )
    # A policy interpretation (政策解读) names the item it explains; it is published together
    # with that item (同步发布), never before it.
    interprets = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interpretations",
        verbose_name=_("解读的事项"),
    )
    # The last day of a notice's period (公示期), stored for the "open notices" query
    # (disclosures.notices keeps it right when items are published and the calendar changes).
    notice_ends_on = models.DateField(_("公示截止日"), null=True, blank=True)
    # When readers were told that a staged item (先党内后党外) opened to the public; the job
    # that tells them sets it, so a second run tells nobody twice.
    public_opening_notified_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("公开事项")
        indexes = [
            models.Index(fields=["org", "status"], name="disclosure_org_status"),
            # Newest first (by when readers could first see them), site-wide and per org: every
            # portal list, feed and the home page read items in this order and stop after a page.
            models.Index(fields=["-go_live_at", "-id"], name="disclosure_live_order"),
            models.Index(fields=["org", "-go_live_at", "-id"], name="disclosure_org_live_order"),
            # The openings job's question (staged items whose public date came, not yet told):
            # only the few rows still waiting are in this index.
            models.Index(
                fields=["notice_ends_on"],
                condition=models.Q(notice_ends_on__isnull=False),
                name="disclosure_notice_ends",
            ),
            models.Index(
                fields=["public_from"],
                condition=models.Q(public_opening_notified_at__isnull=True, public_from__isnull=False),
                name="disclosure_opening_due",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Revision(models.Model):
    """One saved state of an item's content and settings. Never edited."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("修订号"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)  # sanitised HTML
    doc_number = models.CharField(_("文号"), max_length=64, blank=True)
    category = models.CharField(_("类别"), max_length=64, blank=True)
    scope = models.CharField(_("公开范围"), max_length=16, choices=Scope.choices)
    target_org_ids = models.JSONField(_("公开对象（组织）"), default=list)
    target_person_ids = models.JSONField(_("公开对象（人员）"), default=list)
    channels = models.JSONField(_("公开方式"), default=list)
    go_live_at = models.DateTimeField(_("计划发布时间"), null=True, blank=True)
    display_until = models.DateTimeField(_("展示截止"), null=True, blank=True)
    public_from = models.DateTimeField(_("向社会公开的时间"), null=True, blank=True)
    notice_workdays = models.PositiveSmallIntegerField(_("公示期（工作日）"), null=True, blank=True)
    risk_assessment = models.BooleanField(_("需要风险评估"), default=False)
    # For an entry published "within N working days of the event" (及时/分阶段公开): the day of
    # the decision or stage; the item's obligation counts from it.
    event_date = models.DateField(_("事项发生（决定）日期"), null=True, blank=True)
    # Attachments are content: ids of files.StoredFile, in order; approval binds to them too.
    attachment_ids = models.JSONField(_("附件"), default=list)
    note = models.CharField(_("修改说明"), max_length=500, blank=True)
    content_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["disclosure", "-number"]
        constraints = [models.UniqueConstraint(fields=["disclosure", "number"], name="revision_unique")]

    def __str__(self) -> str:
        return f"{self.disclosure_id} r{self.number}"


class WorkflowKind(models.TextChoices):
    PUBLISH = "publish", _("发布")
    AMEND = "amend", _("变更")
    WITHDRAW = "withdraw", _("撤销")


class WorkflowStatus(models.TextChoices):
    RUNNING = "running", _("办理中")
    APPROVED = "approved", _("已批准")
    RETURNED = "returned", _("已退回")
    CANCELLED = "cancelled", _("已作废")


class Workflow(models.Model):
    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="workflows")
    kind = models.CharField(max_length=8, choices=WorkflowKind.choices)
    status = models.CharField(max_length=10, choices=WorkflowStatus.choices, default=WorkflowStatus.RUNNING)
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    explanation = models.TextField(_("说明"), blank=True)  # why amend / withdraw (published with it)
    escalated = models.BooleanField(default=False)
    escalation_reason = models.CharField(max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["disclosure", "-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure"], condition=models.Q(status="running"), name="one_running_workflow"
            )
        ]

    def __str__(self) -> str:
        return f"{self.disclosure_id} {self.kind} {self.status}"


class Step(models.TextChoices):
    REVIEW = "review", _("审核")
    SECRECY = "secrecy", _("保密审查")
    RISK = "risk", _("风险评估")
    APPROVAL = "approval", _("审批")
    SUPERIOR = "superior", _("上级审批")


class TaskStatus(models.TextChoices):
    WAITING = "waiting", _("未开始")
    ACTIVE = "active", _("待办")
    APPROVED = "approved", _("通过")
    RETURNED = "returned", _("退回")
    ESCALATED = "escalated", _("已报批")
    CANCELLED = "cancelled", _("已作废")


class Task(models.Model):
    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField()
    step = models.CharField(max_length=10, choices=Step.choices)
    # Who: the holders of the step's role at this org (the item's org, or its superior).
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=TaskStatus.choices, default=TaskStatus.WAITING, db_index=True
    )
    activated_at = models.DateTimeField(null=True, blank=True)
    due_date = models.DateField(_("办理期限"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    opinion = models.TextField(_("意见"), blank=True)
    # The revision the decision was made on: an approval binds to this exact content.
    revision_hash = models.CharField(max_length=64, blank=True)
    # Collective decision (集体决策): meeting, date, attendees, result; risk assessment opinions.
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["workflow", "position"]

    def __str__(self) -> str:
        return f"{self.workflow_id}:{self.position} {self.step} {self.status}"


class AudienceLabel(models.Model):
    """Who may read a published item: `public`, `party:<org id>`, `unit:<org id>`,
    `person:<id>`, `org:<id>`, `oversee:<org id>`, `staff:<org id>`. `starts_at` delays a label
    (the public one of a staged release). The gate: the item is live and one of its labels is
    among the reader's labels."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="labels")
    label = models.CharField(max_length=40)
    starts_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["disclosure", "label"], name="label_unique")]
        indexes = [models.Index(fields=["label", "disclosure"], name="label_lookup")]

    def __str__(self) -> str:
        return self.label


class IndexSequence(models.Model):
    """The last number given in a series of an org in a year: index numbers (索引号) of items,
    and register numbers (登记号) of the register."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=8, default="index")
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "series"], name="index_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.org_id}/{self.year}: {self.last}"


class FindingStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    REDACTED = "redacted", _("已脱敏")
    OVERRIDDEN = "overridden", _("经保密审查确认可公开")
    GONE = "gone", _("已不存在")


class Finding(models.Model):
    """Something screening found in an item (an ID number, a mobile number, a secrecy marking):
    shown to the secrecy reviewer in context; a high-severity one blocks publication until it
    is redacted, edited away, or overridden with a reason."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="findings")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=32)
    kind = models.CharField(max_length=16)
    severity = models.CharField(max_length=8)
    field = models.CharField(max_length=32)
    label = models.CharField(max_length=32)
    excerpt = models.CharField(max_length=200)
    redactable = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["disclosure", "id"]
        constraints = [models.UniqueConstraint(fields=["disclosure", "key"], name="finding_unique")]

    def __str__(self) -> str:
        return f"{self.label} {self.excerpt}"
