"""An organisation's parallel vote tabulation (docs/pvt-app.md): the public draw of its
sample of stations, stored and audited; assigning observers to the sampled stations;
and the estimate from its observers' counting reports at them.

The draw is :func:`shafaf.core.pvt_sample.draw` on the frame file stored with it (the
one code path with ``shafaf pvt sample``), and the estimate is
:mod:`shafaf.core.pvt_estimate` on the same reports ``reports.csv`` publishes (the one
code path with ``shafaf pvt estimate``).

The official results belong to the results app, which this app does not import: the
portal registers a reader of them at start-up (:func:`read_official_with`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from shafaf.access.people import Account
from shafaf.audit import actions as audit
from shafaf.core import pvt_estimate, pvt_sample
from shafaf.core.refusal import Hidden
from shafaf.elections.models import Governorate
from shafaf.observation import dash_figures, deployment, posted
from shafaf.observation.dash_refusals import DashRefused
from shafaf.observation.models import (
    Assignment,
    Observer,
    ObserverStatus,
    Organisation,
    Submission,
    Verification,
)
from shafaf.observation.posted import COUNTING_FORM
from shafaf.observation.posted_models import FindingState, PostedFinding
from shafaf.observation.pvt_models import PvtSample, PvtStation

SEED_LIMIT = 200
FRAME_HEADER = "station_id,stratum\n"

# The official result of each stratum (governorate code → list id → votes) of an
# organisation's election, among ``strata``; absent where nothing is published.
OfficialReader = Callable[[Organisation, Collection[str]], dict[str, dict[str, int]]]
_official: list[OfficialReader] = []


def read_official_with(reader: OfficialReader) -> None:
    """Called once at start-up by the app that can read published results."""
    _official[:] = [reader]


# --- the frame and the draw -------------------------------------------------------------

def frame_rows(organisation: Organisation) -> list[tuple[str, str]]:
    """Every station of the organisation's election in its governorates, with its
    governorate's code as the stratum, by station code."""
    return list(deployment.stations_within(organisation).order_by("code")
                .values_list("code", "centre__governorate__code"))


def frame_file(rows: list[tuple[str, str]]) -> bytes:
    """The frame as ``shafaf pvt sample --frame`` reads it: UTF-8, no byte-order mark,
    a header, one line per station ending in a line feed. Codes hold no comma."""
    return (FRAME_HEADER + "".join(f"{code},{stratum}\n" for code, stratum in rows)).encode()


def frame_of(sample: PvtSample) -> dict[str, str]:
    """station_id → stratum, read back from the stored frame file."""
    reader = csv.DictReader(io.StringIO(bytes(sample.frame).decode()))
    return {row["station_id"]: row["stratum"] for row in reader}


def live_sample(organisation: Organisation) -> PvtSample | None:
    return PvtSample.objects.filter(organisation=organisation,
                                    discarded_at__isnull=True).first()


def _check_seed(seed: str) -> str:
    if not seed.strip():
        raise DashRefused("pvt_seed_empty")
    if len(seed) > SEED_LIMIT:
        raise DashRefused("pvt_seed_too_long", limit=SEED_LIMIT)
    if pvt_sample.spans_lines(seed):
        raise DashRefused("pvt_seed_lines")
    return seed


def preview(organisation: Organisation, *, seed: str, size: int) -> tuple[int, str]:
    """What a draw would be made from (stations in the frame, the frame's SHA-256),
    refused as the draw would be: shown to the coordinator before they confirm."""
    _check_seed(seed)
    rows = frame_rows(organisation)
    _check_size(size, len(rows))
    if live_sample(organisation) is not None:
        raise DashRefused("pvt_already_drawn")
    return len(rows), pvt_sample.frame_sha256(frame_file(rows))


def _check_size(size: int, frame: int) -> None:
    if not frame:
        raise DashRefused("pvt_empty_frame")
    if not 1 <= size <= frame:
        raise DashRefused("pvt_bad_size", size=size, frame=frame)


