"""Findings on posted result forms (docs/observation-posted-forms.md): a difference
between an observer's copy of a station's posted form and the published result, as
the organisation's coordinator decided it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shafaf.elections.models import PollingStation
from shafaf.observation.models import Organisation, Submission


class FindingState(models.TextChoices):
    VERIFIED = "verified", _("verified against the photo")
    DISMISSED = "dismissed", _("dismissed")
    PUBLISHED = "published", _("published")


class PostedFinding(models.Model):
    """One number of one observer's copy that differs from one publication: kept as
    both values stood when the coordinator decided, so that a later publication never
    changes what was verified or published. A difference with no row is open."""

    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="findings",
                                     verbose_name=_("organisation"))
    submission = models.ForeignKey(Submission, models.PROTECT, related_name="findings",
                                   verbose_name=_("report"))
    station = models.ForeignKey(PollingStation, models.PROTECT, related_name="+",
                                verbose_name=_("polling station"))
    item = models.CharField(_("number"), max_length=48)
    """``registered``, ``voted``, ``ballots_in_box``, ``invalid``, ``valid`` or
    ``list:<ballot number>``."""
    transcribed = models.PositiveIntegerField(_("on the posted form"), null=True, blank=True)
    published = models.PositiveIntegerField(_("published"))
    manifest_sha256 = models.CharField(_("SHA-256 of the publication's manifest"),
                                       max_length=64)
    state = models.CharField(_("state"), max_length=16, choices=FindingState.choices)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ("station__code", "item", "pk")
        verbose_name = _("finding on a posted form")
        verbose_name_plural = _("findings on posted forms")
        constraints = (models.UniqueConstraint(
            fields=("submission", "item", "manifest_sha256"),
            name="one_finding_per_report_number_publication"),)

    def __str__(self) -> str:
        return f"{self.station_id} {self.item}: {self.state}"
