"""``shafaf allocate`` as a person or a script uses it: files in, a report or a clear
error out, and exit statuses that mean something."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from shafaf.cli.table import display_width
from tests.cli.conftest import ANBAR

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs/schemas/allocation.schema.json").read_text())

LISTS = """
list_id,name,votes
L1,قائمة الأولى,1000
L2,تحالف الثاني,600
L3,حزب الثالث,300
"""
CANDIDATES = """
candidate_id,list_id,name,sex,votes
m1,L1,أحمد,M,300
m2,L1,علي,M,200
m3,L1,حسن,M,150
m4,L1,حسين,M,100
f1,L1,زينب,F,90
f2,L1,فاطمة,F,50
m5,L2,كريم,M,200
m6,L2,جاسم,M,150
m7,L2,سالم,M,100
f3,L2,مريم,F,80
m8,L3,عمر,M,150
f4,L3,سارة,F,120
"""


def allocate_args(lists: Path, *extra: str | Path) -> list[str | Path]:
    return ["allocate", "--law", "iraq-gc-2023", "--lists", lists, *extra]


def official_seats() -> dict[str, int]:
    with ANBAR.open(encoding="utf-8") as f:
        return {r["list_id"]: int(r["official_seats"]) for r in csv.DictReader(f)}


def test_anbar_2023_reproduces_the_official_seats(shafaf):
    run = shafaf(*allocate_args(ANBAR, "--governorate", "IQ-AN", "--format", "json"))
    assert run.status == 0, run.err
    report = run.json()
    jsonschema.validate(report, SCHEMA)
    assert {lst["list_id"]: lst["seats"] for lst in report["lists"]} == official_seats()
    assert report["seats"] == 16
    assert len(report["steps"]) == 16


def test_dhondt_and_a_first_divisor_of_1_9_do_not_reproduce_anbar(shafaf):
    # 1.0 and 1.4 do on Anbar's seven winning lists alone (the file omits the losing
    # lists, whose small quotients would decide against them).
    for method in ("dhondt", "sainte_lague:1.9"):
        run = shafaf(*allocate_args(ANBAR, "--governorate", "IQ-AN", "--method", method,
                                    "--format", "json"))
        seats = {lst["list_id"]: lst["seats"] for lst in run.json()["lists"]}
        assert seats != official_seats(), method


def test_candidates_and_the_womens_quota_in_json(shafaf, write):
    run = shafaf(*allocate_args(write("lists.csv", LISTS), "--seats", "8", "--candidates",
                                write("candidates.csv", CANDIDATES), "--format", "json"))
    assert run.status == 0, run.err
    report = run.json()
    jsonschema.validate(report, SCHEMA)
    assert report["women_quota"] == {"target": 2, "women_on_votes": 0, "women_seated": 2,
                                     "shortfall": 0}
    basis = {e["candidate_id"]: e["basis"] for e in report["elected"]}
    assert basis == {"m1": "votes", "m2": "votes", "m3": "votes", "f1": "women_quota_stage_a",
                     "m5": "votes", "m6": "votes", "m7": "votes", "f4": "women_quota_stage_b"}
    assert [(r["elected"]["candidate_id"], r["replaced"]["candidate_id"])
            for r in report["replacements"]] == [("f1", "m4"), ("f4", "m8")]
    assert {e["candidate_id"]: e["name"] for e in report["elected"]}["f4"] == "سارة"


def test_text_report_lines_up_arabic_names_in_the_last_column(shafaf, write):
    run = shafaf(*allocate_args(write("lists.csv", LISTS), "--seats", "8", "--candidates",
                                write("candidates.csv", CANDIDATES)))
    assert run.status == 0, run.err
    lines = run.out.splitlines()
    start = lines.index("Lists") + 1
    table = lines[start:start + 5]  # header, rule, three lists
    name_column = display_width(table[0]) - len("Name")
    for line, name in zip(table[2:], ["قائمة الأولى", "تحالف الثاني", "حزب الثالث"],
                          strict=True):
        assert line.endswith(name)
        assert display_width(line) - display_width(name) == name_column
    assert "women's quota, stage B" in run.out
    assert "SHORTFALL" not in run.out


def test_bad_rows_are_all_reported_and_nothing_is_computed(shafaf, write):
    lists = write("lists.csv", """
