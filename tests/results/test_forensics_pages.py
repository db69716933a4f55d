"""The public forensics pages: a governorate's figures are the command's on the files
its publication serves, the plots are SVG, a new publication gives new figures, and a
visitor who asks for something that is not there gets a page, never a 500."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from shafaf.accounts.models import User
from shafaf.elections.models import Contest, PollingStation
from shafaf.entities.models import Candidate, Entity, NominationList
from shafaf.entities.synthetic import create_entities
from shafaf.results.adoption import station_result
from shafaf.results.models import FormVote, ResultForm, Source
from shafaf.results.publication import publish
from shafaf.results.settlement import settle
from tests.results.conftest import FormMaker
from tests.results.test_publication import count, stations_of
from tests.web.conftest import election, stations  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def shelf(settings, tmp_path: Path) -> Path:
    """A publication directory of this test's own: what is computed is seen here."""
    settings.SHAFAF_PUBLICATION_DIR = str(tmp_path / "published")
    return tmp_path / "published"


@pytest.fixture
def admin(kirkuk: Contest) -> User:
    return User.objects.create_user(username="admin", role="admin")


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    from shafaf.cli.main import main

    capsys.readouterr()
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def downloaded(client: Client, tmp_path: Path, name: str) -> str:
    response = client.get(f"/results/gc-2023/IQ-KI/{name}")
    assert response.status_code == 200
    path = tmp_path / name
    path.write_bytes(response.content)
    return str(path)


