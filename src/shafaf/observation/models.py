"""Civil-society observation (docs/observation.md).

An :class:`Organisation` (a local civil-society organisation, an international
mission, or an entity for its party agents) applies and is approved by the
commission; its coordinators (:class:`Coordinator`) submit its :class:`Observer`\\ s,
whom the commission accredits and gives a :class:`Badge`. A coordinator deploys
observers to stations (:class:`Assignment`); observers send election-day forms
(:class:`FormDefinition`, versioned data, and :class:`Submission`). The parts built on
these keep their models in their own modules, re-exported at the end of this one.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shafaf.elections.models import Election, Governorate, PollingCentre, PollingStation
from shafaf.elections.names import Named
from shafaf.entities.models import Entity
from shafaf.register.models import Voter


class OrganisationKind(models.TextChoices):
    LOCAL = "local", _("local observers (civil-society organisation)")
    INTERNATIONAL = "international", _("international observers")
    AGENTS = "agents", _("party agents (an entity)")


class OrganisationStatus(models.TextChoices):
    APPLIED = "applied", _("applied")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    SUSPENDED = "suspended", _("suspended")


class Organisation(Named):
    """Who observes, in one election. Its three regulations (local observers,
    international observers, party agents) differ in their checks, not in the flow."""

    election = models.ForeignKey(Election, models.PROTECT, related_name="organisations",
                                 verbose_name=_("election"))
    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices,
                            default=OrganisationKind.LOCAL)
    entity = models.ForeignKey(Entity, models.PROTECT, null=True, blank=True,
                               related_name="agent_organisations", verbose_name=_("entity"),
                               help_text=_("For party agents: the entity they represent."))
    registration_number = models.CharField(_("NGO registration number"), max_length=64,
                                           blank=True)
    governorates = models.ManyToManyField(Governorate, related_name="organisations",
                                          verbose_name=_("governorates"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact telephone"), max_length=32, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=OrganisationStatus.choices,
                              default=OrganisationStatus.APPLIED)
    code = models.CharField(_("code"), max_length=16, blank=True,
                            help_text=_("Given on approval: the organisation's code with the "
                                        "commission."))
    applied = models.DateTimeField(_("applied"), auto_now_add=True)
    decided = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["name_ar"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], condition=~models.Q(code=""),
                                    name="organisation_code_unique_in_election"),
        ]


class Coordinator(models.Model):
    """A user who acts for an organisation: a civil-society coordinator, or an entity's
    agent for its party agents. One organisation per user."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE,
                                related_name="coordinates", verbose_name=_("user"))
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="coordinators",
                                     verbose_name=_("organisation"))

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"


class ObserverStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    ACCREDITED = "accredited", _("accredited")
    REFUSED = "refused", _("refused")
    REVOKED = "revoked", _("revoked")


class Observer(models.Model):
    """A person an organisation puts forward. Personal data: seen only by their
    organisation and the commission's accreditation staff."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="observers",
                                     verbose_name=_("organisation"))
    full_name = models.CharField(_("full name"), max_length=300)
    voter_number = models.CharField(_("voter number"), max_length=32, blank=True,
                                    help_text=_("Empty for international observers."))
    voter = models.ForeignKey(Voter, models.SET_NULL, null=True, blank=True,
                              related_name="observer_records", verbose_name=_("voter"))
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=[("M", _("male")),
                                                             ("F", _("female"))])
    phone = models.CharField(_("telephone"), max_length=32, blank=True,
                             help_text=_("For SMS reports: the number they send from."))
    nationality = models.CharField(_("nationality"), max_length=64, blank=True,
                                   help_text=_("International observers."))
    passport_number = models.CharField(_("passport number"), max_length=32, blank=True)
    governorate = models.ForeignKey(Governorate, models.PROTECT, related_name="observers",
                                    verbose_name=_("governorate"))
    photo = models.BinaryField(_("photo"), null=True, blank=True)
    photo_type = models.CharField(max_length=32, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                blank=True, related_name="observer", verbose_name=_("account"))
    status = models.CharField(_("status"), max_length=16, choices=ObserverStatus.choices,
                              default=ObserverStatus.SUBMITTED)
    checks = models.JSONField(_("automatic checks"), default=dict, blank=True,
                              help_text=_("Each check's code and outcome when last run."))
    conduct_accepted = models.DateTimeField(_("code of conduct accepted"), null=True,
                                            blank=True)
    submitted = models.DateTimeField(_("submitted"), auto_now_add=True)
    decided = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("observer")
        verbose_name_plural = _("observers")
        indexes = [models.Index(fields=["voter_number"]), models.Index(fields=["phone"])]

    def __str__(self) -> str:
        return self.full_name


class Badge(models.Model):
    """An accreditation badge. ``code`` is what its QR code carries: a random serial
    and its HMAC under the server's key (shafaf.observation.codes), so a code can be
    neither guessed nor forged; a reissued badge gets a new code."""

    observer = models.ForeignKey(Observer, models.PROTECT, related_name="badges",
                                 verbose_name=_("observer"))
    code = models.CharField(_("code"), max_length=64, unique=True)
    issued = models.DateTimeField(_("issued"))
    expires = models.DateTimeField(_("expires"))
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        ordering = ["-issued"]
        verbose_name = _("badge")
        verbose_name_plural = _("badges")

    def __str__(self) -> str:
        return self.code


class Assignment(models.Model):
    """An observer deployed to a station. A mobile observer has several; assigning a
    centre assigns each of its stations."""

    observer = models.ForeignKey(Observer, models.CASCADE, related_name="assignments",
                                 verbose_name=_("observer"))
    station = models.ForeignKey(PollingStation, models.PROTECT, related_name="assignments",
                                verbose_name=_("polling station"))
    centre = models.ForeignKey(PollingCentre, models.PROTECT, related_name="assignments",
                               verbose_name=_("polling centre"))
    """The station's centre, kept for coverage counts without a join."""
    assigned = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint(fields=["observer", "station"],
                                               name="one_assignment_per_observer_station")]

    def __str__(self) -> str:
        return f"{self.observer_id} @ {self.station_id}"


