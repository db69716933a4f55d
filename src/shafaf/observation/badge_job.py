"""An organisation's badges as one PDF, laid out by the job worker
(docs/observation-accreditation.md, "Badges").

Up to :data:`IN_REQUEST` badges are laid out while the coordinator waits (one chunk,
seconds). A large organisation's thousands take a minute or more of both cores, longer
than a page should hold its connection, so they are queued: the worker lays them out
in chunks on both cores, shows its progress on the job's page, and keeps the file for
the person who asked, who alone may download it."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext

from shafaf.access.checks import can
from shafaf.access.people import Account, Visitor
from shafaf.access.roles import Capability
from shafaf.jobs.actions import enqueue
from shafaf.jobs.kinds import Outcome, Progress
from shafaf.jobs.models import Job, State
from shafaf.observation import accreditation as acc
from shafaf.observation import badges
from shafaf.observation.models import Badge, Observer, ObserverStatus, Organisation

JOB_KIND = "observation.badges"
IN_REQUEST = badges.CHUNK  # one chunk: a few seconds on one core
_TOKEN = re.compile(r"[0-9a-f]{32}")


def printable(organisation: Organisation) -> list[Badge]:
    """The organisation's badges that may be printed: each accredited observer's current
    badge, unrevoked, once they accepted the code of conduct; by name."""
    found = list(Observer.objects.filter(organisation=organisation,
                                         status=ObserverStatus.ACCREDITED)
                 .select_related("organisation", "governorate").order_by("full_name"))
    return printable_of(found)


def printable_of(observers: list[Observer]) -> list[Badge]:
    latest = acc.latest_badges(Observer.objects.filter(pk__in=[o.pk for o in observers]))
    return [latest[o.pk] for o in observers
            if o.pk in latest and o.status == ObserverStatus.ACCREDITED
            and o.conduct_accepted is not None and latest[o.pk].revoked is None]


def may_print(user: Account, organisation: Organisation) -> bool:
    """The accreditation staff print any organisation's badges; a coordinator their own."""
    if can(user, Capability.ACCREDIT_OBSERVERS):
        return True
    return can(user, Capability.MANAGE_OBSERVERS) and acc.organisation_of(user) == organisation


def queue(*, actor: Visitor, organisation: Organisation, base: str) -> Job:
    """Queue the organisation's badges; the file will be known by a random name that
    only the job (and so only its owner) knows. Asking again while the same person's
    job for it waits or runs (a second click) gives that job, not another minute of
    both cores."""
    waiting = Job.objects.filter(kind=JOB_KIND, created_by_id=actor.pk,
                                 state__in=(State.QUEUED, State.RUNNING),
                                 params__organisation=organisation.pk).first()
    if waiting is not None:
        return waiting
    return enqueue(actor=actor, kind=JOB_KIND, params={
        "organisation": organisation.pk, "base": base, "file": secrets.token_hex(16)})


def path_of(token: str) -> Path:
    return Path(settings.DATA_DIR) / "badges" / f"{token}.pdf"


def prepared(user: Visitor, token: str) -> Path | None:
    """The file of a finished badges job of ``user``'s, or None (not theirs, not done,
    never made, or gone)."""
    if not _TOKEN.fullmatch(token) or not user.is_authenticated:
        return None
    job = Job.objects.filter(kind=JOB_KIND, created_by_id=user.pk, state=State.DONE,
                             params__file=token).first()
    path = path_of(token)
    return path if job is not None and path.is_file() else None


def run_job(params: dict[str, Any], user_id: int | None, progress: Progress) -> Outcome:
    """The job's work: the badges as they stand now, laid out on up to two cores, written
    whole under a temporary name and then renamed (a cut-off job leaves no half file)."""
    if user_id is None:  # only a person asks for badges
        raise PermissionDenied
    user = get_user_model().objects.get(pk=user_id)
    organisation = Organisation.objects.get(pk=params["organisation"])
    if not may_print(user, organisation):  # the role may have changed since it was queued
        raise PermissionDenied
    found = printable(organisation)
    progress(0, len(found))
    pdf = badges.render(found, str(params["base"]), workers=min(2, os.cpu_count() or 1),
                        progress=progress)
    path = path_of(str(params["file"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_suffix(".part")
    part.write_bytes(pdf)
    part.replace(path)
    line = gettext("%(count)s badges of %(organisation)s in one PDF, ready to download.") % {
        "count": number_format(len(found), force_grouping=True),
        "organisation": organisation.name_ar}
    return Outcome(lines=[line], link=reverse("observation:badges_file",
                                              args=[params["file"]]))
