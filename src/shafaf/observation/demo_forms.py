"""The demo's polling day (docs/observation-reports.md): the standard forms, accredited
observers topped up to about sixty over Kirkuk's and Baghdad's stations, and each
one's opening, voting, closing and counting reports with realistic times and turnouts,
about forty incidents of every category and severity (a few critical), a few stations
where two observers disagree, most reports verified, some pending, a few rejected.
Synthetic and seeded: the same every time. Written in bulk (a few hundred rows)."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from shafaf.audit import actions as audit
from shafaf.core import observation_forms
from shafaf.elections.models import Election, PollingStation
from shafaf.observation import standard_forms
from shafaf.observation.forms_models import Review
from shafaf.observation.models import (
    Assignment,
    Channel,
    FormDefinition,
    Observer,
    ObserverStatus,
    Organisation,
    OrganisationKind,
    Submission,
    Verification,
)

OBSERVERS = 60
INCIDENTS = 40
CONFLICTS = 3
SEED = 1212
NAMESPACE = uuid.UUID("0b6a5e0e-9f5d-4f43-a9a4-1c2d3e4f5a12")
BAGHDAD = ZoneInfo("Asia/Baghdad")
GIVEN = ("أحمد", "زينب", "علي", "مريم", "حسين", "فاطمة", "عمر", "نور", "كاروان", "شيرين",
         "يوسف", "سارة", "ئاراس", "هدى", "مصطفى", "رنا")
FAMILY = ("الجبوري", "العبيدي", "كريم", "التميمي", "البياتي", "محمد", "الساعدي", "حمه")
CATEGORIES = ("violence", "intimidation", "vote_buying", "campaigning", "unauthorised_persons",
              "observers_obstructed", "missing_materials", "device_failure", "counts_differ",
              "other")
WHAT = {
    "violence": "شجار أمام باب المركز", "intimidation": "تهديد ناخبين عند المدخل",
    "vote_buying": "توزيع مبالغ على ناخبين قرب المركز",
    "campaigning": "ملصقات لمرشح داخل المحطة", "unauthorised_persons": "شخص غير مخول داخل المحطة",
    "observers_obstructed": "منع مراقب من الدخول لمدة ساعة",
    "missing_materials": "نقص في الحبر", "device_failure": "توقف جهاز التحقق نصف ساعة",
    "counts_differ": "اختلاف العد اليدوي عن الإلكتروني", "other": "انقطاع الكهرباء",
}


def load_polling_day(election: Election) -> list[str]:
    """Once per database; the lines for the demo's summary."""
    standard_forms.install(FormDefinition)
    if Submission.objects.filter(observer__organisation__election=election).exists():
        return []
    rng = random.Random(SEED)  # noqa: S311 (synthetic data, not secrets)
    with transaction.atomic():
        observers = _observers(election, rng)
        reports = _reports(election, observers, rng)
        audit.record(actor=None, action="observation.demo_polling_day", object_type="election",
                     object_id=str(election.pk), data={"reports": len(reports)})
    incidents = sum(1 for r in reports if r.form.code == "incident")
    return [f"  polling day: {len(reports) - incidents} reports and {incidents} incidents "
            f"from {len(observers)} observers (/staff/observation/submissions/)"]


