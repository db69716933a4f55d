"""The demo's parallel vote tabulation (docs/pvt-app.md): the demo's first organisation
draws its sample from a public seed, and an observer of it reports the count of the
sampled stations whose results the demo publishes, verified, so that the estimate and
the official shares stand side by side on /observation/CSO-001/pvt/.

The published numbers are handed in by the demo (this app does not read the results
app's publications): the reports copy them, so the estimate agrees with the result
within its margin."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime

from django.db import transaction

from shafaf.access.people import Account
from shafaf.core.posted_forms import StationCount
from shafaf.elections.models import Governorate, PollingStation
from shafaf.observation import demo_posted, pvt
from shafaf.observation.models import (
    Channel,
    Organisation,
    Submission,
    Verification,
)
from shafaf.observation.pvt_models import PvtSample

SEED = "demo 07 19 23 42 58"
SIZE = 60
NAMESPACE = uuid.UUID("a3c5e1f0-2b4d-4c6e-8f10-3d5b7a9c1e22")


def draw(organisation: Organisation, actor: Account) -> PvtSample | None:
    """Once: the organisation's sample, as its coordinator would draw it."""
    if PvtSample.objects.filter(organisation=organisation).exists():
        return None
    frame = len(pvt.frame_rows(organisation))
    if not frame:
        return None
    return pvt.draw(actor=actor, organisation=organisation, seed=SEED, size=min(SIZE, frame))


def report(sample: PvtSample, published: Mapping[str, StationCount], *,
           governorate: str) -> list[str]:
    """Verified counting reports of ``published`` (sampled station code → its published
    numbers), from one observer of the governorate deployed to those stations."""
    form = demo_posted.counting_form()
    if form is None or not published:
        return []
    organisation = sample.organisation
    stations = {s.code: s for s in PollingStation.objects.filter(
        code__in=published).select_related("centre")}
    now = datetime.now(UTC)
    with transaction.atomic():
        observer = demo_posted.observer_at(
            organisation, Governorate.objects.get(code=governorate),
            (stations[code] for code in sorted(published)),
            full_name="مراقب العينة التجريبي", birth_date=date(1990, 6, 2), sex="M")
        made = [Submission(id=uuid.uuid5(NAMESPACE, code), observer=observer, form=form,
                           station=stations[code], channel=Channel.WEB,
                           status=Verification.VERIFIED, verified=now,
                           answers=demo_posted.copy_of(published[code]))
                for code in sorted(published)]
        Submission.objects.bulk_create(made)
    return [f"  PVT: a sample of {sample.size} stations drawn with the seed {SEED!r}; "
            f"{len(made)} of {governorate}'s sampled stations reported "
            f"(/observation/{organisation.code}/pvt/, /staff/observation/pvt/estimate/ as cso)"]