def test_the_page_gives_the_command_s_figures_on_the_published_files(
        kirkuk: Contest, make_form: FormMaker, admin: User, client: Client,
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A list's name is data: it reaches the page as text, never as markup.
    Entity.objects.update(name_ar='<script>alert("x")</script><img src=x>')
    count(kirkuk, make_form, stations_of(kirkuk))
    publish(actor=admin, contest=kirkuk, stage="preliminary")
    votes = downloaded(client, tmp_path, "votes.csv")
    forms = downloaded(client, tmp_path, "forms.csv")
    expected = cli(capsys, "forensics", "last-digit", "--votes", votes, "--format", "json")
    assert expected["counts_used"] > 20  # the figures rest on something

    page = client.get("/results/gc-2023/IQ-KI/forensics/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    body = page.content.decode()
    assert f'<dd class="chi2">{expected["chi2"]:.3f}</dd>' in body
    assert f'<dd class="p-value">{expected["p_value"]:.4g}</dd>' in body
    assert f'<dd class="counts-used">{expected["counts_used"]}</dd>' in body
    for digit, frequency in enumerate(expected["frequencies"]):
        assert f"<tr><td>{digit}</td><td>{frequency}</td>" in body
    assert "Beber and Scacco" in body
    assert "Klimek" in body
    assert "not that the counts were invented" in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x&gt;" in body
    assert "<script>alert" not in body

    # The JSON is the report command's summary of the same files, to the last digit.
    out = tmp_path / "report"
    from shafaf.cli.main import main

    assert main(["forensics", "report", "--votes", votes, "--forms", forms,
                 "--out", str(out)]) == 0
    report = json.loads((out / "summary.json").read_text())
    api = client.get("/api/results/gc-2023/IQ-KI/forensics").json()
    for part in ("last_digit", "zero_or_five", "turnout", "fingerprint", "stations"):
        assert api["all"][part] == report["all"][part], part
    assert api["all"]["last_digit"]["frequencies"] == expected["frequencies"]
    share = report["all"]["zero_or_five"]["share"]
    assert f'<dd class="zero-or-five-share">{100 * share:.2f}</dd>' in body
    assert api["governorates"] == []

    # Each plot: SVG, served as such, with the bars, the steps and the picture it shows.
    for kind, mark in (("last-digit", "patch"), ("turnout", "patch"),
                       ("fingerprint", "image")):
        assert f'src="/results/gc-2023/IQ-KI/forensics/{kind}.svg"' in body
        plot = client.get(f"/results/gc-2023/IQ-KI/forensics/{kind}.svg")
        assert plot.status_code == 200
        assert plot["Content-Type"] == "image/svg+xml"
        assert "script-src" not in plot["Content-Security-Policy"]
        assert "default-src 'none'" in plot["Content-Security-Policy"]
        root = ET.fromstring(plot.content)  # noqa: S314 (drawn by Shafaf)
        assert root.tag == f"{SVG}svg"
        assert not list(root.iter(f"{SVG}script"))
        if mark == "image":
            assert list(root.iter(f"{SVG}image"))
        else:
            assert len([g for g in root.iter(f"{SVG}g")
                        if g.get("id", "").startswith(mark)]) >= 1
        assert api["all"]["plots"][kind.replace("-", "_")] == (
            f"/results/gc-2023/IQ-KI/forensics/{kind}.svg")
        again = client.get(f"/results/gc-2023/IQ-KI/forensics/{kind}.svg",
                           HTTP_IF_NONE_MATCH=plot["ETag"])
        assert again.status_code == 304


def test_figures_are_computed_once_per_publication_and_anew_for_a_new_one(
        kirkuk: Contest, make_form: FormMaker, admin: User, client: Client,
        shelf: Path) -> None:
    kirkuk_stations = stations_of(kirkuk)
    count(kirkuk, make_form, kirkuk_stations[:4])
    publish(actor=admin, contest=kirkuk, stage="preliminary")
    page = client.get("/results/gc-2023/IQ-KI/forensics/", HTTP_ACCEPT_LANGUAGE="en")
    assert "4 stations" in page.content.decode()
    stored = list(shelf.rglob("*.json"))
    assert len(stored) == 1
    made = stored[0].stat().st_mtime_ns
    plot = client.get("/results/gc-2023/IQ-KI/forensics/turnout.svg")
    client.get("/results/gc-2023/IQ-KI/forensics/")
    assert stored[0].stat().st_mtime_ns == made  # read, not computed again

    count(kirkuk, make_form, kirkuk_stations[4:9])
    publish(actor=admin, contest=kirkuk, stage="preliminary")
    page = client.get("/results/gc-2023/IQ-KI/forensics/", HTTP_ACCEPT_LANGUAGE="en")
    assert "9 stations" in page.content.decode()
    # The election's page counts each governorate's latest publication only.
    assert "their stations: 9." in client.get("/results/gc-2023/forensics/",
                                               HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert not stored[0].exists()  # the old figures are replaced, not kept
    newer = client.get("/results/gc-2023/IQ-KI/forensics/turnout.svg",
                       HTTP_IF_NONE_MATCH=plot["ETag"])
    assert newer.status_code == 200
    assert newer["ETag"] != plot["ETag"]
    assert newer.content != plot.content


def test_the_election_page_adds_every_governorate_and_links_each(
        kirkuk: Contest, make_form: FormMaker, admin: User, client: Client,
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    page = client.get("/results/gc-2023/forensics/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "No results have been published for this election yet." in page.content.decode()
    assert client.get("/results/gc-2023/forensics/turnout.svg").status_code == 404
    count(kirkuk, make_form, stations_of(kirkuk))
    publish(actor=admin, contest=kirkuk, stage="preliminary")
    votes = downloaded(client, tmp_path, "votes.csv")
    expected = cli(capsys, "forensics", "last-digit", "--votes", votes, "--format", "json")
    body = client.get("/results/gc-2023/forensics/", HTTP_ACCEPT_LANGUAGE="en"
                      ).content.decode()
    assert 'href="/results/gc-2023/IQ-KI/forensics/"' in body
    assert f'<dd class="chi2">{expected["chi2"]:.3f}</dd>' in body
    assert f"<td>{expected['chi2']:.3f}</td>" in body  # Kirkuk's row: the same stations
    plot = client.get("/results/gc-2023/forensics/fingerprint.svg")
    assert plot.status_code == 200
    assert plot["Content-Type"] == "image/svg+xml"
    # The results pages lead to the forensics.
    assert 'href="/results/gc-2023/forensics/"' in client.get(
        "/results/gc-2023/").content.decode()
    assert 'href="/results/gc-2023/IQ-KI/forensics/"' in client.get(
        "/results/gc-2023/IQ-KI/").content.decode()


def test_no_publication_says_so_and_hostile_addresses_are_404(kirkuk: Contest,
                                                             client: Client) -> None:
    page = client.get("/results/gc-2023/IQ-KI/forensics/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "No results have been published for this governorate yet." in (
        page.content.decode())
    for url in ("/results/gc-2023/IQ-KI/forensics/turnout.svg",
                "/api/results/gc-2023/IQ-KI/forensics",
                "/results/gc-2023/IQ-XX/forensics/",
                "/results/nope/IQ-KI/forensics/",
                "/results/nope/forensics/",
                "/results/gc-2023/IQ-KI/forensics/other.svg",
                "/results/gc-2023/forensics/other.svg",
                f"/results/gc-2023/{'x' * 5000}/forensics/",
                f"/results/{'y' * 5000}/forensics/",
                f"/results/gc-2023/IQ-KI/forensics/{'z' * 5000}.svg",
                "/api/results/gc-2023/IQ-XX/forensics",
                f"/api/results/gc-2023/{'x' * 5000}/forensics"):
        assert client.get(url).status_code == 404, url
    # A NUL, which PostgreSQL cannot take, is refused before any query.
    for url in ("/results/gc-2023/IQ-%00KI/forensics/", "/results/gc-%002023/forensics/",
                "/api/results/gc-2023/IQ-%00KI/forensics"):
        assert client.get(url).status_code == 400, url


def _publish_counted(contest: Contest, admin: User, seed: int) -> None:
    """Count every station of ``contest`` with made-up but consistent numbers, and
    publish them."""
    lists = list(NominationList.objects.filter(contest=contest).order_by("entity__code"))
    for n, station in enumerate(PollingStation.objects.filter(
            centre__governorate=contest.governorate).order_by("code")):
        votes = {(li, pos): 11 + (seed * 7 + n * 13 + li * 5 + pos * 3) % 90
                 for li in range(len(lists)) for pos in (1, 2)}
        valid = sum(votes.values())
        form = ResultForm.objects.create(
            station=station, contest=contest, source=Source.MANUAL, registered=600,
            voted=valid + 5, ballots_received=valid + 55, ballots_in_box=valid + 5,
            ballots_spoiled=5, ballots_unused=45, invalid=5, valid=valid)
        FormVote.objects.bulk_create(
            FormVote(form=form, nomination=lists[li], votes=count,
                     candidate=Candidate.objects.get(nomination=lists[li], position=pos))
            for (li, pos), count in votes.items())
        with transaction.atomic():
            settle(result=station_result(station=station, contest=contest))
    publish(actor=admin, contest=contest, stage="preliminary", lot_seed="lot")


def test_the_election_page_gives_the_command_s_figures_for_all_and_each_governorate(
        stations, client: Client, tmp_path: Path) -> None:  # noqa: F811 (the fixture)
    """Kirkuk's and Basra's publications together: the election's figures are the
    command's on their files joined, and each governorate's row is its own page's."""
    from shafaf.cli.main import main

    create_entities(stations, lists={"IQ-KI": 3, "IQ-BA": 2}, candidates_per_list=3,
                    numbered=True)
    admin = User.objects.create_user(username="admin", role="admin")
    for seed, code in enumerate(("IQ-BA", "IQ-KI")):
        _publish_counted(Contest.objects.get(election=stations, governorate__code=code),
                         admin, seed)
    joined = {"votes.csv": [], "forms.csv": []}
    for code in ("IQ-BA", "IQ-KI"):
        for name, lines in joined.items():
            text = client.get(f"/results/gc-2023/{code}/{name}").content.decode()
            head, *rows = text.splitlines()
            lines[:] = lines or [head]
            lines.extend(rows)
    for name, lines in joined.items():
        (tmp_path / name).write_text("\n".join(lines) + "\n")
    assert main(["forensics", "report", "--votes", str(tmp_path / "votes.csv"), "--forms",
                 str(tmp_path / "forms.csv"), "--out", str(tmp_path / "out")]) == 0
    everyone = json.loads((tmp_path / "out" / "summary.json").read_text())["all"]

    body = client.get("/results/gc-2023/forensics/", HTTP_ACCEPT_LANGUAGE="en"
                      ).content.decode()
    assert f'<dd class="chi2">{everyone["last_digit"]["chi2"]:.3f}</dd>' in body
    assert f'<dd class="counts-used">{everyone["last_digit"]["counts_used"]}</dd>' in body
    assert "their stations: 22." in body  # 12 in Kirkuk, 10 in Basra
    for code in ("IQ-BA", "IQ-KI"):
        own = client.get(f"/api/results/gc-2023/{code}/forensics").json()["all"]
        assert f'href="/results/gc-2023/{code}/forensics/"' in body
        row = (f"<td>{own['stations']}</td><td>{own['last_digit']['counts_used']}</td>\n"
               f"        <td>{own['last_digit']['chi2']:.3f}</td>")
        assert row in body, code


def test_a_command_past_its_time_gives_a_503_page_and_stores_nothing(
        kirkuk: Contest, make_form: FormMaker, admin: User, client: Client,
        shelf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from shafaf.results import forensics

    count(kirkuk, make_form, stations_of(kirkuk))
    publish(actor=admin, contest=kirkuk, stage="preliminary")
    monkeypatch.setattr(forensics, "TIMEOUT_SECONDS", 0.01)
    page = client.get("/results/gc-2023/IQ-KI/forensics/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 503
    assert "could not be computed just now" in page.content.decode()
    assert client.get("/results/gc-2023/IQ-KI/forensics/turnout.svg").status_code == 503
    assert not list(shelf.rglob("*.json"))
    # In its time, the next reader gets the figures.
    monkeypatch.setattr(forensics, "TIMEOUT_SECONDS", 600)
    assert client.get("/results/gc-2023/IQ-KI/forensics/").status_code == 200


def test_publishing_queues_the_figures_so_the_first_reader_does_not_wait(
        kirkuk: Contest, make_form: FormMaker, admin: User, client: Client,
        shelf: Path, monkeypatch: pytest.MonkeyPatch,
        django_capture_on_commit_callbacks: Any) -> None:
    from shafaf.jobs import worker
    from shafaf.jobs.models import Job
    from shafaf.results import forensics

    count(kirkuk, make_form, stations_of(kirkuk))
    with django_capture_on_commit_callbacks(execute=True):
        publish(actor=admin, contest=kirkuk, stage="preliminary")
        assert not Job.objects.filter(kind=forensics.JOB_KIND).exists()  # not before commit
    assert worker.run_pending() == 1
    assert Job.objects.get(kind=forensics.JOB_KIND).state == "done"
    assert len(list(shelf.rglob("*.json"))) == 2  # the governorate's and the election's
    # Readers now read what the worker stored: the command is never run for them.
    monkeypatch.setattr(forensics, "_report", lambda *a, **k: pytest.fail("computed again"))
    assert client.get("/results/gc-2023/IQ-KI/forensics/").status_code == 200
    assert client.get("/results/gc-2023/forensics/").status_code == 200
