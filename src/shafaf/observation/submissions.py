"""An observer's report: one form's answers for one station, from the web, the phone
app or SMS (docs/observation.md). The one way a submission is stored.

A phone may send the same report twice (no answer came back, the connection was cut):
the report carries the phone's own UUID, and the second send finds the first record.
Two sends racing each other are settled by the primary key: one inserts, the other
reads what it inserted.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any, TypeVar

from django.db import IntegrityError, connection, models, transaction
from django.db.models import BooleanField, Func, Q
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_aware, make_aware

from shafaf.core import observation_forms
from shafaf.elections.models import PollingStation
from shafaf.observation import posted
from shafaf.observation.models import (
    Assignment,
    Channel,
    FormDefinition,
    Observer,
    ObserverStatus,
    Submission,
)

M = TypeVar("M", bound=models.Model)

# What else happens when a report is first stored, inside its transaction (an incident's
# alert, ...): each part of observation appends its function from ObservationConfig.ready.
AFTER_STORE: list[Callable[[Submission], None]] = []


@dataclass(frozen=True, slots=True)
class Refused(Exception):
    """Why a report is not stored: ``status`` is the HTTP answer (403 not this
    observer's to send, 404 no such form, 409 the id is another observer's, 422 the
    answers do not fit), ``problems`` name the questions."""

    status: int
    message: str
    problems: tuple[observation_forms.Problem, ...] = ()


def current_form(observer: Observer, code: str, version: int | None = None
                 ) -> FormDefinition | None:
    """The form an observer answers: their organisation's own version of ``code`` if
    it has one, else the standard form; the highest version unless one is named (a
    phone offline since the form changed sends the version it showed), where the
    organisation's own form of that version comes before the standard one."""
    forms = FormDefinition.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id=observer.organisation_id), code=code)
    if version is not None:
        forms = forms.filter(version=version)
    # Own before standard: False (not null) sorts before True on both databases.
    return forms.order_by(IsNull("organisation_id"), "-version").first()


class IsNull(Func):
    """``column IS NULL`` as a value to order by."""

    template = "(%(expressions)s IS NULL)"
    output_field = BooleanField()


@dataclass(frozen=True, slots=True)
class Stored:
    """A stored report as the phone is answered: ``record`` (its fields) and whether
    this call created it."""

    record: dict[str, Any]
    created: bool


def submit(observer: Observer, *, client_id: uuid.UUID, form_code: str, station_code: str,
           answers: Any, channel: str = Channel.WEB, version: int | None = None
           ) -> tuple[Submission, bool]:
    """The stored report and whether this call created it. Raises :class:`Refused`."""
    found = _situation(_BY_OBSERVER, observer.pk, client_id, form_code, station_code,
                       version)
    if found is None:  # the observer was deleted meanwhile
        raise Refused(403, "only an accredited observer may report")
    if found.existing_observer is not None:
        return _again(Submission.objects.select_related("form", "station").get(
            pk=client_id), observer.pk), False
    submission = _new(found, client_id, answers, channel)
    submission.observer = observer
    return _store(submission)


def submit_as(user_id: int, *, client_id: uuid.UUID, form_code: str, station_code: str,
              answers: Any, version: int | None = None) -> Stored | None:
    """A phone's report by the observer whose account is ``user_id``, in as few round
    trips as the API's lean path needs (shafaf.web.observation_reports): one query
    finds the observer, the form, the station and any report already sent under this
    id, and a new report is one transaction. None when the account is no accredited
    observer's. Raises :class:`Refused`."""
    found = _situation(_BY_ACCOUNT, user_id, client_id, form_code, station_code, version)
    if found is None or found.observer_status != ObserverStatus.ACCREDITED:
        return None
    if found.existing_observer is not None:
        if found.existing_observer != found.observer_id:
            raise Refused(409, "this id belongs to another report")
        return Stored(found.existing or {}, created=False)
    submission, created = _store(_new(found, client_id, answers, Channel.WEB))
    return Stored(record(submission), created)


def record(submission: Submission) -> dict[str, Any]:
    """A report as the API gives it (docs/observation-api.md)."""
    return {"id": str(submission.pk), "form": submission.form.code,
            "version": submission.form.version, "station": submission.station.code,
            "answers": submission.answers, "received": submission.received.isoformat(),
            "status": submission.status}


@dataclass(frozen=True, slots=True)
class _Situation:
    observer_id: int
    observer_status: str
    organisation_id: int
    station_id: int | None
    station_code: str
    form: FormDefinition | None
    existing_observer: int | None
    existing: dict[str, Any] | None


def _table(model: Any) -> str:
    return str(model._meta.db_table)


_BY_OBSERVER, _BY_ACCOUNT = "o.id", "o.user_id"


