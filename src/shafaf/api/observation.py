"""The observer's API (docs/observation-api.md): the forms they answer, the stations
they are deployed to, and their reports, sent by the phone app (session login, the
CSRF token in ``X-CSRFToken``). Reports are stored by
:func:`shafaf.observation.submissions.submit`, the one way, idempotent on the phone's
UUID."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.utils.translation import get_language, gettext
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from shafaf.access.checks import can
from shafaf.access.roles import Capability
from shafaf.api.pagination import MAX_PAGE
from shafaf.observation import posted, submissions
from shafaf.observation.models import (
    Assignment,
    FormDefinition,
    Observer,
    ObserverStatus,
    Submission,
)

router = Router(tags=["observation"], auth=django_auth)

MAX_BODY_BYTES = 64 * 1024
"""A report's body: the longest form (200 questions of 2,000 characters of text at
most) fits many times over in JSON; anything larger is not a phone's report."""
_SHORT = 64


class NotAnObserver(Exception):
    """The user may not report: no capability, no observer record, not accredited."""


def _observer(request: HttpRequest) -> Observer:
    user = request.user
    if not can(user, Capability.SUBMIT_OBSERVATIONS):
        raise NotAnObserver
    found = Observer.objects.filter(user_id=user.pk, status=ObserverStatus.ACCREDITED) \
        .select_related("organisation").first()
    if found is None:
        raise NotAnObserver
    return found


def _forbidden() -> JsonResponse:
    return JsonResponse({"detail": gettext("Only an accredited observer may use this.")},
                        status=403)


class ChoiceOut(Schema):
    value: str
    label: dict[str, str]


class QuestionOut(Schema):
    id: str
    type: str
    label: dict[str, str]
    required: bool
    choices: list[ChoiceOut] | None = None
    min: int | None = None
    max: int | None = None


class FormOut(Schema):
    code: str
    version: int
    name: dict[str, str]
    questions: list[QuestionOut]


class ListOut(Schema):
    list_id: str
    name: str


class AssignmentOut(Schema):
    station: str
    centre: str
    centre_name: str
    governorate: str
    lists: list[ListOut] = Field(
        default_factory=list,
        description="the lists on the station's ballot (a list_votes question's keys)")


class SubmissionOut(Schema):
    id: uuid.UUID
    form: str
    version: int
    station: str
    answers: dict[str, Any]
    received: datetime
    status: str


class DetailOut(Schema):
    detail: str


def forms_for(observer: Observer) -> list[FormDefinition]:
    """Each form the observer answers, once: their organisation's latest version of a
    code if it has one, else the standard form's latest."""
    codes = FormDefinition.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id=observer.organisation_id)
    ).order_by("code").values_list("code", flat=True).distinct()
    found = (submissions.current_form(observer, code) for code in codes)
    return [form for form in found if form is not None]


def _question(question: dict[str, Any]) -> dict[str, Any]:
    out = {"id": question["id"], "type": question["type"], "label": question.get("label", {}),
           "required": bool(question.get("required", False))}
    if question["type"] in ("choice", "multi"):
        out["choices"] = [{"value": c["value"], "label": c.get("label", {})}
                          for c in question.get("choices", ())]
    if question["type"] == "number":
        out["min"], out["max"] = question.get("min", 0), question.get("max")
    return out


def _form(form: FormDefinition) -> dict[str, Any]:
    return {"code": form.code, "version": form.version,
            "name": {"ar": form.name_ar, "ckb": form.name_ckb, "en": form.name_en},
            "questions": [_question(q) for q in form.questions]}


@router.get("/forms", response={200: list[FormOut], 403: DetailOut},
            summary="The forms the logged-in observer answers")
def forms(request: HttpRequest) -> Any:
    """Each form once, in its current version: the observer's organisation's own
    version where it has one, else the standard form."""
    try:
        observer = _observer(request)
    except NotAnObserver:
        return _forbidden()
    return [_form(form) for form in forms_for(observer)]


@router.get("/assignments", response={200: list[AssignmentOut], 403: DetailOut},
            summary="The logged-in observer's stations")
def assignments(request: HttpRequest) -> Any:
    try:
        observer = _observer(request)
    except NotAnObserver:
        return _forbidden()
    rows = Assignment.objects.filter(observer=observer).select_related(
        "station", "centre__governorate").order_by("station__code")
    lists: dict[tuple[int, int], list[dict[str, str]]] = {}
    out = []
    for row in rows:
        key = (row.centre.election_id, row.centre.governorate_id)
        if key not in lists:  # once per governorate: a mobile observer has many stations
            lists[key] = [{"list_id": found.list_id, "name": _list_name(found)}
                          for found in posted.standing_lists(election_id=key[0],
                                                             governorate_id=key[1])]
        out.append({"station": row.station.code, "centre": row.centre.code,
                    "centre_name": row.centre.name,
                    "governorate": row.centre.governorate.code, "lists": lists[key]})
    return out


