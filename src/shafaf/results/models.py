"""Results (docs/results.md).

A station's count for a contest arrives as one or more **forms**, one per source: the
counting device's transmission, the hand count, the audit centre's recount, or a paper
form entered by clerks where no device counted. Each station has one
:class:`StationResult` per contest part (the general seats, or one component's seats)
that says which form is adopted. Adopting a form adds its numbers to the running totals
(:mod:`shafaf.results.adoption`), so tabulating 35,560 stations reads a few thousand
rows instead of summing millions.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shafaf.elections.models import Contest, PollingStation
from shafaf.entities.models import Candidate, NominationList


class Source(models.TextChoices):
    ELECTRONIC = "electronic", _("electronic transmission")
    MANUAL = "manual", _("manual count")
    AUDIT = "audit", _("audit-centre recount")
    PAPER = "paper", _("paper entry")


class FormState(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    """No check found an error (warnings may remain)."""
    QUARANTINED = "quarantined", _("quarantined")
    """A check found an error: the form waits for the audit centre."""
    CLEARED = "cleared", _("cleared by the audit centre")
    """Quarantined, then cleared as it stands by the audit centre, with a reason."""
    SUPERSEDED = "superseded", _("superseded")
    """Replaced by a later form of the same source (a recount, a correction)."""


class ResultForm(models.Model):
    """The numbers of one station's count for one contest part, from one source.

    ``component`` is empty for the general seats' form; a component's seats have their
    own form. Votes are in :class:`FormVote`.
    """

    station = models.ForeignKey(PollingStation, models.PROTECT, related_name="result_forms",
                                verbose_name=_("polling station"))
    contest = models.ForeignKey(Contest, models.PROTECT, related_name="result_forms",
                                verbose_name=_("contest"))
    component = models.CharField(_("component"), max_length=32, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    state = models.CharField(_("state"), max_length=16, choices=FormState.choices,
                             default=FormState.ACCEPTED)
    registered = models.PositiveIntegerField(_("registered voters"))
    voted = models.PositiveIntegerField(_("voters who voted"))
    ballots_received = models.PositiveIntegerField(_("ballots received"))
    ballots_in_box = models.PositiveIntegerField(_("ballots in the box"))
    ballots_spoiled = models.PositiveIntegerField(_("spoiled ballots"))
    ballots_unused = models.PositiveIntegerField(_("unused ballots"))
    invalid = models.PositiveIntegerField(_("invalid ballots"))
    valid = models.PositiveIntegerField(_("valid ballots"))
    errors = models.JSONField(_("errors"), default=list, blank=True)
    """Codes of the checks that failed (shafaf.core.result_checks): any puts the form in
    quarantine."""
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+")
    """Who made it final (a coordinator, the second clerk); None for a transmission."""

    class Meta:
        ordering = ["station__code", "component", "source", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "component", "source"], name="one_live_form_per_source",
                condition=~models.Q(state="superseded")),
        ]

    def __str__(self) -> str:
        part = f" {self.component}" if self.component else ""
        return f"{self.station.code}{part} {self.source}"


class FormVote(models.Model):
    """Votes on a form: for a list alone (``candidate`` empty) or for one candidate.

    A component form's votes name the component candidate and the component list that
    carries them.
    """

    form = models.ForeignKey(ResultForm, models.CASCADE, related_name="votes")
    nomination = models.ForeignKey(NominationList, models.PROTECT, related_name="+",
                                   verbose_name=_("list"))
    candidate = models.ForeignKey(Candidate, models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("candidate"))
    votes = models.PositiveIntegerField(_("votes"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["form", "nomination", "candidate"],
                                    name="one_vote_row_per_candidate"),
            models.UniqueConstraint(fields=["form", "nomination"],
                                    condition=models.Q(candidate__isnull=True),
                                    name="one_list_alone_row_per_form"),
        ]

    def __str__(self) -> str:
        return f"{self.form_id} {self.nomination_id} {self.candidate_id or '-'} {self.votes}"


class Outcome(models.TextChoices):
    AWAITING = "awaiting", _("awaiting results")
    ADOPTED = "adopted", _("adopted")
    AUDIT = "audit", _("at the audit centre")
    CANCELLED = "cancelled", _("cancelled by the Board")


class AuditReason(models.TextChoices):
    QUARANTINE = "quarantine", _("a check found an error")
    DIFFERENCE = "difference", _("the electronic and manual counts differ by five per cent or more")
    LATE = "late", _("no electronic result within the transmission window")
    COMPLAINT = "complaint", _("the Board ordered a recount on a complaint")


class BoardOrder(models.TextChoices):
    NONE = "", _("none")
    RECOUNT = "recount", _("recount at the audit centre")
    CANCEL = "cancel", _("cancel the station")


class StationResult(models.Model):
    """Where a station's count for one contest part stands, and which form counts.

    Only :func:`shafaf.results.adoption.adopt` changes ``adopted_form``: it moves the
    form's numbers into the running totals in the same transaction. Actions do not
    choose the outcome themselves: they record a form, a clearance or an order, then
    call :func:`shafaf.results.settlement.settle`, which asks the core's rule
    (:mod:`shafaf.core.station_outcome`).
    """

    station = models.ForeignKey(PollingStation, models.PROTECT, related_name="results",
                                verbose_name=_("polling station"))
    contest = models.ForeignKey(Contest, models.PROTECT, related_name="station_results",
                                verbose_name=_("contest"))
    component = models.CharField(_("component"), max_length=32, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices,
                               default=Outcome.AWAITING)
    audit_reason = models.CharField(_("reason for audit"), max_length=16, blank=True,
                                    choices=AuditReason.choices)
    adopted_form = models.OneToOneField(ResultForm, models.PROTECT, null=True, blank=True,
                                        related_name="adopted_for")
    board_order = models.CharField(_("the Board's order"), max_length=16, blank=True,
                                   choices=BoardOrder.choices)
    """Set by the Board's decision on a complaint; an input of the settlement rule."""
    note = models.TextField(_("note"), blank=True)
    """The Board's reason for a cancellation; the audit centre's for a clearance."""
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["station__code", "component"]
        constraints = [models.UniqueConstraint(fields=["station", "component"],
                                               name="one_result_per_station_part")]
        indexes = [models.Index(fields=["contest", "component", "outcome"],
                                name="station_result_progress")]

    def __str__(self) -> str:
        return f"{self.station.code} {self.component} {self.outcome}".strip()


