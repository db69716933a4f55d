"""Deployment, incidents, alerts and statements' models (docs/observation-dashboards.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shafaf.observation.models import Organisation, Submission


class EvidencePhoto(models.Model):
    """A photo an observer took of an incident: re-encoded on upload (nothing of the
    sent file but its pixels is kept: no metadata, no location, no hidden payload).
    Seen by the observer's organisation and the accreditation staff, never public."""

    submission = models.ForeignKey(Submission, models.CASCADE, related_name="photos",
                                   verbose_name=_("report"))
    image = models.BinaryField(_("photo"))
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ("uploaded", "pk")
        verbose_name = _("evidence photo")
        verbose_name_plural = _("evidence photos")

    def __str__(self) -> str:
        return f"photo {self.pk} of {self.submission_id}"


class Alert(models.Model):
    """A critical incident brought to one coordinator's attention, with its read state."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE,
                             related_name="observation_alerts", verbose_name=_("user"))
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="alerts",
                                     verbose_name=_("organisation"))
    submission = models.ForeignKey(Submission, models.CASCADE, related_name="alerts",
                                   verbose_name=_("report"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    read = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ("-created", "-pk")
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = (models.UniqueConstraint(fields=("user", "submission"),
                                               name="one_alert_per_user_and_report"),)

    def __str__(self) -> str:
        return f"alert {self.pk}"


class Statement(models.Model):
    """An organisation's public statement on polling day: its words, and the figures
    of its own verified reports as they stood when it was published."""

    organisation = models.OneToOneField(Organisation, models.CASCADE,
                                        related_name="statement",
                                        verbose_name=_("organisation"))
    text_ar = models.TextField(_("statement (Arabic)"))
    text_ckb = models.TextField(_("statement (Kurdish)"), blank=True)
    text_en = models.TextField(_("statement (English)"), blank=True)
    figures = models.JSONField(_("figures"), default=dict)
    published = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                     blank=True, related_name="+")

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self) -> str:
        return f"statement of {self.organisation_id}"
