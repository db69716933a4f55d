"""Certification and publication of a governorate's results (docs/results-publication.md).

The Board certifies a contest's allocation once no station waits (awaiting its count or
at the audit centre); a publication is an immutable snapshot of the open data layout of
docs/results.md, stored in the database, whose manifest's SHA-256 enters the audit chain.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import datetime
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from shafaf.access.checks import can
from shafaf.access.roles import Capability
from shafaf.audit.actions import record
from shafaf.elections import selectors as election_selectors
from shafaf.elections.models import Contest, Election
from shafaf.entities import exports
from shafaf.entities import selectors as entity_selectors
from shafaf.exports import nist
from shafaf.results.models import (
    Certification,
    FormVote,
    Outcome,
    Publication,
    PublicationFile,
    StationResult,
)
from shafaf.results.refusals import ResultsRefused
from shafaf.results.tabulation import Tabulation, contest_stations, pending_stations, tabulate

FILES = ("manifest.json", "lists.csv", "candidates.csv", "components.csv", "forms.csv",
         "votes.csv", "allocation.json", "results.nist.json", "results.pdf")
CONTENT_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8",
                 "pdf": "application/pdf"}
FORM_COLUMNS = ("registered", "voted", "ballots_received", "ballots_in_box",
                "ballots_spoiled", "ballots_unused", "invalid", "valid")
LOT_SEED_LIMIT = 200


def canonical(data: Any) -> bytes:
    """JSON as hashed: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode()


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def content_type(name: str) -> str:
    return CONTENT_TYPES[name.rsplit(".", 1)[-1]]


def _lot_seed(seed: str | None) -> str | None:
    seed = (seed or "").strip()
    if len(seed) > LOT_SEED_LIMIT:
        raise ResultsRefused("results_lot_seed_too_long", limit=LOT_SEED_LIMIT)
    return seed or None


def _decided(contest: Contest, lot_seed: str | None) -> tuple[Tabulation, dict[str, Any]]:
    tab = tabulate(contest, lot_seed=lot_seed)
    if tab.report is None:
        raise ResultsRefused("results_tie_undecided")
    return tab, tab.report


# --- Certification ------------------------------------------------------------------------


@transaction.atomic
def certify(*, actor: Any, contest: Contest, lot_seed: str | None = None,
            now: datetime | None = None) -> Certification:
    """The Board certifies the contest's allocation as it stands. Refused while any
    station awaits its count or is at the audit centre."""
    if not can(actor, Capability.CERTIFY_RESULTS):
        raise ResultsRefused("results_not_allowed")
    Contest.objects.select_for_update().get(pk=contest.pk)
    pending = pending_stations(contest)
    if pending:
        raise ResultsRefused("results_stations_pending", count=pending)
    seed = _lot_seed(lot_seed)
    _tab, report = _decided(contest, seed)
    certification = Certification.objects.create(
        contest=contest, allocation=report, sha256=sha256(canonical(report)),
        lot_seed=seed or "", certified_at=now or timezone.now(), certified_by=actor)
    record(actor=actor, action="results.certify", target=certification,
           data={"election": contest.election.code, "governorate": contest.governorate.code,
                 "sha256": certification.sha256, "lot_seed": seed,
                 "seats": {lst["list_id"]: lst["seats"] for lst in report["lists"]}})
    return certification


def latest_certification(contest: Contest) -> Certification | None:
    return Certification.objects.filter(contest=contest).first()


# --- The files -------------------------------------------------------------------------


def _csv(header: tuple[str, ...], rows: Any) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([exports._cell(v) if isinstance(v, str) else v for v in row])
    return out.getvalue().encode()


def _forms_and_votes(contest: Contest, tab: Tabulation) -> tuple[bytes, bytes, int]:
    """The adopted form of every counted station, and its votes (general and
    component), with the open data's ids."""
    adopted = (StationResult.objects.filter(contest=contest, outcome=Outcome.ADOPTED,
                                            adopted_form__isnull=False)
               .select_related("adopted_form", "station").order_by("station__code", "component"))
    forms: list[list[Any]] = []
    form_station: dict[int, str] = {}
    for result in adopted:
        form = result.adopted_form
        if form is None:
            continue
        form_station[form.pk] = result.station.code
        if not result.component:
            forms.append([result.station.code, *(getattr(form, c) for c in FORM_COLUMNS)])
    lists = {row.nomination_id: row for row in tab.lists}
    candidates = {c.pk: c for c in tab.candidates}
    votes: list[list[Any]] = []
    for form_id, nomination_id, candidate_id, count in (
            FormVote.objects.filter(form_id__in=form_station)
            .values_list("form_id", "nomination_id", "candidate_id", "votes")):
        lst = lists.get(nomination_id)
        if lst is None:
            continue
        station = form_station[form_id]
        if candidate_id is None:
            if not lst.component:
                votes.append([station, lst.list_id, "", count])
            continue
        cand = candidates.get(candidate_id)
        if cand is None:
            continue
        votes.append([station, "" if cand.component else cand.list_id, cand.candidate_id,
                      count])
    votes.sort(key=lambda v: (v[0], v[1], v[2]))
    return (_csv(("station_id", *FORM_COLUMNS), forms),
            _csv(("station_id", "list_id", "candidate_id", "votes"), votes), len(forms))