class VoteTotal(models.Model):
    """The running total of a list's votes (``candidate_key`` 0: for the list alone) or
    of one candidate's, over every adopted form of a contest part.

    ``candidate_key`` is the candidate's id, or 0 for the list-alone votes: a key that
    is never NULL lets one upsert add to it on both databases.
    """

    contest = models.ForeignKey(Contest, models.CASCADE, related_name="vote_totals")
    component = models.CharField(max_length=32, blank=True)
    nomination = models.ForeignKey(NominationList, models.CASCADE, related_name="+")
    candidate_key = models.BigIntegerField()
    votes = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["contest", "component", "nomination", "candidate_key"],
            name="one_total_per_list_candidate")]

    def __str__(self) -> str:
        return f"{self.contest_id} {self.nomination_id} {self.candidate_key} {self.votes}"


class ContestTotal(models.Model):
    """The running totals of the forms' own numbers over a contest part's adopted forms:
    turnout and the share of stations counted."""

    contest = models.ForeignKey(Contest, models.CASCADE, related_name="contest_totals")
    component = models.CharField(max_length=32, blank=True)
    stations_counted = models.IntegerField(default=0)
    registered = models.BigIntegerField(default=0)
    voted = models.BigIntegerField(default=0)
    ballots_in_box = models.BigIntegerField(default=0)
    invalid = models.BigIntegerField(default=0)
    valid = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contest", "component"],
                                               name="one_total_per_contest_part")]

    def __str__(self) -> str:
        return f"{self.contest_id} {self.component} {self.stations_counted}".strip()


