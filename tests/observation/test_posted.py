"""Observers' copies of the posted result forms (docs/observation-posted-forms.md): the
list_votes question through the API, the comparison page of an organisation's
coordinators (scoped to their organisation), verify, dismiss and publish, and the
public page with its CSV."""

from __future__ import annotations

import csv
import io
import json
import uuid

import pytest
from django.test import Client
from PIL import Image

from shafaf.access.roles import Role
from shafaf.accounts.models import User
from shafaf.audit.models import AuditEvent
from shafaf.entities.synthetic import create_entities
from shafaf.observation.models import (
    Coordinator,
    EvidencePhoto,
    Organisation,
    OrganisationStatus,
    PostedFinding,
    Submission,
)
from shafaf.results.models import ResultForm
from tests.observation.posted_fixtures import counting_report, posted_copy, publish_kirkuk
from tests.web.conftest import PASSWORD

VOTES = {"1": 120, "2": 100, "3": 70}
PAGE = "/staff/observation/posted/"


@pytest.fixture
def lists(stations):
    """Three numbered lists stand in Kirkuk, two in Basra."""
    return create_entities(stations, lists={"IQ-KI": 3, "IQ-BA": 2}, candidates_per_list=2,
                           numbered=True)


@pytest.fixture
def phone(observer, users) -> Client:
    client = Client()
    client.force_login(users[Role.OBSERVER])
    return client