def _list_name(found: posted.StandingList) -> str:
    language = (get_language() or "ar").split("-")[0]
    name = {"ckb": found.name_ckb, "en": found.name_en}.get(language, "")
    return name or found.name_ar


PAGE_SIZE = 50


class PageIn(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)


class SubmissionsPage(Schema):
    items: list[SubmissionOut]
    count: int
    page: int


@router.get("/submissions", response={200: SubmissionsPage, 403: DetailOut},
            summary="The logged-in observer's own reports, newest first")
def my_submissions(request: HttpRequest, params: Query[PageIn]) -> Any:
    """50 a page; ``count`` is the number of reports in all."""
    try:
        observer = _observer(request)
    except NotAnObserver:
        return _forbidden()
    rows = Submission.objects.filter(observer=observer).select_related(
        "form", "station").order_by("-received", "pk")
    page = params.page
    start = (page - 1) * PAGE_SIZE
    return {"items": [submissions.record(row) for row in rows[start:start + PAGE_SIZE]],
            "count": rows.count(), "page": page}


class Malformed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_report(request: HttpRequest) -> dict[str, Any]:
    """The body, read and bounded here: an oversized, malformed or ill-shaped body is
    a 400 or 422 with a sentence, never an error of the server."""
    length = str(request.META.get("CONTENT_LENGTH") or "0")
    if not length.isdigit() or int(length) > MAX_BODY_BYTES:
        raise Malformed(gettext("A report is a JSON object of at most 64 KB."))
    try:
        body = json.loads(request.body)
    except (ValueError, RawPostDataException, RecursionError) as error:
        raise Malformed(gettext("The body is not JSON.")) from error
    if not isinstance(body, dict):
        raise Malformed(gettext("A report is a JSON object."))
    return body


def field_problems(body: dict[str, Any]) -> list[dict[str, str]]:
    problems = []
    for name in ("id", "form", "station"):
        if not isinstance(body.get(name), str) or not 0 < len(body[name]) <= _SHORT:
            problems.append({"question": "", "code": f"bad_{name}",
                             "message": gettext("“%(field)s” is required: text of at most "
                                                "64 characters.") % {"field": name}})
    if not any(problem["code"] == "bad_id" for problem in problems):
        try:
            uuid.UUID(body["id"])
        except ValueError:
            problems.append({"question": "", "code": "bad_id",
                             "message": gettext("“id” must be a UUID.")})
    version = body.get("version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)
                                or not 0 < version < 2**31):
        problems.append({"question": "", "code": "bad_version",
                         "message": gettext("“version” must be a positive whole number.")})
    return problems


class SubmissionIn(Schema):
    id: uuid.UUID = Field(description="the phone's own UUID for this report")
    form: str = Field(max_length=_SHORT, description="the form's code, e.g. opening")
    station: str = Field(max_length=_SHORT, description="the station's code, e.g. KI0001-03")
    answers: dict[str, Any] = Field(description="question id → answer")
    version: int | None = Field(None, description="the form version the phone showed")


class ProblemOut(Schema):
    question: str
    code: str
    message: str


class RefusedOut(Schema):
    detail: str
    problems: list[ProblemOut]


@router.post("/submissions", response={200: SubmissionOut, 201: SubmissionOut,
                                       400: RefusedOut, 403: RefusedOut, 404: RefusedOut,
                                       409: RefusedOut, 413: RefusedOut, 422: RefusedOut},
             summary="Send a report (idempotent on its id)",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": SubmissionIn.model_json_schema()}}}})
def submit(request: HttpRequest) -> HttpResponse:
    """201 with the record the first time; 200 with the same record when the phone
    sends the same id again; 422 naming each question whose answer does not fit (and
    nothing stored); 403 not an accredited observer or not their station; 404 no such
    form; 409 the id is another observer's report."""
    try:
        observer = _observer(request)
    except NotAnObserver:
        return _forbidden()
    try:
        body = read_report(request)
    except Malformed as error:
        return JsonResponse({"detail": error.message, "problems": []}, status=400)
    if problems := field_problems(body):
        return JsonResponse({"detail": gettext("The report is not valid: see the problems."),
                             "problems": problems}, status=422)
    try:
        stored, created = submissions.submit(
            observer, client_id=uuid.UUID(body["id"]), form_code=body["form"],
            station_code=body["station"], answers=body.get("answers"),
            version=body.get("version"))
    except submissions.Refused as refused:
        return refusal(refused)
    return JsonResponse(submissions.record(stored), status=201 if created else 200)


def refusal(refused: submissions.Refused) -> JsonResponse:
    """A report the rules refuse: its status, a sentence, and the questions at fault."""
    return JsonResponse({"detail": _refusal_message(refused), "problems": [
        {"question": p.question, "code": p.code, "message": p.message}
        for p in refused.problems]}, status=refused.status)


def _refusal_message(refused: submissions.Refused) -> str:
    return {
        403: gettext("This station is not one of yours, or you may not report."),
        404: gettext("There is no such form."),
        409: gettext("This id belongs to another report."),
        422: gettext("The answers do not fit the form: see the problems."),
    }.get(refused.status, refused.message)