class Disqualification(models.Model):
    """A candidate disqualified by the Judicial Electoral Panel after polling day: their
    votes are struck and the contest's allocation re-run (domain brief, section 2.7: the
    Salahaddin ruling of 10 January 2024). Tabulation reads these; the complaints part
    records them from the Panel's rulings."""

    contest = models.ForeignKey(Contest, models.PROTECT, related_name="disqualifications",
                                verbose_name=_("contest"))
    candidate = models.OneToOneField(Candidate, models.PROTECT, related_name="disqualification",
                                     verbose_name=_("candidate"))
    ruling = models.CharField(_("ruling"), max_length=200)
    """The Panel's ruling: its number and date, as published."""
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["contest", "candidate"]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.ruling}"



class StationCancellation(models.Model):
    """The Board cancels a station held at the audit centre, with a reason (a quarantined
    form neither cleared nor recounted): nothing of the station counts. The complaints'
    orders on the station (shafaf.results.complaints) stand beside it; a cancellation
    outranks a recount."""

    result = models.OneToOneField(StationResult, models.PROTECT, related_name="cancellation",
                                  verbose_name=_("station result"))
    reason = models.TextField(_("reason"))
    cancelled_at = models.DateTimeField(_("cancelled at"), auto_now_add=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.result_id} {self.reason[:40]}"


# --- Tabulation, certification and publication (docs/results-publication.md) ----------


class Stage(models.TextChoices):
    PRELIMINARY = "preliminary", _("preliminary")
    CERTIFIED = "certified", _("certified")