def _nist(contest: Contest, tab: Tabulation, report: dict[str, Any], stage: str,
          generated: datetime) -> bytes:
    election = contest.election
    area = nist.Area(code=contest.governorate.code, names=exports._names(contest.governorate))
    entries = entity_selectors.standing_lists(election, governorate=contest.governorate)
    by_nomination = {row.nomination_id: row for row in tab.lists}
    list_counts: dict[tuple[str, str, str], int] = {}
    for entry in entries:
        row = by_nomination.get(entry.nomination.pk)
        if row is None:
            continue
        votes = (tab.list_votes.get(row.list_id, 0) if not row.component else
                 sum(c.votes for c in tab.candidates if c.list_id == row.list_id))
        list_counts[(area.code, entry.component, entry.entity.code)] = votes
    elected_ids = {e["candidate_id"] for e in report["elected"]}
    if stage == "certified":
        status = "certified"
    elif tab.stations["counted"] >= tab.stations["total"]:
        status = "unofficial-complete"
    else:
        status = "unofficial-partial"
    counts = nist.Counts(lists=list_counts,
                         candidates={c.pk: c.votes for c in tab.candidates},
                         elected=frozenset(c.pk for c in tab.candidates
                                           if c.candidate_id in elected_ids),
                         status=status)
    contests = election_selectors.contests(election).filter(pk=contest.pk)
    document = nist.results_report(
        election=nist.Election(code=election.code, names=exports._names(election),
                               polling_day=election.polling_day),
        contests=[nist.Contest(area=area, general_seats=c.general_seats,
                               component_seats={s.component: s.seats
                                                for s in c.component_seats.all()})
                  for c in contests],
        lists=[exports._standing(entry) for entry in entries],
        components=exports._components(), counts=counts, generated=generated,
        vendor=exports._vendor(),
        notes="Results: each list's and candidate's votes over the governorate. See "
              "docs/results-publication.md in Shafaf for the mapping.")
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def _pdf(contest: Contest, report: dict[str, Any], manifest: dict[str, Any]) -> bytes:
    import weasyprint
    from weasyprint.urls import URLFetcher

    from shafaf.results import presentation

    with translation.override("ar"):
        html = render_to_string("results/results_pdf.html", {
            "contest": contest, "manifest": manifest,
            "view": presentation.view(report=report, stations=manifest["stations"],
                                      turnout=manifest["turnout"]),
        })
    return bytes(weasyprint.HTML(string=html, url_fetcher=URLFetcher(
        allowed_protocols=("data",), allow_redirects=False)).write_pdf())


def build_files(contest: Contest, tab: Tabulation, *, report: dict[str, Any], stage: str,
                published_at: datetime) -> tuple[dict[str, bytes], dict[str, Any]]:
    """The publication's files by name, and its manifest."""
    forms_csv, votes_csv, counted = _forms_and_votes(contest, tab)
    # allocation.json is what ``shafaf results tabulate --format json`` prints for
    # these files: every station in forms.csv counted, none quarantined.
    allocation = {**report, "stations": {"total": counted, "counted": counted,
                                         "quarantined": []}}
    files = {
        "lists.csv": _csv(("list_id", "name"),
                          [(r.list_id, r.name) for r in tab.lists if not r.component]),
        "candidates.csv": _csv(("candidate_id", "list_id", "name", "sex"),
                               [(c.candidate_id, c.list_id, c.name, c.sex)
                                for c in tab.general_candidates]),
        "components.csv": _csv(("candidate_id", "component", "name", "sex"),
                               [(c.candidate_id, c.component, c.name, c.sex)
                                for c in tab.component_candidates]),
        "forms.csv": forms_csv,
        "votes.csv": votes_csv,
        "allocation.json": json.dumps(allocation, ensure_ascii=False, indent=2).encode() + b"\n",
        "results.nist.json": _nist(contest, tab, report, stage, published_at),
    }
    manifest: dict[str, Any] = {
        "election": contest.election.code,
        "governorate": contest.governorate.code,
        "law": tab.law.code,
        "seats": contest.general_seats,
        "stage": stage,
        "published_at": published_at.isoformat(timespec="seconds"),
        "disqualified": list(tab.disqualified),
        "lot_seed": tab.lot_seed,
        # The live figures: every station of the governorate, those counted, and
        # those at the audit centre when this was published.
        "stations": tab.stations,
        "turnout": {"registered": tab.turnout.registered, "voted": tab.turnout.voted,
                    "ballots_in_box": tab.turnout.ballots_in_box,
                    "invalid": tab.turnout.invalid, "valid": tab.turnout.valid},
        "files": {},
    }
    files["results.pdf"] = _pdf(contest, report, manifest)
    manifest["files"] = {name: sha256(files[name]) for name in FILES if name in files}
    files["manifest.json"] = json.dumps(manifest, ensure_ascii=False, indent=2).encode() + b"\n"
    return files, manifest


