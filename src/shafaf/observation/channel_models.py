"""The channel between the commission and civil society (docs/observation-channel.md):
notices from the commission with read receipts, the record of meetings and
conferences, organisations' recommendations with the commission's public answer, and
organisations' voter-awareness activities."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shafaf.elections.models import Election, Governorate
from shafaf.observation.models import Organisation


def _in_language(record: models.Model, field: str) -> str:
    """A text field in the active language, falling back to Arabic."""
    language = (get_language() or "ar").split("-")[0]
    return str(getattr(record, f"{field}_{language}", "") or getattr(record, f"{field}_ar"))


class Notice(models.Model):
    """A notice from the commission to organisations. Empty targets mean every
    organisation: ``governorates`` empty is every governorate, ``kinds`` empty every
    kind. An office manager's notice is their governorate's (``office``)."""

    election = models.ForeignKey(Election, models.PROTECT, related_name="notices",
                                 verbose_name=_("election"))
    title_ar = models.CharField(_("title (Arabic)"), max_length=300)
    title_ckb = models.CharField(_("title (Kurdish)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    body_ar = models.TextField(_("text (Arabic)"))
    body_ckb = models.TextField(_("text (Kurdish)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    governorates = models.ManyToManyField(Governorate, blank=True, related_name="+",
                                          verbose_name=_("governorates"))
    kinds = models.JSONField(_("organisation kinds"), default=list, blank=True)
    office = models.ForeignKey(Governorate, models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("office"),
                               help_text=_("The governorate office that sent it; empty for "
                                           "the national office."))
    attachment = models.BinaryField(_("attachment"), null=True, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    sent = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ("-sent",)
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _in_language(self, "title")

    @property
    def body(self) -> str:
        return _in_language(self, "body")


class NoticeRead(models.Model):
    """A read receipt: who opened the notice and when, once."""

    notice = models.ForeignKey(Notice, models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    read = models.DateTimeField(_("read"), auto_now_add=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["notice", "user"],
                                               name="one_read_receipt_per_user"),)

    def __str__(self) -> str:
        return f"{self.user_id} read {self.notice_id}"


class Meeting(models.Model):
    """A meeting or conference between an office of the commission and civil society.
    Public once ``published``: its minutes and documents with it."""

    election = models.ForeignKey(Election, models.PROTECT, related_name="meetings",
                                 verbose_name=_("election"))
    title_ar = models.CharField(_("title (Arabic)"), max_length=300)
    title_ckb = models.CharField(_("title (Kurdish)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    held = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300)
    office = models.ForeignKey(Governorate, models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("office"),
                               help_text=_("The governorate office; empty for the national "
                                           "office."))
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="meetings",
                                           verbose_name=_("participating organisations"))
    other_participants = models.TextField(_("other participants"), blank=True)
    topics = models.TextField(_("topics"))
    minutes = models.TextField(_("minutes"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-held", "-pk")
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _in_language(self, "title")


class MeetingDocument(models.Model):
    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="documents")
    name = models.CharField(_("name"), max_length=200)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.name


class RecommendationTopic(models.TextChoices):
    REGISTER = "register", _("voter register")
    CANDIDATES = "candidates", _("candidate approval")
    POLLING = "polling", _("polling day")
    COUNTING = "counting", _("counting and results")
    OBSERVATION = "observation", _("observers' access")
    AWARENESS = "awareness", _("voter awareness")
    OTHER = "other", _("other")


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("open")
    ANSWERED = "answered", _("answered")
    ADOPTED = "adopted", _("adopted")
    DECLINED = "declined", _("declined")


class Recommendation(models.Model):
    """An organisation's recommendation to the commission, and its public answer."""

    organisation = models.ForeignKey(Organisation, models.PROTECT,
                                     related_name="recommendations",
                                     verbose_name=_("organisation"))
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    topic = models.CharField(_("topic"), max_length=16, choices=RecommendationTopic.choices)
    status = models.CharField(_("status"), max_length=16, choices=RecommendationStatus.choices,
                              default=RecommendationStatus.OPEN)
    answer = models.TextField(_("the commission's answer"), blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    filed = models.DateTimeField(_("filed"), auto_now_add=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                    blank=True, related_name="+")
    answered = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ("-filed", "-pk")
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return self.title


class ActivityKind(models.TextChoices):
    WORKSHOP = "workshop", _("workshop")
    LECTURE = "lecture", _("lecture")
    MEDIA = "media", _("media campaign")
    DOOR_TO_DOOR = "door_to_door", _("door to door")
    OTHER = "other", _("other")


class Audience(models.TextChoices):
    YOUNG = "young", _("young people")
    WOMEN = "women", _("women")
    FIRST_TIME = "first_time", _("first-time voters")
    DISPLACED = "displaced", _("displaced people")
    DISABLED = "disabled", _("people with disabilities")
    GENERAL = "general", _("general public")


class AwarenessActivity(models.Model):
    """A voter-awareness session an organisation held."""

    organisation = models.ForeignKey(Organisation, models.PROTECT,
                                     related_name="awareness_activities",
                                     verbose_name=_("organisation"))
    held = models.DateField(_("date"))
    governorate = models.ForeignKey(Governorate, models.PROTECT, related_name="+",
                                    verbose_name=_("governorate"))
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    reach = models.PositiveIntegerField(_("participants"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    filed = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-held", "-pk")
        verbose_name = _("awareness activity")
        verbose_name_plural = _("awareness activities")
        indexes = (models.Index(fields=["governorate", "audience"]),)

    def __str__(self) -> str:
        return f"{self.held} {self.kind} {self.reach}"
