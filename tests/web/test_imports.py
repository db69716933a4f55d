"""Importing geography, polling centres and stations: all of a file or nothing, every
problem with its row, the same file twice changes nothing, and each office only
its own governorate."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from shafaf.access.roles import Role
from shafaf.audit.models import AuditEvent
from shafaf.elections import actions
from shafaf.elections.demo_stations import load_demo_stations
from shafaf.elections.models import District, PollingCentre, PollingStation, SubDistrict
from shafaf.tabular import ImportRejected

GEOGRAPHY = """\
governorate_code,district_code,district_name_ar,district_name_en,district_name_ckb,sub_district_code,sub_district_name_ar,sub_district_name_en,sub_district_name_ckb
IQ-KI,KI-D1,قضاء كركوك,Kirkuk district,قەزای کەرکووک,KI-D1-S1,مركز كركوك,Kirkuk centre,
IQ-KI,KI-D1,قضاء كركوك,Kirkuk district,قەزای کەرکووک,KI-D1-S2,ناحية تازة,Taza,
IQ-BA,BA-D1,قضاء البصرة,Basra district,,BA-D1-S1,مركز البصرة,Basra centre,
"""

STATIONS = """\
centre_code,centre_name_ar,centre_name_en,sub_district_code,kind,station_number,registered_voters,notes
KI0001,مدرسة الأمل,Al-Amal school,KI-D1-S1,general,1,450,extra columns are ignored
KI0001,مدرسة الأمل,Al-Amal school,KI-D1-S1,general,2,430,
KI0002,مدرسة النور,Al-Nour school,KI-D1-S2,,1,٥٠٠,
BA0001,مدرسة البصرة,Basra school,BA-D1-S1,special,1,380,
"""

KIRKUK_ONLY = "".join(STATIONS.splitlines(keepends=True)[:4])


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (District, SubDistrict, PollingCentre, PollingStation, AuditEvent)}


def snapshot() -> list[tuple]:
    return [*PollingCentre.objects.values_list("code", "name_ar", "name_en", "sub_district__code",
                                               "governorate__code", "kind"),
            *PollingStation.objects.values_list("code", "number", "registered_voters")]


def import_stations(text: str, *, election, actor=None, name: str = "stations.csv"):
    return actions.import_stations(actor=actor, election=election, name=name,
                                   content=text.encode())


def where(rejected: pytest.ExceptionInfo[ImportRejected]) -> dict[tuple[int | None, str], str]:
    return {(p.row, p.column): p.reason for p in rejected.value.problems}


@pytest.fixture(autouse=True)
def in_english():
    """Problems are written in the active language; these tests read the English."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The ``users`` fixture hashes seven passwords; Argon2 would take seconds each test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def geography(election):
    actions.import_geography(actor=None, name="geography.csv", content=GEOGRAPHY.encode())
    return election


# --- geography -----------------------------------------------------------------------


def test_geography_imports_districts_and_sub_districts(election):
    before = AuditEvent.objects.count()
    summary = actions.import_geography(actor=None, name="geography.csv",
                                       content=GEOGRAPHY.encode())
    assert summary.tallies["districts"].created == 2
    assert summary.tallies["sub_districts"].created == 3
    taza = SubDistrict.objects.select_related("district__governorate").get(code="KI-D1-S2")
    assert (taza.name_ar, taza.name_en, taza.district.governorate.code) == (
        "ناحية تازة", "Taza", "IQ-KI")
    assert District.objects.get(code="KI-D1").name_ckb == "قەزای کەرکووک"
    event = AuditEvent.objects.get(action="elections.import_geography")
    assert AuditEvent.objects.count() == before + 1
    assert event.actor_username == "system"
    assert event.data["sha256"] == hashlib.sha256(GEOGRAPHY.encode()).hexdigest()
    assert event.data["sub_districts"]["created"] == 3


