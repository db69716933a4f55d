"""Stations filled from the register: each centre's active voters, in the lists'
Arabic order, cut into even runs within the maximum; idempotent, audited, refused
once the register is final. Then the station voter lists, rendered and read back.
Runs on SQLite and, with DATABASE_URL, on PostgreSQL (COPY "C" collation)."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from pypdf import PdfReader

from shafaf.access.roles import Role
from shafaf.accounts.models import User
from shafaf.audit.models import AuditEvent
from shafaf.elections import actions as elections
from shafaf.elections.models import (
    District,
    Governorate,
    PollingCentre,
    PollingStation,
    SubDistrict,
)
from shafaf.register import actions, stations, voter_lists
from shafaf.register.finality import RegisterRefused
from shafaf.register.models import Finalisation, Status, Voter

HEADER = ("voter_number,first_name,father_name,grandfather_name,family_name,mother_name,"
          "sex,birth_date,centre_code,category\n")
# Kirkuk's centre: the hamza forms of alef fold together in the lists' order, so the
# order is إبراهيم, أحمد, آمنة, باسم, علي (by code point آ would come first and إ last).
KIRKUK = (("100000005", "علي"), ("100000001", "أحمد"), ("100000002", "آمنة"),
          ("100000003", "إبراهيم"), ("100000004", "باسم"))
IN_ORDER = ["إبراهيم", "أحمد", "آمنة", "باسم", "علي"]
BASRA = (("200000001", "زينب"), ("200000002", "مريم"), ("200000003", "سارة"))
TODAY = date(2023, 8, 1)


def _csv() -> str:
    rows = [f"{number},{name},كاظم,جواد,الطائي,سعاد حسن,M,1980-05-01,KI0001,\n"
            for number, name in KIRKUK]
    rows += [f"{number},{name},كاظم,جواد,التميمي,سعاد حسن,F,1985-05-01,BA0001,\n"
             for number, name in BASRA]
    return HEADER + "".join(rows)


@pytest.fixture
def election(db, settings):
    settings.SHAFAF_VOTERS_PER_STATION = 2
    elections.load_governorates(actor=None)
    election = elections.create_council_election_2023(actor=None)
    for code, centre in (("IQ-KI", "KI0001"), ("IQ-BA", "BA0001")):
        governorate = Governorate.objects.get(code=code)
        district = District.objects.create(governorate=governorate, code=f"{code}-D",
                                           name_ar="قضاء")
        sub = SubDistrict.objects.create(district=district, code=f"{code}-S", name_ar="ناحية")
        PollingCentre.objects.create(election=election, code=centre, sub_district=sub,
                                     governorate=governorate, name_ar="مدرسة الفرات")
    actions.import_voters(actor=None, election=election, name="register.csv",
                          content=_csv().encode(), today=TODAY)
    return election


def _stations_of(centre: str) -> dict[str, list[str]]:
    """Each station's code with its voters' first names, in list order."""
    found: dict[str, list[str]] = {}
    for station in PollingStation.objects.filter(centre__code=centre).order_by("number"):
        found[station.code] = [v.first_name for v in Voter.objects.filter(station=station)
                               .order_by("sort_key")]
    return found


def test_voters_fill_even_runs_in_arabic_order_across_hamza_forms(election):
    summary = stations.assign_stations(actor=None, election=election)
    assert _stations_of("KI0001") == {"KI0001-01": IN_ORDER[:2], "KI0001-02": IN_ORDER[2:4],
                                      "KI0001-03": IN_ORDER[4:]}
    assert _stations_of("BA0001") == {"BA0001-01": ["زينب", "سارة"], "BA0001-02": ["مريم"]}
    assert dict(PollingStation.objects.values_list("code", "registered_voters")) == {
        "KI0001-01": 2, "KI0001-02": 2, "KI0001-03": 1, "BA0001-01": 2, "BA0001-02": 1}
    assert (summary.voters, summary.stations, summary.stations_created,
            summary.voters_moved) == (8, 5, 5, 8)


def test_one_audit_event_with_the_counts_and_a_second_run_changes_nothing(election):
    before = AuditEvent.objects.count()
    stations.assign_stations(actor=None, election=election)
    assert AuditEvent.objects.count() == before + 1
    data = AuditEvent.objects.get(action="register.assign_stations").data
    assert (data["voters"], data["stations"], data["maximum"]) == (8, 5, 2)
    assert "أحمد" not in str(data)
    placed = list(Voter.objects.order_by("pk").values_list("station_id", flat=True))
    again = stations.assign_stations(actor=None, election=election)
    assert not again.changed
    with translation.override("en"):
        assert again.text().endswith("Nothing changed.")
    assert AuditEvent.objects.count() == before + 1
    assert list(Voter.objects.order_by("pk").values_list("station_id", flat=True)) == placed


def test_a_removed_voter_leaves_and_an_emptied_station_is_kept_and_reported(election):
    stations.assign_stations(actor=None, election=election)
    Voter.objects.filter(voter_number="100000004").update(status=Status.REMOVED)  # باسم
    summary = stations.assign_stations(actor=None, election=election)
    assert _stations_of("KI0001") == {"KI0001-01": ["إبراهيم", "أحمد"],
                                      "KI0001-02": ["آمنة", "علي"], "KI0001-03": []}
    assert Voter.objects.get(voter_number="100000004").station is None
    assert summary.empty == ("KI0001-03",)
    assert PollingStation.objects.get(code="KI0001-03").registered_voters == 0
    with translation.override("en"):
        assert "1 station is left with no voters: KI0001-03." in summary.text()


def test_one_governorate_only(election):
    kirkuk = Governorate.objects.get(code="IQ-KI")
    summary = stations.assign_stations(actor=None, election=election, governorate=kirkuk)
    assert summary.voters == 5
    assert not PollingStation.objects.filter(centre__code="BA0001").exists()
    assert not Voter.objects.filter(centre__code="BA0001", station__isnull=False).exists()


def test_refused_once_the_register_is_final(election):
    Finalisation.objects.create(election=election, at=timezone.now(), voters=8, sha256="0" * 64)
    with pytest.raises(RegisterRefused) as refused:
        stations.assign_stations(actor=None, election=election)
    assert refused.value.code == "register_final"
    assert not PollingStation.objects.exists()


def test_only_those_who_import_the_register_may_fill_stations(election):
    officer = User.objects.create_user(username="officer", password="x" * 16,
                                       role=Role.REGISTER_OFFICER,
                                       governorate=Governorate.objects.get(code="IQ-KI"))
    with pytest.raises(PermissionDenied):
        stations.assign_stations(actor=officer, election=election)
    admin = User.objects.create_user(username="boss", password="x" * 16, role=Role.ADMIN)
    assert stations.assign_stations(actor=admin, election=election).voters == 8
    assert AuditEvent.objects.get(action="register.assign_stations").actor_username == "boss"


def test_progress_reaches_every_voter(election):
    seen: list[tuple[int, int]] = []
    stations.assign_stations(actor=None, election=election,
                             progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (8, 8)


# --- The voter lists -----------------------------------------------------------------


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    return "\n".join(unicodedata.normalize("NFKC", page.extract_text())
                     for page in PdfReader(io.BytesIO(pdf)).pages)


def _print(centre: str, kind: voter_lists.Kind, station: int | None = None,
           actor=None) -> tuple[bytes, voter_lists.Printed]:
    out = io.BytesIO()
    printed = voter_lists.print_lists(actor=actor, centre=PollingCentre.objects.get(code=centre),
                                      kind=kind, out=out, station=station)
    return out.getvalue(), printed


def test_a_stations_posted_list_has_its_voters_in_order_with_the_header(election):
    stations.assign_stations(actor=None, election=election)
    pdf, printed = _print("KI0001", voter_lists.Kind.POSTED, station=1)
    text = text_of(pdf)
    places = [text.index(name) for name in IN_ORDER[:2]]
    assert places == sorted(places)
    assert all(f"{name} كاظم" not in text for name in IN_ORDER[2:])
    assert "إبراهيم كاظم جواد الطائي" in text or all(
        word in text for word in ("إبراهيم", "كاظم", "جواد", "الطائي"))
    assert "KI0001" in text
    assert "مدرسة الفرات" in text
    assert "كركوك" in text
    assert "100000003" not in text  # the posted list shows no card number
    assert (printed.voters, printed.pages, printed.stations) == (2, 1, 1)


def test_a_whole_centres_polling_day_list_is_one_pdf_with_every_station(election):
    stations.assign_stations(actor=None, election=election)
    before = AuditEvent.objects.count()
    pdf, printed = _print("KI0001", voter_lists.Kind.POLLING_DAY)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3 == printed.pages
    text = text_of(pdf)
    places = [text.index(name) for name in IN_ORDER]
    assert places == sorted(places)
    assert "100000001" in text  # the card number, to find the voter at the table
    assert printed.voters == 5
    event = AuditEvent.objects.get(action="register.print_voter_lists")
    assert AuditEvent.objects.count() == before + 1
    assert (event.data["centre"], event.data["station"], event.data["kind"],
            event.data["voters"]) == ("KI0001", None, "polling-day", 5)
    assert not any(name in str(event.data) for name in IN_ORDER)


def test_a_big_station_list_runs_over_pages_numbered_within_the_station(election, settings):
    settings.SHAFAF_VOTERS_PER_STATION = 450
    rows = [f"3{n:08d},{name},كاظم,جواد,,سعاد,M,1980-05-01,KI0001,\n"
            for n, name in enumerate(["حسن"] * 120)]
    actions.import_voters(actor=None, election=election, name="more.csv",
                          content=(HEADER + "".join(rows)).encode(), today=TODAY)
    stations.assign_stations(actor=None, election=election)
    pdf, printed = _print("KI0001", voter_lists.Kind.POSTED, station=1)
    assert printed.voters == 125
    assert printed.pages > 2
    assert len(PdfReader(io.BytesIO(pdf)).pages) == printed.pages
    with translation.override("ar"):
        last = unicodedata.normalize(
            "NFKC", PdfReader(io.BytesIO(pdf)).pages[-1].extract_text())
    assert "125" in last


def test_lists_outside_the_officers_governorate_are_refused(election):
    stations.assign_stations(actor=None, election=election)
    officer = User.objects.create_user(username="officer", password="x" * 16,
                                       role=Role.REGISTER_OFFICER,
                                       governorate=Governorate.objects.get(code="IQ-KI"))
    with pytest.raises(PermissionDenied):
        _print("BA0001", voter_lists.Kind.POSTED, actor=officer)
    clerk = User.objects.create_user(username="clerk", password="x" * 16, role=Role.CLERK,
                                     governorate=Governorate.objects.get(code="IQ-KI"))
    with pytest.raises(PermissionDenied):
        _print("KI0001", voter_lists.Kind.POSTED, actor=clerk)
    assert not AuditEvent.objects.filter(action="register.print_voter_lists").exists()
    _pdf, printed = _print("KI0001", voter_lists.Kind.POSTED, actor=officer)
    assert printed.voters == 5