class Immutable(models.Model):
    """A row written once and never changed: a certification, a publication, its files."""

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError(f"a {self._meta.verbose_name} is never changed once written")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Certification(Immutable):
    """The Board's certification of a contest's allocation: the allocation report as
    certified and its SHA-256 (of its canonical JSON)."""

    contest = models.ForeignKey(Contest, models.PROTECT, related_name="certifications",
                                verbose_name=_("contest"))
    allocation = models.JSONField(_("allocation"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    lot_seed = models.CharField(_("lot seed"), max_length=200, blank=True)
    certified_at = models.DateTimeField(_("certified at"))
    certified_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["contest", "-certified_at", "-pk"]
        verbose_name = _("certification")

    def __str__(self) -> str:
        return f"{self.contest} {self.sha256[:12]}"


class Publication(Immutable):
    """A snapshot of a governorate's results, in the open data layout of
    docs/results.md; its files are :class:`PublicationFile` rows, never changed."""

    contest = models.ForeignKey(Contest, models.PROTECT, related_name="publications",
                                verbose_name=_("contest"))
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    certification = models.ForeignKey(Certification, models.PROTECT, null=True, blank=True,
                                      related_name="publications")
    lot_seed = models.CharField(_("lot seed"), max_length=200, blank=True)
    stations_total = models.PositiveIntegerField(_("stations"))
    stations_counted = models.PositiveIntegerField(_("stations counted"))
    manifest_sha256 = models.CharField(_("SHA-256 of the manifest"), max_length=64)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["contest", "-published_at", "-pk"]
        verbose_name = _("publication")

    def __str__(self) -> str:
        return f"{self.contest} {self.stage} {self.manifest_sha256[:12]}"


class PublicationFile(Immutable):
    publication = models.ForeignKey(Publication, models.PROTECT, related_name="files")
    name = models.CharField(max_length=32)
    content_type = models.CharField(max_length=64)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["publication", "name"]
        constraints = [models.UniqueConstraint(fields=["publication", "name"],
                                               name="one_file_per_name")]
        verbose_name = _("published file")

    def __str__(self) -> str:
        return f"{self.publication_id} {self.name}"


# --- Complaints and appeals (docs/results-complaints.md) --------------------------------

COMPLAINT_TEXT_LENGTH = 4000
COMPLAINT_REASON_LENGTH = 2000


class ComplaintGround(models.TextChoices):
    COUNT_ERROR = "count_error", _("an error in counting or in the result form")
    TAMPERING = "tampering", _("ballots or forms tampered with")
    AGENTS_BARRED = "agents_barred", _("agents or observers kept from the count")
    PROCEDURE = "procedure", _("the count's procedure not followed")
    VOTING = "voting", _("irregular voting at the station")
    STAFF = "staff", _("the conduct of the station's staff")
    CAMPAIGNING = "campaigning", _("campaigning at the centre")
    SECURITY = "security", _("security at the centre")
    OTHER = "other", _("other")


class ComplaintState(models.TextChoices):
    """shafaf.core.result_complaints.State, with its wording."""

    FILED = "filed", _("filed, awaiting the Board")
    RED = "red", _("red: may affect the results, awaiting the Board's decision")
    YELLOW = "yellow", _("yellow: formal requirements missing, dismissed")
    GREEN = "green", _("green: does not affect the results, noted")
    DISMISSED = "dismissed", _("red, dismissed by the Board")
    RECOUNT = "recount", _("red, recount ordered by the Board")
    CANCELLED = "cancelled", _("red, results cancelled by the Board")
    APPEALED = "appealed", _("appealed to the Judicial Electoral Panel")
    UPHELD = "upheld", _("the Panel upheld the Board's decision")
    OVERTURNED = "overturned", _("the Panel overturned the Board's decision")


class ResultComplaint(models.Model):
    """A complaint against one station's count, or every station of a centre
    (shafaf.core.result_complaints). Filed by an account (an agent, an observer, a
    civil-society coordinator: ``filed_by``) or by a voter who identified with their
    entry in the register (``filed_by_voter``); an agent's complaint is their entity's
    (``entity``), whose agents may appeal it."""

    election = models.ForeignKey("elections.Election", models.PROTECT,
                                 related_name="result_complaints", verbose_name=_("election"))
    centre = models.ForeignKey("elections.PollingCentre", models.PROTECT, related_name="+",
                               verbose_name=_("polling centre"))
    station = models.ForeignKey(PollingStation, models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("polling station"))
    """Empty: the complaint is against every station of the centre."""
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                 blank=True, related_name="+", verbose_name=_("filed by"))
    filed_by_voter = models.ForeignKey("register.Voter", models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name=_("filed by the voter"))
    entity = models.ForeignKey("entities.Entity", models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("entity"))
    ground = models.CharField(_("ground"), max_length=16, choices=ComplaintGround.choices)
    statement = models.TextField(_("statement"), max_length=COMPLAINT_TEXT_LENGTH)
    evidence_file = models.BinaryField(_("evidence file"), null=True, blank=True)
    evidence_type = models.CharField(_("evidence file type"), max_length=32, blank=True)
    filed = models.DateTimeField(_("filed"))
    state = models.CharField(_("state"), max_length=16, choices=ComplaintState.choices,
                             default=ComplaintState.FILED)
    classed = models.DateTimeField(_("classed"), null=True, blank=True)
    decision = models.CharField(_("the Board's decision"), max_length=16, blank=True,
                                choices=ComplaintState.choices)
    """The state the Board left it in (yellow, green, dismissed, recount, cancelled)."""
    reason = models.TextField(_("the Board's reason"), max_length=COMPLAINT_REASON_LENGTH,
                              blank=True)
    decided = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name=_("decided by"))
    appeal_grounds = models.TextField(_("grounds of appeal"), max_length=COMPLAINT_TEXT_LENGTH,
                                      blank=True)
    appealed = models.DateTimeField(_("appealed"), null=True, blank=True)
    appealed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name=_("appealed by"))
    ruling = models.CharField(_("the Panel's ruling"), max_length=200, blank=True)
    """Its number and date, as published."""
    ruling_text = models.TextField(_("what the Panel ruled"), max_length=COMPLAINT_REASON_LENGTH,
                                   blank=True)
    panel_order = models.CharField(_("the Panel's order"), max_length=16, blank=True,
                                   choices=BoardOrder.choices)
    """What an overturning ruling ordered in place of a dismissal."""
    ruled = models.DateTimeField(_("ruled"), null=True, blank=True)
    ruled_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                 blank=True, related_name="+", verbose_name=_("recorded by"))
    disqualification = models.OneToOneField(Disqualification, models.PROTECT, null=True,
                                            blank=True, related_name="complaint")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("complaint on the results")
        verbose_name_plural = _("complaints on the results")
        indexes = [models.Index(fields=["election", "state"], name="result_complaint_state")]

    def __str__(self) -> str:
        return f"{self.number} {self.state}"

    @property
    def number(self) -> str:
        """The number the filer quotes: ``RC-000123``."""
        return f"RC-{self.pk:06d}"


