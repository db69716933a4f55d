"""An organisation's parallel vote tabulation in the app (docs/pvt-app.md): the draw
through the page (the same as the command line's), fixed once drawn, discarded only
before reports; observers for the sampled stations; the estimate (the core's figures
on the same reports, the command line's on the published files) beside the official
results; who may do what; hostile input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.test import Client

from shafaf.access.roles import Role
from shafaf.audit.models import AuditEvent
from shafaf.core import pvt_estimate
from shafaf.elections.models import Governorate
from shafaf.entities.synthetic import create_entities
from shafaf.observation.models import (
    Assignment,
    Coordinator,
    Observer,
    ObserverStatus,
    Organisation,
    OrganisationStatus,
    PvtSample,
    Submission,
    Verification,
)
from tests.observation.posted_fixtures import counting_report, publish_kirkuk
from tests.web.conftest import PASSWORD

PAGE = "/staff/observation/pvt/"
ESTIMATE = "/staff/observation/pvt/estimate/"
SEED = "17 42 93 8 61"


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def coordinator(users, organisation) -> Client:
    return _client(users[Role.CSO_COORDINATOR])


def _draw(client: Client, seed: str = SEED, size: int | str = 6):
    preview = client.post(PAGE, {"step": "preview", "seed": seed, "size": size},
                          HTTP_ACCEPT_LANGUAGE="en")
    if preview.status_code != 200:
        return preview
    return client.post(PAGE, {"step": "draw", "seed": seed, "size": size},
                       HTTP_ACCEPT_LANGUAGE="en")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "shafaf", *args], capture_output=True,
                          text=True, check=False, timeout=120)


# --- the draw ------------------------------------------------------------------------------

def test_the_draw_through_the_page_is_the_command_line_s(coordinator, client, tmp_path):
    preview = coordinator.post(PAGE, {"step": "preview", "seed": SEED, "size": 6},
                               HTTP_ACCEPT_LANGUAGE="en")
    assert preview.status_code == 200
    assert "Confirm the draw" in preview.content.decode()
    assert not PvtSample.objects.exists()  # nothing before the confirmation
    drawn = coordinator.post(PAGE, {"step": "draw", "seed": SEED, "size": 6})
    assert drawn.status_code == 302
    sample = PvtSample.objects.get()
    assert sample.strata == {"IQ-BA": 3, "IQ-KI": 3}  # 10 and 12 stations
    public = client.get("/observation/CSO-1/pvt/", HTTP_ACCEPT_LANGUAGE="en")
    assert public.status_code == 200
    text = public.content.decode()
    assert sample.frame_sha256 in text
    assert SEED in text
    assert 'href="/pvt/verify/"' in text
    frame = client.get("/observation/CSO-1/pvt/frame.csv")
    published = client.get("/observation/CSO-1/pvt/sample.json")
    (tmp_path / "frame.csv").write_bytes(frame.content)
    out = _cli("pvt", "sample", "--frame", str(tmp_path / "frame.csv"), "--seed", SEED,
               "--size", "6", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert out.stdout.encode() == published.content  # byte for byte, hash included
    assert json.loads(out.stdout)["frame_sha256"] == sample.frame_sha256
    assert [s.station.code for s in sample.stations.order_by("position")] == json.loads(
        out.stdout)["stations"]
    (tmp_path / "draw.json").write_bytes(published.content)
    checked = _cli("pvt", "verify-sample", str(tmp_path / "draw.json"), "--frame",
                   str(tmp_path / "frame.csv"), "--seed", SEED)
    assert checked.returncode == 0, checked.stderr
    event = AuditEvent.objects.get(action="observation.pvt_drawn")
    assert event.data["stations"] == json.loads(out.stdout)["stations"]


def test_a_drawn_sample_is_fixed_until_discarded(coordinator, organisation):
    assert _draw(coordinator).status_code == 302
    first = PvtSample.objects.get()
    again = _draw(coordinator, seed="another seed")
    assert again.status_code == 400
    assert "already drawn and stays as drawn" in again.content.decode()
    assert PvtSample.objects.count() == 1
    asked = coordinator.post(PAGE, {"step": "confirm_discard", "sample": first.pk},
                             HTTP_ACCEPT_LANGUAGE="en")
    assert "Yes, discard the sample" in asked.content.decode()
    assert PvtSample.objects.get().discarded_at is None  # only asked
    assert coordinator.post(PAGE, {"step": "discard", "sample": first.pk}).status_code == 302
    first.refresh_from_db()
    assert first.discarded_at is not None
    assert AuditEvent.objects.filter(action="observation.pvt_discarded").count() == 1
    assert _draw(coordinator, seed="another seed").status_code == 302
    assert PvtSample.objects.filter(discarded_at__isnull=True).get().seed == "another seed"


def test_no_discard_once_a_report_has_arrived(coordinator, organisation, observer):
    _draw(coordinator, size=22)  # every station
    sample = PvtSample.objects.get()
    counting_report(observer, "KI0001-01", {"list_votes": {"1": 3}})
    refused = coordinator.post(PAGE, {"step": "discard", "sample": sample.pk},
                               HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 409
    assert "can no longer be discarded" in refused.content.decode()
    sample.refresh_from_db()
    assert sample.discarded_at is None


@pytest.mark.parametrize(("seed", "size", "words"), [
    ("", 6, "This field is required"),
    ("   ", 6, "Type the public seed"),
    ("x" * 100_000, 6, "at most 200 characters"),
    ("two\nlines", 6, "on one line"),
    (SEED, 0, "greater than or equal to 1"),
    (SEED, 23, "22 stations, not 23"),
    (SEED, "six", "Enter a whole number"),
    (SEED, "9" * 40, "less than or equal to"),
    (SEED, "9" * 5000, "Sample size (stations)"),  # too long for a number: still a 400
])
def test_bad_input_is_answered_with_a_message_and_nothing_is_stored(
        coordinator, seed, size, words):
    for step in ("preview", "draw"):
        answer = coordinator.post(PAGE, {"step": step, "seed": seed, "size": size},
                                  HTTP_ACCEPT_LANGUAGE="en")
        assert answer.status_code == 400
        assert words in answer.content.decode()
    assert not PvtSample.objects.exists()


def test_another_organisation_s_sample_cannot_be_discarded(coordinator, users, organisation):
    _draw(coordinator)
    sample = PvtSample.objects.get()
    other = Organisation.objects.create(
        election=organisation.election, name_ar="أخرى", contact_name="y",
        contact_email="y@example.org", status=OrganisationStatus.APPROVED, code="CSO-2")
    other.governorates.set(Governorate.objects.filter(code="IQ-KI"))
    Coordinator.objects.filter(user=users[Role.CSO_COORDINATOR]).update(organisation=other)
    for step in ("discard", "confirm_discard"):
        assert coordinator.post(PAGE, {"step": step, "sample": sample.pk}).status_code == 404
    assert coordinator.post(PAGE, {"step": "discard", "sample": "x"}).status_code == 400
    assert coordinator.post(PAGE, {"step": "erase"}).status_code == 400
    sample.refresh_from_db()
    assert sample.discarded_at is None
    assert coordinator.get("/observation/CSO-2/pvt/").status_code == 404  # none drawn


# --- observers at the sampled stations -------------------------------------------------------

def _observer(organisation, name: str, governorate: str) -> Observer:
    return Observer.objects.create(
        organisation=organisation, full_name=name, birth_date=date(1990, 1, 1), sex="M",
        governorate=Governorate.objects.get(code=governorate),
        status=ObserverStatus.ACCREDITED, conduct_accepted=datetime.now(UTC))


def test_uncovered_sampled_stations_get_free_observers_of_their_governorate(
        coordinator, organisation, observer):
    _draw(coordinator)  # 3 in Kirkuk, 3 in Basra
    sample = PvtSample.objects.get()
    for n in range(2):
        _observer(organisation, f"Kirkuk {n}", "IQ-KI")
    _observer(organisation, "Basra 0", "IQ-BA")
    _observer(organisation, "Refused", "IQ-BA").__class__.objects.filter(
        full_name="Refused").update(status=ObserverStatus.REFUSED)
    sampled = {s.station.code: s.stratum for s in sample.stations.select_related("station")}
    held = set(Assignment.objects.values_list("station__code", flat=True))
    uncovered_before = [c for c in sampled if c not in held]
    page = coordinator.get(PAGE, HTTP_ACCEPT_LANGUAGE="en")
    assert [s.station.code for s in page.context["uncovered"]] == [
        s.station.code for s in sample.stations.order_by("position")
        if s.station.code not in held]
    answer = coordinator.post(PAGE, {"step": "assign"}, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200
    assigned = answer.context["assigned"]
    kirkuk_left = [c for c in uncovered_before if sampled[c] == "IQ-KI"][2:]
    basra_left = [c for c in uncovered_before if sampled[c] == "IQ-BA"][1:]
    assert assigned.left == {k: v for k, v in (("IQ-BA", basra_left),
                                               ("IQ-KI", kirkuk_left)) if v}
    assert len(assigned.made) == len(uncovered_before) - len(kirkuk_left) - len(basra_left)
    text = answer.content.decode()
    assert "no accredited observer of the governorate is free" in text
    for code, name in assigned.made.items():
        deployed = Assignment.objects.get(station__code=code, observer__full_name=name)
        assert deployed.observer.governorate.code == sampled[code]
    assert not Assignment.objects.filter(observer__full_name="Refused").exists()
    count = Assignment.objects.count()
    again = coordinator.post(PAGE, {"step": "assign"})
    assert again.context["assigned"].made == {}
    assert Assignment.objects.count() == count  # idempotent
    assert AuditEvent.objects.filter(action="observation.deployed").count() == len(
        assigned.made)


# --- the estimate ----------------------------------------------------------------------------

@pytest.fixture
def lists(stations):
    return create_entities(stations, lists={"IQ-KI": 3, "IQ-BA": 2}, candidates_per_list=2,
                           numbered=True)


KIRKUK = {"KI0001-01": {"1": 120, "2": 100, "3": 70}, "KI0001-02": {"1": 90, "2": 140, "3": 30},
          "KI0002-01": {"1": 60, "2": 60, "3": 90}, "KI0002-02": {"1": 10, "2": 200, "3": 5}}


@pytest.fixture
def reported(coordinator, observer, lists):
    """Every station sampled; four Kirkuk stations and one Basra station report."""
    _draw(coordinator, size=22)
    for code, votes in KIRKUK.items():
        counting_report(observer, code, {"list_votes": votes, "voted": sum(votes.values()) + 5,
                                         "registered": 401})
    counting_report(observer, "BA0001-01", {"list_votes": {"1": 40, "2": 30}})
    return PvtSample.objects.get()


def test_the_estimate_page_shows_the_core_s_figures(coordinator, reported, observer):
    # An older report of a station is replaced by its latest; a rejected one never counts.
    old = counting_report(observer, "KI0003-01", {"list_votes": {"1": 999}})
    Submission.objects.filter(pk=old.pk).update(status=Verification.REJECTED)
    first = Submission.objects.get(station__code="KI0001-01")
    earlier = counting_report(observer, "KI0001-01", {"list_votes": {"1": 1, "2": 1}})
    Submission.objects.filter(pk=earlier.pk).update(
        received=first.received - timedelta(minutes=5))
    found = coordinator.get("/staff/observation/pvt/estimate.json").json()
    frame = dict.fromkeys((f"KI{c:04d}-{n:02d}" for c in (1, 2, 3) for n in (1, 2, 3, 4)), "IQ-KI")
    frame |= dict.fromkeys((f"BA{c:04d}-{n:02d}" for c in (1, 2) for n in range(1, 6)), "IQ-BA")
    votes = {**KIRKUK, "BA0001-01": {"1": 40, "2": 30}}
    turnout = {c: (sum(v.values()) + 5, 401) for c, v in KIRKUK.items()}
    core = pvt_estimate.by_stratum(votes, frame=frame, turnout=turnout)
    kirkuk = next(p for p in found["strata"] if p["stratum"] == "IQ-KI")
    assert kirkuk["stations_reported"] == 4
    assert [(r["list_id"], r["share"], r["moe95"]) for r in kirkuk["lists"]] == [
        (s.list_id, float(s.ratio.share), s.ratio.moe) for s in core["IQ-KI"].lists]
    assert kirkuk["turnout"]["share"] == float(core["IQ-KI"].turnout.share)
    basra = next(p for p in found["strata"] if p["stratum"] == "IQ-BA")
    assert basra["lists"][0]["no_margin"] == "fewer_than_two_stations"
    overall = pvt_estimate.estimate(votes, stations_in_frame=22, turnout=turnout)
    assert [r["share"] for r in found["overall"]["lists"]] == [
        float(s.ratio.share) for s in overall.lists]
    page = coordinator.get(ESTIMATE, HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    share = f'{float(core["IQ-KI"].lists[1].ratio.share) * 100:.1f}%'
    assert share in text
    assert "not an official result" in text
    assert "No margin: fewer than two stations reported." in text
    assert "leans toward those that reported first" in text
    # The verified-only toggle: nothing is verified yet.
    assert coordinator.get("/staff/observation/pvt/estimate.json?verified=1").json()[
        "overall"]["stations_reported"] == 0


def test_the_official_share_is_set_beside_the_estimate_and_flagged(
        coordinator, reported, users, stations):
    before = coordinator.get("/staff/observation/pvt/estimate.json").json()
    assert all(r["official_share"] is None for r in before["strata"][1]["lists"])
    # The commission publishes Kirkuk: list 2 far above the estimate.
    publish_kirkuk(stations, users[Role.ADMIN], {"KI0003-01": {"1": 10, "2": 900, "3": 10}})
    found = coordinator.get("/staff/observation/pvt/estimate.json").json()
    kirkuk = next(p for p in found["strata"] if p["stratum"] == "IQ-KI")
    rows = {r["list_id"]: r for r in kirkuk["lists"]}
    assert rows["2"]["official_share"] == pytest.approx(900 / 920)
    assert rows["2"]["outside"] is True
    basra = next(p for p in found["strata"] if p["stratum"] == "IQ-BA")
    assert all(r["official_share"] is None for r in basra["lists"])
    assert all(r["official_share"] is None for r in found["overall"]["lists"])  # Basra due
    text = coordinator.get(ESTIMATE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "outside the margin" in text
    assert "97.8%" in text


def test_the_published_csvs_give_the_command_line_the_page_s_figures(
        coordinator, reported, client, tmp_path):
    Submission.objects.update(status=Verification.VERIFIED)  # the public counts verified ones
    (tmp_path / "frame.csv").write_bytes(client.get("/observation/CSO-1/pvt/frame.csv").content)
    reports = client.get("/observation/CSO-1/pvt/reports.csv").content
    (tmp_path / "reports.csv").write_bytes(reports)
    assert reports.decode().splitlines()[:2] == ["station_id,list_id,votes",
                                                 "BA0001-01,1,40"]
    out = _cli("pvt", "estimate", "--frame", str(tmp_path / "frame.csv"), "--reports",
               str(tmp_path / "reports.csv"), "--format", "json")
    assert out.returncode == 0, out.stderr
    cli = json.loads(out.stdout)
    rows = list(csv.DictReader(io.StringIO(
        client.get("/observation/CSO-1/pvt/estimate.csv").content.decode())))
    assert list(rows[0]) == ["stratum", "list_id", "share", "moe95", "official_share",
                             "outside"]
    page = {(r["stratum"], r["list_id"]): (float(r["share"]),
                                           float(r["moe95"]) if r["moe95"] else None)
            for r in rows}
    assert page == {("", r["list_id"]): (r["share"], r["moe95"]) for r in cli["lists"]} | {
        (p["stratum"], r["list_id"]): (r["share"], r["moe95"])
        for p in cli["strata"] for r in p["lists"]}
    public = client.get("/observation/CSO-1/pvt/", HTTP_ACCEPT_LANGUAGE="en")
    assert public.status_code == 200
    assert f'{cli["lists"][0]["share"] * 100:.1f}%' in public.content.decode()


# --- who may --------------------------------------------------------------------------------

def test_only_the_organisation_s_coordinator_draws(users, organisation, client):
    observer = _client(users[Role.OBSERVER])
    for page in (PAGE, ESTIMATE, "/staff/observation/pvt/estimate.json"):
        assert observer.get(page).status_code == 403
        assert client.get(page).status_code == 302  # to the login page
    assert observer.post(PAGE, {"step": "draw", "seed": SEED, "size": 3}).status_code == 403
    assert client.post(PAGE, {"step": "draw", "seed": SEED, "size": 3}).status_code == 302
    assert not PvtSample.objects.exists()
    assert client.get("/observation/CSO-1/pvt/").status_code == 404  # nothing drawn yet
    assert client.get("/observation/" + "X" * 5000 + "/pvt/frame.csv").status_code == 404


def test_the_docs_file_tells_the_page_s_decisions():
    docs = (Path(__file__).parents[2] / "docs" / "pvt-app.md").read_text(encoding="utf-8")
    assert "/staff/observation/pvt/" in docs
    assert "verified" in docs


# --- the statement ----------------------------------------------------------------------------

def test_the_statement_freezes_the_estimate_and_the_findings(coordinator, reported, client,
                                                             observer, tmp_path):
    Submission.objects.update(status=Verification.VERIFIED)
    assert coordinator.post("/staff/observation/statement/",
                            {"text_ar": "بيان"}).status_code == 302
    live = client.get("/observation/CSO-1/pvt/estimate.csv").content
    frozen_estimate = client.get("/observation/CSO-1/statement/pvt-estimate.csv")
    assert frozen_estimate.status_code == 200
    assert frozen_estimate.content == live  # nothing has arrived since
    frozen_reports = client.get("/observation/CSO-1/statement/pvt-reports.csv").content
    page = client.get("/observation/CSO-1/statement/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "Parallel vote tabulation" in text
    assert "0 published findings" in text
    first = page.context["pvt"]["parts"][1]["rows"][0]["share_shown"]
    assert first in text
    # A later report changes the live estimate, not the published statement.
    late = counting_report(observer, "KI0003-01", {"list_votes": {"1": 500}})
    Submission.objects.filter(pk=late.pk).update(status=Verification.VERIFIED)
    assert client.get("/observation/CSO-1/pvt/estimate.csv").content != live
    again = client.get("/observation/CSO-1/statement/", HTTP_ACCEPT_LANGUAGE="en")
    assert again.context["pvt"]["parts"][1]["rows"][0]["share_shown"] == first
    assert again.context["pvt"]["parts"][1]["stations_reported"] == 4
    # The statement's data stays as it froze it, and gives its estimate again.
    assert "/observation/CSO-1/statement/pvt-reports.csv" in again.content.decode()
    assert client.get("/observation/CSO-1/statement/pvt-estimate.csv").content == live
    assert client.get("/observation/CSO-1/statement/pvt-reports.csv").content == frozen_reports
    assert "KI0003-01" not in frozen_reports.decode()
    (tmp_path / "frame.csv").write_bytes(client.get("/observation/CSO-1/pvt/frame.csv").content)
    (tmp_path / "reports.csv").write_bytes(frozen_reports)
    out = _cli("pvt", "estimate", "--frame", str(tmp_path / "frame.csv"), "--reports",
               str(tmp_path / "reports.csv"), "--format", "json")
    assert out.returncode == 0, out.stderr
    shares = {row["list_id"]: row["share"] for row in csv.DictReader(io.StringIO(live.decode()))
              if row["stratum"] == ""}
    assert {r["list_id"]: r["share"] for r in json.loads(out.stdout)["lists"]} == pytest.approx(
        {k: float(v) for k, v in shares.items()})
    assert client.get("/observation/CSO-1/statement/pvt-frame.csv").status_code == 404
    pdf = client.get("/observation/CSO-1/statement.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_the_public_observation_page_leads_to_the_sample(coordinator, client):
    assert "/observation/CSO-1/pvt/" not in client.get("/observation/").content.decode()
    _draw(coordinator)
    assert "/observation/CSO-1/pvt/" in client.get("/observation/").content.decode()
    assert "/staff/observation/pvt/" in coordinator.get("/staff/observation/").content.decode()


def test_the_demo_draws_a_sample_and_reports_its_published_stations(
        stations, users, lists, organisation, client):
    from shafaf.observation import demo_pvt
    from shafaf.results import published_counts

    sample = demo_pvt.draw(organisation, users[Role.CSO_COORDINATOR])
    assert sample is not None
    assert demo_pvt.draw(organisation, users[Role.CSO_COORDINATOR]) is None  # once
    kirkuk = [s.station.code for s in sample.stations.select_related("station")
              if s.stratum == "IQ-KI"]
    publication = publish_kirkuk(stations, users[Role.ADMIN], {
        code: {"1": 50 + n, "2": 40, "3": 10 * n} for n, code in enumerate(kirkuk)})
    counted = published_counts.station_counts(publication, kirkuk)
    lines = demo_pvt.report(sample, counted, governorate="IQ-KI")
    assert f"{len(kirkuk)} of IQ-KI's sampled stations reported" in lines[0]
    assert client.get("/observation/CSO-1/pvt/").status_code == 200
    estimate = list(csv.DictReader(io.StringIO(
        client.get("/observation/CSO-1/pvt/estimate.csv").content.decode())))
    kirkuk_rows = [r for r in estimate if r["stratum"] == "IQ-KI"]
    # Every Kirkuk station reported what was published: a census, margin 0, no flag.
    assert {r["outside"] for r in kirkuk_rows} == {"no"}
    assert all(float(r["share"]) == pytest.approx(float(r["official_share"]))
               for r in kirkuk_rows)
