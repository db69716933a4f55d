"""``shafaf pvt estimate`` as an observer group's analyst uses it: the frame and the
reports in, each list's share and margin out (JSON or text), beside the official
result when given; every bad row named with exit status 2."""

from __future__ import annotations

import pytest

FRAME = """
station_id,stratum
S1,IQ-AN
S2,IQ-AN
S3,IQ-BG
S4,IQ-BG
S5,IQ-BG
"""
REPORTS = """
station_id,list_id,votes
S1,L1,60
S1,L2,40
S2,L1,30
S2,L2,70
S3,L1,50
S3,L2,50
"""


@pytest.fixture
def files(write):
    return {"frame": write("frame.csv", FRAME), "reports": write("reports.csv", REPORTS)}


def estimate(files, *extra):
    return ["pvt", "estimate", "--frame", files["frame"], "--reports", files["reports"],
            *extra]


def test_json_gives_each_lists_share_and_margin(shafaf, files):
    run = shafaf(*estimate(files, "--format", "json"))
    assert run.status == 0, run.err
    out = run.json()
    assert (out["stations_reported"], out["stations_in_frame"]) == (3, 5)
    l1, l2 = out["lists"]
    # 140 of 300 votes; Var = 7/2250 (worked in tests/core/test_pvt_estimate.py).
    assert l1 == {"list_id": "L1", "share": pytest.approx(7 / 15),
                  "moe95": pytest.approx(1.96 * (7 / 2250) ** 0.5)}
    assert l2["list_id"] == "L2"
    assert l2["share"] == pytest.approx(8 / 15)
    assert "turnout" not in out


def test_each_stratum_has_its_estimate_and_says_when_it_has_no_margin(shafaf, files):
    strata = {s["stratum"]: s for s in shafaf(*estimate(files, "--format", "json"))
              .json()["strata"]}
    assert (strata["IQ-AN"]["stations_reported"], strata["IQ-AN"]["stations_in_frame"]) == (2, 2)
    assert strata["IQ-AN"]["lists"][0]["moe95"] == 0  # every station of IQ-AN reported
    lone = strata["IQ-BG"]["lists"][0]
    assert lone == {"list_id": "L1", "share": 0.5, "moe95": None,
                    "moe95_missing": "fewer_than_two_stations"}


def test_official_results_give_each_list_its_share_and_whether_it_is_outside(shafaf, files,
                                                                              write):
    official = write("official.csv", "list_id,votes\nL1,300\nL2,600\nL3,100\n")
    out = shafaf(*estimate(files, "--official", official, "--format", "json")).json()
    by_list = {row["list_id"]: row for row in out["lists"]}
    # L1: 46.7% ± 10.9% against 30% official: outside. L2: 53.3% against 60%: inside.
    assert by_list["L1"]["official_share"] == pytest.approx(0.3)
    assert by_list["L1"]["outside"] is True
    assert by_list["L2"]["outside"] is False
    # L3 is in the official result but no sampled station reported a vote for it.
    assert by_list["L3"] == {"list_id": "L3", "share": 0.0, "moe95": 0.0,
                             "official_share": pytest.approx(0.1), "outside": True}


def test_turnout_from_the_stations_registered_and_voted(shafaf, files, write):
    turnout = write("forms.csv", "station_id,registered,voted\nS1,200,100\nS2,250,100\n"
                                 "S3,300,100\n")
    out = shafaf(*estimate(files, "--turnout", turnout, "--format", "json")).json()
    assert out["turnout"]["stations_reported"] == 3
    assert out["turnout"]["share"] == pytest.approx(300 / 750)
    assert out["turnout"]["moe95"] > 0


def test_text_is_a_table_per_stratum(shafaf, files):
    run = shafaf(*estimate(files))
    assert run.status == 0
    assert "All strata: 3 of 5 stations reported" in run.out
    assert "46.67%" in run.out
    assert "No margin: fewer than two stations reported." in run.out


def test_bad_reports_exit_2_naming_every_row_and_reason(shafaf, files, write):
    files["reports"] = write("reports.csv", REPORTS + "S9,L1,5\nS4,L1,-3\nS4,L2,2.5\n"
                                                      "S1,L1,61\n,L1,4\nS5,,4\n")
    run = shafaf(*estimate(files, "--format", "json"))
    assert run.status == 2
    assert run.out == ""
    assert "6 problem(s) in the input; nothing was computed." in run.err
    for line in ("reports.csv, row 8, column station_id: station 'S9' is not in the frame",
                 "reports.csv, row 9, column votes: votes '-3' is negative",
                 "reports.csv, row 10, column votes: votes '2.5' is not a whole number",
                 "reports.csv, row 11: duplicate report: station S1, list L1 (first at row 2)",
                 "reports.csv, row 12, column station_id: station_id is empty",
                 "reports.csv, row 13, column list_id: list_id is empty"):
        assert line in run.err


def test_bad_frame_and_official_files_exit_2(shafaf, files, write):
    files["frame"] = write("frame.csv", FRAME + "S1,IQ-NI\nS6,\n")
    official = write("official.csv", "list_id,votes\nL1,x\nL1,3\n")
    run = shafaf(*estimate(files, "--official", official))
    assert run.status == 2
    assert "frame.csv, row 7, column station_id: duplicate station_id S1 (first at row 2)" \
        in run.err
    assert "frame.csv, row 8, column stratum: stratum is empty" in run.err
    assert "official.csv, row 2, column votes: votes 'x' is not a whole number" in run.err
    missing = shafaf(*estimate({**files, "reports": write("r.csv", "station_id,votes\n")}))
    assert missing.status == 2
    assert "missing column(s): list_id" in missing.err


def test_an_official_result_without_votes_is_refused(shafaf, files, write):
    official = write("official.csv", "list_id,votes\nL1,0\n")
    run = shafaf(*estimate(files, "--official", official))
    assert (run.status, run.err.splitlines()[-1]) == (
        2, "  official.csv: the official result has no votes")
