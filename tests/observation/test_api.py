"""The observer's API (docs/observation-api.md): forms, stations, reports, through
Django's test client with a real session; concurrent sends on PostgreSQL."""

from __future__ import annotations

import json
import threading
import uuid

import pytest
from django.db import connections
from django.test import Client

from shafaf.access.roles import Role
from shafaf.observation.models import FormDefinition, Observer, ObserverStatus, Submission

LABEL = {"ar": "سؤال", "ckb": "پرسیار", "en": "Question"}
QUESTIONS = [
    {"id": "opened_on_time", "type": "yes_no", "required": True, "label": LABEL},
    {"id": "staff", "type": "number", "required": False, "label": LABEL, "min": 0, "max": 50},
    {"id": "problem", "type": "choice", "required": False, "label": LABEL,
     "choices": [{"value": "none", "label": LABEL}, {"value": "late", "label": LABEL}]},
]
URL = "/api/observation/submissions"


@pytest.fixture
def opening(db) -> FormDefinition:
    # The API's answers are read against this test's forms alone, not the shipped ones.
    FormDefinition.objects.filter(organisation__isnull=True).delete()
    return FormDefinition.objects.create(code="opening", version=1, name_ar="الافتتاح",
                                         name_en="Opening", questions=QUESTIONS)


@pytest.fixture
def phone(observer, users) -> Client:
    client = Client()
    client.force_login(users[Role.OBSERVER])
    return client


def _send(client: Client, body: object, **extra: str):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(URL, data, content_type="application/json", **extra)


def _report(**changes: object) -> dict[str, object]:
    return {"id": str(uuid.uuid4()), "form": "opening", "station": "KI0001-01",
            "answers": {"opened_on_time": True, "staff": 7}, **changes}


def test_the_observer_sees_the_forms_they_answer(phone, opening, organisation):
    FormDefinition.objects.create(code="opening", version=2, name_ar="الافتتاح ٢",
                                  organisation=organisation, questions=QUESTIONS[:1])
    FormDefinition.objects.create(code="closing", version=3, name_ar="الإغلاق",
                                  questions=QUESTIONS[:1])
    found = {form["code"]: form for form in phone.get("/api/observation/forms").json()}
    assert set(found) == {"opening", "closing"}
    assert found["opening"]["version"] == 2  # the organisation's own version wins
    assert found["closing"]["name"] == {"ar": "الإغلاق", "ckb": "", "en": ""}
    question = found["opening"]["questions"][0]
    assert question == {"id": "opened_on_time", "type": "yes_no", "label": LABEL,
                        "required": True, "choices": None, "min": None, "max": None}


def test_the_observer_sees_their_own_stations(phone):
    rows = phone.get("/api/observation/assignments").json()
    assert [row["station"] for row in rows] == ["KI0001-01", "KI0001-02"]
    assert rows[0]["centre"] == "KI0001"
    assert rows[0]["governorate"] == "IQ-KI"


def test_a_report_sent_twice_is_one_record(phone, opening):
    report = _report()
    first = _send(phone, report)
    again = _send(phone, report)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert first.json()["id"] == report["id"]
    assert first.json()["form"] == "opening"
    assert first.json()["version"] == 1
    assert first.json()["status"] == "pending"
    assert Submission.objects.count() == 1
    listed = phone.get(URL).json()
    assert listed["count"] == 1
    assert listed["items"][0]["id"] == report["id"]


def test_wrong_answers_name_each_question_and_store_nothing(phone, opening):
    response = _send(phone, _report(answers={"staff": 99, "problem": "flood", "x": 1}))
    assert response.status_code == 422
    problems = {p["question"]: p["code"] for p in response.json()["problems"]}
    assert problems == {"opened_on_time": "required", "staff": "out_of_range",
                        "problem": "unknown_choice", "x": "unknown_question"}
    assert not Submission.objects.exists()


@pytest.mark.parametrize(("changes", "status"), [
    ({"station": "KI0001-03"}, 403),  # not one of theirs
    ({"station": "BA0001-01"}, 403),
    ({"form": "closing"}, 404),
    ({"version": 7}, 404),
])
def test_refusals(phone, opening, changes, status):
    response = _send(phone, _report(**changes))
    assert response.status_code == status
    assert response.json()["detail"]
    assert not Submission.objects.exists()


