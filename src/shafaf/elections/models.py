from django.db import models
from django.utils.translation import gettext_lazy as _

from shafaf.core import laws
from shafaf.elections.names import Named


class Region(models.TextChoices):
    FEDERAL = "federal", _("Federal Iraq")
    KURDISTAN = "kurdistan", _("Kurdistan Region")


class Governorate(Named):
    code = models.CharField(_("code"), max_length=8, unique=True, help_text="ISO 3166-2:IQ")
    region = models.CharField(_("region"), max_length=16, choices=Region.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("governorate")
        verbose_name_plural = _("governorates")


class District(Named):
    """A qada (قضاء)."""

    governorate = models.ForeignKey(Governorate, models.PROTECT, related_name="districts",
                                    verbose_name=_("governorate"))
    code = models.CharField(_("code"), max_length=16, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class SubDistrict(Named):
    """A nahiya (ناحية)."""

    district = models.ForeignKey(District, models.PROTECT, related_name="sub_districts",
                                 verbose_name=_("district"))
    code = models.CharField(_("code"), max_length=16, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("sub-district")
        verbose_name_plural = _("sub-districts")


class ElectionKind(models.TextChoices):
    GOVERNORATE_COUNCILS = "governorate_councils", _("Governorate councils")
    COUNCIL_OF_REPRESENTATIVES = "council_of_representatives", _("Council of Representatives")
    KURDISTAN_PARLIAMENT = "kurdistan_parliament", _("Kurdistan Region Parliament")


class Election(Named):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=ElectionKind.choices)
    polling_day = models.DateField(_("polling day"))
    law = models.CharField(_("law profile"), max_length=32,
                           choices=[(code, code) for code in sorted(laws.PROFILES)])

    class Meta:
        ordering = ["-polling_day"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")


class Contest(models.Model):
    """One district's race in an election: for councils, a whole governorate."""

    election = models.ForeignKey(Election, models.CASCADE, related_name="contests")
    governorate = models.ForeignKey(Governorate, models.PROTECT, related_name="contests")
    general_seats = models.PositiveIntegerField(_("general seats"))
    women_quota = models.PositiveIntegerField(_("women's quota"))

    class Meta:
        ordering = ["governorate__code"]
        constraints = [models.UniqueConstraint(fields=["election", "governorate"],
                                               name="one_contest_per_governorate")]

    def __str__(self) -> str:
        return f"{self.election.code} {self.governorate.code}"


class Component(models.TextChoices):
    CHRISTIAN = "christian", _("Christians")
    SABEAN_MANDAEAN = "sabean_mandaean", _("Sabean-Mandaeans")
    FAILI_KURD = "faili_kurd", _("Faili Kurds")
    YAZIDI = "yazidi", _("Yazidis")
    SHABAK = "shabak", _("Shabak")
    TURKMEN = "turkmen", _("Turkmen")
    ARMENIAN = "armenian", _("Armenians")


class ComponentSeat(models.Model):
    contest = models.ForeignKey(Contest, models.CASCADE, related_name="component_seats")
    component = models.CharField(_("component"), max_length=32, choices=Component.choices)
    seats = models.PositiveIntegerField(_("seats"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contest", "component"],
                                               name="one_row_per_component")]

    def __str__(self) -> str:
        return f"{self.contest} {self.component} {self.seats}"


class Phase(models.TextChoices):
    """The phases of an election (domain brief, section 1)."""

    PARTY_REGISTRATION = "party_registration", _("Registration of parties and alliances")
    REGISTER_UPDATE = "register_update", _("Voter register update")
    # The preliminary register on display for inspection and objection (Law 12/2018
    # Art. 1); the final register follows it.
    REGISTER_EXHIBITION = ("register_exhibition",
                           _("Exhibition of the voter register and objections"))
    CANDIDATE_LISTS = "candidate_lists", _("Submission of candidate lists")
    VETTING = "vetting", _("Vetting, exclusions and appeals")
    BALLOT_LOTTERY = "ballot_lottery", _("Ballot-number lottery")
    STATIONS_APPROVED = "stations_approved", _("Approval of polling centres and stations")
    CAMPAIGN = "campaign", _("Campaign")
    SPECIAL_VOTING = "special_voting", _("Special voting")
    GENERAL_VOTING = "general_voting", _("General voting")
    PRELIMINARY_RESULTS = "preliminary_results", _("Preliminary results")
    MANUAL_COUNT = "manual_count", _("Manual count and complaints")
    FINAL_RESULTS = "final_results", _("Final results")
    APPEALS = "appeals", _("Appeals to the Judicial Electoral Panel")
    RATIFICATION = "ratification", _("Ratification of results")


class CalendarPhase(models.Model):
    election = models.ForeignKey(Election, models.CASCADE, related_name="calendar")
    phase = models.CharField(_("phase"), max_length=32, choices=Phase.choices)
    starts = models.DateField(_("starts"))
    ends = models.DateField(_("ends"))

    class Meta:
        ordering = ["starts", "ends"]
        constraints = [
            models.UniqueConstraint(fields=["election", "phase"], name="one_row_per_phase"),
            models.CheckConstraint(condition=models.Q(ends__gte=models.F("starts")),
                                   name="phase_ends_after_it_starts"),
        ]

    def __str__(self) -> str:
        return f"{self.phase} {self.starts}–{self.ends}"


class RegistrationCentre(Named):
    """Where voters register and collect their biometric cards."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    governorate = models.ForeignKey(Governorate, models.PROTECT,
                                    related_name="registration_centres")
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("registration centre")


class StationKind(models.TextChoices):
    GENERAL = "general", _("General voting")
    SPECIAL = "special", _("Special voting")


class PollingCentre(Named):
    election = models.ForeignKey(Election, models.CASCADE, related_name="polling_centres")
    code = models.CharField(_("code"), max_length=16)
    sub_district = models.ForeignKey(SubDistrict, models.PROTECT, related_name="polling_centres",
                                     verbose_name=_("sub-district"))
    # Kept beside the sub-district so that a governorate's centres and stations are
    # one indexed lookup: the scope of every office manager's query.
    governorate = models.ForeignKey(Governorate, models.PROTECT, related_name="polling_centres",
                                    verbose_name=_("governorate"))
    registration_centre = models.ForeignKey(RegistrationCentre, models.PROTECT, null=True,
                                            blank=True, related_name="polling_centres")
    kind = models.CharField(_("kind"), max_length=16, choices=StationKind.choices,
                            default=StationKind.GENERAL)
    # Where the centre is, for "where do I vote": both optional, as the commission's
    # centre lists do not always give them.
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5,
                                   null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5,
                                    null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("polling centre")
        verbose_name_plural = _("polling centres")
        constraints = [models.UniqueConstraint(fields=["election", "code"],
                                               name="centre_code_unique_in_election")]


class PollingStation(models.Model):
    centre = models.ForeignKey(PollingCentre, models.CASCADE, related_name="stations",
                               verbose_name=_("polling centre"))
    number = models.PositiveIntegerField(_("number"))
    code = models.CharField(_("code"), max_length=24, db_index=True)
    registered_voters = models.PositiveIntegerField(_("registered voters"), default=0)

    class Meta:
        ordering = ["code"]
        verbose_name = _("polling station")
        verbose_name_plural = _("polling stations")
        constraints = [models.UniqueConstraint(fields=["centre", "number"],
                                               name="station_number_unique_in_centre")]

    def __str__(self) -> str:
        return self.code
