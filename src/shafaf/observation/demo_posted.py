"""The demo's copies of posted result forms (docs/observation-posted-forms.md): an
observer of the demo's first organisation transcribes the forms posted at a few
stations whose results the demo publishes, each list's votes included; the first copy
differs from the published result on one list's votes, as a misread or a changed form
would, for the coordinator (the ``cso`` user) to check on /staff/observation/posted/.

The published numbers are handed in by the demo (this app does not read the results
app's publications): the copies are made from them, so all but the planted difference
agree."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime

from django.db import transaction

from shafaf.audit import actions as audit
from shafaf.core.posted_forms import NUMBERS, StationCount
from shafaf.elections.models import Governorate, PollingStation
from shafaf.observation import standard_forms
from shafaf.observation.models import (
    Assignment,
    Channel,
    FormDefinition,
    Observer,
    ObserverStatus,
    Organisation,
    Submission,
)

NAMESPACE = uuid.UUID("5d0f3c2a-8b1e-4e57-9a55-0c6b2f0e7d31")
PLANTED = 12
"""Votes added to the first copy's largest list: the difference the demo shows."""


def counting_form() -> FormDefinition | None:
    """The standard counting form's latest version, which carries the posted numbers."""
    return FormDefinition.objects.filter(code="counting", organisation__isnull=True,
                                         version=standard_forms.latest_version("counting")
                                         ).first()


def observer_at(organisation: Organisation, place: Governorate,
                stations: Iterable[PollingStation], *, full_name: str, birth_date: date,
                sex: str) -> Observer:
    """An accredited demo observer of ``place``, deployed to each of ``stations``."""
    now = datetime.now(UTC)
    observer = Observer.objects.create(
        organisation=organisation, full_name=full_name, birth_date=birth_date, sex=sex,
        governorate=place, status=ObserverStatus.ACCREDITED, conduct_accepted=now,
        decided=now, checks={"age": "ok", "voter": "ok", "candidate": "ok", "staff": "ok",
                             "twice": "ok"})
    Assignment.objects.bulk_create(
        Assignment(observer=observer, station=station, centre=station.centre)
        for station in stations)
    return observer


def load(organisation: Organisation, published: Mapping[str, StationCount], *,
         governorate: str) -> list[str]:
    """Once: the copies of ``published`` (station code → its published numbers)."""
    form = counting_form()
    if form is None or not published or Submission.objects.filter(
            form=form, observer__organisation=organisation).exists():
        return []
    stations = {s.code: s for s in PollingStation.objects.filter(
        code__in=published).select_related("centre")}
    place = Governorate.objects.get(code=governorate)
    with transaction.atomic():
        # The organisation observes the governorate whose results the demo publishes.
        organisation.governorates.add(place)
        observer = observer_at(organisation, place,
                               (stations[code] for code in sorted(published)),
                               full_name="ناسخ الاستمارات التجريبي",
                               birth_date=date(1988, 3, 14), sex="F")
        made = [Submission(id=uuid.uuid5(NAMESPACE, code), observer=observer, form=form,
                           station=stations[code], channel=Channel.WEB,
                           answers=copy_of(published[code], planted=n == 0))
                for n, code in enumerate(sorted(published))]
        Submission.objects.bulk_create(made)
        audit.record(actor=None, action="observation.demo_posted_forms",
                     target=organisation, data={"stations": sorted(published)})
    return [f"  posted result forms: {len(made)} copies of {governorate}'s posted forms, "
            f"the first differing from the published result "
            f"(/staff/observation/posted/, as cso)"]


def copy_of(count: StationCount, *, planted: bool = False) -> dict[str, object]:
    """A counting report's answers transcribing ``count``; ``planted`` adds the demo's
    difference to its largest list."""
    lists = dict(count.lists or {})
    if planted and lists:
        largest = max(lists, key=lambda list_id: (lists[list_id], list_id))
        lists[largest] += PLANTED
    answers: dict[str, object] = {item: count.number(item) for item in NUMBERS}
    return {**answers, "form_posted": True, "list_votes": lists}
