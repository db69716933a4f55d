"""The public status check of a campaign request: its number and the person's birth
year give its state, the reason of a rejection and the day of each step; never a
name or any other personal field.

An unknown number and a wrong year get the same answer, so that the check tells
nothing about which numbers exist. Each client address may fail
``SHAFAF_STATUS_CHECK_FAILURES`` checks (10 unless set) per window of
``SHAFAF_STATUS_CHECK_WINDOW_SECONDS`` (60); beyond that every check is refused
until the window ends (the pages and the API answer 429 with Retry-After). The
counts are rows in the database, shared by every server process, each taken under
a row lock (as the login's, shafaf.accounts.throttle).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from shafaf.register.campaign import well_formed_number
from shafaf.register.models import CampaignRequest, RequestState, StatusCheckThrottle

EARLIEST_BIRTH_YEAR = 1900


def _failures_allowed() -> int:
    return int(getattr(settings, "SHAFAF_STATUS_CHECK_FAILURES", 10))


def _window() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "SHAFAF_STATUS_CHECK_WINDOW_SECONDS", 60)))


@dataclass(frozen=True)
class Status:
    """What the public may know of a request."""

    number: str
    kind: str
    state: str
    rejection_reason: str
    steps: tuple[tuple[str, date], ...]  # (state reached, day), in order


@dataclass(frozen=True)
class Answer:
    status: Status | None = None
    retry_after: int = 0  # seconds, when the address has failed too often

    @property
    def throttled(self) -> bool:
        return self.retry_after > 0


def _locked(address: str, now: datetime) -> StatusCheckThrottle:
    for _ in range(3):
        row = StatusCheckThrottle.objects.select_for_update().filter(address=address).first()
        if row is not None:
            return row
        try:
            with transaction.atomic():
                return StatusCheckThrottle.objects.create(address=address, until=now + _window())
        except IntegrityError:
            continue
    raise RuntimeError("the status check count kept changing under the lock")


def _status(number: str, birth_year: int) -> Status | None:
    if not well_formed_number(number):
        return None
    found = CampaignRequest.objects.filter(number=number, birth_year=birth_year).values(
        "number", "kind", "state", "rejection_reason", "submitted_at", "verified_at",
        "decided_at", "applied_at").first()
    if found is None:
        return None
    decided = (RequestState.REJECTED if found["state"] == RequestState.REJECTED
               else RequestState.APPROVED)
    steps = [(RequestState.SUBMITTED, found["submitted_at"]),
             (RequestState.VERIFIED, found["verified_at"]), (decided, found["decided_at"]),
             (RequestState.APPLIED, found["applied_at"])]
    return Status(found["number"], found["kind"], found["state"],
                  found["rejection_reason"] if found["state"] == RequestState.REJECTED else "",
                  tuple((str(state), timezone.localdate(at)) for state, at in steps if at))


def check(*, number: str, birth_year: int, address: str) -> Answer:
    """The request's status, or an empty answer (unknown number and wrong year
    alike), or a refusal while ``address`` has failed too often."""
    now = timezone.now()
    number = number.strip()
    with transaction.atomic():
        count = _locked(address, now)
        if count.until <= now:
            count.failures, count.until = 0, now + _window()
        if count.failures >= _failures_allowed():
            count.save(update_fields=["failures", "until"])
            return Answer(retry_after=max(1, math.ceil((count.until - now).total_seconds())))
        status = _status(number, birth_year) if EARLIEST_BIRTH_YEAR <= birth_year <= 9999 \
            else None
        if status is None:
            count.failures += 1
        count.save(update_fields=["failures", "until"])
    StatusCheckThrottle.objects.filter(until__lt=now - _window()).delete()
    return Answer(status=status)