# Paper entry, twice, and the audit centre (docs/results-entry.md)

class EntryState(models.TextChoices):
    FIRST_ENTRY = "first_entry", _("waiting for the first entry")
    SECOND_ENTRY = "second_entry", _("waiting for the second entry")
    DIFFERENT = "different", _("the two entries differ")
    DEFINITIVE = "definitive", _("definitive")


class EntryTask(models.Model):
    """A station's paper form for one contest part and source, entered twice.

    Its states are the core's table (:mod:`shafaf.core.result_entry`). ``form`` is the
    form recorded when the task became definitive.
    """

    station = models.ForeignKey(PollingStation, models.PROTECT, related_name="entry_tasks",
                                verbose_name=_("polling station"))
    contest = models.ForeignKey(Contest, models.PROTECT, related_name="entry_tasks",
                                verbose_name=_("contest"))
    component = models.CharField(_("component"), max_length=32, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    state = models.CharField(_("state"), max_length=16, choices=EntryState.choices,
                             default=EntryState.FIRST_ENTRY)
    form = models.OneToOneField(ResultForm, models.PROTECT, null=True, blank=True,
                                related_name="entry_task")
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["station__code", "component", "source"]
        constraints = [models.UniqueConstraint(fields=["station", "component", "source"],
                                               name="one_entry_task_per_source")]
        indexes = [models.Index(fields=["state", "contest"], name="entry_task_state")]

    def __str__(self) -> str:
        return f"{self.station.code} {self.component} {self.source} {self.state}".strip()


class EntryKind(models.TextChoices):
    FIRST = "first", _("first entry")
    SECOND = "second", _("second entry")
    CORRECTION = "correction", _("the coordinator's correction")


class Entry(models.Model):
    """One clerk's typing of the form (or the coordinator's correction): its numbers and
    its votes, ``[[list id, candidate id or null, votes], …]``. Discarded entries stay,
    marked, so the whole history of a form can be read."""

    task = models.ForeignKey(EntryTask, models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("entered by"))
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    discarded = models.BooleanField(_("discarded"), default=False)
    registered = models.PositiveIntegerField(_("registered voters"))
    voted = models.PositiveIntegerField(_("voters who voted"))
    ballots_received = models.PositiveIntegerField(_("ballots received"))
    ballots_in_box = models.PositiveIntegerField(_("ballots in the box"))
    ballots_spoiled = models.PositiveIntegerField(_("spoiled ballots"))
    ballots_unused = models.PositiveIntegerField(_("unused ballots"))
    invalid = models.PositiveIntegerField(_("invalid ballots"))
    valid = models.PositiveIntegerField(_("valid ballots"))
    votes = models.JSONField(_("votes"), default=list)

    class Meta:
        ordering = ["task", "pk"]
        constraints = [models.UniqueConstraint(
            fields=["task", "kind"], condition=models.Q(discarded=False),
            name="one_live_entry_per_kind")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind}"


# Counting devices and their transmissions: in their own module (see its docstring).
from shafaf.results.transmission_models import CountingDevice as CountingDevice  # noqa: E402
from shafaf.results.transmission_models import Transmission as Transmission  # noqa: E402
from shafaf.results.transmission_models import (  # noqa: E402
    TransmissionOutcome as TransmissionOutcome,
)