def draw(*, actor: Account, organisation: Organisation, seed: str, size: int) -> PvtSample:
    """Draw and store the organisation's sample. Refused while a sample is drawn: it is
    fixed until discarded."""
    _check_seed(seed)
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        if live_sample(organisation) is not None:
            raise DashRefused("pvt_already_drawn")
        rows = frame_rows(organisation)
        _check_size(size, len(rows))
        content = frame_file(rows)
        drawn = pvt_sample.draw(pvt_sample.frame_of(rows), seed=seed, size=size)
        frame_hash = pvt_sample.frame_sha256(content)
        try:
            with transaction.atomic():
                sample = PvtSample.objects.create(
                    organisation=organisation, seed=seed, seed_sha256=drawn.seed_sha256,
                    size=size, algorithm=pvt_sample.ALGORITHM, frame=content,
                    frame_sha256=frame_hash, frame_size=len(rows),
                    strata=dict(drawn.strata), drawn_at=timezone.now(), drawn_by=actor)
        except IntegrityError:  # another coordinator drew at the same moment
            raise DashRefused("pvt_already_drawn") from None
        stations = dict(deployment.stations_within(organisation)
                        .filter(code__in=drawn.stations).values_list("code", "pk"))
        strata = dict(rows)
        PvtStation.objects.bulk_create(
            PvtStation(sample=sample, station_id=stations[code], stratum=strata[code],
                       position=place, ticket=drawn.tickets[code])
            for place, code in enumerate(drawn.stations, start=1))
        audit.record(actor=actor, action="observation.pvt_drawn", target=sample,
                     data={"organisation": organisation.code,
                           **pvt_sample.to_json(drawn, frame_hash=frame_hash),
                           "seed": seed, "size": size})
    return sample


def reports_arrived(sample: PvtSample) -> bool:
    return Submission.objects.filter(
        observer__organisation=sample.organisation_id, form__code=COUNTING_FORM,
        station__in=sample.stations.values("station_id")).exists()


def discard(*, actor: Account, organisation: Organisation, sample_id: int) -> PvtSample:
    """Discard the organisation's live sample, to draw again; refused once a counting
    report has arrived from one of its stations. Another organisation's: 404."""
    with transaction.atomic():
        sample = (PvtSample.objects.select_for_update()
                  .filter(pk=sample_id, organisation=organisation,
                          discarded_at__isnull=True).first())
        if sample is None:
            raise Hidden("no_such_sample")
        if reports_arrived(sample):
            raise DashRefused("pvt_reports_arrived")
        sample.discarded_at, sample.discarded_by = timezone.now(), actor
        sample.save(update_fields=["discarded_at", "discarded_by"])
        audit.record(actor=actor, action="observation.pvt_discarded", target=sample,
                     data={"organisation": organisation.code, "seed": sample.seed,
                           "size": sample.size, "frame_sha256": sample.frame_sha256})
    return sample


def sampled(sample: PvtSample) -> QuerySet[PvtStation]:
    return sample.stations.select_related("station__centre").order_by("position")


# --- observers at the sampled stations --------------------------------------------------

def uncovered(sample: PvtSample) -> list[PvtStation]:
    """The sampled stations no observer of the organisation is deployed to."""
    covered = set(Assignment.objects.filter(observer__organisation=sample.organisation_id)
                  .values_list("station_id", flat=True))
    return [s for s in sampled(sample) if s.station_id not in covered]


@dataclass
class Assigned:
    """What assigning the uncovered sampled stations did: the stations now covered
    (station → observer's name), and those left, by stratum."""

    made: dict[str, str] = field(default_factory=dict)
    left: dict[str, list[str]] = field(default_factory=dict)


def assign_uncovered(*, actor: Account, organisation: Organisation) -> Assigned:
    """Deploy to each uncovered sampled station an accredited observer of the
    organisation in its governorate who has no assignment yet (each observer to one
    station), through :func:`deployment.assign`. Running it again changes nothing
    that is covered."""
    sample = live_sample(organisation)
    if sample is None:
        raise DashRefused("pvt_not_drawn")
    outcome = Assigned()
    with transaction.atomic():
        free: dict[str, list[Observer]] = {}
        for observer in (Observer.objects.filter(organisation=organisation,
                                                 status=ObserverStatus.ACCREDITED,
                                                 assignments__isnull=True)
                         .select_related("governorate").order_by("pk")):
            free.setdefault(observer.governorate.code, []).append(observer)
        for station in uncovered(sample):
            waiting = free.get(station.stratum)
            if not waiting:
                outcome.left.setdefault(station.stratum, []).append(station.station.code)
                continue
            observer = waiting.pop(0)
            deployment.assign(actor=actor, organisation=organisation,
                              observer_id=observer.pk, code=station.station.code)
            outcome.made[station.station.code] = observer.full_name
    return outcome


# --- the estimate -------------------------------------------------------------------------