def test_a_geography_file_with_bad_rows_writes_nothing_and_names_every_row(election):
    bad = """\
governorate_code,district_code,district_name_ar,sub_district_code,sub_district_name_ar
IQ-KI,KI-D1,قضاء كركوك,KI-D1-S1,مركز كركوك
IQ-BA,KI-D1,قضاء كركوك,KI-D1-S2,ناحية تازة
IQ-XX,XX-D1,قضاء,XX-D1-S1,ناحية
IQ-KI,KI-D2,,KI-D1-S1,ناحية
"""
    before = counts()
    with pytest.raises(ImportRejected) as rejected:
        actions.import_geography(actor=None, name="geo.csv", content=bad.encode())
    assert counts() == before
    problems = where(rejected)
    assert set(problems) == {(3, "governorate_code"), (4, "governorate_code"),
                             (5, "district_name_ar"), (5, "sub_district_code")}
    assert "district KI-D1 has “IQ-KI” at row 2 but “IQ-BA” here" in problems[
        3, "governorate_code"]
    assert "unknown governorate code IQ-XX" in problems[4, "governorate_code"]
    assert problems[5, "district_name_ar"] == "required, but empty"
    assert "duplicate sub-district KI-D1-S1 (first at row 2)" in problems[5, "sub_district_code"]
    assert all(p.file == "geo.csv" for p in rejected.value.problems)


def test_a_district_cannot_move_to_another_governorate(geography):
    moved = GEOGRAPHY.replace("IQ-BA,BA-D1", "IQ-MU,BA-D1")
    with pytest.raises(ImportRejected) as rejected:
        actions.import_geography(actor=None, name="geo.csv", content=moved.encode())
    assert "district BA-D1 is in governorate IQ-BA" in where(rejected)[4, "governorate_code"]


def test_sub_districts_move_to_a_new_district_of_their_governorate(geography):
    moved = GEOGRAPHY.replace("IQ-KI,KI-D1,قضاء كركوك", "IQ-KI,KI-D2,قضاء دبس").replace(
        "مركز البصرة", "مركز مدينة البصرة")
    summary = actions.import_geography(actor=None, name="geo.csv", content=moved.encode())
    assert summary.tallies["districts"].created == 1
    assert summary.tallies["districts"].kept == 1  # KI-D1, now empty, is not deleted
    assert summary.tallies["sub_districts"].updated == 3
    assert set(SubDistrict.objects.filter(district__code="KI-D2").values_list(
        "code", flat=True)) == {"KI-D1-S1", "KI-D1-S2"}
    assert SubDistrict.objects.get(code="BA-D1-S1").name_ar == "مركز مدينة البصرة"
    assert District.objects.filter(code="KI-D1").exists()


def test_only_an_administrator_imports_geography(election, users):
    with pytest.raises(PermissionDenied):
        actions.import_geography(actor=users[Role.OFFICE_MANAGER], name="geography.csv",
                                 content=GEOGRAPHY.encode())
    actions.import_geography(actor=users[Role.ADMIN], name="geography.csv",
                             content=GEOGRAPHY.encode())
    assert AuditEvent.objects.get(action="elections.import_geography").actor_username == "admin"


# --- stations ------------------------------------------------------------------------


def test_a_good_stations_file_imports(geography):
    summary = import_stations(STATIONS, election=geography)
    assert summary.tallies["centres"].created == 3
    assert summary.tallies["stations"].created == 4
    nour = PollingStation.objects.select_related("centre__governorate").get(code="KI0002-01")
    assert nour.registered_voters == 500  # written in Arabic-Indic digits
    assert nour.centre.kind == "general"  # an empty kind is general
    assert nour.centre.governorate.code == "IQ-KI"  # the sub-district's
    assert PollingCentre.objects.get(code="BA0001").kind == "special"
    event = AuditEvent.objects.get(action="elections.import_stations")
    assert event.data["sha256"] == hashlib.sha256(STATIONS.encode()).hexdigest()
    assert event.data["file"] == "stations.csv"
    assert event.data["stations"] == {"created": 4, "updated": 0, "unchanged": 0, "kept": 0}