def _client(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _send(phone: Client, answers: dict, **report: object):
    body = {"id": str(uuid.uuid4()), "form": "counting", "station": "KI0001-01",
            "answers": answers, **report}
    return phone.post("/api/observation/submissions", json.dumps(body),
                      content_type="application/json")


COPY = {"registered": 401, "voted": 300, "ballots_in_box": 300, "invalid": 10, "valid": 290,
        "form_posted": True}


# --- the API ---------------------------------------------------------------------------

def test_the_phone_gets_the_list_votes_question_and_each_station_s_lists(phone, lists):
    forms = {f["code"]: f for f in phone.get("/api/observation/forms").json()}
    assert forms["counting"]["version"] == 2
    question = forms["counting"]["questions"][-1]
    assert (question["id"], question["type"], question["required"]) == (
        "list_votes", "list_votes", False)
    rows = phone.get("/api/observation/assignments", HTTP_ACCEPT_LANGUAGE="en").json()
    assert rows[0]["lists"] == [{"list_id": "1", "name": "Synthetic entity 1"},
                                {"list_id": "2", "name": "Synthetic entity 2"},
                                {"list_id": "3", "name": "Synthetic entity 3"}]
    arabic = phone.get("/api/observation/assignments", HTTP_ACCEPT_LANGUAGE="ar").json()
    assert arabic[0]["lists"][0]["name"] == "كيان تجريبي 1"


def test_a_report_with_each_list_s_votes_is_stored(phone, lists):
    answer = _send(phone, {**COPY, "list_votes": VOTES})
    assert answer.status_code == 201, answer.content
    assert answer.json()["answers"]["list_votes"] == VOTES
    assert answer.json()["version"] == 2


@pytest.mark.parametrize(("votes", "code"), [
    ({"1": 120, "9": 3}, "unknown_list"),  # list 9 does not stand in Kirkuk
    ({"1": -4}, "out_of_range"),
    ({"1": 12.5}, "wrong_type"),
    ({"1": "12"}, "wrong_type"),
    ([120, 100], "wrong_type"),
])
def test_bad_list_votes_are_refused_naming_the_question(phone, lists, votes, code):
    answer = _send(phone, {**COPY, "list_votes": votes})
    assert answer.status_code == 422
    assert [(p["question"], p["code"]) for p in answer.json()["problems"]] == [
        ("list_votes", code)]
    assert not Submission.objects.exists()


def test_a_basra_list_is_not_one_of_a_kirkuk_station_s(phone, stations):
    create_entities(stations, lists={"IQ-BA": 2}, candidates_per_list=1, numbered=True)
    answer = _send(phone, {**COPY, "list_votes": {"1": 5}})
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["code"] == "unknown_list"


def test_version_1_of_the_counting_form_is_still_answered(phone, lists):
    answer = _send(phone, COPY, version=1)
    assert answer.status_code == 201
    assert _send(phone, {**COPY, "list_votes": VOTES}, version=1).status_code == 422


def test_the_observer_adds_a_photo_of_the_posted_form(phone, observer, lists):
    report = counting_report(observer, "KI0001-01", COPY)
    image = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(image, format="PNG")
    image.seek(0)
    image.name = "form.png"
    answer = phone.post(f"/api/observation/submissions/{report.pk}/photos", {"photo": image})
    assert answer.status_code == 201, answer.content
    assert EvidencePhoto.objects.filter(submission=report).count() == 1


# --- the coordinator's page ----------------------------------------------------------

@pytest.fixture
def published(stations, users, lists, observer):
    """KI0001-01 published (its copy differs on valid and list 2), KI0001-02 reported
    but not counted yet."""
    publish_kirkuk(stations, users[Role.ADMIN], {"KI0001-01": VOTES})
    counted = ResultForm.objects.get(station__code="KI0001-01")
    differing = counting_report(observer, "KI0001-01", posted_copy(
        counted, {**VOTES, "2": 110}, valid=300))
    counting_report(observer, "KI0001-02", posted_copy(counted, VOTES))
    return differing


def test_the_page_lists_every_difference_with_both_values(users, published):
    page = _client(users[Role.CSO_COORDINATOR]).get(PAGE, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [row.report.station.code for row in rows] == ["KI0001-01"]
    shown = [(line.difference.key, line.difference.transcribed, line.difference.published)
             for line in rows[0].lines]
    assert shown == [("valid", 300, 290), ("list:2", 110, 100)]
    assert page.context["waiting"] == 1  # KI0001-02: not published yet
    text = page.content.decode()
    assert "Votes of list 2" in text
    assert "to check against the photo" in text


def test_the_published_files_are_read_from_the_database_once_per_publication(
        stations, users, published, settings, tmp_path, monkeypatch):
    """The first page copies the publication's files onto the shelf; later pages bisect
    the shelved votes.csv; a new publication's numbers are read afresh."""
    from shafaf.results import published_counts

    settings.SHAFAF_PUBLICATION_DIR = str(tmp_path / "published")
    coordinator = _client(users[Role.CSO_COORDINATOR])
    read: list[str] = []
    from_database = published_counts._content
    monkeypatch.setattr(published_counts, "_content",
                        lambda publication, name: read.append(name) or from_database(
                            publication, name))
    first = coordinator.get(PAGE).context["rows"][0].lines
    assert sorted(read) == ["forms.csv", "votes.csv"]
    assert len(list((tmp_path / "published").rglob("*.csv"))) == 2
    again = coordinator.get(PAGE).context["rows"][0].lines
    assert sorted(read) == ["forms.csv", "votes.csv"]  # nothing read again
    assert [line.difference for line in again] == [line.difference for line in first]
    # A later publication (one more station counted) is read afresh, once.
    publish_kirkuk(stations, users[Role.ADMIN], {"KI0002-01": {"1": 10, "2": 20, "3": 30}})
    later = coordinator.get(PAGE).context["rows"][0].lines
    coordinator.get(PAGE)
    assert len(read) == 4
    assert [line.difference for line in later] == [line.difference for line in first]
    assert len(list((tmp_path / "published").rglob("*.csv"))) == 2  # the old ones removed


def test_verify_dismiss_and_publish_are_audited_and_reach_the_public_page(
        users, published, client):
    coordinator = _client(users[Role.CSO_COORDINATOR])
    step = {"report": str(published.pk)}
    assert coordinator.post(PAGE, {**step, "step": "verify", "item": "list:2"}).status_code == 302
    refused = coordinator.post(PAGE, {**step, "step": "dismiss", "item": "valid"},
                               HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "Say why the difference is dismissed." in refused.content.decode()
    assert coordinator.post(PAGE, {**step, "step": "dismiss", "item": "valid",
                                   "reason": "the 9 read as 0"}).status_code == 302
    findings = {f.item: f for f in PostedFinding.objects.all()}
    assert (findings["list:2"].state, findings["list:2"].transcribed,
            findings["list:2"].published) == ("verified", 110, 100)
    assert (findings["valid"].state, findings["valid"].reason) == ("dismissed",
                                                                    "the 9 read as 0")
    # Nothing public before publishing.
    assert "KI0001-01" not in client.get("/observation/findings/").content.decode()
    assert coordinator.post(PAGE, {"step": "publish"}).status_code == 302
    assert coordinator.post(PAGE, {"step": "publish"}).status_code == 400  # none left
    unknown = coordinator.post(PAGE, {**step, "step": "erase"}, HTTP_ACCEPT_LANGUAGE="en")
    assert unknown.status_code == 400
    assert "Choose a step: verify, dismiss or publish." in unknown.content.decode()
    assert PostedFinding.objects.get(item="list:2").state == "published"
    actions = list(AuditEvent.objects.filter(action__startswith="observation.finding")
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["observation.finding_verified", "observation.finding_dismissed",
                       "observation.findings_published"]
    public = client.get("/observation/findings/", HTTP_ACCEPT_LANGUAGE="en")
    text = public.content.decode()
    assert "KI0001-01" in text
    assert "Votes of list 2" in text
    assert "Valid ballots" not in text  # the dismissed one stays private
    rows = list(csv.reader(io.StringIO(client.get("/observation/CSO-1/findings.csv")
                                       .content.decode())))
    assert rows[0][:7] == ["organisation", "station_id", "governorate", "item", "list_id",
                           "on_posted_form", "published"]
    assert [r[:7] for r in rows[1:]] == [["CSO-1", "KI0001-01", "IQ-KI", "list", "2",
                                          "110", "100"]]
    # A published finding is final.
    again = coordinator.post(PAGE, {**step, "step": "dismiss", "item": "list:2",
                                    "reason": "x"})
    assert again.status_code == 400


def test_a_difference_that_is_not_there_cannot_be_verified(users, published):
    coordinator = _client(users[Role.CSO_COORDINATOR])
    answer = coordinator.post(PAGE, {"report": str(published.pk), "step": "verify",
                                     "item": "registered"})
    assert answer.status_code == 400
    assert not PostedFinding.objects.exists()


@pytest.fixture
def other_coordinator(stations) -> User:
    other = Organisation.objects.create(
        election=stations, name_ar="منظمة أخرى", contact_name="y",
        contact_email="y@example.org", status=OrganisationStatus.APPROVED, code="CSO-2")
    user = User.objects.create_user(username="other-cso", password=PASSWORD,
                                    role=Role.CSO_COORDINATOR)
    Coordinator.objects.create(user=user, organisation=other)
    return user


def test_another_organisation_s_coordinator_sees_and_decides_nothing_of_it(
        published, other_coordinator):
    other = _client(other_coordinator)
    page = other.get(PAGE)
    assert page.status_code == 200
    assert page.context["rows"] == []
    assert "KI0001-01" not in page.content.decode()
    answer = other.post(PAGE, {"report": str(published.pk), "step": "verify",
                               "item": "valid"})
    assert answer.status_code == 404
    assert not PostedFinding.objects.exists()
    photo = EvidencePhoto.objects.create(submission=published, image=b"x",
                                         content_type="image/jpeg", width=1, height=1)
    assert other.get(f"/staff/observation/photos/{photo.pk}").status_code == 404


def test_a_new_publication_opens_the_differences_again(stations, users, published):
    """A decision is on the numbers of one publication: against a later one, the
    difference is open again, and what was decided keeps its numbers."""
    coordinator = _client(users[Role.CSO_COORDINATOR])
    coordinator.post(PAGE, {"report": str(published.pk), "step": "verify", "item": "valid"})
    # A later publication with one more station counted: another manifest even within
    # the same second (one with the same numbers and second is the same publication).
    publish_kirkuk(stations, users[Role.ADMIN], {"KI0002-01": {"1": 10, "2": 20, "3": 30}})
    page = coordinator.get(PAGE)
    [line] = [line for line in page.context["rows"][0].lines if line.difference.key == "valid"]
    assert line.state == "open"
    assert PostedFinding.objects.get().state == "verified"


def test_the_demo_s_copies_agree_but_one_planted_difference(stations, users, lists,
                                                             organisation):
    from shafaf.observation import demo_posted
    from shafaf.results import published_counts

    publication = publish_kirkuk(stations, users[Role.ADMIN], {
        "KI0001-01": VOTES, "KI0001-02": {"1": 50, "2": 60, "3": 5},
        "KI0002-01": {"1": 10, "2": 20, "3": 30}})
    counts = published_counts.station_counts(publication, ["KI0001-01", "KI0001-02",
                                                           "KI0002-01", "KI0003-01"])
    assert sorted(counts) == ["KI0001-01", "KI0001-02", "KI0002-01"]  # KI0003-01: not counted
    lines = demo_posted.load(organisation, counts, governorate="IQ-KI")
    assert "3 copies" in lines[0]
    assert demo_posted.load(organisation, counts, governorate="IQ-KI") == []  # once
    page = _client(users[Role.CSO_COORDINATOR]).get(PAGE)
    [row] = page.context["rows"]
    assert row.report.station.code == "KI0001-01"
    assert [(line.difference.key, line.difference.transcribed, line.difference.published)
            for line in row.lines] == [("list:1", 132, 120)]
    assert page.context["agreeing"] == 2
