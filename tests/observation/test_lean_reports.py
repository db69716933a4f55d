"""The lean path for reports (shafaf.web.observation_reports) answers exactly as the
full path does: each case is sent through the site as configured and again with the
lean middleware taken out, and the two answers must be the same. A spy says which
cases the lean path answered itself, so that a lean path that always passed its
reports on could not pass these tests."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from shafaf.access.roles import Role
from shafaf.accounts.sessions import SIGNED_IN_AT
from shafaf.observation.models import FormDefinition, Observer, Submission
from shafaf.web import observation_reports

LABEL = {"ar": "سؤال"}
QUESTIONS = [
    {"id": "opened_on_time", "type": "yes_no", "required": True, "label": LABEL},
    {"id": "staff", "type": "number", "required": False, "label": LABEL, "min": 0, "max": 50},
]
URL = "/api/observation/submissions"
LEAN = "shafaf.web.observation_reports.ReportMiddleware"


@pytest.fixture
def opening(db) -> FormDefinition:
    FormDefinition.objects.filter(organisation__isnull=True).delete()
    return FormDefinition.objects.create(code="opening", version=1, name_ar="الافتتاح",
                                         questions=QUESTIONS)


@pytest.fixture
def answered_lean(monkeypatch) -> list[bool]:
    """For each request to the endpoint, whether the lean path answered it."""
    seen: list[bool] = []
    original = observation_reports.ReportMiddleware.answer

    def spy(self: Any, request: Any) -> Any:
        answer = original(self, request)
        seen.append(answer is not None)
        return answer

    monkeypatch.setattr(observation_reports.ReportMiddleware, "answer", spy)
    return seen


def _report(**changes: object) -> dict[str, object]:
    return {"id": str(uuid.uuid4()), "form": "opening", "station": "KI0001-01",
            "answers": {"opened_on_time": True, "staff": 7}, **changes}


def _send(client: Client, body: object, **extra: Any) -> Any:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data, content_type="application/json", **extra)


def _client(users: Any, role: Role | None = Role.OBSERVER, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    if role is not None:
        client.force_login(users[role])
    return client


def _seen(response: Any) -> tuple[int, Any, dict[str, str]]:
    """What a phone sees: the status, the body (without the time received, which
    differs between two reports) and the headers a browser acts on."""
    body = response.json()
    if isinstance(body, dict):
        body = {k: v for k, v in body.items() if k not in ("received", "id")}
    headers = {name: response.get(name, "") for name in (
        "Content-Type", "Content-Language", "X-Frame-Options", "X-Content-Type-Options",
        "Content-Security-Policy", "Referrer-Policy")}
    return response.status_code, body, headers


Case = Callable[[Any], Any]


def _new(users: Any) -> Any:
    return _send(_client(users), _report())


def _again(users: Any) -> Any:
    phone, report = _client(users), _report()
    assert _send(phone, report).status_code == 201
    return _send(phone, report)


def _versioned(users: Any) -> Any:
    return _send(_client(users), _report(version=1))


def _not_their_station(users: Any) -> Any:
    return _send(_client(users), _report(station="KI0002-01"))


def _no_such_form(users: Any) -> Any:
    return _send(_client(users), _report(form="nothing"))


def _answers_misfit(users: Any) -> Any:
    return _send(_client(users), _report(answers={"staff": 99}))


def _someone_elses_id(users: Any) -> Any:
    mine = Observer.objects.get(user=users[Role.OBSERVER])
    other = Observer.objects.filter(user=users[Role.CSO_COORDINATOR]).first()
    if other is None:
        other = Observer.objects.get(pk=mine.pk)
        other.pk, other.user = None, users[Role.CSO_COORDINATOR]
        other.save()
    taken = Submission.objects.create(
        observer=other, form=FormDefinition.objects.get(code="opening"),
        station=mine.assignments.first().station, answers={"opened_on_time": True})
    return _send(_client(users), _report(id=str(taken.pk)))


def _anonymous(users: Any) -> Any:
    return _send(_client(users, None), _report())


def _not_an_observer(users: Any) -> Any:
    return _send(_client(users, Role.CSO_COORDINATOR), _report())


def _no_csrf_token(users: Any) -> Any:
    return _send(_client(users, enforce_csrf_checks=True), _report())


def _malformed(users: Any) -> Any:
    return _send(_client(users), b"{not json")


def _bad_fields(users: Any) -> Any:
    return _send(_client(users), _report(id="not-a-uuid"))


def _working_day_over(users: Any) -> Any:
    phone = _client(users)
    session = phone.session
    session[SIGNED_IN_AT] = time.time() - django_settings.SESSION_COOKIE_AGE - 60
    session.save()
    return _send(phone, _report())


def _must_change_password(users: Any) -> Any:
    user = users[Role.OBSERVER]
    user.must_change_password = True
    user.save()
    return _send(_client(users), _report())


# (case, answered on the lean path, status)
CASES: list[tuple[Case, bool, int]] = [
    (_new, True, 201), (_again, True, 200), (_versioned, True, 201),
    (_not_their_station, True, 403), (_no_such_form, True, 404),
    (_answers_misfit, True, 422), (_someone_elses_id, True, 409),
    (_anonymous, False, 401), (_not_an_observer, False, 403),
    (_no_csrf_token, False, 403), (_malformed, False, 400), (_bad_fields, False, 422),
    (_working_day_over, False, 401), (_must_change_password, False, 403),
]


@pytest.mark.parametrize(("case", "lean", "status"), CASES,
                         ids=[case.__name__.strip("_") for case, _, _ in CASES])
def test_the_lean_path_answers_as_the_full_path(case, lean, status, observer, users,
                                                opening, settings, answered_lean):
    through_lean = case(users)
    assert answered_lean[-1] is lean
    Submission.objects.all().delete()
    _restore(users)

    settings.MIDDLEWARE = [m for m in django_settings.MIDDLEWARE if m != LEAN]
    answered_lean.clear()
    through_full = case(users)
    assert answered_lean == []  # the lean middleware was not there
    assert through_lean.status_code == status
    assert _seen(through_lean) == _seen(through_full)


def _restore(users: Any) -> None:
    user = users[Role.OBSERVER]
    if user.must_change_password:
        user.must_change_password = False
        user.save()


def test_a_new_report_is_stored_once_with_its_form_and_station(observer, users, opening,
                                                               answered_lean):
    phone, report = _client(users), _report()
    first, second = _send(phone, report), _send(phone, report)
    assert answered_lean == [True, True]
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    stored = Submission.objects.get()
    assert (stored.observer_id, stored.form_id, stored.station.code) == (
        observer.pk, opening.pk, "KI0001-01")
    assert stored.answers == report["answers"]