def test_a_file_with_bad_rows_writes_nothing_and_reports_every_row(geography):
    import_stations(KIRKUK_ONLY, election=geography)
    bad = """\
\ufeffCentre_Code,centre_name_ar,centre_name_en,sub_district_code,kind,station_number,registered_voters
KI0001,مدرسة الأمل,Al-Amal school,KI-D1-S1,general,1,999
KI0001,مدرسة الأمل,Al-Amal school,KI-D1-S1,general,1,460
KI0009,,,KI-D1-S9,general,1,400
KI0010,مدرسة,,KI-D1-S1,mobile,x,-5

KI0001,مدرسة أخرى,Al-Amal school,KI-D1-S2,general,3,1.5
"""
    before, rows = counts(), snapshot()
    with pytest.raises(ImportRejected) as rejected:
        import_stations(bad, election=geography, name="bad.csv")
    assert counts() == before
    assert snapshot() == rows
    problems = where(rejected)
    assert set(problems) == {
        (3, "station_number"), (4, "centre_name_ar"), (4, "sub_district_code"),
        (5, "kind"), (5, "station_number"), (5, "registered_voters"),
        (7, "centre_name_ar"), (7, "sub_district_code"), (7, "registered_voters")}
    assert problems[3, "station_number"] == "duplicate station KI0001-01 (first at row 2)"
    assert problems[4, "centre_name_ar"] == "required, but empty"
    assert "unknown sub-district code KI-D1-S9" in problems[4, "sub_district_code"]
    assert problems[5, "kind"] == "“mobile” must be general or special"
    assert problems[5, "station_number"] == "x is not a whole number"
    assert problems[5, "registered_voters"] == "-5 is negative"
    # Row 7 after the blank row 6: the numbers are the spreadsheet's.
    assert problems[7, "centre_name_ar"] == (
        "centre KI0001 has “مدرسة الأمل” at row 2 but “مدرسة أخرى” here")
    assert problems[7, "registered_voters"] == "1.5 is not a whole number"


def test_missing_columns_are_named_with_what_the_header_has(geography):
    text = "centre_code,centre_name_ar,sub_district_code,station\nKI0001,مدرسة,KI-D1-S1,1\n"
    with pytest.raises(ImportRejected) as rejected:
        import_stations(text, election=geography)
    [problem] = rejected.value.problems
    assert (problem.row, problem.column) == (1, "station_number, registered_voters")
    assert "the header has: centre_code, centre_name_ar, sub_district_code, station" in (
        problem.reason)


def test_a_file_that_is_not_utf8_is_refused(geography):
    with pytest.raises(ImportRejected) as rejected:
        actions.import_stations(actor=None, election=geography, name="stations.csv",
                                content="\n".join(STATIONS.splitlines()[:3]).encode("cp1256"))
    assert "not UTF-8" in rejected.value.problems[0].reason


def test_reimporting_the_same_file_changes_nothing(geography):
    import_stations(STATIONS, election=geography)
    before, rows = counts(), snapshot()
    summary = import_stations(STATIONS, election=geography)
    assert not summary.changed
    assert summary.tallies["stations"].unchanged == 4
    assert counts() == before  # no new audit event either
    assert snapshot() == rows
    geo = actions.import_geography(actor=None, name="geography.csv",
                                   content=GEOGRAPHY.encode())
    assert not geo.changed
    assert counts() == before


