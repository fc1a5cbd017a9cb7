"""The weekly bulletin (每周公示通报): a draft, then a published, frozen snapshot."""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qingdan.core.models import AppendOnlyModel


class Bulletin(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    week_start = models.DateField(_("week of"))  # the Monday of the exchange day's week
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="draft")
    issue_number = models.PositiveIntegerField(_("issue number"), null=True, blank=True)
    issue_year = models.PositiveSmallIntegerField(_("year of the issue"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    content = models.JSONField(_("content"), default=dict)
    next_steps = models.TextField(_("next-step requirements"), blank=True)
    generated_at = models.DateTimeField(_("figures as of"))
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    correction_note = models.TextField(_("what this corrects"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Published by"),
    )
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64, blank=True)
    html = models.FileField(upload_to="bulletins/", blank=True, verbose_name=_("Html"))
    pdf = models.FileField(upload_to="bulletins/", blank=True, verbose_name=_("Pdf"))
    docx = models.FileField(upload_to="bulletins/", blank=True, verbose_name=_("Docx"))
    xlsx = models.FileField(upload_to="bulletins/", blank=True, verbose_name=_("Xlsx"))
    # The files above are the internal edition (full names, html excepted: the public page);
    # these the public edition (redacted), what anonymous visitors and the API get.
    internal_html = models.FileField(
        upload_to="bulletins/", blank=True, verbose_name=_("Internal html")
    )
    public_pdf = models.FileField(upload_to="bulletins/", blank=True, verbose_name=_("Public pdf"))
    public_docx = models.FileField(
        upload_to="bulletins/", blank=True, verbose_name=_("Public docx")
    )
    public_xlsx = models.FileField(
        upload_to="bulletins/", blank=True, verbose_name=_("Public xlsx")
    )

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-week_start", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["week_start", "version"], name="bulletin_week_version"),
            models.UniqueConstraint(
                fields=["week_start"],
                condition=models.Q(state="draft"),
                name="bulletin_one_draft_per_week",
            ),
        ]

    def __str__(self) -> str:
        return _("Bulletin for the week of %(week)s, version %(version)s") % {
            "week": self.week_start.isoformat(),
            "version": self.version,
        }

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("state", flat=True).first()
            if stored == self.State.PUBLISHED:
                raise TypeError("A published bulletin is frozen: publish a correction instead.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("bulletins:internal", args=[self.week_start.isoformat(), self.version])

    def get_public_url(self) -> str:
        return reverse("public:bulletin", args=[self.week_start.isoformat(), self.version])

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    def delete(self, *args, **kwargs):
        if self.is_published:
            raise TypeError("A published bulletin is never deleted.")
        return super().delete(*args, **kwargs)


def content_hash(content: dict) -> str:
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class BulletinEvent(AppendOnlyModel):
    """Who generated, edited, published or corrected a bulletin, and when."""

    bulletin = models.ForeignKey(
        Bulletin, on_delete=models.PROTECT, related_name="events", verbose_name=_("Bulletin")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Actor"),
    )
    created = models.DateTimeField(_("time"))
    action = models.CharField(_("action"), max_length=20)
    note = models.TextField(_("note"), blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("bulletin event")
        verbose_name_plural = _("bulletin events")
        ordering = ["created", "id"]

    ACTION_LABELS = {
        "generate": _("Generated"),
        "regenerate": _("Regenerated"),
        "edit": _("Edited"),
        "publish": _("Published"),
        "correct": _("Corrected"),
    }

    def __str__(self) -> str:
        return f"{self.bulletin_id} {self.action_label}"

    @property
    def action_label(self) -> str:
        """The step in the reader's language (历史: 生成 / 编辑 / 发布 …)."""
        return str(self.ACTION_LABELS.get(self.action, self.action))