def _votes(answers: object) -> dict[str, int] | None:
    """A report's list_votes answer, or None when it has none usable."""
    if not isinstance(answers, dict):
        return None
    found = answers.get("list_votes")
    if not isinstance(found, dict) or not found:
        return None
    if not all(isinstance(k, str) and type(v) is int and v >= 0 for k, v in found.items()):
        return None
    return dict(found)


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


@dataclass(frozen=True)
class Reports:
    """The sampled stations' counts the estimate uses: the latest counting report of
    each station that carries list votes (rejected ones never count)."""

    votes: dict[str, dict[str, int]]  # station → list → votes
    turnout: dict[str, tuple[int, int]]  # station → (voted, registered)


def reports(sample: PvtSample, *, verified_only: bool) -> Reports:
    chosen = (Submission.objects.filter(observer__organisation=sample.organisation_id,
                                        form__code=COUNTING_FORM,
                                        station__in=sample.stations.values("station_id"))
              .exclude(status=Verification.REJECTED)
              .order_by("station__code", "-received", "-pk")
              .values_list("station__code", "answers"))
    if verified_only:
        chosen = chosen.filter(status=Verification.VERIFIED)
    votes: dict[str, dict[str, int]] = {}
    turnout: dict[str, tuple[int, int]] = {}
    for code, answers in chosen:
        if code in votes:
            continue  # an older report of a station already counted
        counts = _votes(answers)
        if counts is None:
            continue
        votes[code] = counts
        voted, registered = _whole(answers.get("voted")), _whole(answers.get("registered"))
        if voted is not None and registered is not None:
            turnout[code] = (voted, registered)
    return Reports(votes=votes, turnout=turnout)


def reports_file(found: Reports) -> bytes:
    """``station_id,list_id,votes``: what ``shafaf pvt estimate --reports`` reads."""
    return votes_file(found.votes)