def _observers(election: Election, rng: random.Random) -> list[Observer]:
    """Every accredited observer with stations, topped up to :data:`OBSERVERS` with
    synthetic ones of the demo's local organisations (the ``observer`` user is left to
    send their own)."""
    stations = list(PollingStation.objects.filter(
        centre__election=election, centre__governorate__code__in=("IQ-KI", "IQ-BG"))
        .select_related("centre__governorate").order_by("code")[:400])
    organisations = list(Organisation.objects.filter(
        election=election, kind=OrganisationKind.LOCAL).order_by("code"))
    if not stations or not organisations:
        return []
    present = Observer.objects.filter(organisation__election=election,
                                      status=ObserverStatus.ACCREDITED)
    # Observers with a station report; the accreditation's demo accredits observers
    # without one, so those of Kirkuk and Baghdad are deployed first, then new ones made.
    missing = OBSERVERS - present.filter(assignments__isnull=False).distinct().count()
    if missing > 0:
        idle = list(present.filter(assignments__isnull=True,
                                   governorate__code__in=("IQ-KI", "IQ-BG"))
                    .exclude(user__username="observer").order_by("pk")[:missing])
        now = datetime.now(UTC)
        made = Observer.objects.bulk_create([Observer(
            organisation=organisations[n % len(organisations)],
            full_name=f"{rng.choice(GIVEN)} {rng.choice(GIVEN)} {rng.choice(FAMILY)}",
            birth_date=date(1970 + rng.randrange(33), 1 + rng.randrange(12),
                            1 + rng.randrange(28)),
            sex=rng.choice("MF"), phone=f"+96477{10000000 + n:08d}",
            governorate=stations[(n * 7) % len(stations)].centre.governorate,
            status=ObserverStatus.ACCREDITED, conduct_accepted=now, decided=now,
            checks={"age": "ok", "voter": "ok", "candidate": "ok", "staff": "ok",
                    "twice": "ok"}) for n in range(missing - len(idle))])
        # Two observers of the first stations share a station: where they disagree, the
        # reports are flagged.
        Assignment.objects.bulk_create([Assignment(
            observer=o, station=(s := stations[n % len(stations) if n >= CONFLICTS * 2
                                               else n // 2]),
            centre=s.centre) for n, o in enumerate(made + idle)], ignore_conflicts=True)
    # At most OBSERVERS report, however many the accreditation's demo made: the demo
    # stays quick.
    return list(present.exclude(user__username="observer").filter(
        assignments__isnull=False).distinct().order_by("pk")[:OBSERVERS])


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BAGHDAD).astimezone(UTC)


def _reports(election: Election, observers: list[Observer],
             rng: random.Random) -> list[Submission]:
    forms = {f.code: f for f in FormDefinition.objects.filter(organisation__isnull=True,
                                                             version=standard_forms.VERSION)}
    day = election.polling_day
    reports: list[Submission] = []
    first: dict[tuple[int, str], dict[str, Any]] = {}  # the first observer's answers
    assignments = {a.observer_id: a.station for a in Assignment.objects.filter(
        observer__in=observers).select_related("station").order_by("station__code")}
    shared = sorted({s.pk for s in assignments.values()
                     if list(assignments.values()).count(s) > 1})
    planted = set(shared[:CONFLICTS])  # where two observers disagree on the closing count

    def report(observer: Observer, station: PollingStation, code: str,
               answers: dict[str, Any], at: datetime) -> None:
        earlier = first.setdefault((station.pk, code), answers)
        if earlier is not answers and code != "incident":
            # A second observer of the station saw the same, but where it is planted.
            answers = dict(earlier)
            if code == "closing" and station.pk in planted:
                answers["voters_total"] += rng.choice((-30, 25, 40))
        key = f"{observer.pk}|{station.pk}|{code}|{len(reports)}"
        reports.append(Submission(id=uuid.uuid5(NAMESPACE, key), observer=observer,
                                  form=forms[code], station=station, answers=answers,
                                  channel=Channel.SMS if rng.random() < 0.15 else Channel.WEB,
                                  received=at))

    for observer in observers:
        station = assignments[observer.pk]
        registered = station.registered_voters or rng.randrange(380, 520)
        opened = rng.choice((0, 0, 0, 0, 5, 10, 25, 50))
        on_time = opened <= 5
        report(observer, station, "opening", {
            "arrived_at": f"06:{rng.randrange(30, 59):02d}",
            "opened_at": f"{7 + opened // 60:02d}:{opened % 60:02d}",
            "opened_on_time": on_time, "materials_complete": rng.random() > 0.1,
            "device_working": rng.random() > 0.07, "box_shown_empty": True,
            "staff_present": rng.randrange(4, 8)}, _at(day, 7, 5 + opened))
        share = [rng.uniform(0.08, 0.15), rng.uniform(0.22, 0.32), rng.uniform(0.34, 0.44)]
        voters = [round(registered * s) for s in share]
        report(observer, station, "voting", {
            "voters_10": voters[0], "voters_13": voters[1], "voters_16": voters[2],
            "secrecy_kept": rng.random() > 0.05}, _at(day, 16, rng.randrange(5, 40)))
        total = round(registered * rng.uniform(0.40, 0.50))
        report(observer, station, "closing", {
            "closed_at": f"18:{rng.randrange(0, 15):02d}", "voters_total": total,
            "queue_allowed": True, "unused_cancelled": rng.random() > 0.1},
            _at(day, 18, rng.randrange(15, 45)))
        invalid = round(total * rng.uniform(0.02, 0.05))
        report(observer, station, "counting", {
            "registered": registered, "voted": total, "ballots_in_box": total,
            "invalid": invalid, "valid": total - invalid, "form_posted": rng.random() > 0.08,
            "manual_check": rng.choice(("matches", "matches", "matches", "differs",
                                        "not_done"))}, _at(day, 21, rng.randrange(0, 59)))
    for n in range(min(INCIDENTS, len(observers) * 2)):
        observer = observers[(n * 3) % len(observers)]
        category = CATEGORIES[n % len(CATEGORIES)]
        severity = "critical" if n % 10 == 7 else ("serious" if n % 3 == 0 else "minor")
        hour, minute = 7 + (n * 5) % 11, rng.randrange(60)
        report(observer, assignments[observer.pk], "incident", {
            "category": category, "severity": severity, "occurred_at": f"{hour:02d}:{minute:02d}",
            "description": WHAT[category]}, _at(day, hour, minute) + timedelta(minutes=7))
    for submission in reports:  # the data fit the standard forms: a bug otherwise
        if observation_forms.answer_problems(submission.form.questions, submission.answers):
            raise ValueError(f"demo report {submission.pk} does not fit its form")
    _flag(reports)
    _verdicts(reports, rng)
    when = {r.pk: r.received for r in reports}
    Submission.objects.bulk_create(reports)  # auto_now_add sets received to now: put it back
    for r in reports:
        r.received = when[r.pk]
    Submission.objects.bulk_update(reports, ["received"], batch_size=500)
    Review.objects.bulk_create([
        Review(submission=r, status=r.status, reason="أرقام غير متسقة مع استمارة النتائج"
               if r.status == Verification.REJECTED else "")
        for r in reports if r.status != Verification.PENDING])
    return reports


def _flag(reports: list[Submission]) -> None:
    """Two observers of one station who answered one form differently: both flagged
    (what submissions.submit does for a report sent one at a time)."""
    seen: dict[tuple[int, str], list[Submission]] = {}
    for r in reports:
        if r.form.code != "incident":
            seen.setdefault((r.station_id, r.form.code), []).append(r)
    for group in seen.values():
        for a in group:
            for b in group:
                if a.observer_id != b.observer_id and observation_forms.disagree(
                        a.form.questions, a.answers, b.answers):
                    a.conflict = True


def _verdicts(reports: list[Submission], rng: random.Random) -> None:
    for r in reports:
        if r.conflict:
            r.status = Verification.PENDING  # left for the coordinator to compare
            continue
        draw = rng.random()
        r.status = (Verification.VERIFIED if draw < 0.8 else Verification.PENDING
                    if draw < 0.95 else Verification.REJECTED)
        if r.status != Verification.PENDING:
            r.verified = r.received + timedelta(minutes=rng.randrange(10, 90))

