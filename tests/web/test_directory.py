"""The public candidate directory: its pages, its downloads (CSV, NIST SP 1500-100 v2
JSON) and its API, as a voter, a journalist or a data user meets them."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from django.utils import timezone

from shafaf.access.roles import Role
from shafaf.accounts.models import User
from shafaf.core.certification import CandidateState, ListState
from shafaf.core.eligibility import EducationLevel
from shafaf.elections.models import Contest, Election
from shafaf.entities.models import (
    Candidate,
    DrawStatus,
    Entity,
    EntityKind,
    EntityStatus,
    ListKind,
    LotteryDraw,
    NominationList,
)
from shafaf.entities.synthetic import create_entities

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "nist_1500_100_subset.schema.json"
KIRKUK = "/candidates/gc-2023/IQ-KI/"


def _candidate(nomination: NominationList, position: int, name_ar: str, *,
               status: str = CandidateState.APPROVED, sequence: int | None = None,
               sex: str = "M", **names: str) -> Candidate:
    if sequence is None and status == CandidateState.APPROVED:
        sequence = position
    return Candidate.objects.create(
        nomination=nomination, position=position, sequence=sequence, status=status,
        name_ar=name_ar, mother_name_ar="آمنة علي", sex=sex,
        date_of_birth=date(1980, 1, 1), education=EducationLevel.BACHELOR,
        governorate=nomination.contest.governorate, **names)


def _entity(election: Election, code: str, name_ar: str, *, kind: str = EntityKind.PARTY,
            number: int | None = None, **names: str) -> Entity:
    return Entity.objects.create(election=election, code=code, kind=kind, name_ar=name_ar,
                                 status=EntityStatus.APPROVED, ballot_number=number, **names)


def _list(entity: Entity, governorate: str, *, kind: str = ListKind.GENERAL,
          component: str = "", status: str = ListState.CERTIFIED) -> NominationList:
    return NominationList.objects.create(
        entity=entity, contest=Contest.objects.get(election=entity.election,
                                                   governorate__code=governorate),
        kind=kind, component=component, status=status)


@pytest.fixture
def directory(election) -> dict[str, object]:
    """Kirkuk: three certified general lists (synthetic 1, 2, 3; 3 is an alliance with
    one member party) numbered 5, 2, 3, and a Christian component candidacy numbered 9;
    Basra: two lists. Beside them, what must never show: a draft list and an excluded
    candidate."""
    one, two, alliance = create_entities(election, lists={"IQ-KI": 3, "IQ-BA": 2},
                                         candidates_per_list=8, numbered=True)
    Entity.objects.filter(pk=one.pk).update(ballot_number=5)
    member = _entity(election, "member-party", "حزب الشراكة العضو",
                     name_en="Partnership member party")
    Entity.objects.filter(pk=member.pk).update(alliance=alliance)
    kirkuk_two = two.lists.get(contest__governorate__code="IQ-KI")
    Candidate.objects.filter(nomination=kirkuk_two, position=3).delete()
    zahra = _candidate(kirkuk_two, 3, "زهراء عبدالأمير جاسم محمد", sex="F",
                       surname_ar="الخفاجي", name_ckb="زەهرا عەبدولئەمیر",
                       name_en="Zahraa Abdulameer Al-Khafaji")
    excluded = _candidate(kirkuk_two, 9, "مستبعد بقرار المفوضية", status=CandidateState.EXCLUDED)
    draft_entity = _entity(election, "draft-entity", "كيان لم يصادق عليه")
    draft = _list(draft_entity, "IQ-KI", status=ListState.DRAFT)
    _candidate(draft, 1, "مرشح في قائمة مسودة")
    christian = _entity(election, "christian-candidate", "يوحنا بطرس", number=9,
                        kind=EntityKind.INDIVIDUAL, name_en="Youhanna Boutros")
    component = _list(christian, "IQ-KI", kind=ListKind.COMPONENT, component="christian")
    _candidate(component, 1, "يوحنا بطرس يعقوب متي")
    return {"one": one, "two": two, "alliance": alliance, "member": member, "zahra": zahra,
            "excluded": excluded, "draft_entity": draft_entity, "christian": christian,
            "election": election}


def _codes(entries) -> list[str]:
    return [entry.entity.code for entry in entries]


# --- the pages ------------------------------------------------------------------------

def test_the_directory_is_public_and_linked_from_every_page(client, directory):
    home = client.get("/").content.decode()
    assert 'href="/candidates/"' in home
    index = client.get("/candidates/")
    assert index.status_code == 200
    html = index.content.decode()
    assert 'href="/candidates/gc-2023/IQ-KI/"' in html
    assert 'href="/candidates/gc-2023/candidates.csv"' in html
    assert 'href="/candidates/gc-2023/nist.json"' in html
    counts = {c.governorate.code: c.standing for _, contests in index.context["sections"]
              for c in contests}
    assert counts["IQ-KI"] == 4  # three general lists and the component candidacy
    assert counts["IQ-BA"] == 2
    assert counts["IQ-AN"] == 0


def test_only_certified_lists_and_approved_candidates_appear(client, directory):
    response = client.get(KIRKUK)
    assert response.status_code == 200
    html = response.content.decode()
    assert "كيان لم يصادق عليه" not in html
    assert "مرشح في قائمة مسودة" not in html
    assert "مستبعد بقرار المفوضية" not in html
    assert "زهراء عبدالأمير جاسم محمد الخفاجي" in html
    assert set(_codes(response.context["general"])) == {
        "synthetic-001", "synthetic-002", "synthetic-003"}
    for entry in response.context["general"]:
        assert [c.sequence for c in entry.candidates] == list(range(1, 9))
    assert "draft-entity" not in client.get("/candidates/gc-2023/candidates.csv").content.decode()
    api = client.get("/api/entities/gc-2023/lists").content.decode()
    assert "draft-entity" not in api
    assert "مستبعد" not in json.loads(api).__repr__()


def test_lists_come_in_ballot_number_order_with_their_numbers(client, directory):
    response = client.get(KIRKUK)
    general = response.context["general"]
    assert _codes(general) == ["synthetic-002", "synthetic-003", "synthetic-001"]
    assert [e.ballot_number for e in general] == [2, 3, 5]
    html = response.content.decode()
    headings = re.findall(r'<span class="ballot-number">(\d+)</span>', html)
    assert headings == ["2", "3", "5", "9"]


def test_an_alliance_shows_its_member_parties(client, directory):
    response = client.get(KIRKUK)
    alliance = next(e for e in response.context["general"] if e.entity.code == "synthetic-003")
    assert [m.code for m in alliance.members] == ["member-party"]
    html = response.content.decode()
    assert "حزب الشراكة العضو" in html
    assert alliance.entity.get_kind_display() in html


def test_component_candidacies_have_their_own_section(client, directory):
    response = client.get(KIRKUK)
    assert "christian-candidate" not in _codes(response.context["general"])
    [section] = response.context["components"]
    assert section.component == "christian"
    assert _codes(section.lists) == ["christian-candidate"]
    html = response.content.decode()
    assert html.index('id="general"') < html.index('id="components"') < html.index(
        "يوحنا بطرس يعقوب متي")


def test_another_governorate_shows_only_its_own_lists(client, directory):
    response = client.get("/candidates/gc-2023/IQ-BA/")
    assert _codes(response.context["general"]) == ["synthetic-002", "synthetic-001"]
    assert response.context["components"] == []
    assert "زهراء" not in response.content.decode()


def test_the_governorate_switcher_goes_to_the_chosen_governorate(client, directory):
    html = client.get(KIRKUK).content.decode()
    assert '<option value="IQ-BA" >' in html
    assert '<option value="IQ-KI" selected>' in html
    response = client.get("/candidates/?election=gc-2023&governorate=IQ-BA")
    assert response.status_code == 302
    assert response["Location"] == "/candidates/gc-2023/IQ-BA/"
    # Kurdistan's governorates elect no council in this election.
    nowhere = client.get("/candidates/?election=gc-2023&governorate=IQ-AR")
    assert nowhere.status_code == 200
    assert nowhere.context["error"]


@pytest.mark.parametrize("url", ["/candidates/gc-2023/IQ-AR/", "/candidates/gc-2099/IQ-KI/",
                                 "/candidates/gc-2023/nowhere/"])
def test_a_governorate_without_a_contest_is_not_found(client, directory, url):
    assert client.get(url).status_code == 404


# --- search ---------------------------------------------------------------------------

def _search(client, query: str) -> dict[str, list[int | None]]:
    response = client.get(KIRKUK, {"q": query})
    assert response.status_code == 200
    entries = [*response.context["general"],
               *(e for s in response.context["components"] for e in s.lists)]
    return {e.entity.code: [c.sequence for c in e.candidates] for e in entries}


def test_search_finds_a_candidate_by_part_of_the_arabic_name(client, directory):
    assert _search(client, "عبدالأمير") == {"synthetic-002": [3]}
    # Words in any order, across the four-part name and the surname, and with the
    # spellings people type (no hamza on the alif).
    assert _search(client, "الخفاجي زهراء") == {"synthetic-002": [3]}
    assert _search(client, "عبدالامير") == {"synthetic-002": [3]}
    html = client.get(KIRKUK, {"q": "عبدالأمير"}).content.decode()
    assert "زهراء عبدالأمير جاسم محمد الخفاجي" in html
    assert 'value="عبدالأمير"' in html


def test_search_finds_a_candidate_by_the_kurdish_or_english_name(client, directory):
    assert _search(client, "زەهرا") == {"synthetic-002": [3]}
    assert _search(client, "khafaji") == {"synthetic-002": [3]}


def test_search_by_entity_shows_the_whole_list(client, directory):
    assert _search(client, "Synthetic entity 2") == {"synthetic-002": list(range(1, 9))}
    assert _search(client, "يوحنا") == {"christian-candidate": [1]}
    # A member party's name finds its alliance's list.
    assert _search(client, "الشراكة") == {"synthetic-003": list(range(1, 9))}


@pytest.mark.parametrize("number", ["5", "٥"])
def test_search_by_ballot_number(client, directory, number):
    assert _search(client, number) == {"synthetic-001": list(range(1, 9))}


def test_search_never_finds_what_does_not_stand(client, directory):
    assert _search(client, "مستبعد") == {}
    assert _search(client, "مسودة") == {}
    assert _search(client, "لم يصادق") == {}
    html = client.get(KIRKUK, {"q": "مستبعد"}).content.decode()
    assert "مستبعد بقرار المفوضية" not in html


# --- ballot numbers before the lottery is published -----------------------------------

def test_ballot_numbers_stay_blank_until_the_draw_is_published(client, directory):
    board = User.objects.create_user(username="board", role=Role.COMMISSIONER)
    draw = LotteryDraw.objects.create(
        election=directory["election"], status=DrawStatus.FROZEN, participants=[],
        participants_sha256="0" * 64, numbers="1-99", frozen_by=board)
    response = client.get(KIRKUK)
    general = response.context["general"]
    assert [e.ballot_number for e in general] == [None, None, None]
    # Ordered by code, so that the order does not give the numbers away.
    assert _codes(general) == ["synthetic-001", "synthetic-002", "synthetic-003"]
    assert 'class="ballot-number"' not in response.content.decode()
    assert _search(client, "5") == {}
    rows = list(csv.DictReader(io.StringIO(
        client.get("/candidates/gc-2023/candidates.csv").content.decode("utf-8-sig"))))
    assert {row["ballot_number"] for row in rows} == {""}
    assert {item["ballot_number"] for item in
            client.get("/api/entities/gc-2023/lists").json()} == {None}

    now = timezone.now()
    LotteryDraw.objects.filter(pk=draw.pk).update(
        status=DrawStatus.DRAWN, transcript={}, drawn_at=now)
    assert [e.ballot_number for e in client.get(KIRKUK).context["general"]] == [None] * 3
    LotteryDraw.objects.filter(pk=draw.pk).update(
        status=DrawStatus.PUBLISHED, published_at=now, signed_off_by=board)
    assert [e.ballot_number for e in client.get(KIRKUK).context["general"]] == [2, 3, 5]


# --- the reader's language ------------------------------------------------------------

def _in(client, language: str, url: str = KIRKUK) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_names_come_in_the_readers_language_falling_back_to_arabic(client, directory):
    arabic = _in(client, "ar")
    assert "زهراء عبدالأمير جاسم محمد الخفاجي" in arabic
    assert "كيان تجريبي 2" in arabic

    kurdish = _in(client, "ckb")
    assert 'lang="ckb"' in kurdish
    assert "زەهرا عەبدولئەمیر" in kurdish
    assert "زهراء عبدالأمير جاسم محمد الخفاجي" not in kurdish
    assert "قەوارەی تاقیکاری 2" in kurdish

    english = _in(client, "en")
    assert "Zahraa Abdulameer Al-Khafaji" in english
    assert "Synthetic entity 2" in english
    assert "Partnership member party" in english
    # No English name entered: the Arabic one.
    assert "يوحنا بطرس يعقوب متي" in english
    assert "Youhanna Boutros" in english


# --- CSV ------------------------------------------------------------------------------

def _csv(client, query: str = "") -> tuple[bytes, list[dict[str, str]]]:
    response = client.get(f"/candidates/gc-2023/candidates.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return response.content, list(csv.DictReader(io.StringIO(
        response.content.decode("utf-8-sig"))))


def test_the_csv_has_one_row_per_standing_candidate(client, directory):
    content, rows = _csv(client)
    assert content.startswith(b"\xef\xbb\xbf")  # so that Excel reads UTF-8
    assert list(rows[0]) == [
        "governorate", "ballot_number", "entity_code", "entity_name_ar", "entity_name_ckb",
        "entity_name_en", "entity_kind", "list_kind", "component", "sequence",
        "candidate_name_ar", "candidate_name_ckb", "candidate_name_en", "sex"]
    assert len(rows) == 3 * 8 + 1 + 2 * 8
    zahra = next(r for r in rows if r["candidate_name_en"] == "Zahraa Abdulameer Al-Khafaji")
    assert zahra == {
        "governorate": "IQ-KI", "ballot_number": "2", "entity_code": "synthetic-002",
        "entity_name_ar": "كيان تجريبي 2", "entity_name_ckb": "قەوارەی تاقیکاری 2",
        "entity_name_en": "Synthetic entity 2", "entity_kind": "party", "list_kind": "general",
        "component": "", "sequence": "3",
        "candidate_name_ar": "زهراء عبدالأمير جاسم محمد الخفاجي",
        "candidate_name_ckb": "زەهرا عەبدولئەمیر",
        "candidate_name_en": "Zahraa Abdulameer Al-Khafaji", "sex": "F"}
    christian = next(r for r in rows if r["entity_code"] == "christian-candidate")
    assert (christian["list_kind"], christian["component"], christian["entity_kind"],
            christian["ballot_number"]) == ("component", "christian", "individual", "9")
    assert [(r["governorate"], r["ballot_number"]) for r in rows][::8] == [
        ("IQ-BA", "2"), ("IQ-BA", "5"), ("IQ-KI", "2"), ("IQ-KI", "3"), ("IQ-KI", "5"),
        ("IQ-KI", "9")]
    assert not {r["candidate_name_ar"] for r in rows} & {"مستبعد بقرار المفوضية",
                                                         "مرشح في قائمة مسودة"}


def test_the_csv_for_one_governorate(client, directory):
    _, rows = _csv(client, "?governorate=IQ-BA")
    assert len(rows) == 2 * 8
    assert {r["governorate"] for r in rows} == {"IQ-BA"}
    response = client.get("/candidates/gc-2023/candidates.csv?governorate=IQ-BA")
    assert 'filename="gc-2023-IQ-BA-candidates.csv"' in response["Content-Disposition"]
    assert client.get("/candidates/gc-2023/candidates.csv?governorate=IQ-XX").status_code == 404


def test_a_name_that_looks_like_a_formula_cannot_run_in_a_spreadsheet(client, directory):
    Candidate.objects.filter(pk=directory["zahra"].pk).update(
        name_en='=HYPERLINK("http://example.com")')
    _, rows = _csv(client)
    assert "'=HYPERLINK(\"http://example.com\")" in {r["candidate_name_en"] for r in rows}


# --- NIST SP 1500-100 v2 --------------------------------------------------------------

def _nist(client, query: str = "") -> dict:
    response = client.get(f"/candidates/gc-2023/nist.json{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def _texts(text: dict) -> dict[str, str]:
    assert text["@type"] == "ElectionResults.InternationalizedText"
    return {s["Language"]: s["Content"] for s in text["Text"]}


def _ext(obj: dict) -> dict[str, str]:
    return {i["OtherType"]: i["Value"] for i in obj.get("ExternalIdentifier", [])}


def test_the_nist_report_is_valid_against_the_schema(client, directory):
    report = _nist(client)
    schema = json.loads(SCHEMA.read_text("utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(report)
    assert report["@type"] == "ElectionResults.ElectionReport"
    assert report["Status"] == "pre-election"


def test_every_reference_in_the_nist_report_points_at_an_object_in_it(client, directory):
    report = _nist(client)
    ids: list[str] = []
    refs: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@id":
                    ids.append(value)
                elif key.endswith("Ids"):
                    refs.extend(value)
                elif key.endswith("Id") and key != "VendorApplicationId":
                    refs.append(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(report)
    assert len(ids) == len(set(ids))
    assert set(refs) <= set(ids)


def test_the_nist_report_holds_entities_alliances_and_candidates(client, directory):
    report = _nist(client)
    parties = {p["@id"]: p for p in report["Party"]}
    alliance = parties["party-synthetic-003"]
    assert alliance["@type"] == "ElectionResults.Coalition"
    assert alliance["PartyIds"] == ["party-member-party"]
    assert parties["party-member-party"]["@type"] == "ElectionResults.Party"
    one = parties["party-synthetic-001"]
    assert one["@type"] == "ElectionResults.Party"
    assert _texts(one["Name"]) == {"ar": "كيان تجريبي 1", "ckb": "قەوارەی تاقیکاری 1",
                                   "en": "Synthetic entity 1"}
    assert _ext(one) == {"shafaf-entity-code": "synthetic-001", "shafaf-entity-kind": "party",
                         "ballot-number": "5"}
    assert set(one["PartyScopeGpUnitIds"]) == {"gpu-iq-ki", "gpu-iq-ba"}
    assert _ext(parties["party-christian-candidate"])["shafaf-entity-kind"] == "individual"
    assert "party-draft-entity" not in parties

    [election] = report["Election"]
    assert _texts(election["Name"])["en"] == "Governorate council elections 2023"
    assert election["StartDate"] == election["EndDate"] == "2023-12-18"
    candidates = {c["@id"]: c for c in election["Candidate"]}
    assert len(candidates) == 3 * 8 + 1 + 2 * 8
    zahra = candidates[f"cand-{directory['zahra'].pk}"]
    assert zahra["PartyId"] == "party-synthetic-002"
    assert _texts(zahra["BallotName"]) == {"ar": "زهراء عبدالأمير جاسم محمد الخفاجي",
                                           "ckb": "زەهرا عەبدولئەمیر",
                                           "en": "Zahraa Abdulameer Al-Khafaji"}
    assert _ext(zahra)["ballot-sequence"] == "3"
    assert f"cand-{directory['excluded'].pk}" not in candidates
    person = next(p for p in report["Person"] if p["@id"] == zahra["PersonId"])
    assert person["Gender"] == "female"

    gpunits = {g["@id"]: g for g in report["GpUnit"]}
    assert gpunits["gpu-iq"]["Type"] == "country"
    kirkuk = gpunits["gpu-iq-ki"]
    assert (kirkuk["Type"], kirkuk["OtherType"]) == ("other", "governorate")
    assert _ext(kirkuk) == {"iso-3166-2": "IQ-KI"}
    assert _texts(kirkuk["Name"])["ar"] == "كركوك"


def test_nist_contests_carry_the_lists_in_ballot_order_and_their_candidates(client, directory):
    [election] = _nist(client)["Election"]
    contests = {c["@id"]: c for c in election["Contest"]}
    general = contests["contest-iq-ki"]
    assert general["ElectionDistrictId"] == "gpu-iq-ki"
    assert general["NumberElected"] == 15
    parties = [(s["PartyIds"], s.get("SequenceOrder")) for s in general["ContestSelection"]
               if s["@type"] == "ElectionResults.PartySelection"]
    assert parties == [(["party-synthetic-002"], 2), (["party-synthetic-003"], 3),
                       (["party-synthetic-001"], 5)]
    candidates = [s for s in general["ContestSelection"]
                  if s["@type"] == "ElectionResults.CandidateSelection"]
    assert len(candidates) == 3 * 8
    christian = contests["contest-iq-ki-christian"]
    assert christian["NumberElected"] == 1
    assert _texts(christian["BallotTitle"])["en"] == "Kirkuk — Christians"
    assert [s["@type"] for s in christian["ContestSelection"]] == [
        "ElectionResults.PartySelection", "ElectionResults.CandidateSelection"]


def test_the_nist_report_for_one_governorate(client, directory):
    report = _nist(client, "?governorate=IQ-BA")
    assert {g["@id"] for g in report["GpUnit"]} == {"gpu-iq", "gpu-iq-ba"}
    [election] = report["Election"]
    assert {c["ElectionDistrictId"] for c in election["Contest"]} == {"gpu-iq-ba"}
    assert len(election["Candidate"]) == 2 * 8
    schema = json.loads(SCHEMA.read_text("utf-8"))
    jsonschema.Draft4Validator(schema).validate(report)


# --- API ------------------------------------------------------------------------------

def test_the_api_lists_certified_lists_with_their_candidates(client, directory):
    response = client.get("/api/entities/gc-2023/lists", {"governorate": "IQ-KI"})
    assert response.status_code == 200
    body = response.json()
    assert [(item["entity"]["code"], item["ballot_number"], item["kind"]) for item in body] == [
        ("synthetic-002", 2, "general"), ("synthetic-003", 3, "general"),
        ("synthetic-001", 5, "general"), ("christian-candidate", 9, "component")]
    alliance = body[1]["entity"]
    assert alliance["kind"] == "alliance"
    assert [m["code"] for m in alliance["members"]] == ["member-party"]
    zahra = body[0]["candidates"][2]
    assert zahra == {"sequence": 3, "name_ar": "زهراء عبدالأمير جاسم محمد الخفاجي",
                     "name_ckb": "زەهرا عەبدولئەمیر",
                     "name_en": "Zahraa Abdulameer Al-Khafaji", "sex": "F"}
    assert body[3]["component"] == "christian"


def test_the_api_searches_and_filters(client, directory):
    body = client.get("/api/entities/gc-2023/lists", {"q": "الخفاجي"}).json()
    assert [(i["entity"]["code"], [c["sequence"] for c in i["candidates"]]) for i in body] == [
        ("synthetic-002", [3])]
    everywhere = client.get("/api/entities/gc-2023/lists").json()
    assert {i["governorate"] for i in everywhere} == {"IQ-KI", "IQ-BA"}
    assert client.get("/api/entities/gc-2099/lists").status_code == 404
    missing = client.get("/api/entities/gc-2023/lists", {"governorate": "IQ-XX"})
    assert missing.status_code == 404
    assert set(missing.json()) == {"detail"}


def test_the_api_is_documented_in_openapi(client, directory):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/entities/{election}/lists" in paths


# --- query counts ---------------------------------------------------------------------

def _grow(election: Election) -> None:
    """Four more lists of twenty in Kirkuk, one of them an alliance with members."""
    for n in range(4):
        kind = EntityKind.ALLIANCE if n == 0 else EntityKind.PARTY
        entity = _entity(election, f"more-{n}", f"كيان إضافي {n}", kind=kind, number=20 + n)
        nomination = _list(entity, "IQ-KI")
        for position in range(1, 21):
            _candidate(nomination, position, f"مرشح إضافي {n} {position}")
        if kind == EntityKind.ALLIANCE:
            for m in range(3):
                member = _entity(election, f"more-member-{m}", f"حزب عضو {m}")
                Entity.objects.filter(pk=member.pk).update(alliance=entity)


@pytest.mark.parametrize("url", [
    KIRKUK, f"{KIRKUK}?q=كيان", "/candidates/", "/candidates/gc-2023/candidates.csv",
    "/candidates/gc-2023/nist.json", "/api/entities/gc-2023/lists",
    "/api/entities/gc-2023/lists?governorate=IQ-KI&q=كيان"])
def test_queries_do_not_grow_with_the_lists_and_candidates(
        client, directory, django_assert_max_num_queries, url):
    with django_assert_max_num_queries(8) as few:
        assert client.get(url).status_code == 200
    _grow(directory["election"])
    with django_assert_max_num_queries(8) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
