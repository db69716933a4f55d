"""``shafaf forensics`` as a journalist uses it on a results publication's files: the
last-digit test of each station's list totals, and a report of every governorate with
its plots; every bad row named with exit status 2."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from shafaf.cli import forensics_fast
from tests.cli.test_main import heavy, modules_after

# Each station's total per list: S1 L1 50 + 60 = 110, S1 L2 100, S1 L3 7 (under 10:
# left out), S2 L1 13, S2 L2 27 + 5 = 32; S3's component vote is on its own ballot.
VOTES = """
station_id,list_id,candidate_id,votes
S1,L1,,50
S1,L1,L1-1,60
S1,L2,L2-1,100
S1,L3,,7
S2,L1,,13
S2,L2,,27
S2,L2,L2-2,5
S3,,X1,40
"""
FORMS = """
station_id,registered,voted,ballots_received,ballots_in_box,ballots_spoiled,ballots_unused,invalid,valid
S1,500,300,500,300,10,190,20,217
S2,100,50,100,50,0,50,5,45
S3,100,60,100,60,0,40,0,0
"""
STATIONS = """
station_id,governorate
S1,IQ-BG
S2,IQ-BG
S3,IQ-AN
"""


def test_last_digit_json_counts_each_stations_list_totals(shafaf, write):
    run = shafaf("forensics", "last-digit", "--votes", write("votes.csv", VOTES),
                 "--format", "json")
    assert run.status == 0, run.err
    # Totals of 10 or more: 110, 100, 13, 32 → last digits 0, 0, 3, 2. n = 4, 0.4 a digit:
    # (2 − 0.4)²/0.4 + 2 · (1 − 0.4)²/0.4 + 7 · 0.4²/0.4 = 6.4 + 1.8 + 2.8 = 11.0.
    assert run.json() == {"counts_used": 4, "frequencies": [2, 0, 1, 1, 0, 0, 0, 0, 0, 0],
                          "chi2": 11.0, "p_value": pytest.approx(0.2757, abs=1e-4)}


def test_a_file_the_set_wise_reading_refuses_gives_the_same_result(shafaf, write):
    clean = write("votes.csv", VOTES)
    assert forensics_fast.list_totals(clean, stations=None) is not None
    # Spaces around a value and Windows line ends: read row by row, the same numbers.
    spaced = write("spaced.csv", VOTES.lstrip().replace("S2,L1,,13", "S2 , L1,, 13").replace(
        "\n", "\r\n"))
    assert forensics_fast.list_totals(spaced, stations=None) is None
    runs = [shafaf("forensics", "last-digit", "--votes", path, "--format", "json")
            for path in (clean, spaced)]
    assert runs[0].out == runs[1].out, runs[1].err


def test_text_output_names_the_method_and_its_limit(shafaf, write):
    run = shafaf("forensics", "last-digit", "--votes", write("votes.csv", VOTES))
    assert run.status == 0
    assert "chi-square 11.000 with 9 degrees of freedom" in run.out
    assert "not that the counts were invented" in run.out


def test_bad_votes_exit_2_naming_every_row(shafaf, write):
    votes = write("votes.csv", VOTES + "S4,L1,,-2\nS4,L1,,3.5\n,L1,,4\nS5,,,4\nS1,L1,,50\n")
    run = shafaf("forensics", "last-digit", "--votes", votes, "--format", "json")
    assert run.status == 2
    assert run.out == ""
    for line in ("votes.csv, row 10, column votes: votes '-2' is negative",
                 "votes.csv, row 11, column votes: votes '3.5' is not a whole number",
                 "votes.csv, row 12, column station_id: station_id is empty",
                 "votes.csv, row 13: list_id and candidate_id are both empty",
                 "votes.csv, row 14: duplicate row: station S1 already has votes for list "
                 "L1 alone"):
        assert line in run.err


def test_last_digit_loads_neither_django_nor_matplotlib(write):
    loaded = modules_after("forensics", "last-digit", "--votes",
                           str(write("votes.csv", VOTES)), "--format", "json")
    assert "shafaf.core.forensics" in loaded
    assert heavy(loaded) == set()
    assert "matplotlib" not in loaded


@pytest.fixture
def report_files(write):
    return {"votes": write("votes.csv", VOTES), "forms": write("forms.csv", FORMS),
            "stations": write("stations.csv", STATIONS)}


def test_report_writes_a_summary_and_valid_svg_plots_per_governorate(shafaf, report_files,
                                                                       tmp_path):
    out = tmp_path / "out"
    run = shafaf("forensics", "report", "--votes", report_files["votes"], "--forms",
                 report_files["forms"], "--stations", report_files["stations"], "--out", out)
    assert run.status == 0, run.err
    summary = json.loads((out / "summary.json").read_text())
    every = summary["all"]
    assert every["stations"] == 3
    assert every["last_digit"]["counts_used"] == 4
    assert every["zero_or_five"]["ending_in_0_or_5"] == 2  # 110 and 100
    # Turnout 60%, 50% and 60%.
    assert {i: n for i, n in enumerate(every["turnout"]["bins"]) if n} == {50: 1, 60: 2}
    # The fingerprint's list is the one with most votes (L2: 132 against L1's 123).
    assert every["fingerprint"] == {"list_id": "L2", "stations_used": 2, "left_out": 1}
    assert [g["name"] for g in summary["governorates"]] == ["IQ-AN", "IQ-BG"]
    baghdad = summary["governorates"][1]
    assert baghdad["stations"] == 2
    assert baghdad["plots"] == {"last_digit": "IQ-BG-last-digit.svg",
                                "turnout": "IQ-BG-turnout.svg",
                                "fingerprint": "IQ-BG-fingerprint.svg"}
    for name in baghdad["plots"].values():
        root = ET.fromstring((out / name).read_bytes())  # noqa: S314 (our own file)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_report_with_plots_all_draws_the_national_plots_only(shafaf, report_files,
                                                             tmp_path):
    out = tmp_path / "out"
    run = shafaf("forensics", "report", "--votes", report_files["votes"], "--forms",
                 report_files["forms"], "--stations", report_files["stations"],
                 "--plots", "all", "--out", out)
    assert run.status == 0, run.err
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["all"]["plots"]) == {"last_digit", "turnout", "fingerprint"}
    assert [g["plots"] for g in summary["governorates"]] == [{}, {}]
    assert summary["governorates"][1]["stations"] == 2  # the summaries are all there
    assert sorted(path.name for path in out.glob("*.svg")) == [
        "all-fingerprint.svg", "all-last-digit.svg", "all-turnout.svg"]


def test_report_without_forms_has_only_the_digit_tests(shafaf, report_files, tmp_path):
    out = tmp_path / "out"
    assert shafaf("forensics", "report", "--votes", report_files["votes"], "--out",
                  out).status == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["governorates"] == []
    assert set(summary["all"]["plots"]) == {"last_digit"}
    assert "turnout" not in summary["all"]


def test_report_refuses_stations_outside_the_forms_and_without_a_governorate(
        shafaf, report_files, write, tmp_path):
    votes = write("votes.csv", VOTES + "S9,L1,,12\n")
    run = shafaf("forensics", "report", "--votes", votes, "--forms", report_files["forms"],
                 "--out", tmp_path / "out")
    assert run.status == 2
    assert "votes.csv, row 10, column station_id: station 'S9' is not in the forms file" \
        in run.err
    stations = write("stations.csv", STATIONS.replace("S3,IQ-AN\n", ""))
    run = shafaf("forensics", "report", "--votes", report_files["votes"], "--stations",
                 stations, "--out", tmp_path / "out")
    assert run.status == 2
    assert "stations.csv, column station_id: station 'S3' has results but no governorate" \
        in run.err
    assert not (tmp_path / "out").exists()


def test_report_draws_the_fingerprint_of_the_list_asked_for(shafaf, report_files, tmp_path):
    out = tmp_path / "out"
    run = shafaf("forensics", "report", "--votes", report_files["votes"], "--forms",
                 report_files["forms"], "--list", "L1", "--out", out)
    assert run.status == 0, run.err
    assert json.loads((out / "summary.json").read_text())["all"]["fingerprint"]["list_id"] == "L1"
    run = shafaf("forensics", "report", "--votes", report_files["votes"], "--forms",
                 report_files["forms"], "--list", "L9", "--out", tmp_path / "other")
    assert run.status == 2
    assert "--list: list 'L9' has no vote in the file" in run.err


@pytest.mark.parametrize(("extra", "problem"), [
    ("S1,L2,L2-1,3\n", "votes.csv, row 10: duplicate row: station S1 already has votes for "
                       "candidate L2-1 of list L2"),
    ("S4,,,3\n", "votes.csv, row 10: list_id and candidate_id are both empty"),
    (",L1,,3\n", "votes.csv, row 10, column station_id: station_id is empty"),
])
def test_a_clean_looking_file_with_one_bad_row_is_still_refused(shafaf, write, extra,
                                                                problem):
    # Each of these passes the byte pre-scan: the set-wise reading must send it on to
    # the row-by-row reading, which names the row, rather than add it up.
    votes = write("votes.csv", VOTES + extra)
    assert forensics_fast.list_totals(votes, stations=None) is None
    run = shafaf("forensics", "last-digit", "--votes", votes, "--format", "json")
    assert (run.status, run.err.splitlines()[1:]) == (2, [f"  {problem}"])