# --- Publication -----------------------------------------------------------------------


@transaction.atomic
def publish(*, actor: Any, contest: Contest, stage: str, lot_seed: str | None = None,
            now: datetime | None = None) -> Publication:
    """Write a snapshot of the contest's results. ``preliminary`` at any time, with the
    share of stations counted; ``certified`` only after the Board's certification and
    while the totals still give the certified allocation."""
    if not can(actor, Capability.PUBLISH_RESULTS):
        raise ResultsRefused("results_not_allowed")
    Contest.objects.select_for_update().get(pk=contest.pk)
    certification = None
    if stage == "certified":
        certification = latest_certification(contest)
        if certification is None:
            raise ResultsRefused("results_not_certified")
        seed = certification.lot_seed or None
        tab, live = _decided(contest, seed)
        if sha256(canonical(live)) != certification.sha256:
            raise ResultsRefused("results_changed_since_certification")
        report = certification.allocation
    elif stage == "preliminary":
        seed = _lot_seed(lot_seed)
        tab, report = _decided(contest, seed)
    else:
        raise ResultsRefused("results_unknown_stage")
    published_at = (now or timezone.now()).replace(microsecond=0)
    files, manifest = build_files(contest, tab, report=report, stage=stage,
                                  published_at=published_at)
    manifest_sha = sha256(files["manifest.json"])
    publication = Publication.objects.create(
        contest=contest, stage=stage, certification=certification, lot_seed=seed or "",
        stations_total=tab.stations["total"], stations_counted=tab.stations["counted"],
        manifest_sha256=manifest_sha, published_at=published_at, published_by=actor)
    PublicationFile.objects.bulk_create(
        PublicationFile(publication=publication, name=name, content_type=content_type(name),
                        content=content, sha256=sha256(content))
        for name, content in sorted(files.items()))
    record(actor=actor, action="results.publish", target=publication,
           data={"election": contest.election.code, "governorate": contest.governorate.code,
                 "stage": stage, "manifest_sha256": manifest_sha,
                 "files": manifest["files"],
                 "stations": {"total": tab.stations["total"],
                              "counted": tab.stations["counted"]}})
    from shafaf.results import forensics

    forensics.queue_after_publication(publication)
    return publication


# --- Reads ------------------------------------------------------------------------------


def latest_publication(contest: Contest) -> Publication | None:
    return Publication.objects.filter(contest=contest).first()


def published_file(publication: Publication, name: str) -> PublicationFile | None:
    if name not in FILES:
        return None
    return PublicationFile.objects.filter(publication=publication, name=name).first()


def manifest_of(publication: Publication) -> dict[str, Any]:
    row = PublicationFile.objects.get(publication=publication, name="manifest.json")
    return dict(json.loads(bytes(row.content)))


def election_index(election: Election) -> dict[str, Any]:
    """The election's index: the latest publication of each governorate, with its
    manifest's SHA-256 and address."""
    governorates = []
    for contest in (Contest.objects.filter(election=election).select_related("governorate")
                    .order_by("governorate__code")):
        publication = latest_publication(contest)
        if publication is None:
            continue
        code = contest.governorate.code
        governorates.append({
            "governorate": code, "stage": publication.stage,
            "published_at": publication.published_at.isoformat(timespec="seconds"),
            "manifest": f"{code}/manifest.json",
            "manifest_sha256": publication.manifest_sha256,
        })
    return {"election": election.code, "law": election.law, "governorates": governorates}


def stations_total(contest: Contest) -> int:
    return int(contest_stations(contest).count())
