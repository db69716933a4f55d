"""``shafaf import geography|stations``: a summary and status 0, or every problem and
status 2 with nothing written."""

from __future__ import annotations

import pytest

from shafaf.access.roles import Role
from shafaf.accounts.models import User
from shafaf.audit.models import AuditEvent
from shafaf.elections import actions
from shafaf.elections.models import Governorate, PollingCentre, PollingStation, SubDistrict

GEOGRAPHY = """
governorate_code,district_code,district_name_ar,sub_district_code,sub_district_name_ar
IQ-KI,KI-D1,قضاء كركوك,KI-D1-S1,مركز كركوك
IQ-BA,BA-D1,قضاء البصرة,BA-D1-S1,مركز البصرة
"""

STATIONS = """
centre_code,centre_name_ar,sub_district_code,station_number,registered_voters
KI0001,مدرسة الأمل,KI-D1-S1,1,450
KI0001,مدرسة الأمل,KI-D1-S1,2,430
BA0001,مدرسة البصرة,BA-D1-S1,1,380
"""


@pytest.fixture
def election(db):
    actions.load_governorates(actor=None)
    return actions.create_council_election_2023(actor=None)


@pytest.fixture
def geography(election, shafaf, write):
    assert shafaf("import", "geography", write("geography.csv", GEOGRAPHY)).status == 0
    return election


def counts() -> tuple[int, int, int]:
    return (PollingCentre.objects.count(), PollingStation.objects.count(),
            AuditEvent.objects.count())


def test_geography_then_stations_import_with_a_summary(election, shafaf, write):
    run = shafaf("import", "geography", write("geography.csv", GEOGRAPHY))
    assert run.status == 0, run.err
    assert "sub-districts: 2 created, 0 updated, 0 unchanged" in run.out
    assert SubDistrict.objects.count() == 2
    run = shafaf("import", "stations", write("stations.csv", STATIONS), "--election", "gc-2023")
    assert run.status == 0, run.err
    assert "polling stations: 3 created, 0 updated, 0 unchanged" in run.out
    assert counts()[:2] == (2, 3)


def test_a_second_run_reports_that_nothing_changed(geography, shafaf, write):
    path = write("stations.csv", STATIONS)
    shafaf("import", "stations", path, "--election", "gc-2023")
    before = counts()
    run = shafaf("import", "stations", path, "--election", "gc-2023")
    assert run.status == 0
    assert "3 unchanged" in run.out
    assert "Nothing changed." in run.out
    assert counts() == before


def test_bad_rows_exit_2_listing_every_row_and_write_nothing(geography, shafaf, write):
    bad = STATIONS.replace(",430", ",-430").replace("BA-D1-S1", "BA-D1-S9")
    before = counts()
    run = shafaf("import", "stations", write("stations.csv", bad), "--election", "gc-2023")
    assert run.status == 2
    assert counts() == before
    assert run.err.splitlines() == [
        "stations.csv, row 3, column registered_voters: -430 is negative",
        "stations.csv, row 4, column sub_district_code: unknown sub-district code BA-D1-S9: "
        "import it with the geography first",
        "2 problems in stations.csv: nothing was written.",
    ]
    assert run.out == ""


def test_a_user_imports_only_their_governorate(geography, shafaf, write):
    User.objects.create_user(username="kirkuk.manager", password="not-used-here-1",  # noqa: S106
                             role=Role.OFFICE_MANAGER,
                             governorate=Governorate.objects.get(code="IQ-KI"))
    path = write("stations.csv", STATIONS)
    run = shafaf("import", "stations", path, "--election", "gc-2023", "--as", "kirkuk.manager")
    assert run.status == 2
    assert "row 4, column sub_district_code: IQ-BA (Basra) is outside your governorate" in run.err
    run = shafaf("import", "geography", path, "--as", "kirkuk.manager")
    assert run.status == 2
    assert "kirkuk.manager may not import geography" in run.err
    assert counts()[:2] == (0, 0)


@pytest.mark.parametrize(("argv", "message"), [
    (("--election", "gc-2099"), "No election 'gc-2099' (elections: gc-2023)"),
    (("--election", "gc-2023", "--as", "nobody"), "No user 'nobody'"),
])
def test_unknown_election_or_user_exit_2(geography, shafaf, write, argv, message):
    run = shafaf("import", "stations", write("stations.csv", STATIONS), *argv)
    assert run.status == 2
    assert message in run.err
    assert counts()[:2] == (0, 0)


def test_a_missing_file_exits_2(election, shafaf, tmp_path):
    run = shafaf("import", "geography", tmp_path / "nowhere.csv")
    assert run.status == 2
    assert "Cannot read" in run.err


def test_the_election_is_required_for_stations(election, shafaf, write):
    run = shafaf("import", "stations", write("stations.csv", STATIONS))
    assert run.status == 2
    assert "--election" in run.err



def _gzip_bomb() -> bytes:
    """The stations header, then 64 MB of one repeated row packed into a few hundred KB."""
    import gzip
    import io

    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as packed:
        packed.write(STATIONS.lstrip().splitlines(keepends=True)[0].encode())
        row = "KI0001,مدرسة الأمل,KI-D1-S1,1,450\n".encode()
        for _ in range(64 * 1024 * 1024 // len(row)):
            packed.write(row)
    return out.getvalue()


@pytest.mark.parametrize("name", ["stations.xlsx", "stations.csv.gz"])
def test_a_bomb_is_refused_with_status_2_and_nothing_written(geography, shafaf, tmp_path,
                                                             name):
    from tests.tabular import hostile

    before = counts()
    bomb = tmp_path / name
    bomb.write_bytes(hostile.two_million_rows() if name.endswith("xlsx") else _gzip_bomb())
    run = shafaf("import", "stations", bomb, "--election", "gc-2023")
    assert run.status == 2
    assert "compression bomb" in run.err
    assert "Traceback" not in run.err
    assert counts() == before
