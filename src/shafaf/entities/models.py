"""Political entities, their lists and candidates, their certification, and the
ballot-number lottery (domain brief, sections 3 and 4)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shafaf.core.certification import (
    CandidateState,
    CheckKind,
    CheckOutcome,
    ListState,
)
from shafaf.core.eligibility import EducationLevel
from shafaf.elections.models import Component, Contest, Election, Governorate
from shafaf.elections.names import Named


class EntityKind(models.TextChoices):
    PARTY = "party", _("Political party")
    ALLIANCE = "alliance", _("Political alliance")
    INDIVIDUAL = "individual", _("Individual candidate")


class EntityStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Entity(Named):
    """A party, an alliance of parties, or an individual candidate, in one election.
    The ``code`` is its participant id in the ballot-number lottery."""

    election = models.ForeignKey(Election, models.PROTECT, related_name="entities",
                                 verbose_name=_("election"))
    kind = models.CharField(_("kind"), max_length=16, choices=EntityKind.choices)
    code = models.SlugField(_("code"), max_length=32)
    status = models.CharField(_("status"), max_length=16, choices=EntityStatus.choices,
                              default=EntityStatus.REGISTERED)
    # A party belongs to at most one alliance in an election: one field, not a table.
    alliance = models.ForeignKey("self", models.PROTECT, null=True, blank=True,
                                 related_name="members", verbose_name=_("alliance"),
                                 limit_choices_to={"kind": EntityKind.ALLIANCE})
    logo = models.BinaryField(_("logo"), null=True, blank=True, editable=True)
    logo_type = models.CharField(max_length=32, blank=True)
    ballot_number = models.PositiveIntegerField(_("ballot number"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["ballot_number", "code"]
        verbose_name = _("political entity")
        verbose_name_plural = _("political entities")
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="entity_code_unique"),
            models.UniqueConstraint(fields=["election", "ballot_number"],
                                    name="ballot_number_unique"),
            models.CheckConstraint(
                condition=models.Q(alliance__isnull=True) | models.Q(kind="party"),
                name="only_parties_join_alliances"),
        ]


class EntityAgent(models.Model):
    """A user with the entity agent role, acting for one entity only."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE,
                                related_name="agency", verbose_name=_("user"))
    entity = models.ForeignKey(Entity, models.CASCADE, related_name="agents",
                               verbose_name=_("entity"))

    def __str__(self) -> str:
        return f"{self.user} → {self.entity.code}"


class ListKind(models.TextChoices):
    GENERAL = "general", _("General list")
    INDIVIDUAL = "individual", _("Individual candidacy")
    COMPONENT = "component", _("Component candidacy")


class NominationList(models.Model):
    """An entity's candidates in one governorate (for the general seats, or for one
    component's seats), in the entity's own order."""

    entity = models.ForeignKey(Entity, models.CASCADE, related_name="lists",
                               verbose_name=_("entity"))
    contest = models.ForeignKey(Contest, models.PROTECT, related_name="lists",
                                verbose_name=_("governorate"))
    kind = models.CharField(_("kind"), max_length=16, choices=ListKind.choices)
    component = models.CharField(_("component"), max_length=32, choices=Component.choices,
                                 blank=True)
    status = models.CharField(_("status"), max_length=16, default=ListState.DRAFT.value,
                              choices=[(s.value, s.value) for s in ListState])
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["contest__governorate__code", "entity__code"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "contest", "component"],
                                    name="one_list_per_entity_contest_component"),
            models.CheckConstraint(
                condition=models.Q(kind="component", component__gt="")
                | (~models.Q(kind="component") & models.Q(component="")),
                name="component_lists_name_their_component"),
        ]

    def __str__(self) -> str:
        return f"{self.entity.code} {self.contest.governorate.code} {self.component}".strip()


