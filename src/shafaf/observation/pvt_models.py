"""An organisation's parallel vote tabulation sample (docs/pvt-app.md): the public
draw (shafaf-sample/1) of stations from a frame stored byte for byte, so that anyone
can download the frame, hash it and redo the draw."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shafaf.elections.models import PollingStation
from shafaf.observation.models import Organisation


class PvtSample(models.Model):
    """One draw. It stays fixed once drawn: a coordinator may discard it (kept, marked
    discarded, for the record) only until a report arrives from a sampled station."""

    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="pvt_samples",
                                     verbose_name=_("organisation"))
    seed = models.CharField(_("seed"), max_length=200)
    seed_sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("sample size"))
    algorithm = models.CharField(_("algorithm"), max_length=32)
    frame = models.BinaryField(_("frame file"))
    """The frame's CSV exactly as published: ``frame_sha256`` is its SHA-256."""
    frame_sha256 = models.CharField(_("frame SHA-256"), max_length=64)
    frame_size = models.PositiveIntegerField(_("stations in the frame"))
    strata = models.JSONField(_("strata"), default=dict)
    """Each stratum (governorate code): its share of the sample, as the draw gave it."""
    drawn_at = models.DateTimeField(_("drawn"))
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                 blank=True, related_name="+")
    discarded_at = models.DateTimeField(_("discarded"), null=True, blank=True)
    discarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                     blank=True, related_name="+")

    class Meta:
        ordering = ("-drawn_at", "-pk")
        verbose_name = _("PVT sample")
        verbose_name_plural = _("PVT samples")
        constraints = (models.UniqueConstraint(
            fields=("organisation",), condition=models.Q(discarded_at__isnull=True),
            name="one_live_pvt_sample_per_organisation"),)

    def __str__(self) -> str:
        return f"PVT sample {self.pk} of {self.organisation_id}"


class PvtStation(models.Model):
    """A sampled station, at its place in the published list."""

    sample = models.ForeignKey(PvtSample, models.CASCADE, related_name="stations",
                               verbose_name=_("PVT sample"))
    station = models.ForeignKey(PollingStation, models.PROTECT, related_name="+",
                                verbose_name=_("polling station"))
    stratum = models.CharField(_("stratum"), max_length=16)
    position = models.PositiveIntegerField()
    ticket = models.CharField(max_length=64)

    class Meta:
        ordering = ("sample", "position")
        verbose_name = _("sampled station")
        verbose_name_plural = _("sampled stations")
        constraints = (models.UniqueConstraint(fields=("sample", "station"),
                                               name="pvt_station_once_per_sample"),)

    def __str__(self) -> str:
        return f"{self.sample_id}:{self.station_id}"
