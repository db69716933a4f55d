"""A job: queued by a page, claimed and run by a worker, its progress and outcome kept."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=64)
    # What the kind needs to run (an election code, a stored file's path): never
    # personal data, as the row outlives the work.
    params = models.JSONField(_("parameters"), default=dict)
    state = models.CharField(_("state"), max_length=16, choices=State.choices,
                             default=State.QUEUED)
    # The language of the person who asked: the outcome is worded in it.
    language = models.CharField(_("language"), max_length=8, default="ar")
    done = models.BigIntegerField(_("done"), default=0)
    total = models.BigIntegerField(_("total"), default=0)  # 0: not known yet
    # The outcome in words (the summary, or the refusal's lines), and where to go next.
    lines = models.JSONField(_("outcome"), default=list)
    link = models.CharField(_("link"), max_length=300, blank=True)
    problems_file = models.CharField(_("problems file"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name=_("by"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["state", "created"], name="job_queue")]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} {self.state}"

    @property
    def finished_ok(self) -> bool:
        return self.state == State.DONE

    @property
    def over(self) -> bool:
        return self.state in (State.DONE, State.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)
