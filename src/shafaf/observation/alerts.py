"""Alerts: a critical incident, when first stored, alerts its organisation's
coordinators at once: an in-app alert each (with its read state), and an e-mail through
Django's mail settings, sent once the report is committed (a report rolled back sends
nothing; a mail server that fails loses the e-mail, never the report)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from shafaf.access.people import Account
from shafaf.observation.dash_models import Alert
from shafaf.observation.models import Coordinator, Submission

log = logging.getLogger(__name__)
INCIDENT_FORM = "incident"
CRITICAL = "critical"


def is_critical(submission: Submission) -> bool:
    answers = submission.answers if isinstance(submission.answers, dict) else {}
    return submission.form.code == INCIDENT_FORM and answers.get("severity") == CRITICAL


def on_store(submission: Submission) -> None:
    """An AFTER_STORE hook (shafaf.observation.submissions): inside the report's
    transaction, so the alerts commit with it."""
    if not is_critical(submission):
        return
    organisation_id = submission.observer.organisation_id
    coordinators = list(Coordinator.objects.filter(organisation_id=organisation_id)
                        .select_related("user"))
    Alert.objects.bulk_create(
        [Alert(user=c.user, organisation_id=organisation_id, submission=submission)
         for c in coordinators], ignore_conflicts=True)
    to = sorted({c.user.email for c in coordinators if c.user.email})
    if to:
        transaction.on_commit(lambda: _mail(submission, to))


def _mail(submission: Submission, to: list[str]) -> None:
    answers = submission.answers
    with override("ar"):
        subject = _("Critical incident at station %(station)s") % {
            "station": submission.station.code}
        body = "\n".join([
            subject,
            _("Category: %(category)s") % {"category": answers.get("category", "")},
            _("Observer: %(name)s") % {"name": submission.observer.full_name},
            _("When: %(time)s") % {"time": answers.get("occurred_at", "")},
            "",
            str(answers.get("description", ""))[:2000],
            "",
            _("See the alerts page: %(path)s") % {"path": "/staff/observation/alerts/"},
        ])
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except Exception:  # the report and the in-app alert stand; the mail server failed
        log.exception("the alert e-mail for report %s was not sent", submission.pk)


def unread(user: Account) -> int:
    return Alert.objects.filter(user=user, read__isnull=True).count()


def mark_read(user: Account, alert_ids: list[int] | None = None) -> int:
    """Mark the user's alerts read (those named, or all): how many changed. Only the
    user's own alerts: a read state is per person, and needs no audit event."""
    alerts = Alert.objects.filter(user=user, read__isnull=True)
    if alert_ids is not None:
        alerts = alerts.filter(pk__in=alert_ids)
    return alerts.update(read=timezone.now())


def install() -> None:
    """At start-up: the alert after every stored report, and this part's refusals."""
    from shafaf.observation import dash_refusals, submissions

    if on_store not in submissions.AFTER_STORE:
        submissions.AFTER_STORE.append(on_store)
    dash_refusals.register()
