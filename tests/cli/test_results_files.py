"""``shafaf results check`` and ``tabulate`` as an analyst uses them: station files in,
errors and warnings or seats out, every bad row named, and exit statuses that mean
something (0 done, 2 bad input, 3 an undecided tie)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.cli.test_main import COMMAND_MODULES, heavy, modules_after

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs/schemas/allocation.schema.json").read_text())

LISTS = """
list_id,name
L1,قائمة الأولى
L2,تحالف الثاني
L3,حزب الثالث
"""
CANDIDATES = """
candidate_id,list_id,name,sex
L1-1,L1,أحمد,M
L1-2,L1,زينب,F
L2-1,L2,كريم,M
L2-2,L2,مريم,F
L3-1,L3,عمر,M
"""
COMPONENTS = """
candidate_id,component,name,sex,votes
X1,christian,يوسف,M,999
X2,christian,مارتا,F,
"""
HEADER = ("station_id,registered,voted,ballots_received,ballots_in_box,ballots_spoiled,"
          "ballots_unused,invalid,valid\n")
# S1 adds up. S2: 96 of 100 valid votes to L1 (a warning only). S3: valid 290 but
# its votes add up to 280 (valid_vs_votes), and 300 in the box of 290 counted
# (box_vs_counted): quarantined.
FORMS = HEADER + """S1,500,300,500,300,10,190,20,280
S2,500,110,500,110,10,380,10,100
S3,500,300,500,300,10,190,20,290
"""
VOTES = """
station_id,list_id,candidate_id,votes
S1,L1,,50
S1,L1,L1-1,60
S1,L1,L1-2,30
S1,L2,L2-1,100
S1,L3,L3-1,40
S2,L1,L1-1,96
S2,L2,L2-2,4
S3,L3,L3-1,280
"""


@pytest.fixture
def files(write):
    def make(forms: str = FORMS, votes: str = VOTES, lists: str = LISTS,
             candidates: str = CANDIDATES) -> dict[str, Path]:
        return {"lists": write("lists.csv", lists), "candidates": write("candidates.csv",
                                                                        candidates),
                "forms": write("forms.csv", forms), "votes": write("votes.csv", votes)}
    return make


def tabulate(paths: dict[str, Path], *extra: str | Path) -> list[str | Path]:
    return ["results", "tabulate", "--law", "iraq-gc-2023", "--lists", paths["lists"],
            "--candidates", paths["candidates"], "--forms", paths["forms"],
            "--votes", paths["votes"], *extra]


def check(paths: dict[str, Path], *extra: str | Path) -> list[str | Path]:
    return ["results", "check", "--forms", paths["forms"], "--votes", paths["votes"], *extra]


def test_check_lists_every_station_with_its_errors_and_warnings(shafaf, files):
    run = shafaf(*check(files(), "--format", "json"))
    assert run.status == 0, run.err
    assert run.json() == {"stations": [
        {"station_id": "S1", "errors": [], "warnings": []},
        {"station_id": "S2", "errors": [], "warnings": ["single_list_share"]},
        {"station_id": "S3", "errors": ["box_vs_counted", "valid_vs_votes"],
         "warnings": ["single_list_share"]},
    ]}


def test_check_counts_a_station_without_votes_and_reads_text(shafaf, files):
    forms = FORMS + "S4,400,0,400,0,0,400,0,0\n"
    run = shafaf(*check(files(forms=forms)))
    assert run.status == 0, run.err
    assert "S4: warnings: empty_box" in run.out
    assert "S3: errors: box_vs_counted, valid_vs_votes" in run.out
    assert "4 station(s), 1 with errors" in run.out


def test_check_with_the_roster_refuses_unknown_lists_and_candidates(shafaf, files):
    paths = files(votes=VOTES + "S1,L9,,5\nS1,L1,L2-1,5\n")
    run = shafaf(*check(paths, "--lists", paths["lists"], "--candidates",
                        paths["candidates"]))
    assert run.status == 2
    assert "votes.csv, row 10, column list_id: list 'L9' is not in the lists file" in run.err
    assert "votes.csv, row 11, column list_id: candidate 'L2-1' is on list L2, not 'L1'" in (
        run.err)


def test_tabulate_leaves_the_quarantined_out_and_allocates(shafaf, files):
    run = shafaf(*tabulate(files(), "--seats", "3", "--format", "json"))
    assert run.status == 0, run.err
    report = run.json()
    jsonschema.validate(report, SCHEMA)
    # S1 and S2: L1 = 50 + 60 + 30 + 96, L2 = 100 + 4, L3 = 40 (S3's 280 left out).
    assert {r["list_id"]: (r["votes"], r["seats"]) for r in report["lists"]} == {
        "L1": (236, 2), "L2": (104, 1), "L3": (40, 0)}
    assert [e["candidate_id"] for e in report["elected"]] == ["L1-1", "L1-2", "L2-1"]
    assert report["stations"] == {"total": 3, "counted": 2, "quarantined": ["S3"]}
    assert report["lists"][0]["name"] == "قائمة الأولى"


def test_tabulate_includes_the_quarantined_when_told(shafaf, files):
    run = shafaf(*tabulate(files(), "--seats", "3", "--include-quarantined",
                           "--format", "json"))
    assert run.status == 0, run.err
    report = run.json()
    assert {r["list_id"]: r["votes"] for r in report["lists"]} == {
        "L1": 236, "L2": 104, "L3": 320}
    assert report["stations"] == {"total": 3, "counted": 3, "quarantined": ["S3"]}


def test_tabulate_strikes_a_disqualified_candidates_votes(shafaf, files):
    run = shafaf(*tabulate(files(), "--seats", "3", "--disqualify", "L1-1",
                           "--format", "json"))
    assert run.status == 0, run.err
    report = run.json()
    lists = {r["list_id"]: r for r in report["lists"]}
    assert (lists["L1"]["votes"], lists["L1"]["votes_struck"]) == (80, 156)
    assert "L1-1" not in [e["candidate_id"] for e in report["elected"]]
    assert report["disqualified"] == [
        {"candidate_id": "L1-1", "list_id": "L1", "votes_struck": 156}]


def test_tabulate_with_governorate_seats_overridden_and_component_seats(shafaf, files, write):
    paths = files()
    votes = VOTES + "S1,,X1,0\nS2,,X2,0\n"
    run = shafaf(*tabulate({**paths, "votes": write("votes.csv", votes)},
                           "--governorate", "IQ-BG", "--seats", "3",
                           "--components", write("components.csv", COMPONENTS),
                           "--lot-seed", "public seed", "--format", "json"))
    assert run.status == 0, run.err
    report = run.json()
    jsonschema.validate(report, SCHEMA)
    assert report["seats"] == 3  # overridden
    assert report["district"]["code"] == "IQ-BG"
    # Baghdad's three component seats still apply: christian has candidates here.
    assert report["component_seats"] == {"christian": 1, "faili_kurd": 1,
                                         "sabean_mandaean": 1}
    assert [e["component"] for e in report["elected"] if e["component"]] == ["christian"]


def test_tabulate_text_report_ends_with_the_stations(shafaf, files):
    run = shafaf(*tabulate(files(), "--seats", "3"))
    assert run.status == 0, run.err
    assert "Shafaf seat allocation" in run.out
    assert run.out.rstrip().endswith("Stations: 3, counted 2; with errors: S3")


def test_a_tie_no_lot_decides_exits_3_and_a_seed_decides_it(shafaf, files):
    # L2's one seat: its two candidates have 50 votes each.
    votes = VOTES.replace("S1,L2,L2-1,100", "S1,L2,L2-1,50\nS1,L2,L2-2,50").replace(
        "S2,L2,L2-2,4", "S2,L2,,4")
    paths = files(votes=votes)
    run = shafaf(*tabulate(paths, "--seats", "3", "--format", "json"))
    assert run.status == 3, run.err
    assert "candidates have equal votes (in L2): L2-1, L2-2" in run.err
    decided = shafaf(*tabulate(paths, "--seats", "3", "--lot-seed", "seed", "--format",
                               "json"))
    assert decided.status == 0, decided.err
    assert decided.json()["ties"][0]["method"] == "lot_seed"


BAD = [
    ("a vote for a station not in the forms",
     VOTES + "S9,L1,,5\n",
     "votes.csv, row 10, column station_id: station 'S9' is not in the forms file"),
    ("an unknown list", VOTES + "S1,L9,,5\n",
     "votes.csv, row 10, column list_id: list 'L9' is not in the lists file"),
    ("an unknown candidate", VOTES + "S1,L1,L1-9,5\n",
     "votes.csv, row 10, column candidate_id: candidate 'L1-9' is not in the candidates file"),
    ("a candidate on another list", VOTES + "S1,L2,L1-1,5\n",
     "votes.csv, row 10, column list_id: candidate 'L1-1' is on list L1, not 'L2'"),
    ("a negative count", VOTES + "S1,L2,,-5\n",
     "votes.csv, row 10, column votes: votes '-5' is negative"),
    ("a count that is no whole number", VOTES + "S1,L2,,2.5\n",
     "votes.csv, row 10, column votes: votes '2.5' is not a whole number"),
    ("an empty count", VOTES + "S1,L2,,\n",
     "votes.csv, row 10, column votes: votes is empty"),
    ("a duplicate row", VOTES + "S1,L1,L1-1,60\n",
     "votes.csv, row 10: duplicate row: station S1 already has votes for candidate L1-1 of "
     "list L1"),
    ("a row with neither list nor candidate", VOTES + "S1,,,5\n",
     "votes.csv, row 10: list_id and candidate_id are both empty"),
    ("a component vote for a list's candidate", VOTES + "S1,,L1-1,5\n",
     "votes.csv, row 10, column candidate_id: candidate 'L1-1' is not a component candidate"),
    ("a row too short", VOTES + "S1,L2\n",
     "votes.csv, row 10: 2 fields where the header has 4"),
]


@pytest.mark.parametrize(("case", "votes", "message"), BAD, ids=[c for c, _, _ in BAD])
def test_bad_votes_are_named_by_row_and_nothing_is_computed(shafaf, files, case, votes,
                                                            message):
    run = shafaf(*tabulate(files(votes=votes), "--seats", "3", "--format", "json"))
    assert run.status == 2
    assert message in run.err
    assert run.out == ""


BAD_FORMS = [
    ("a duplicate station", FORMS + "S1,500,300,500,300,10,190,20,280\n",
     "forms.csv, row 5, column station_id: duplicate station_id S1 (first at row 2)"),
    ("a negative number", FORMS + "S4,500,-1,500,300,10,190,20,280\n",
     "forms.csv, row 5, column voted: voted '-1' is negative"),
    ("a number that is no whole number", FORMS + "S4,500,3e2,500,300,10,190,20,280\n",
     "forms.csv, row 5, column voted: voted '3e2' is not a whole number"),
    ("a missing column", "station_id,registered\nS1,5\n",
     "forms.csv, row 1: missing column(s): voted"),
]


@pytest.mark.parametrize(("case", "forms", "message"), BAD_FORMS,
                         ids=[c for c, _, _ in BAD_FORMS])
def test_bad_forms_are_named_by_row(shafaf, files, case, forms, message):
    run = shafaf(*check(files(forms=forms)))
    assert run.status == 2
    assert message in run.err


def test_every_bad_row_is_named_at_once(shafaf, files):
    votes = VOTES + "S9,L1,,5\nS1,L9,,5\nS1,L2,,-1\n"
    run = shafaf(*tabulate(files(votes=votes), "--seats", "3"))
    assert run.status == 2
    assert "3 problem(s) in the input" in run.err
    for row in (10, 11, 12):
        assert f"row {row}," in run.err


def test_the_problems_file_lists_every_problem(shafaf, files, tmp_path):
    out = tmp_path / "problems.csv"
    votes = VOTES + "".join(f"S9,L1,,{n}\n" for n in range(5))
    run = shafaf(*tabulate(files(votes=votes), "--seats", "3", "--problems-out", out))
    assert run.status == 2
    assert out.read_text(encoding="utf-8").count("is not in the forms file") == 5


def test_bad_options_exit_2(shafaf, files):
    paths = files()
    assert "give --governorate CODE or --seats N" in shafaf(*tabulate(paths)).err
    run = shafaf(*tabulate(paths, "--governorate", "IQ-XX"))
    assert run.status == 2
    assert "no district 'IQ-XX'" in run.err
    run = shafaf(*tabulate(paths, "--seats", "3", "--disqualify", "nobody"))
    assert run.status == 2
    assert "no candidate 'nobody'" in run.err
    run = shafaf(*tabulate(paths, "--seats", "9"))
    assert run.status == 2
    assert "9 general seats but only 5 candidates" in run.err
    run = shafaf(*tabulate({**paths, "votes": paths["votes"].with_name("absent.csv")},
                           "--seats", "3"))
    assert run.status == 2
    assert "absent.csv" in run.err


def test_a_hostile_votes_file_is_refused_with_a_reason(shafaf, files, write):
    paths = files()
    for text, reason in (("\x00\x01\x02garbage", "not a CSV text file"),
                         ("", "the file is empty"),
                         ("a,b\n1,2\n", "missing column(s): station_id")):
        run = shafaf(*tabulate({**paths, "votes": write("votes.csv", text)}, "--seats", "3"))
        assert run.status == 2, text
        assert reason in run.err


def test_the_commands_load_no_django():
    for argv in (["results", "tabulate", "--help"], ["results", "verify", "--help"]):
        loaded = modules_after(*argv)
        assert heavy(loaded) == set()
        assert loaded & COMMAND_MODULES == {"shafaf.cli.results"}


def test_a_tabulation_loads_neither_django_nor_other_commands(files):
    paths = files()
    loaded = modules_after(*map(str, tabulate(paths, "--seats", "3", "--format", "json")))
    assert "shafaf.core.tabulation" in loaded  # it did run
    assert heavy(loaded) == set()
    assert not {m for m in loaded if m.startswith(("shafaf.entities", "shafaf.elections",
                                                   "shafaf.web", "shafaf.api",
                                                   "shafaf.results"))}


def test_tabulate_reports_what_allocate_reports_for_the_same_totals(shafaf, files, write):
    """One code path: the stations' totals given to ``shafaf allocate`` give the same
    report, but for ``stations``."""
    tabulated = shafaf(*tabulate(files(), "--seats", "3", "--format", "json"))
    assert tabulated.status == 0, tabulated.err
    report = tabulated.json()
    report.pop("stations")
    # S1 and S2 (S3 quarantined): the totals worked by hand.
    lists = write("totals.csv", "list_id,name,votes\nL1,قائمة الأولى,236\nL2,تحالف الثاني,104\n"
                                "L3,حزب الثالث,40\n")
    candidates = write("personal.csv", "candidate_id,list_id,name,sex,votes\n"
                                       "L1-1,L1,أحمد,M,156\nL1-2,L1,زينب,F,30\n"
                                       "L2-1,L2,كريم,M,100\nL2-2,L2,مريم,F,4\n"
                                       "L3-1,L3,عمر,M,40\n")
    allocated = shafaf("allocate", "--law", "iraq-gc-2023", "--seats", "3", "--lists", lists,
                       "--candidates", candidates, "--format", "json")
    assert allocated.status == 0, allocated.err
    assert report == allocated.json()