@cache
def _statement(key: str, versioned: bool) -> str:
    """One statement for what a report needs: the observer (by id or by account), the
    assigned station of that code, the form it answers (own before standard, highest
    version unless one is named) and the report already stored under the id, if any.
    Plain SQL that both databases run."""
    observer, assignment = _table(Observer), _table(Assignment)
    station, form, submission = (_table(PollingStation), _table(FormDefinition),
                                 _table(Submission))
    version = "AND f2.version = %s " if versioned else ""
    # Table names from the models; every value is bound as a parameter.
    return (
        f"SELECT o.id, o.status, o.organisation_id, st.id, st.code, "  # noqa: S608
        f"f.id, f.code, f.version, f.organisation_id, f.questions, "
        f"s.observer_id, s.answers, s.received, s.status, sf.code, sf.version, ss.code "
        f"FROM {observer} o "
        f"LEFT JOIN {station} st ON st.code = %s AND st.id IN "
        f"(SELECT a.station_id FROM {assignment} a WHERE a.observer_id = o.id) "
        f"LEFT JOIN {form} f ON f.id = (SELECT f2.id FROM {form} f2 WHERE f2.code = %s "
        f"AND (f2.organisation_id IS NULL OR f2.organisation_id = o.organisation_id) "
        f"{version}ORDER BY (f2.organisation_id IS NULL), f2.version DESC LIMIT 1) "
        f"LEFT JOIN {submission} s ON s.id = %s "
        f"LEFT JOIN {form} sf ON sf.id = s.form_id "
        f"LEFT JOIN {station} ss ON ss.id = s.station_id "
        f"WHERE {key} = %s ORDER BY st.id LIMIT 1")


def _situation(key: str, who: int, client_id: uuid.UUID, form_code: str,
               station_code: str, version: int | None) -> _Situation | None:
    params: list[Any] = [station_code, form_code]
    if version is not None:
        params.append(version)
    params += [_uuid_param(client_id), who]
    with connection.cursor() as cursor:
        cursor.execute(_statement(key, version is not None), params)
        row = cursor.fetchone()
    if row is None:
        return None
    (observer_id, status, organisation_id, station_id, code, form_id, form_code_,
     form_version, form_organisation, questions, existing_observer, answers, received,
     existing_status, existing_form, existing_version, existing_station) = row
    form = None
    if form_id is not None:
        form = _partial(FormDefinition, id=form_id, code=form_code_, version=form_version,
                        organisation_id=form_organisation, questions=_json(questions))
    existing = None
    if existing_observer is not None:
        existing = {"id": str(client_id), "form": existing_form, "version": existing_version,
                    "station": existing_station, "answers": _json(answers),
                    "received": _instant(received).isoformat(), "status": existing_status}
    return _Situation(observer_id, status, organisation_id, station_id, code or "", form,
                      existing_observer, existing)


def _partial(model: type[M], **fields: Any) -> M:
    """An instance as if loaded with only these fields: any other is read from the
    database when first used (Django's deferred fields), never a wrong default."""
    names = [field.attname for field in model._meta.concrete_fields]
    return model.from_db(connection.alias, [n for n in names if n in fields],
                         [fields[n] for n in names if n in fields])


def _uuid_param(value: uuid.UUID) -> Any:
    # Django stores a UUID as 32 hex characters where the database has no uuid type.
    return value if connection.features.has_native_uuid_field else value.hex


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _instant(value: Any) -> datetime:
    if isinstance(value, str):  # SQLite: the text Django wrote, in UTC
        parsed = parse_datetime(value)
        if parsed is None:
            raise ValueError(value)
        value = parsed
    return value if is_aware(value) else make_aware(value, UTC)


def _new(found: _Situation, client_id: uuid.UUID, answers: Any, channel: str) -> Submission:
    """A report to store, or :class:`Refused` saying why not."""
    if found.observer_status != ObserverStatus.ACCREDITED:
        raise Refused(403, "only an accredited observer may report")
    if found.form is None:
        raise Refused(404, "no such form")
    if found.station_id is None:
        raise Refused(403, "the station is not one of this observer's")
    # The station and form hold what was read; the rest of them, and the observer,
    # are loaded only if a hook asks.
    station = _partial(PollingStation, id=found.station_id, code=found.station_code)
    questions = found.form.questions
    problems = observation_forms.answer_problems(questions, answers)
    if not problems and _answers_lists(questions, answers):
        # The posted form's lists are those standing in the station's governorate.
        standing = {row.list_id for row in posted.station_lists(station)}
        problems = observation_forms.list_problems(questions, answers, standing)
    if problems:
        raise Refused(422, "the answers do not fit the form", tuple(problems))
    return Submission(id=client_id, observer_id=found.observer_id, form=found.form,
                      station=station, answers=answers, channel=channel)


def _answers_lists(questions: list[dict[str, Any]], answers: dict[str, Any]) -> bool:
    return any(q["type"] == "list_votes" and answers.get(q["id"]) is not None
               for q in questions)


def _store(submission: Submission) -> tuple[Submission, bool]:
    try:
        with transaction.atomic():
            submission.save(force_insert=True)
            _flag_conflicts(submission)
            for after in AFTER_STORE:
                after(submission)
    except IntegrityError:
        # The same report sent twice at once: the other send stored it.
        return _again(Submission.objects.select_related("form", "station").get(
            pk=submission.pk), submission.observer_id), False
    return submission, True


def _again(existing: Submission, observer_id: int) -> Submission:
    if existing.observer_id != observer_id:
        raise Refused(409, "this id belongs to another report")
    return existing


def _flag_conflicts(submission: Submission) -> None:
    """Two observers of one station who answered one form differently are both
    flagged, for their coordinators to verify (Apollo's conflicting reports)."""
    others = Submission.objects.filter(
        station_id=submission.station_id, form__code=submission.form.code).exclude(
        observer_id=submission.observer_id)
    questions = submission.form.questions
    clashing = [other.pk for other in others.only("pk", "answers")
                if observation_forms.disagree(questions, other.answers, submission.answers)]
    if clashing:
        Submission.objects.filter(pk__in=[*clashing, submission.pk]).update(conflict=True)
        submission.conflict = True