def test_a_changed_file_updates_creates_and_never_deletes(geography):
    import_stations(STATIONS, election=geography)
    lines = STATIONS.splitlines(keepends=True)
    changed = (lines[0] + lines[1].replace(",450,", ",470,")  # more voters
               + lines[3].replace("مدرسة النور", "مدرسة النور الجديدة")  # renamed centre
               + "KI0002,مدرسة النور الجديدة,Al-Nour school,KI-D1-S2,,2,300,\n"  # new station
               + lines[4])  # KI0001-02 left out
    summary = import_stations(changed, election=geography, name="changed.csv")
    stations, centres = summary.tallies["stations"], summary.tallies["centres"]
    assert (stations.created, stations.updated, stations.unchanged, stations.kept) == (1, 1, 2, 1)
    assert (centres.created, centres.updated, centres.unchanged, centres.kept) == (0, 1, 2, 0)
    assert PollingStation.objects.get(code="KI0001-01").registered_voters == 470
    assert PollingStation.objects.filter(code="KI0001-02").exists()  # kept, not deleted
    assert PollingCentre.objects.get(code="KI0002").name_ar == "مدرسة النور الجديدة"
    event = AuditEvent.objects.filter(action="elections.import_stations").order_by("-seq")[0]
    assert event.data["file"] == "changed.csv"
    assert event.data["stations"] == {"created": 1, "updated": 1, "unchanged": 2, "kept": 1}
    assert "kept" in summary.text()


def test_a_register_update_moves_many_counts_at_once(geography):
    import_stations(STATIONS, election=geography)
    lines = STATIONS.splitlines(keepends=True)
    updated = lines[0] + "".join(
        ",".join([*line.split(",")[:6], "333", "\n"]) for line in lines[1:])
    summary = import_stations(updated, election=geography, name="update.csv")
    assert summary.tallies["stations"].updated == 4
    assert set(PollingStation.objects.values_list("registered_voters", flat=True)) == {333}


def test_an_xlsx_file_imports_with_spreadsheet_row_numbers(geography, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["centre_code", "centre_name_ar", "sub_district_code", "station_number",
                  "registered_voters"])
    sheet.append(["KI0001", "مدرسة الأمل", "KI-D1-S1", 1, 450])
    sheet.append([])
    sheet.append(["KI0001", "مدرسة الأمل", "KI-D1-S1", 2, -3])
    path = tmp_path / "stations.xlsx"
    book.save(path)
    with pytest.raises(ImportRejected) as rejected:
        actions.import_stations(actor=None, election=geography, name=path.name,
                                content=path.read_bytes())
    assert where(rejected) == {(4, "registered_voters"): "-3 is negative"}
    sheet["E4"] = 430.0  # whole numbers may come back as floats
    buffer = io.BytesIO()
    book.save(buffer)
    summary = actions.import_stations(actor=None, election=geography, name="stations.xlsx",
                                      content=buffer.getvalue())
    assert summary.tallies["stations"].created == 2
    assert PollingStation.objects.get(code="KI0001-02").registered_voters == 430


def test_the_kirkuk_office_cannot_import_basra_rows(geography, users):
    manager = users[Role.OFFICE_MANAGER]
    before = counts()
    with pytest.raises(ImportRejected) as rejected:
        import_stations(STATIONS, election=geography, actor=manager)
    assert counts() == before
    assert set(where(rejected)) == {(5, "sub_district_code")}
    assert "IQ-BA (Basra) is outside your governorate, IQ-KI (Kirkuk)" in where(rejected)[
        5, "sub_district_code"]
    summary = import_stations(KIRKUK_ONLY, election=geography, actor=manager)
    assert summary.tallies["stations"].created == 3
    assert AuditEvent.objects.filter(action="elections.import_stations").get().actor_username == (
        "office_manager")


def test_the_kirkuk_office_cannot_take_over_a_basra_centre_by_its_code(geography, users):
    import_stations(STATIONS, election=geography)
    takeover = STATIONS.splitlines()[0] + "\nBA0001,مدرسة,,KI-D1-S1,,1,100,\n"
    with pytest.raises(ImportRejected) as rejected:
        import_stations(takeover, election=geography, actor=users[Role.OFFICE_MANAGER])
    assert "centre BA0001 exists in IQ-BA (Basra)" in where(rejected)[2, "centre_code"]
    assert PollingCentre.objects.get(code="BA0001").governorate.code == "IQ-BA"


