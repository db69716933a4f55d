"""The one way a report is stored: idempotent on the phone's id, checked against its
form, only for an accredited observer's own stations."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from shafaf.elections.models import Governorate
from shafaf.observation.models import FormDefinition, Observer, ObserverStatus, Submission
from shafaf.observation.submissions import Refused, current_form, submit

LABEL = {"ar": "سؤال"}
QUESTIONS = [{"id": "opened", "type": "yes_no", "required": True, "label": LABEL},
             {"id": "staff", "type": "number", "required": False, "label": LABEL}]


@pytest.fixture
def opening(db) -> FormDefinition:
    # The standard forms ship with the migrations: this test's own version 1 stands in.
    return FormDefinition.objects.update_or_create(
        code="opening", version=1, organisation=None,
        defaults={"name_ar": "الافتتاح", "questions": QUESTIONS})[0]


def test_a_report_sent_twice_is_stored_once(observer, opening):
    client_id = uuid.uuid4()
    first, created = submit(observer, client_id=client_id, form_code="opening",
                            station_code="KI0001-01", answers={"opened": True})
    again, created_again = submit(observer, client_id=client_id, form_code="opening",
                                  station_code="KI0001-01", answers={"opened": True})
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk == client_id
    assert Submission.objects.count() == 1
    assert first.form == opening


def test_a_missing_or_wrong_answer_stores_nothing(observer, opening):
    with pytest.raises(Refused) as refused:
        submit(observer, client_id=uuid.uuid4(), form_code="opening",
               station_code="KI0001-01", answers={"staff": "three"})
    assert refused.value.status == 422
    assert {p.question for p in refused.value.problems} == {"opened", "staff"}
    assert not Submission.objects.exists()


def test_only_the_observers_stations_and_only_when_accredited(observer, opening):
    with pytest.raises(Refused) as refused:
        submit(observer, client_id=uuid.uuid4(), form_code="opening",
               station_code="KI0001-03", answers={"opened": True})
    assert refused.value.status == 403
    with pytest.raises(Refused) as refused:
        submit(observer, client_id=uuid.uuid4(), form_code="no_such_form",
               station_code="KI0001-01", answers={"opened": True})
    assert refused.value.status == 404
    Observer.objects.filter(pk=observer.pk).update(status=ObserverStatus.REVOKED)
    observer.refresh_from_db()
    with pytest.raises(Refused) as refused:
        submit(observer, client_id=uuid.uuid4(), form_code="opening",
               station_code="KI0001-01", answers={"opened": True})
    assert refused.value.status == 403
    assert not Submission.objects.exists()


def test_another_observers_id_is_a_conflict(observer, opening, organisation):
    client_id = uuid.uuid4()
    submit(observer, client_id=client_id, form_code="opening", station_code="KI0001-01",
           answers={"opened": True})
    other = Observer.objects.create(
        organisation=organisation, full_name="آخر", birth_date=date(1990, 1, 1), sex="M",
        governorate=Governorate.objects.get(code="IQ-KI"), status=ObserverStatus.ACCREDITED)
    with pytest.raises(Refused) as refused:
        submit(other, client_id=client_id, form_code="opening", station_code="KI0001-01",
               answers={"opened": True})
    assert refused.value.status == 409


def test_two_observers_who_disagree_are_both_flagged(observer, opening, organisation):
    other = Observer.objects.create(
        organisation=organisation, full_name="آخر", birth_date=date(1990, 1, 1), sex="M",
        governorate=Governorate.objects.get(code="IQ-KI"), status=ObserverStatus.ACCREDITED)
    station = observer.assignments.get(station__code="KI0001-01").station
    other.assignments.create(station=station, centre=station.centre)
    submit(observer, client_id=uuid.uuid4(), form_code="opening", station_code="KI0001-01",
           answers={"opened": True, "staff": 5})
    agreeing, _ = submit(other, client_id=uuid.uuid4(), form_code="opening",
                         station_code="KI0001-01", answers={"opened": True})
    assert not agreeing.conflict
    differing, _ = submit(other, client_id=uuid.uuid4(), form_code="opening",
                          station_code="KI0001-01", answers={"opened": True, "staff": 4})
    assert differing.conflict
    assert Submission.objects.filter(conflict=True).count() == 2


def test_an_organisations_own_version_replaces_the_standard_form(observer, opening,
                                                                  organisation):
    own = FormDefinition.objects.create(code="opening", version=2, organisation=organisation,
                                        name_ar="الافتتاح", questions=QUESTIONS)
    assert current_form(observer, "opening") == own
    assert current_form(observer, "opening", version=1) == opening
