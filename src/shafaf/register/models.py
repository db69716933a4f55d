"""The voter register (docs/register.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shafaf.elections.models import Governorate, PollingCentre, PollingStation

# A name part of the register; the mother's name is written whole (first, father's
# and often family name), hence twice as long.
NAME_LENGTH = 100
MOTHER_NAME_LENGTH = 200
VOTER_NUMBER_LENGTH = 20


class Sex(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")


class Category(models.TextChoices):
    """Who votes where: security forces and the displaced in camps vote on the
    special voting day at their own centres."""

    GENERAL = "general", _("general")
    SECURITY_FORCES = "security_forces", _("security forces")
    DISPLACED = "displaced", _("displaced in camps")
    PRISONERS = "prisoners", _("prisoners and detainees")
    HOSPITALS = "hospitals", _("patients in hospitals")


class CardKind(models.TextChoices):
    BIOMETRIC = "biometric", _("biometric card")
    SHORT_TERM = "short_term", _("short-term electronic card")


class Status(models.TextChoices):
    ACTIVE = "active", _("active")
    TRANSFERRED = "transferred", _("transferred")
    REMOVED = "removed", _("removed")


class Voter(models.Model):
    voter_number = models.CharField(_("voter number"), max_length=VOTER_NUMBER_LENGTH,
                                    unique=True)
    first_name = models.CharField(_("first name"), max_length=NAME_LENGTH)
    father_name = models.CharField(_("father's name"), max_length=NAME_LENGTH)
    grandfather_name = models.CharField(_("grandfather's name"), max_length=NAME_LENGTH)
    family_name = models.CharField(_("family name"), max_length=NAME_LENGTH, blank=True)
    mother_name = models.CharField(_("mother's name"), max_length=MOTHER_NAME_LENGTH)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    # The keys' indexes are the Meta's: one per question asked, none twice (a national
    # import builds each of them over 16 million rows).
    governorate = models.ForeignKey(Governorate, models.PROTECT, related_name="voters",
                                    verbose_name=_("governorate"), db_index=False)
    centre = models.ForeignKey(PollingCentre, models.PROTECT, related_name="voters",
                               verbose_name=_("polling centre"), db_index=False)
    station = models.ForeignKey(PollingStation, models.SET_NULL, null=True, blank=True,
                                related_name="voters", verbose_name=_("polling station"),
                                db_index=False)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices,
                                default=Category.GENERAL)
    card_kind = models.CharField(_("card"), max_length=16, choices=CardKind.choices,
                                 default=CardKind.BIOMETRIC)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.ACTIVE)
    removal_reason = models.TextField(_("reason for removal"), blank=True)
    # The centre lists' order (shafaf.core.arabic_names.voter_order_key) as one string
    # compared by code point: see shafaf.register.order.
    sort_key = models.TextField(_("sort key"))
    created = models.DateTimeField(_("created"))
    updated = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        # (centre, sort_key) also serves every question by centre alone; stations are
        # empty until they are filled, hence a partial index; on PostgreSQL the sort
        # key is compared by code point (migration 0005), as the lists are ordered.
        indexes = [models.Index(fields=["centre", "sort_key"], name="voter_centre_order"),
                   models.Index(fields=["governorate"], name="voter_governorate"),
                   models.Index(fields=["station"], name="voter_station",
                                condition=models.Q(station__isnull=False))]

    def __str__(self) -> str:
        return self.voter_number


class VoterChange(models.Model):
    """One change to a voter's record: the fields that changed with their values
    before and after, who and why."""

    voter = models.ForeignKey(Voter, models.CASCADE, related_name="changes",
                              verbose_name=_("voter"))
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))
    before = models.JSONField(_("before"), null=True, blank=True)  # None: created
    after = models.JSONField(_("after"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("change to a voter's record")
        verbose_name_plural = _("changes to voters' records")
        indexes = [models.Index(fields=["voter", "at"], name="voter_change_history")]

    def __str__(self) -> str:
        return f"{self.voter_id} {self.at:%Y-%m-%d}"


class Finalisation(models.Model):
    """The final register of an election (Law 12/2018 Art. 1): once this row exists,
    nothing in the register may change (shafaf.register.finality)."""

    election = models.OneToOneField("elections.Election", models.PROTECT,
                                    related_name="register_finalisation",
                                    verbose_name=_("election"))
    at = models.DateTimeField(_("finalised at"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))
    voters = models.PositiveIntegerField(_("voters"))
    # SHA-256 of the register's canonical listing, published in the audit chain.
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("final register")
        verbose_name_plural = _("final registers")

    def __str__(self) -> str:
        return f"{self.election_id} {self.sha256[:12]}"


# --- The exhibition of the preliminary register (docs/register-exhibition.md) ---------

class ObjectionGround(models.TextChoices):
    DECEASED = "deceased", _("the voter has died")
    DUPLICATE = "duplicate", _("the voter is registered twice")
    UNDER_AGE = "under_age", _("the voter is under age")
    WRONG_CENTRE = "wrong_centre", _("the voter is listed at the wrong centre")
    NOT_ELIGIBLE = "not_eligible", _("the voter is not eligible")


class ObjectionState(models.TextChoices):
    FILED = "filed", _("filed")
    UPHELD = "upheld", _("upheld")
    DISMISSED = "dismissed", _("dismissed")
    APPLIED = "applied", _("upheld and applied")


OBJECTION_STATEMENT_LENGTH = 2000


class Objection(models.Model):
    """An objection to one entry of the preliminary register (shafaf.core.register_objections).
    Filed by a signed-in objector (``filed_by``) or by a voter, who identified with
    their own entry (``filed_by_voter``)."""

    election = models.ForeignKey("elections.Election", models.PROTECT,
                                 related_name="register_objections",
                                 verbose_name=_("election"))
    voter = models.ForeignKey(Voter, models.PROTECT, related_name="objections",
                              verbose_name=_("entry"))
    # Where the entry was when the objection was filed: the published decisions name it.
    centre = models.ForeignKey(PollingCentre, models.PROTECT, related_name="+",
                               verbose_name=_("polling centre"))
    ground = models.CharField(_("ground"), max_length=16, choices=ObjectionGround.choices)
    statement = models.TextField(_("statement"), max_length=OBJECTION_STATEMENT_LENGTH)
    evidence = models.TextField(_("evidence"), max_length=OBJECTION_STATEMENT_LENGTH,
                                blank=True)
    evidence_file = models.BinaryField(_("evidence file"), null=True, blank=True)
    evidence_type = models.CharField(_("evidence file type"), max_length=32, blank=True)
    other_voter = models.ForeignKey(Voter, models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("other entry"))
    right_centre = models.ForeignKey(PollingCentre, models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("right centre"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                 blank=True, related_name="+", verbose_name=_("filed by"))
    filed_by_voter = models.ForeignKey(Voter, models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name=_("filed by the voter"))
    filed = models.DateTimeField(_("filed"))
    state = models.CharField(_("state"), max_length=16, choices=ObjectionState.choices,
                             default=ObjectionState.FILED)
    decided = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name=_("decided by"))
    reason = models.TextField(_("reason"), max_length=OBJECTION_STATEMENT_LENGTH, blank=True)
    applied = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("objection to the register")
        verbose_name_plural = _("objections to the register")
        indexes = [models.Index(fields=["election", "state"], name="objection_state")]

    def __str__(self) -> str:
        return f"{self.pk} {self.ground} {self.state}"


class ObjectionThrottle(models.Model):
    """Failed identifications on the voter's public objection form, per address and
    minute: more than the limit answers 429 (shafaf.register.objections)."""

    address = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    until = models.DateTimeField()

    def __str__(self) -> str:
        return self.address
class LookupFailures(models.Model):
    """Failed "where do I vote" lookups from one client address in one minute
    (shafaf.register.lookup): one row per address and minute, upserted only on a
    failure, so that every server process counts against the same limit."""

    address = models.CharField(_("address"), max_length=64)
    # Whole minutes since the Unix epoch.
    minute = models.BigIntegerField(_("minute"))
    failures = models.PositiveIntegerField(_("failures"), default=0)

    class Meta:
        verbose_name = _("failed lookups")
        verbose_name_plural = _("failed lookups")
        constraints = [models.UniqueConstraint(fields=["address", "minute"],
                                               name="lookup_failures_one_row")]

    def __str__(self) -> str:
        return f"{self.address} {self.minute}"
# --- Duplicate detection (docs/register-dedup.md) -----------------------------------
# Labels in the "duplicates" context: words as short as "open" or "found" mean other
# things elsewhere.


class DuplicateState(models.TextChoices):
    OPEN = "open", pgettext_lazy("duplicates", "open")
    CONFIRMED = "confirmed", pgettext_lazy("duplicates", "confirmed: one person")
    DIFFERENT = "different", pgettext_lazy("duplicates", "different people")


class DuplicateGroup(models.Model):
    """Records of one election's register that the duplicate model judges one person,
    waiting for a reviewer: confirmed (one record kept, the others removed) or
    different people. ``key`` names the records (SHA-256 of their ids, sorted), so
    that a later run finds a decided group again and leaves it decided."""

    election = models.ForeignKey("elections.Election", models.CASCADE,
                                 related_name="duplicate_groups", verbose_name=_("election"))
    # The members' governorate; empty when they are registered in several: such a
    # group is reviewed by national staff only.
    governorate = models.ForeignKey(Governorate, models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("governorate"))
    key = models.CharField(pgettext_lazy("duplicates", "records"), max_length=64)
    probability = models.FloatField(pgettext_lazy("duplicates", "match probability"))
    state = models.CharField(_("state"), max_length=16, choices=DuplicateState.choices,
                             default=DuplicateState.OPEN)
    found = models.DateTimeField(pgettext_lazy("duplicates", "found"))
    decided = models.DateTimeField(pgettext_lazy("duplicates", "decided"), null=True,
                                   blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+",
                                   verbose_name=pgettext_lazy("duplicates", "decided by"))
    kept = models.ForeignKey(Voter, models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=pgettext_lazy("duplicates", "record kept"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = pgettext_lazy("duplicates", "suspected duplicate")
        verbose_name_plural = pgettext_lazy("duplicates", "suspected duplicates")
        constraints = [models.UniqueConstraint(fields=["election", "key"],
                                               name="duplicate_group_once")]
        indexes = [models.Index(fields=["election", "state", "governorate"],
                                name="duplicate_queue")]

    def __str__(self) -> str:
        return f"{self.election_id} {self.key}"


class DuplicateMember(models.Model):
    group = models.ForeignKey(DuplicateGroup, models.CASCADE, related_name="members",
                              verbose_name=pgettext_lazy("duplicates", "suspected duplicate"))
    voter = models.ForeignKey(Voter, models.CASCADE, related_name="+",
                              verbose_name=_("voter"))

    class Meta:
        verbose_name = pgettext_lazy("duplicates", "record of a suspected duplicate")
        verbose_name_plural = pgettext_lazy("duplicates", "records of suspected duplicates")
        constraints = [models.UniqueConstraint(fields=["group", "voter"],
                                               name="duplicate_member_once")]

    def __str__(self) -> str:
        return f"{self.group_id} {self.voter_id}"
# The update campaign's requests (docs/register-campaign.md) ---------------------------

REQUEST_NUMBER_LENGTH = 11
REQUEST_NOTE_LENGTH = 500


class RequestKind(models.TextChoices):
    """shafaf.core.register_requests.RequestKind, with its labels."""

    NEW_REGISTRATION = "new_registration", _("new registration")
    TRANSFER = "transfer", _("transfer of polling centre")
    CORRECTION = "correction", _("correction of data")
    REPLACEMENT_CARD = "replacement_card", _("replacement card")
    SPECIAL_VOTING = "special_voting", _("special-voting registration")
    REMOVAL_OF_DECEASED = "removal_of_deceased", _("removal of the deceased")


class RequestState(models.TextChoices):
    """shafaf.core.register_requests.RequestState, with its labels."""

    SUBMITTED = "submitted", _("submitted")
    VERIFIED = "verified", _("verified")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    APPLIED = "applied", _("applied")


class CampaignRequest(models.Model):
    """One request of the update campaign: what was asked, and each step taken on it
    (who and when; the audit log holds the same steps)."""

    number = models.CharField(_("request number"), max_length=REQUEST_NUMBER_LENGTH,
                              unique=True)
    election = models.ForeignKey("elections.Election", models.PROTECT,
                                 related_name="register_requests",
                                 verbose_name=_("election"))
    kind = models.CharField(_("kind"), max_length=24, choices=RequestKind.choices)
    state = models.CharField(_("state"), max_length=16, choices=RequestState.choices,
                             default=RequestState.SUBMITTED)
    voter = models.ForeignKey(Voter, models.PROTECT, null=True, blank=True,
                              related_name="requests", verbose_name=_("voter"))
    # Where the request was made; null for a removal from the ministries' file.
    registration_centre = models.ForeignKey("elections.RegistrationCentre", models.PROTECT,
                                            null=True, blank=True, related_name="requests",
                                            verbose_name=_("registration centre"))
    # The registration centre's governorate (the voter's for a bulk removal): the
    # staff's scope and the charts' grouping.
    governorate = models.ForeignKey(Governorate, models.PROTECT, related_name="requests",
                                    verbose_name=_("governorate"))
    # The person's birth year, for the public status check (never shown).
    birth_year = models.PositiveSmallIntegerField(_("birth year"))
    # What is asked: the person's data (a new registration) or the new values (a
    # correction; empty is unchanged), the polling centre (new registration, transfer),
    # the category (special voting), the card (replacement).
    first_name = models.CharField(_("first name"), max_length=NAME_LENGTH, blank=True)
    father_name = models.CharField(_("father's name"), max_length=NAME_LENGTH, blank=True)
    grandfather_name = models.CharField(_("grandfather's name"), max_length=NAME_LENGTH,
                                        blank=True)
    family_name = models.CharField(_("family name"), max_length=NAME_LENGTH, blank=True)
    mother_name = models.CharField(_("mother's name"), max_length=MOTHER_NAME_LENGTH,
                                   blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    target_centre = models.ForeignKey(PollingCentre, models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("new polling centre"))
    category = models.CharField(_("category"), max_length=16, choices=Category.choices,
                                blank=True)
    card_kind = models.CharField(_("card"), max_length=16, choices=CardKind.choices,
                                 blank=True)
    proof_of_residence = models.BooleanField(_("proof of residence shown"), default=False)
    note = models.CharField(_("note"), max_length=REQUEST_NOTE_LENGTH, blank=True)
    death_evidence = models.CharField(_("evidence of death"), max_length=REQUEST_NOTE_LENGTH,
                                      blank=True)
    death_date = models.DateField(_("date of death"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejection"),
                                        max_length=REQUEST_NOTE_LENGTH, blank=True)
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_on = models.DateField(_("day submitted"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("submitted by"))
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name=_("verified by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name=_("decided by"))
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    applied_on = models.DateField(_("day applied"), null=True, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name=_("applied by"))

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("register request")
        verbose_name_plural = _("register requests")
        indexes = [
            models.Index(fields=["governorate", "state", "-submitted_at"],
                         name="request_staff_list"),
            models.Index(fields=["election", "submitted_on", "governorate", "kind"],
                         name="request_submitted_figures"),
            models.Index(fields=["election", "applied_on", "governorate", "kind"],
                         name="request_applied_figures"),
        ]

    def __str__(self) -> str:
        return self.number


class StatusCheckThrottle(models.Model):
    """Failed public status checks from one client address in the current window."""

    address = models.CharField(_("address"), max_length=64, unique=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    until = models.DateTimeField(_("window ends"))

    class Meta:
        verbose_name = _("status check throttle")
        verbose_name_plural = _("status check throttles")

    def __str__(self) -> str:
        return self.address