def test_roles_without_the_capability_cannot_import_stations(geography, users):
    with pytest.raises(PermissionDenied):
        import_stations(KIRKUK_ONLY, election=geography, actor=users[Role.CLERK])
    assert not PollingStation.objects.exists()


def test_the_full_synthetic_set_imports_then_reimports_as_a_no_op(election):
    first = load_demo_stations(election=election, progress=False)
    assert first == ("Synthetic geography and stations: 7,166 centres, 35,560 stations "
                     "(created 35,560)")
    assert PollingCentre.objects.filter(election=election).count() == 7_166
    assert PollingStation.objects.filter(centre__election=election).count() == 35_560
    before = counts()
    second = load_demo_stations(election=election, progress=False)
    assert "no change" in second
    assert counts() == before


# --- the page ------------------------------------------------------------------------


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def post(client, text: str, name: str = "stations.csv", **fields):
    upload = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post("/staff/import/", {"what": "stations", "file": upload, **fields})


def test_the_page_offers_geography_only_to_those_who_may_import_it(english, geography, users):
    english.force_login(users[Role.ADMIN])
    html = english.get("/staff/import/").content.decode()
    assert 'value="geography"' in html
    assert 'value="stations"' in html
    assert 'enctype="multipart/form-data"' in html
    english.force_login(users[Role.OFFICE_MANAGER])
    html = english.get("/staff/import/").content.decode()
    assert 'value="geography"' not in html
    response = english.post("/staff/import/", {"what": "geography", "file": SimpleUploadedFile(
        "geography.csv", GEOGRAPHY.encode())})
    assert response.status_code == 400
    assert response.context["form"].errors["what"]


def test_the_page_shows_every_problem_and_writes_nothing(english, geography, users):
    english.force_login(users[Role.ADMIN])
    bad = STATIONS.replace(",430,", ",-430,").replace("BA-D1-S1", "BA-D1-S7")
    before = counts()
    response = post(english, bad, election=geography.pk)
    assert response.status_code == 400  # a rejected file is bad input
    assert counts() == before
    html = response.content.decode()
    assert "2 problems in the file. Nothing was written." in html
    assert "<td>3</td>" in html
    assert "-430 is negative" in html
    assert "<td>5</td>" in html
    assert "unknown sub-district code BA-D1-S7" in html


def test_the_page_imports_a_good_file_and_says_what_changed(english, geography, users):
    english.force_login(users[Role.OFFICE_MANAGER])
    response = post(english, KIRKUK_ONLY, election=geography.pk)
    assert response.status_code == 302
    assert PollingStation.objects.count() == 3
    html = english.get(response["Location"]).content.decode()
    assert "polling stations: 3 created, 0 updated, 0 unchanged" in html


def test_the_page_needs_an_election_for_stations(english, geography, users):
    english.force_login(users[Role.ADMIN])
    response = post(english, KIRKUK_ONLY)
    assert response.status_code == 400
    assert response.context["form"].errors["election"]
    assert not PollingStation.objects.exists()


def test_the_page_lists_the_first_thousand_problems_and_counts_the_rest(english, geography,
                                                                       users):
    english.force_login(users[Role.ADMIN])
    rows = "".join(f"KI{n:04d},مدرسة,KI-D1-S1,1,-{n}\n" for n in range(1, 1201))
    text = "centre_code,centre_name_ar,sub_district_code,station_number,registered_voters\n"
    response = post(english, text + rows, election=geography.pk)
    html = response.content.decode()
    assert "1200 problems in the file. Nothing was written." in html
    assert len(re.findall(r"<td>-\d+ is negative</td>", html)) == 1000
    assert "-1000 is negative" in html
    assert "-1001 is negative" not in html
    assert "200 more like this: … is negative" in html
    assert not PollingCentre.objects.exists()