def test_an_id_that_is_another_observers_report_is_a_conflict(phone, opening, observer,
                                                              users):
    other = Observer.objects.create(
        organisation=observer.organisation, full_name="آخر", birth_date="1991-01-01",
        sex="M", governorate=observer.governorate, user=users[Role.CLERK],
        status=ObserverStatus.ACCREDITED)
    report = _report()
    assert _send(phone, report).status_code == 201
    Observer.objects.filter(pk=observer.pk).update(user=None)
    Observer.objects.filter(pk=other.pk).update(user=users[Role.OBSERVER])
    assert _send(phone, report).status_code == 409
    assert Submission.objects.get().observer == observer


@pytest.mark.parametrize("body", [
    "", "{", "[]", "null", "42", '"text"', "[" * 5000 + "]" * 5000,
    json.dumps({"id": "not-a-uuid", "form": "opening", "station": "KI0001-01",
                "answers": {}}),
    json.dumps({"id": str(uuid.uuid4()), "form": ["opening"], "station": "KI0001-01"}),
    json.dumps({"id": str(uuid.uuid4()), "form": "o" * 10_000, "station": "KI0001-01"}),
    json.dumps({"id": str(uuid.uuid4()), "form": "opening", "station": "KI0001-01",
                "answers": [1, 2]}),
    json.dumps({"id": str(uuid.uuid4()), "form": "opening", "station": "KI0001-01",
                "answers": {"opened_on_time": True}, "version": "one"}),
    json.dumps({"id": str(uuid.uuid4()), "form": "opening", "station": "KI0001-01",
                "answers": {"opened_on_time": True, "problem": {"$gt": ""}}}),
    "\x00\xff",
])
def test_hostile_bodies_are_refused_with_a_reason(phone, opening, body):
    response = _send(phone, body)
    assert response.status_code in (400, 422), response.content
    assert response.json()["detail"]
    assert not Submission.objects.exists()


def test_a_huge_body_is_refused_before_it_is_read(phone, opening):
    report = _report(answers={"opened_on_time": True, "note": "x" * 70_000})
    response = _send(phone, report)
    assert response.status_code == 400
    assert not Submission.objects.exists()


def test_anonymous_and_other_roles_are_refused(client, users, opening, observer):
    assert _send(client, _report()).status_code == 401
    for role in (Role.ADMIN, Role.CSO_COORDINATOR, Role.CLERK):
        other = Client()
        other.force_login(users[role])
        assert _send(other, _report()).status_code == 403
    Observer.objects.filter(pk=observer.pk).update(status=ObserverStatus.REVOKED)
    phone = Client()
    phone.force_login(users[Role.OBSERVER])
    assert _send(phone, _report()).status_code == 403
    assert phone.get("/api/observation/forms").status_code == 403
    assert not Submission.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(observer, users, opening):
    phone = Client(enforce_csrf_checks=True)
    phone.force_login(users[Role.OBSERVER])
    assert _send(phone, _report()).status_code == 403
    phone.get("/observe/")
    token = phone.cookies["csrftoken"].value
    assert _send(phone, _report(), HTTP_X_CSRFTOKEN=token).status_code == 201


def test_the_list_is_the_observers_own_newest_first_by_pages(phone, opening):
    sent = [_report()["id"] for _ in range(3)]
    for report_id in sent:
        assert _send(phone, _report(id=report_id)).status_code == 201
    listed = phone.get(URL).json()
    assert [item["id"] for item in listed["items"]] == sent[::-1]
    assert phone.get(URL + "?page=2").json()["items"] == []
    assert phone.get(URL + "?page=0").status_code == 422
    assert phone.get(URL + "?page=x").status_code == 422


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_sends_at_once_store_one_report(observer, users, opening):
    report, barrier, answers = _report(), threading.Barrier(2), []

    def send() -> None:
        phone = Client()
        phone.force_login(users[Role.OBSERVER])
        barrier.wait()
        answers.append(_send(phone, report).status_code)
        connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [200, 201]
    assert Submission.objects.filter(pk=report["id"]).count() == 1