def votes_file(votes: Mapping[str, Mapping[str, int]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("station_id", "list_id", "votes"))
    for code in sorted(votes):
        for list_id, count in sorted(votes[code].items()):
            writer.writerow((code, list_id, count))
    return out.getvalue().encode()


@dataclass(frozen=True)
class Part:
    """The estimate of one stratum, or of all (``stratum`` empty)."""

    stratum: str
    sampled: int
    result: pvt_estimate.Estimate
    official: dict[str, int] | None
    compared: dict[str, pvt_estimate.Comparison]


@dataclass(frozen=True)
class Figures:
    sample: PvtSample
    verified_only: bool
    overall: Part
    strata: list[Part]
    reports: Reports


def figures(sample: PvtSample, *, verified_only: bool, found: Reports | None = None
            ) -> Figures:
    """The estimate from ``found`` (by default the sample's reports as they stand)."""
    frame = frame_of(sample)
    found = found if found is not None else reports(sample, verified_only=verified_only)
    strata_drawn = {k: int(v) for k, v in sample.strata.items()}
    official = (_official[0](sample.organisation, sorted(strata_drawn))
                if _official else {})
    official = {k: v for k, v in official.items() if sum(v.values()) > 0}
    lists: set[str] = set()
    for counts in official.values():
        lists.update(counts)
    per = pvt_estimate.by_stratum(found.votes, frame=frame, lists=lists,
                                  turnout=found.turnout)
    overall = pvt_estimate.estimate(found.votes, stations_in_frame=len(frame), lists=lists,
                                    turnout=found.turnout)
    # The overall official result only once every stratum the sample reaches has one.
    whole: dict[str, int] | None = None
    if all(s in official for s, n in strata_drawn.items() if n):
        whole = {}
        for counts in official.values():
            for list_id, votes in counts.items():
                whole[list_id] = whole.get(list_id, 0) + votes

    def part(stratum: str, result: pvt_estimate.Estimate,
             counts: dict[str, int] | None, drawn: int) -> Part:
        compared = ({c.list_id: c for c in pvt_estimate.compare(result, counts)}
                    if counts else {})
        return Part(stratum, drawn, result, counts, compared)

    return Figures(
        sample=sample, verified_only=verified_only, reports=found,
        overall=part("", overall, whole, sample.size),
        strata=[part(s, per[s], official.get(s), strata_drawn.get(s, 0)) for s in per
                if strata_drawn.get(s, 0)])


def _number(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def as_json(found: Figures) -> dict[str, Any]:
    """The figures as data: the JSON endpoint's, and what a statement freezes."""

    def one(p: Part) -> dict[str, Any]:
        r = p.result
        out: dict[str, Any] = {
            "stratum": p.stratum, "stations_sampled": p.sampled,
            "stations_reported": r.stations_reported, "stations_in_frame": r.stations_in_frame,
            "lists": [{"list_id": s.list_id, "share": _number(s.ratio.share),
                       "moe95": s.ratio.moe,
                       "no_margin": str(s.ratio.no_margin) if s.ratio.no_margin else None,
                       "official_share": _number(p.compared[s.list_id].official_share)
                       if s.list_id in p.compared else None,
                       "outside": p.compared[s.list_id].outside
                       if s.list_id in p.compared else None}
                      for s in r.lists]}
        if r.turnout is not None:
            out["turnout"] = {"share": _number(r.turnout.share), "moe95": r.turnout.moe,
                              "stations_reported": r.stations_with_turnout}
        return out

    return {"algorithm": found.sample.algorithm, "frame_sha256": found.sample.frame_sha256,
            "verified_only": found.verified_only, "overall": one(found.overall),
            "strata": [one(p) for p in found.strata]}


def estimate_file(frozen: dict[str, Any]) -> bytes:
    """``stratum,list_id,share,moe95,official_share,outside``: the overall figure's
    stratum is empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("stratum", "list_id", "share", "moe95", "official_share", "outside"))
    for part in (frozen["overall"], *frozen["strata"]):
        for row in part["lists"]:
            writer.writerow((part["stratum"], row["list_id"], _cell(row["share"]),
                             _cell(row["moe95"]), _cell(row["official_share"]),
                             "" if row["outside"] is None else
                             ("yes" if row["outside"] else "no")))
    return out.getvalue().encode()


def _cell(value: float | None) -> str:
    return "" if value is None else repr(value)


def statement_figures(organisation: Organisation) -> dict[str, Any]:
    """What a statement freezes beside its dashboard figures: the PVT estimate from
    verified reports (when a sample is drawn) and the published posted-form findings."""
    out: dict[str, Any] = {"posted_findings": PostedFinding.objects.filter(
        organisation=organisation, state=FindingState.PUBLISHED).count()}
    sample = live_sample(organisation)
    if sample is not None:
        # With the counts behind it, so that anyone can redo the statement's estimate
        # after later reports have moved the live one (1,500 stations × 30 lists: ~1 MB).
        found = reports(sample, verified_only=True)
        out["pvt"] = as_json(figures(sample, verified_only=True, found=found))
        out["pvt_reports"] = found.votes
    return out


# --- the figures as the pages show them ---------------------------------------------------

def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def _list_names(organisation: Organisation, strata: Collection[str]) -> dict[str, dict[str, str]]:
    language = (get_language() or "ar").split("-")[0]
    out: dict[str, dict[str, str]] = {}
    for governorate in Governorate.objects.filter(code__in=list(strata)):
        out[governorate.code] = {
            s.list_id: getattr(s, f"name_{language}", "") or s.name_ar
            for s in posted.standing_lists(election_id=organisation.election_id,
                                           governorate_id=governorate.pk)}
    return out


def figures_view(frozen: dict[str, Any], organisation: Organisation) -> dict[str, Any]:
    """The figures' data (pvt.as_json, live or frozen in a statement) as the page shows
    them: percentages, names, and each caveat that applies."""
    names = dash_figures.governorate_names()
    strata = [p["stratum"] for p in frozen["strata"]]
    lists = _list_names(organisation, strata)

    def part(p: dict[str, Any]) -> dict[str, Any]:
        named = lists.get(p["stratum"], {})
        rows = [{**row, "name": named.get(row["list_id"], ""),
                 "share_shown": _percent(row["share"]), "moe_shown": (
                     "±" + _percent(row["moe95"]) if row["moe95"] is not None else "–"),
                 "official_shown": _percent(row["official_share"])
                 if row["official_share"] is not None else ""}
                for row in p["lists"]]
        turnout = p.get("turnout")
        return {**p, "name": names.get(p["stratum"], p["stratum"]) if p["stratum"] else "",
                "rows": rows, "official": any(r["official_share"] is not None for r in rows),
                "no_margin": any(r["no_margin"] == "fewer_than_two_stations" for r in rows),
                "turnout_shown": None if turnout is None else {
                    **turnout, "share": _percent(turnout["share"]),
                    "moe": "±" + _percent(turnout["moe95"])
                    if turnout["moe95"] is not None else "–"}}

    overall = part(frozen["overall"])
    parts = [part(p) for p in frozen["strata"]]
    partial = any(p["stations_reported"] < p["stations_sampled"] for p in parts)
    return {"overall": overall, "parts": parts, "partial": partial,
            "verified_only": frozen["verified_only"]}
