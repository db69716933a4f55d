"""Tabulation from the running totals: the same report as ``shafaf allocate`` on the
same totals, a disqualification re-runs it, and ties wait for the lot's seed."""

from __future__ import annotations

import csv
import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from shafaf.cli.main import main
from shafaf.elections.models import Contest, PollingStation
from shafaf.entities.models import Candidate, NominationList
from shafaf.results.adoption import station_result
from shafaf.results.models import Disqualification, Source
from shafaf.results.settlement import settle
from shafaf.results.tabulation import tabulate
from tests.results.conftest import FormMaker

pytestmark = pytest.mark.django_db

# (list position, candidate position 0-4: 0 for the list alone) -> votes, per station.
VOTES = [
    {(1, 0): 40, (1, 1): 120, (1, 2): 30, (1, 3): 56, (2, 0): 10, (2, 1): 80, (2, 4): 95,
     (3, 2): 60, (3, 3): 7},
    {(1, 0): 15, (1, 1): 90, (1, 4): 33, (2, 1): 70, (2, 2): 41, (3, 1): 66, (3, 3): 12},
    {(1, 2): 25, (2, 0): 22, (2, 3): 48, (3, 0): 31, (3, 4): 77},
]


def adopt_stations(kirkuk: Contest, make_form: FormMaker, votes=VOTES) -> list[PollingStation]:
    stations = list(PollingStation.objects.filter(
        centre__governorate=kirkuk.governorate).order_by("code"))[:len(votes)]
    for station, station_votes in zip(stations, votes, strict=True):
        make_form(station, votes=station_votes, source=Source.MANUAL)
        with transaction.atomic():
            settle(result=station_result(station=station, contest=kirkuk))
    return stations


def write_csvs(directory: Path, tab) -> dict[str, Path]:
    files = {"lists": directory / "lists.csv", "candidates": directory / "candidates.csv"}
    with files["lists"].open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["list_id", "name", "votes"])
        for row in tab.lists:
            writer.writerow([row.list_id, row.name, tab.list_votes[row.list_id]])
    with files["candidates"].open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["candidate_id", "list_id", "name", "sex", "votes"])
        for cand in tab.general_candidates:
            writer.writerow([cand.candidate_id, cand.list_id, cand.name, cand.sex, cand.votes])
    return files


def allocate_cli(files: dict[str, Path], *extra: str) -> dict:
    out = io.StringIO()
    with redirect_stdout(out):
        status = main(["allocate", "--law", "iraq-gc-2023", "--governorate", "IQ-KI",
                       "--seats", "6", "--lists", str(files["lists"]),
                       "--candidates", str(files["candidates"]), "--format", "json", *extra])
    assert status == 0
    return json.loads(out.getvalue())


@pytest.fixture
def six_seats(kirkuk: Contest) -> Contest:
    kirkuk.general_seats = 6
    kirkuk.save()
    return kirkuk


def test_tabulation_equals_shafaf_allocate_on_the_same_totals(
        six_seats: Contest, make_form: FormMaker, tmp_path: Path) -> None:
    adopt_stations(six_seats, make_form)
    tab = tabulate(six_seats)
    assert tab.report is not None, tab.tie
    # The list totals are the list-alone votes plus the candidates' over the stations.
    lists = list(NominationList.objects.filter(contest=six_seats).order_by("entity__code"))
    first = next(r for r in tab.lists if r.nomination_id == lists[0].pk)
    assert tab.list_votes[first.list_id] == 40 + 120 + 30 + 56 + 15 + 90 + 33 + 25
    expected = allocate_cli(write_csvs(tmp_path, tab))
    report = dict(tab.report)
    assert report.pop("stations") == {"total": 12, "counted": 3, "quarantined": []}
    assert report == expected
    assert sum(lst["seats"] for lst in report["lists"]) == 6


def test_a_disqualification_strikes_the_votes_and_re_runs(
        six_seats: Contest, make_form: FormMaker, tmp_path: Path) -> None:
    adopt_stations(six_seats, make_form)
    before = tabulate(six_seats)
    assert before.report is not None
    top = max(before.general_candidates, key=lambda c: c.votes)
    assert top.candidate_id in {e["candidate_id"] for e in before.report["elected"]}
    user = get_user_model().objects.create(username="panel")
    Disqualification.objects.create(contest=six_seats, candidate=Candidate.objects.get(pk=top.pk),
                                    ruling="Panel 1/2024", recorded_by=user)
    after = tabulate(six_seats)
    assert after.report is not None
    assert after.disqualified == (top.candidate_id,)
    assert top.candidate_id not in {e["candidate_id"] for e in after.report["elected"]}
    assert after.report["disqualified"] == [
        {"candidate_id": top.candidate_id, "list_id": top.list_id, "votes_struck": top.votes}]
    struck = next(lst for lst in after.report["lists"] if lst["list_id"] == top.list_id)
    assert struck["votes_struck"] == top.votes
    after.report.pop("stations")
    assert after.report == allocate_cli(write_csvs(tmp_path, before),
                                        "--disqualify", top.candidate_id)


def test_a_deciding_tie_waits_for_the_lot_then_the_seed_decides(
        six_seats: Contest, make_form: FormMaker, tmp_path: Path) -> None:
    tied = [{(1, 1): 100, (2, 1): 100, (3, 1): 100}]
    six_seats.general_seats = 1
    six_seats.save()
    adopt_stations(six_seats, make_form, votes=tied)
    undecided = tabulate(six_seats)
    assert undecided.report is None
    assert undecided.tie is not None
    seeded = tabulate(six_seats, lot_seed="public-seed")
    assert seeded.report is not None
    assert seeded.report["ties"]
    assert tabulate(six_seats, lot_seed="public-seed").report == \
        seeded.report