list_id,name,votes
A,Alpha,100
A,Again,5
B,Beta,-3
C,Gamma,12.5
D,Delta,
""")
    candidates = write("candidates.csv", """
candidate_id,list_id,name,sex,votes
a1,A,one,F,10
a1,A,dup,M,5
x1,Z,nowhere,M,5
a2,A,two,X,5
""")
    run = shafaf(*allocate_args(lists, "--seats", "3", "--candidates", candidates))
    assert run.status == 2
    assert run.out == ""
    for expected in (
        "lists.csv, row 3: duplicate list_id A (first at row 2)",
        "lists.csv, row 4: votes '-3' is negative",
        "lists.csv, row 5: votes '12.5' is not a whole number",
        "lists.csv, row 6: votes is empty",
        "candidates.csv, row 3: duplicate candidate_id a1 (first in candidates.csv, row 2)",
        "candidates.csv, row 4: list_id 'Z' is not in the lists file",
        "candidates.csv, row 5: sex 'X' must be F or M",
    ):
        assert expected in run.err
    assert "nothing was computed" in run.err


def test_missing_columns_name_what_the_header_has(shafaf, write):
    run = shafaf(*allocate_args(write("lists.csv", "list_id,name\nA,Alpha\n"), "--seats", "3"))
    assert run.status == 2
    assert "lists.csv, row 1: missing column(s): votes (the header has: list_id, name)" in run.err


def test_a_missing_file_is_bad_input(shafaf, tmp_path):
    run = shafaf(*allocate_args(tmp_path / "nope.csv", "--seats", "3"))
    assert run.status == 2
    assert "nope.csv: file not found" in run.err


def test_a_file_that_is_not_utf8_is_refused(shafaf, write):
    lists = write("lists.csv", "list_id,name,votes\nA,قائمة,5\n", encoding="cp1256")
    run = shafaf(*allocate_args(lists, "--seats", "1"))
    assert run.status == 2
    assert "not UTF-8" in run.err


def test_personal_votes_cannot_exceed_the_list_total(shafaf, write):
    lists = write("lists.csv", "list_id,name,votes\nA,Alpha,10\nB,Beta,5\n")
    cands = write("c.csv", "candidate_id,list_id,name,sex,votes\na,A,x,M,11\n")
    run = shafaf(*allocate_args(lists, "--seats", "1", "--candidates", cands))
    assert run.status == 2
    assert "lists.csv, row 2: list A has 10 votes, fewer than its candidates' 11" in run.err
    assert "lists.csv, row 3: list B has votes but no candidates" in run.err


def test_spreadsheet_exports_with_bom_extra_columns_and_arabic_digits(shafaf, write):
    lists = write("lists.csv", "\ufeffList_ID,Name,Votes,Colour\nA,ألف,١٠٠,red\nB,باء,٥٠,blue\n")
    run = shafaf(*allocate_args(lists, "--seats", "4", "--format", "json"))
    assert run.status == 0, run.err
    assert {lst["list_id"]: lst["votes"] for lst in run.json()["lists"]} == {"A": 100, "B": 50}


def test_a_deciding_tie_stops_with_status_3_and_names_the_ids(shafaf, write):
    lists = write("lists.csv", "list_id,name,votes\nA,Alpha,100\nB,Beta,100\n")
    run = shafaf(*allocate_args(lists, "--seats", "1"))
    assert run.status == 3
    assert run.out == ""
    assert "A, B" in run.err
    assert "--lot-seed" in run.err


def test_a_lot_seed_draws_the_tie_and_the_report_shows_how(shafaf, write):
    lists = write("lists.csv", "list_id,name,votes\nA,Alpha,100\nB,Beta,100\nC,Gamma,100\n")
    run = shafaf(*allocate_args(lists, "--seats", "1", "--lot-seed", "1-2-3-4-5",
                                "--format", "json"))
    assert run.status == 0
    report = run.json()
    jsonschema.validate(report, SCHEMA)
    (tie,) = report["ties"]
    assert (tie["method"], tie["order"], tie["chosen"]) == ("lot_seed", ["B", "A", "C"], ["B"])
    assert report["steps"][0]["by_lot"] is True


def test_a_recorded_physical_draw_decides_the_tie(shafaf, write):
    lists = write("lists.csv", "list_id,name,votes\nA,Alpha,100\nB,Beta,100\n")
    run = shafaf(*allocate_args(lists, "--seats", "1", "--draw", "B,A", "--format", "json"))
    assert run.status == 0
    assert run.json()["ties"][0]["method"] == "physical_draw"
    assert [lst["list_id"] for lst in run.json()["lists"] if lst["seats"]] == ["B"]


def test_disqualification_strikes_votes(shafaf, write):
    lists = write("lists.csv", "list_id,name,votes\nA,Alpha,1000\nB,Beta,900\n")
    cands = write("c.csv", "candidate_id,list_id,name,sex,votes\na1,A,x,M,300\na2,A,y,M,200\n"
                           "a3,A,z,F,100\nb1,B,p,M,300\nb2,B,q,F,200\nb3,B,r,M,100\n")
    run = shafaf(*allocate_args(lists, "--seats", "3", "--candidates", cands,
                                "--disqualify", "a1", "--format", "json"))
    assert run.status == 0, run.err
    report = run.json()
    assert {lst["list_id"]: lst["seats"] for lst in report["lists"]} == {"A": 1, "B": 2}
    assert report["disqualified"] == [{"candidate_id": "a1", "list_id": "A", "votes_struck": 300}]


def test_disqualifying_an_unknown_candidate_is_bad_input(shafaf, write):
    lists = write("lists.csv", "list_id,name,votes\nA,Alpha,10\n")
    run = shafaf(*allocate_args(lists, "--seats", "1", "--disqualify", "ghost"))
    assert run.status == 2
    assert "no candidate 'ghost'" in run.err


def test_component_seats_come_from_the_governorate(shafaf, write):
    lists = write("lists.csv", "list_id,name,votes\nA,Alpha,1000\n")
    comps = write("comps.csv", "candidate_id,component,name,sex,votes\n"
                               "c1,Christian,x,M,10\nc2,christian,y,F,20\n"
                               "s1,Sabean-Mandaean,z,M,5\nk1,faili kurd,w,M,7\n")
    run = shafaf(*allocate_args(lists, "--governorate", "iq-bg", "--components", comps,
                                "--format", "json"))
    assert run.status == 0, run.err
    report = run.json()
    assert report["seats"] == 49
    assert report["component_seats"] == {"christian": 1, "faili_kurd": 1, "sabean_mandaean": 1}
    assert {e["candidate_id"] for e in report["elected"] if e["basis"] == "component"} == {
        "c2", "s1", "k1"}


def test_a_component_without_a_seat_there_is_bad_input(shafaf, write):
    lists = write("lists.csv", "list_id,name,votes\nA,Alpha,1000\n")
    comps = write("comps.csv", "candidate_id,component,name,sex,votes\ny1,yazidi,x,M,10\n")
    run = shafaf(*allocate_args(lists, "--governorate", "IQ-AN", "--components", comps))
    assert run.status == 2
    assert "comps.csv, row 2: component 'yazidi' has no seat in this contest (seats: none)" \
        in run.err


@pytest.mark.parametrize(("args", "message"), [
    (["--governorate", "IQ-XX"], "has no district 'IQ-XX'"),
    (["--seats", "-1"], "general seats must be 0 or more"),
    (["--seats", "3", "--method", "banzhaf"], "unknown method 'banzhaf'"),
    (["--seats", "3", "--threshold", "1.5"], "--threshold must be at least 0 and below 1"),
])
def test_bad_options_are_explained(shafaf, args, message):
    run = shafaf(*allocate_args(ANBAR, *args))
    assert run.status == 2
    assert message in run.err


def test_seats_override_the_governorates_general_seats(shafaf):
    run = shafaf(*allocate_args(ANBAR, "--governorate", "IQ-AN", "--seats", "10",
                                "--format", "json"))
    assert run.status == 0, run.err
    assert run.json()["seats"] == 10
    assert run.json()["district"]["code"] == "IQ-AN"


def test_seats_must_come_from_somewhere(shafaf):
    run = shafaf(*allocate_args(ANBAR))
    assert run.status == 2
    assert "give --governorate CODE or --seats N" in run.err


def test_sntv_needs_candidates(shafaf):
    run = shafaf("allocate", "--law", "iraq-cor-2021", "--seats", "3", "--lists", ANBAR)
    assert run.status == 2
    assert "give --candidates" in run.err


def test_list_formula_options_do_not_apply_to_sntv(shafaf, write):
    cands = write("c.csv", "candidate_id,list_id,name,sex,votes\n")
    run = shafaf("allocate", "--law", "iraq-cor-2021", "--seats", "3", "--lists", ANBAR,
                 "--candidates", cands, "--method", "hare")
    assert run.status == 2
    assert "--method and --threshold do not apply" in run.err


def test_the_2021_parliament_has_no_district_table(shafaf):
    run = shafaf("allocate", "--law", "iraq-cor-2021", "--governorate", "IQ-BG", "--lists", ANBAR)
    assert run.status == 2
    assert "none: give --seats" in run.err


def test_sntv_district_elects_a_woman(shafaf, write):
    lists = write("lists.csv", "list_id,name,votes\nP,Party,0\nQ,Other,0\n")
    cands = write("c.csv", "candidate_id,list_id,name,sex,votes\np1,P,a,M,900\np2,P,b,M,800\n"
                           "q1,Q,c,M,700\nq2,Q,d,F,600\n")
    run = shafaf("allocate", "--law", "iraq-cor-2021", "--seats", "3", "--lists", lists,
                 "--candidates", cands, "--format", "json")
    assert run.status == 0, run.err
    report = run.json()
    jsonschema.validate(report, SCHEMA)
    assert sorted(e["candidate_id"] for e in report["elected"]) == ["p1", "p2", "q2"]
    assert [s["candidate_id"] for s in report["steps"]] == ["p1", "p2", "q1"]


def test_the_installed_command_writes_utf8_even_in_a_c_locale(tmp_path):
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": ""}
    done = subprocess.run(
        [sys.executable, "-m", "shafaf", "allocate", "--law", "iraq-gc-2023", "--governorate",
         "IQ-AN", "--lists", str(ANBAR)], capture_output=True, env=env, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert "الأنبار" in done.stdout.decode("utf-8")


def test_an_xlsx_lists_file_reads_like_its_csv(shafaf, write, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    for line in LISTS.strip().splitlines():
        list_id, name, votes = line.split(",")
        book.worksheets[0].append([list_id, name, int(votes) if votes.isdigit() else votes])
    book.save(tmp_path / "lists.xlsx")
    from_csv = shafaf(*allocate_args(write("lists.csv", LISTS), "--seats", "5", "--format",
                                     "json"))
    from_xlsx = shafaf(*allocate_args(tmp_path / "lists.xlsx", "--seats", "5", "--format",
                                      "json"))
    assert from_xlsx.status == 0, from_xlsx.err
    assert from_xlsx.json()["lists"] == from_csv.json()["lists"]


def test_problems_beyond_the_first_thousand_are_counted_by_reason(shafaf, write):
    rows = "".join(f"L{n},قائمة,-{n}\n" for n in range(1, 1201))
    run = shafaf(*allocate_args(write("lists.csv", "list_id,name,votes\n" + rows), "--seats",
                                "3"))
    assert run.status == 2
    assert "1200 problem(s) in the input; nothing was computed." in run.err
    assert "lists.csv, row 1001: votes '-1000' is negative" in run.err
    assert "'-1001'" not in run.err
    assert "  lists.csv: 200 more like this: votes … is negative" in run.err


# --- hostile input: a refusal with a message, never a traceback or an endless run ----


def test_ten_million_seats_are_refused_at_once(shafaf):
    run = shafaf(*allocate_args(ANBAR, "--seats", "10000000"))
    assert run.status == 2
    assert "--seats 10000000: at most 10,000 general seats" in run.err
    assert "Traceback" not in run.err


def test_more_seats_than_candidates_are_refused(shafaf, write):
    lists = write("lists.csv", "list_id,name,votes\nA,Alpha,100\nB,Beta,50\n")
    cands = write("c.csv", "candidate_id,list_id,name,sex,votes\na1,A,x,M,30\nb1,B,y,F,20\n")
    run = shafaf(*allocate_args(lists, "--seats", "3", "--candidates", cands))
    assert run.status == 2
    assert "--seats: 3 general seats but only 2 candidates" in run.err


def test_a_draw_naming_unknown_ids_is_refused_naming_them(shafaf, write):
    lists = write("lists.csv", "list_id,name,votes\nA,Alpha,100\nB,Beta,100\n")
    run = shafaf(*allocate_args(lists, "--seats", "1", "--draw", "B,Z,A", "--draw", "Q"))
    assert run.status == 2
    assert "--draw: no list or candidate 'Z' in the input files" in run.err
    assert "--draw: no list or candidate 'Q' in the input files" in run.err
    assert run.out == ""


def test_a_vote_count_of_five_thousand_digits_is_a_problem_not_a_traceback(shafaf, write):
    lists = write("lists.csv", f"list_id,name,votes\nA,Alpha,{'9' * 5000}\nB,Beta,10\n")
    run = shafaf(*allocate_args(lists, "--seats", "1"))
    assert run.status == 2
    assert "lists.csv, row 2: votes '99999999999999999999…' has more than 30 digits" in run.err
    assert "Traceback" not in run.err


def test_an_xlsx_bomb_is_refused_with_status_2(shafaf, tmp_path):
    from tests.tabular import hostile

    bomb = tmp_path / "lists.xlsx"
    bomb.write_bytes(hostile.two_million_rows())
    run = shafaf(*allocate_args(bomb, "--seats", "1"))
    assert run.status == 2
    assert "compression bomb" in run.err


def test_problems_out_writes_every_problem_to_a_csv(shafaf, write, tmp_path):
    rows = "".join(f"L{n},قائمة,-{n}\n" for n in range(1, 1201))
    out = tmp_path / "problems.csv"
    run = shafaf(*allocate_args(write("lists.csv", "list_id,name,votes\n" + rows), "--seats",
                                "3", "--problems-out", out))
    assert run.status == 2
    assert f"All 1,200 problem(s) are listed in {out}." in run.err
    with out.open(encoding="utf-8") as f:
        listed = list(csv.reader(f))
    assert listed[0] == ["file", "row", "column", "problem"]
    assert len(listed) == 1201
    assert listed[-1] == ["lists.csv", "1201", "", "votes '-1200' is negative"]


def test_a_problem_in_every_row_is_counted_by_reason_not_listed_row_by_row(shafaf, write):
    rows = "".join(f"C{n},L{n},x,M,1\n" for n in range(1, 3001))
    lists = write("lists.csv", "list_id,name,votes\nA,Alpha,10\n")
    cands = write("c.csv", "candidate_id,list_id,name,sex,votes\n" + rows)
    run = shafaf(*allocate_args(lists, "--seats", "1", "--candidates", cands))
    assert run.status == 2
    assert "c.csv, row 2: list_id 'L1' is not in the lists file" in run.err
    assert "  c.csv: 2000 more like this: list_id … is not in the lists file" in run.err
    assert len(run.err.splitlines()) < 1010
