"""``shafaf register dedup``: the planted duplicates of a synthetic register are found,
siblings and twins are not merged, and a bad file is refused row by row."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from tests.register.make_names import HEADER, make, pairs, write

HEAD = ",".join(HEADER)


@pytest.fixture(scope="module")
def register(tmp_path_factory) -> tuple[Path, list[dict[str, str]], set[tuple[str, str]]]:
    rows, truth = make(400, seed=7)
    path = tmp_path_factory.mktemp("dedup") / "register.csv"
    write(path, rows)
    return path, rows, truth


def test_the_planted_duplicates_are_found(shafaf, register):
    path, _, truth = register
    run = shafaf("register", "dedup", path)
    assert run.status == 0, run.err
    found = run.json()["clusters"]
    assert truth, "the file has planted duplicates"
    hits = pairs(found) & truth
    assert len(hits) / len(truth) >= 0.9
    assert len(pairs(found) - truth) <= 1
    assert found == sorted(found)
    assert all(c == sorted(c) for c in found)


def test_siblings_and_twins_are_not_merged(shafaf, register):
    path, rows, truth = register
    by_id = {row["voter_id"]: row for row in rows}
    found = pairs(shafaf("register", "dedup", path).json()["clusters"])
    family = ("father_name", "grandfather_name", "family_name", "mother_name")
    siblings = {(a, b) for a, b in found
                if (a, b) not in truth
                and all(by_id[a][c] == by_id[b][c] for c in family)}
    assert not siblings
    # The file does hold siblings and twins to be kept apart.
    groups: dict[tuple[str, ...], set[str]] = {}
    for row in rows:
        groups.setdefault(tuple(row[c] for c in family), set()).add(row["first_name"])
    assert sum(len(names) > 1 for names in groups.values()) > 20


def test_the_same_file_gives_the_same_clusters_in_gzip_and_in_text(shafaf, register,
                                                                   tmp_path):
    path, _, _ = register
    packed = tmp_path / "register.csv.gz"
    packed.write_bytes(gzip.compress(path.read_bytes()))
    first = shafaf("register", "dedup", path).json()["clusters"]
    assert shafaf("register", "dedup", packed).json()["clusters"] == first
    text = shafaf("register", "dedup", path, "--format", "text")
    assert text.status == 0
    assert f"{len(first)} group(s)" in text.out
    assert "  ".join(first[0]) in text.out


def test_one_person_entered_twice_with_typical_errors(shafaf, tmp_path):
    path = tmp_path / "two.csv"
    path.write_text(
        f"{HEAD}\n"
        "1,عبد الله,حسين,علي,الجبوري,فاطمة حسن,M,1980-03-02,IQ-BG\n"
        "2,عبدالله,حسين,على,جبوري,فاطمه حسن,M,١٩٨٠-٠٢-٠٣,IQ-BG\n"
        "3,عمر,حسين,علي,الجبوري,فاطمة حسن,M,1980-03-02,IQ-BG\n"  # his twin
        "4,مريم,حسين,علي,الجبوري,فاطمة حسن,F,1983-07-11,IQ-BG\n"  # his sister
        "5,أحمد,كاظم,جاسم,الدليمي,زينب عباس,M,1975-10-20,IQ-AN\n"
        "6,احمد,كاظم,جاسم,الدليمي,زينب عباس,M,1976-10-20,IQ-AN\n",  # a mistyped year
        encoding="utf-8")
    run = shafaf("register", "dedup", path)
    assert run.status == 0, run.err
    assert run.json()["clusters"] == [["1", "2"], ["5", "6"]]


def test_bad_rows_exit_2_naming_every_one(shafaf, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        f"{HEAD}\n"
        "1,علي,حسين,علي,,فاطمة حسن,M,1980-02-30,IQ-BG\n"
        "2,علي,حسين,علي,,فاطمة حسن,X,1980-02-03,IQ-BG\n"
        "3,,حسين,علي,,فاطمة حسن,M,1980-02-03,IQ-BG\n"
        "4,زيد,حسين,علي,,فاطمة حسن,M,1981-02-03,IQ-BG\n"
        "4,زيد,حسين,علي,,فاطمة حسن,M,not a date,IQ-BG\n",
        encoding="utf-8")
    run = shafaf("register", "dedup", path)
    assert run.status == 2
    assert run.out == ""
    for row, column in (("2", "birth_date"), ("3", "sex"), ("4", "first_name"),
                        ("6", "voter_id"), ("6", "birth_date")):
        assert any(f"row {row}" in line and column in line for line in run.err.splitlines()), \
            (row, column, run.err)
    assert "row 5" not in run.err
    assert "nothing was matched" in run.err


def test_a_missing_column_exits_2(shafaf, tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("voter_id,first_name\n1,علي\n", encoding="utf-8")
    run = shafaf("register", "dedup", path)
    assert run.status == 2
    assert "father_name" in run.err
    assert "mother_name" in run.err


def test_a_file_that_is_not_there_exits_2(shafaf, tmp_path):
    run = shafaf("register", "dedup", tmp_path / "none.csv")
    assert run.status == 2
    assert "cannot read" in run.err


def test_the_help_loads_neither_splink_nor_django():
    from tests.cli.test_main import modules_after

    loaded = {m.split(".")[0] for m in modules_after("register", "dedup", "--help")}
    assert not loaded & {"splink", "duckdb", "pyarrow", "django", "rich"}


def test_a_run_loads_no_django(register):
    from tests.cli.test_main import modules_after

    path, _, _ = register
    loaded = {m.split(".")[0] for m in modules_after("register", "dedup", str(path))}
    assert "splink" in loaded
    assert "django" not in loaded


def test_a_file_without_duplicates_gives_no_cluster(shafaf, tmp_path):
    path = tmp_path / "one.csv"
    path.write_text(f"{HEAD}\n1,علي,حسين,علي,,فاطمة حسن,M,1980-02-03,IQ-BG\n",
                    encoding="utf-8")
    run = shafaf("register", "dedup", path)
    assert run.status == 0, run.err
    assert run.json() == {"clusters": [], "records": 1, "records_in_clusters": 0,
                          "threshold": 0.99}
    header_only = tmp_path / "none.csv"
    header_only.write_text(f"{HEAD}\n", encoding="utf-8")
    assert shafaf("register", "dedup", header_only).json()["clusters"] == []


def test_a_threshold_outside_its_range_is_refused(shafaf, register):
    path, _, _ = register
    for bad in ("1", "0.2", "x"):
        run = shafaf("register", "dedup", path, "--threshold", bad)
        assert run.status == 2
        assert "--threshold" in run.err


def test_an_empty_family_name_is_no_evidence_either_way(shafaf, tmp_path):
    path = tmp_path / "no_family.csv"
    path.write_text(
        f"{HEAD}\n"
        "1,مرتضى,جعفر,كاظم,,زينب عباس,M,1990-05-04,IQ-NA\n"
        "2,مرتضي,جعفر,كاظم,,زينب عباس,M,1990-04-05,IQ-NA\n"  # day and month swapped
        "3,مرتضى,جعفر,كاظم,الموسوي,زينب عباس,M,1990-05-04,IQ-NA\n",
        encoding="utf-8")
    run = shafaf("register", "dedup", path)
    assert run.status == 0, run.err
    assert run.json()["clusters"] == [["1", "2", "3"]]