class FormDefinition(models.Model):
    """One version of an election-day form, as data: its questions are a JSON list
    checked by :mod:`shafaf.core.observation_forms`. The standard forms ship with
    Shafaf (``organisation`` empty); an organisation's coordinator may add versions of
    its own. A submission keeps the version it answered."""

    code = models.SlugField(_("code"), max_length=32)
    version = models.PositiveIntegerField(_("version"))
    organisation = models.ForeignKey(Organisation, models.CASCADE, null=True, blank=True,
                                     related_name="forms", verbose_name=_("organisation"))
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_ckb = models.CharField(_("name (Kurdish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    questions = models.JSONField(_("questions"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+")

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("form definition")
        verbose_name_plural = _("form definitions")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"],
                                    condition=models.Q(organisation__isnull=True),
                                    name="standard_form_version_unique"),
            models.UniqueConstraint(fields=["organisation", "code", "version"],
                                    name="organisation_form_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class Channel(models.TextChoices):
    WEB = "web", _("web or phone app")
    SMS = "sms", _("SMS")


class Verification(models.TextChoices):
    PENDING = "pending", _("awaiting verification")
    VERIFIED = "verified", _("verified")
    REJECTED = "rejected", _("rejected")


class Submission(models.Model):
    """An observer's answers to one form for one station. ``id`` is the phone's own
    UUID: a phone that sends the same report again finds this record, never a second
    one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    observer = models.ForeignKey(Observer, models.PROTECT, related_name="submissions",
                                 verbose_name=_("observer"))
    form = models.ForeignKey(FormDefinition, models.PROTECT, related_name="submissions",
                             verbose_name=_("form"))
    station = models.ForeignKey(PollingStation, models.PROTECT, related_name="observations",
                                verbose_name=_("polling station"))
    answers = models.JSONField(_("answers"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices,
                               default=Channel.WEB)
    received = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    status = models.CharField(_("verification"), max_length=16, choices=Verification.choices,
                              default=Verification.PENDING)
    conflict = models.BooleanField(
        _("disagrees with another observer"), default=False,
        help_text=_("Another observer of the same station answered the same form "
                    "differently."))
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    blank=True, related_name="+")
    verified = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [models.Index(fields=["station", "form"])]

    def __str__(self) -> str:
        return str(self.id)


class ApplicationThrottle(models.Model):
    """Applications sent from one client address in one hour, on the public page that
    needs no account (shafaf.observation.accreditation.apply): one row per address and
    hour, so that every server process counts against the same limit."""

    address = models.CharField(_("address"), max_length=64)
    # Whole hours since the Unix epoch.
    hour = models.BigIntegerField(_("hour"))
    applications = models.PositiveIntegerField(_("applications"), default=0)

    class Meta:
        verbose_name = _("applications from one address")
        verbose_name_plural = _("applications from one address")
        constraints = [models.UniqueConstraint(fields=["address", "hour"],
                                               name="application_throttle_one_row")]

    def __str__(self) -> str:
        return f"{self.address} {self.hour}"


# Each part of observation keeps its models in its own module (docs/observation.md):
# re-exported here so that Django finds them. Keep this block at the end.
from shafaf.observation.channel_models import (  # noqa: E402, F401
    AwarenessActivity,
    Meeting,
    MeetingDocument,
    Notice,
    NoticeRead,
    Recommendation,
)
from shafaf.observation.dash_models import Alert, EvidencePhoto, Statement  # noqa: E402, F401
from shafaf.observation.forms_models import Review  # noqa: E402, F401
from shafaf.observation.posted_models import PostedFinding  # noqa: E402, F401
from shafaf.observation.pvt_models import PvtSample, PvtStation  # noqa: E402, F401
