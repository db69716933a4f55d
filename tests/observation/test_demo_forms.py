"""The demo's polling day: enough of everything for the pages to show, the same every
time, fast."""

from __future__ import annotations

import time
from collections import Counter

from shafaf.observation.demo_forms import INCIDENTS, OBSERVERS, load_polling_day
from shafaf.observation.forms_models import Review
from shafaf.observation.models import Observer, Submission


def test_a_polling_day_of_reports_incidents_conflicts_and_verdicts(stations, observer):
    started = time.perf_counter()
    lines = load_polling_day(stations)
    took = time.perf_counter() - started
    assert lines
    assert took < 10, took
    assert Observer.objects.filter(status="accredited").count() == OBSERVERS
    reports = list(Submission.objects.select_related("form"))
    forms = Counter(r.form.code for r in reports)
    observers = OBSERVERS - 1  # the observer user sends their own
    assert forms == {"opening": observers, "voting": observers, "closing": observers,
                     "counting": observers, "incident": INCIDENTS}
    incidents = [r.answers for r in reports if r.form.code == "incident"]
    assert len({i["category"] for i in incidents}) == 10
    assert Counter(i["severity"] for i in incidents)["critical"] >= 3
    assert any(r.conflict for r in reports if r.form.code == "closing")
    status = Counter(r.status for r in reports)
    assert status["verified"] > len(reports) / 2
    assert status["pending"]
    assert status["rejected"]
    assert Review.objects.count() == status["verified"] + status["rejected"]
    hours = {r.received.hour for r in reports}
    assert len(hours) > 5  # spread over the day, not all "now"
    assert load_polling_day(stations) == []  # once per database


def test_observers_accredited_without_a_station_are_deployed_and_report(stations, observer):
    """The accreditation's demo accredits more observers than the polling day uses, none
    of them deployed: the polling day still has its reports."""
    from datetime import date

    from shafaf.elections.models import Governorate

    kirkuk = Governorate.objects.get(code="IQ-KI")
    Observer.objects.bulk_create(Observer(
        organisation=observer.organisation, full_name=f"مراقب {n}",
        birth_date=date(1990, 1, 1), sex="M", governorate=kirkuk, status="accredited")
        for n in range(OBSERVERS + 10))
    assert load_polling_day(stations)
    counting = Submission.objects.filter(form__code="counting")
    assert counting.count() == OBSERVERS - 1  # the observer user sends their own
    assert Observer.objects.filter(status="accredited").count() == OBSERVERS + 11  # none made