class Candidate(models.Model):
    nomination = models.ForeignKey(NominationList, models.CASCADE, related_name="candidates",
                                   verbose_name=_("list"))
    position = models.PositiveIntegerField(_("position"))
    name_ar = models.CharField(_("four-part name"), max_length=200)
    surname_ar = models.CharField(_("surname"), max_length=100, blank=True)
    mother_name_ar = models.CharField(_("mother's name"), max_length=200)
    name_ckb = models.CharField(_("name (Kurdish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=[("F", _("Female")), ("M", _("Male"))])
    date_of_birth = models.DateField(_("date of birth"))
    education = models.CharField(_("education"), max_length=16,
                                 choices=[(e.value, e.value) for e in EducationLevel])
    component = models.CharField(_("component"), max_length=32, choices=Component.choices,
                                 blank=True)
    governorate = models.ForeignKey(Governorate, models.PROTECT, related_name="candidates",
                                    verbose_name=_("governorate"))
    status = models.CharField(_("status"), max_length=16, default=CandidateState.NOMINATED.value,
                              choices=[(s.value, s.value) for s in CandidateState])
    exclusion_reasons = models.JSONField(_("exclusion reasons"), default=list, blank=True)
    sequence = models.PositiveIntegerField(_("sequence number"), null=True, blank=True)
    replaces = models.OneToOneField("self", models.PROTECT, null=True, blank=True,
                                    related_name="replaced_by", verbose_name=_("replaces"))

    class Meta:
        ordering = ["nomination", "position", "pk"]
        constraints = [
            # Only one candidate stands at a position at a time; the one replaced or
            # withdrawn keeps its row for the record.
            models.UniqueConstraint(
                fields=["nomination", "position"], name="one_standing_candidate_per_position",
                condition=~models.Q(status__in=["replaced", "withdrawn"])),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.full_name}"

    @property
    def full_name(self) -> str:
        return f"{self.name_ar} {self.surname_ar}".strip()


class Check(models.Model):
    """The outcome of one external check of a candidate, with the document it rests on."""

    candidate = models.ForeignKey(Candidate, models.CASCADE, related_name="checks")
    kind = models.CharField(_("check"), max_length=32,
                            choices=[(k.value, k.value) for k in CheckKind])
    outcome = models.CharField(_("outcome"), max_length=16,
                               choices=[(o.value, o.value) for o in CheckOutcome])
    document = models.CharField(_("document reference"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["candidate", "kind"],
                                               name="one_outcome_per_check")]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.kind} {self.outcome}"


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Objection(models.Model):
    """An objection to a candidate by another entity or by a member of the public."""

    candidate = models.ForeignKey(Candidate, models.CASCADE, related_name="objections",
                                  verbose_name=_("candidate"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    filed_for = models.ForeignKey(Entity, models.PROTECT, null=True, blank=True,
                                  related_name="objections_filed")
    grounds = models.TextField(_("grounds"))
    filed_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices,
                                default=Decision.PENDING)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["filed_at"]

    def __str__(self) -> str:
        return f"objection {self.pk} to {self.candidate_id} ({self.decision})"


class Appeal(models.Model):
    """An entity's appeal to the Judicial Electoral Panel against an exclusion, and
    the panel's ruling as the Commission records it."""

    candidate = models.ForeignKey(Candidate, models.CASCADE, related_name="appeals",
                                  verbose_name=_("candidate"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    grounds = models.TextField(_("grounds"))
    filed_at = models.DateTimeField(auto_now_add=True)
    # Upheld: the appeal succeeds and the candidate is reinstated.
    ruling = models.CharField(_("ruling"), max_length=16, choices=Decision.choices,
                              default=Decision.PENDING)
    ruling_reference = models.CharField(_("ruling reference"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                    blank=True, related_name="+")
    ruled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["filed_at"]

    def __str__(self) -> str:
        return f"appeal {self.pk} for {self.candidate_id} ({self.ruling})"


class DrawStatus(models.TextChoices):
    FROZEN = "frozen", _("Participants frozen; seed parts being committed")
    SEALED = "sealed", _("Commitments sealed; seed parts being revealed")
    REVEALED = "revealed", _("Seed parts revealed; awaiting the beacon and the run")
    DRAWN = "drawn", _("Drawn")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded by a correction")


DRAW_UNDER_WAY = ("frozen", "sealed", "revealed", "drawn")
"""A draw begun and not yet published nor set aside."""


class LotteryDraw(models.Model):
    """One ballot-number draw of an election. Frozen before the ceremony (the
    participants' hash published), drawn once, published once signed off by the
    Board; never drawn again. A correction is a new draw that supersedes it."""

    election = models.ForeignKey(Election, models.PROTECT, related_name="draws")
    status = models.CharField(max_length=16, choices=DrawStatus.choices,
                              default=DrawStatus.FROZEN)
    participants = models.JSONField()
    participants_sha256 = models.CharField(max_length=64)
    numbers = models.CharField(_("number ranges"), max_length=200)
    exclude = models.CharField(_("excluded numbers"), max_length=200, blank=True)
    beacon = models.CharField(_("beacon"), max_length=300, blank=True,
                              help_text=_("The public randomness source fixed in advance, "
                                          "if any."))
    beacon_value = models.CharField(_("beacon value"), max_length=300, blank=True)
    seed_parts = models.JSONField(default=list)
    """The committed parts, in the order committed: commitment, contributor, capacity,
    committed_at, then value, nonce and revealed_at once revealed, or withheld."""
    seed = models.CharField(max_length=2000, blank=True)
    transcript = models.JSONField(null=True, blank=True)
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    frozen_at = models.DateTimeField(auto_now_add=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                 blank=True, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                      blank=True, related_name="+")
    supersedes = models.OneToOneField("self", models.PROTECT, null=True, blank=True,
                                      related_name="superseded_by")
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    governorate = models.ForeignKey(
        Governorate, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("governorate"),
        help_text=_("Set for a supplementary draw: the entities of lists certified in this "
                    "governorate after the draw, without a number yet."))

    class Meta:
        ordering = ["-frozen_at"]
        constraints = [
            # One live draw per election: every earlier one is superseded.
            models.UniqueConstraint(fields=["election"], name="one_live_draw_per_election",
                                    condition=~models.Q(status="superseded")
                                    & models.Q(governorate__isnull=True)),
            # Supplementary draws one at a time: each takes the numbers after the last.
            models.UniqueConstraint(fields=["election"],
                                    name="one_open_supplementary_draw_per_election",
                                    condition=models.Q(governorate__isnull=False,
                                                       status__in=DRAW_UNDER_WAY)),
            # A transcript exactly when drawn; a published draw names who signed it off.
            # (Migration 0002 adds triggers: a transcript, once written, never changes.)
            models.CheckConstraint(
                condition=models.Q(status__in=["frozen", "sealed", "revealed"],
                                   transcript__isnull=True, drawn_at=None)
                | models.Q(status="drawn", transcript__isnull=False,
                           drawn_at__isnull=False, published_at=None)
                | models.Q(status="published", transcript__isnull=False,
                           drawn_at__isnull=False, published_at__isnull=False,
                           signed_off_by__isnull=False)
                | models.Q(status="superseded"),
                name="draw_transcript_matches_status"),
        ]

    def __str__(self) -> str:
        return f"{self.election.code} draw {self.pk} ({self.status})"
