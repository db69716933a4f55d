"""Counting devices and the log of their transmissions (docs/results-transmission.md).

Kept out of :mod:`shafaf.results.models` so that each part of results edits its own
file; that module imports these so Django finds them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shafaf.elections.models import PollingStation


class CountingDevice(models.Model):
    """A station's counting device and the Ed25519 public key its transmissions are
    signed with, registered before polling day."""

    serial = models.CharField(_("serial number"), max_length=64, unique=True)
    station = models.ForeignKey(PollingStation, models.PROTECT, related_name="counting_devices",
                                verbose_name=_("polling station"))
    public_key = models.CharField(_("public key"), max_length=44, unique=True)
    """The base64 of the key's 32 raw bytes."""
    registered_at = models.DateTimeField(_("registered at"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                      blank=True, related_name="+")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+")
    revoked_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    last_sequence = models.BigIntegerField(_("last accepted sequence number"), default=0)

    class Meta:
        ordering = ("serial",)
        verbose_name = _("counting device")
        verbose_name_plural = _("counting devices")

    def __str__(self) -> str:
        return self.serial


class TransmissionOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    REFUSED = "refused", _("refused")


class Transmission(models.Model):
    """Every transmission received, accepted or refused. The body itself is never
    kept: its SHA-256 and size identify it; the form it created holds its numbers."""

    received_at = models.DateTimeField(_("received at"), db_index=True)
    claimed_serial = models.CharField(_("claimed device"), max_length=64, blank=True)
    """The serial the body names (cut to 64 characters), whether or not it is known."""
    device = models.ForeignKey(CountingDevice, models.PROTECT, null=True, blank=True,
                               related_name="transmissions", verbose_name=_("counting device"))
    station = models.ForeignKey(PollingStation, models.PROTECT, null=True, blank=True,
                                related_name="transmissions", verbose_name=_("polling station"))
    sequence = models.BigIntegerField(_("sequence number"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 of the body"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("size in bytes"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=TransmissionOutcome.choices)
    refusal = models.CharField(_("refusal code"), max_length=48, blank=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    form = models.OneToOneField("results.ResultForm", models.PROTECT, null=True, blank=True,
                                related_name="transmission", verbose_name=_("form"))

    class Meta:
        ordering = ("-received_at", "-pk")
        indexes = (models.Index(fields=["device", "sha256"], name="transmission_device_body"),)

    def __str__(self) -> str:
        return f"{self.claimed_serial} {self.outcome} {self.refusal}".strip()
