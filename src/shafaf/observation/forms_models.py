"""Quality: a coordinator's verdicts on reports (docs/observation-reports.md). The
report's own ``status`` says where it stands; each verdict is kept here, with its
reason, so that a report verified after a first rejection shows both."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shafaf.observation.models import Submission, Verification


class Review(models.Model):
    """One verdict on one report: verified or rejected (with the reason)."""

    submission = models.ForeignKey(Submission, models.CASCADE, related_name="reviews",
                                   verbose_name=_("submission"))
    status = models.CharField(_("verification"), max_length=16, choices=Verification.choices)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                           related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ("-at", "-pk")
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.status}"
