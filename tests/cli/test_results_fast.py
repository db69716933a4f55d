"""``shafaf results tabulate``'s set-wise reading of a votes file (DuckDB): it runs on a
clean file and gives what the row-by-row Python reading gives; on any other file it
steps aside, and the Python reading's result (or its problems, row by row) is the
answer."""

from __future__ import annotations

import gzip
import random
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shafaf.cli import results_fast
from shafaf.cli.results_files import Files, Tabulated, tabulate_files
from shafaf.core import laws
from shafaf.core.tabulation import tally
from shafaf.tabular import ImportRejected
from tests.cli.test_results_files import CANDIDATES, FORMS, LISTS, VOTES, tabulate

COMPONENTS = """candidate_id,component,name,sex
X1,christian,يوسف,M
X2,christian,مارتا,F
"""


def both(shafaf, paths, *extra):
    """The command's result with the set-wise reading allowed, whether it ran, and the
    result of the Python reading alone."""
    results_fast.LAST.ran = False
    fast = shafaf(*tabulate(paths, "--seats", "3", "--format", "json", *extra))
    ran = results_fast.LAST.ran
    with mock.patch.object(results_fast, "totals", return_value=None):
        python = shafaf(*tabulate(paths, "--seats", "3", "--format", "json", *extra))
    return fast, ran, python


@pytest.fixture
def files(write):
    def make(votes: str | bytes = VOTES, name: str = "votes.csv") -> dict[str, Path]:
        paths = {"lists": write("lists.csv", LISTS),
                 "candidates": write("candidates.csv", CANDIDATES),
                 "forms": write("forms.csv", FORMS)}
        if isinstance(votes, str):
            paths["votes"] = write(name, votes)
        else:
            paths["votes"] = paths["forms"].with_name(name)
            paths["votes"].write_bytes(votes)
        return paths
    return make


@pytest.mark.parametrize("extra", [(), ("--include-quarantined",), ("--disqualify", "L1-1"),
                                   ("--include-quarantined", "--disqualify", "L2-1,L3-1")])
def test_a_clean_file_is_summed_set_wise_with_the_python_paths_report(shafaf, files, extra):
    fast, ran, python = both(shafaf, files(), *extra)
    assert ran, results_fast.LAST.reason
    assert fast.status == 0, fast.err
    assert fast == python


def test_components_are_summed_set_wise_outside_the_valid_ballots(shafaf, files, write):
    # S1's form adds up without X1's 30 votes: a component has its own ballot.
    paths = {**files(VOTES.lstrip("\n") + "S1,,X1,30\nS2,,X2,7\nS3,,X1,1\n"),
             "components": write("components.csv", COMPONENTS)}
    extra = ("--governorate", "IQ-BG", "--components", paths["components"],
             "--lot-seed", "seed")
    fast, ran, python = both(shafaf, paths, *extra)
    assert ran, results_fast.LAST.reason
    assert fast.status == 0, fast.err
    assert fast == python
    assert fast.json()["stations"] == {"total": 3, "counted": 2, "quarantined": ["S3"]}


CLEAN = VOTES.lstrip("\n")
# Each file the set-wise reading must leave to the Python reading: the result (a
# report, or every problem by its row) is then the Python reading's.
UNCLEAN = [
    ("quoted cells", CLEAN.replace("S1,L2,L2-1,100", '"S1",L2,"L2-1",100'), 0),
    ("a duplicate row", CLEAN + "S1,L1,L1-1,60\n", 2),
    ("a duplicate row of other counts", CLEAN + "S2,L2,L2-2,1\n", 2),
    ("an unknown station", CLEAN + "S9,L1,,5\n", 2),
    ("an unknown pair", CLEAN + "S1,L1,L2-1,5\n", 2),
    ("an unknown list", CLEAN + "S1,L9,,5\n", 2),
    ("a row with neither list nor candidate", CLEAN + "S1,,,5\n", 2),
    ("a count with spaces", CLEAN.replace("S1,L3,L3-1,40", "S1,L3,L3-1, 40 "), 0),
    ("a station with spaces", CLEAN.replace("S1,L3,L3-1,40", " S1 ,L3,L3-1,40"), 0),
    ("Arabic-Indic digits", CLEAN.replace("S1,L3,L3-1,40", "S1,L3,L3-1,٤٠"), 0),
    ("a count of 19 digits", CLEAN.replace("S1,L3,L3-1,40", "S1,L3,L3-1,"
                                           "0000000000000000040"), 0),
    ("a negative count", CLEAN + "S1,L2,,-5\n", 2),
    ("an empty count", CLEAN + "S1,L2,,\n", 2),
    ("a short row", CLEAN + "S1,L2,5\n", 2),
    ("a long row", CLEAN + "S1,L2,,5,7\n", 2),
    ("an empty cell after the row", CLEAN.replace("S1,L3,L3-1,40", "S1,L3,L3-1,40,"), 0),
    ("a blank line", CLEAN.replace("S2,L1", "\nS2,L1"), 0),
    ("a blank line at the end", CLEAN + "\n", 0),
    ("a whitespace-only row", CLEAN.replace("S2,L1", "   \nS2,L1"), 0),
    ("a byte-order mark", "\ufeff" + CLEAN, 0),
    ("CRLF line ends", CLEAN.replace("\n", "\r\n"), 0),
    ("a NUL byte", CLEAN.replace("S1,L3,L3-1,40", "S1,L3,L3-1\x00,40"), 2),
]


@pytest.mark.parametrize(("case", "votes", "status"), UNCLEAN, ids=[c[0] for c in UNCLEAN])
def test_an_unclean_file_falls_back_to_the_python_reading(shafaf, files, case, votes, status):
    fast, ran, python = both(shafaf, files(votes))
    assert not ran, case
    assert results_fast.LAST.reason
    assert fast == python
    assert fast.status == status, fast.err


def test_a_non_utf8_byte_falls_back(shafaf, files):
    fast, ran, python = both(shafaf, files(CLEAN.encode().replace(b"S2,L2,L2-2,4",
                                                                  b"S2,L2,L2-2\xff,4")))
    assert not ran
    assert fast == python
    assert fast.status == 2
    assert "not UTF-8 text" in fast.err


def test_a_non_utf8_byte_beyond_the_readers_first_chunk_falls_back(shafaf, files):
    # The one reader meets it late; DuckDB refuses it (its error is a fallback).
    many = "".join(f"S1,L1,L1-{n},1\n" for n in range(3, 9000))
    votes = (CLEAN + many).encode() + b"S2,L1,L1-1\xff,1\n"
    fast, ran, python = both(shafaf, files(votes))
    assert not ran
    assert fast == python
    assert "not UTF-8 text" in fast.err


def test_a_gzip_file_falls_back_with_the_same_report(shafaf, files):
    fast, ran, python = both(shafaf, files(gzip.compress(CLEAN.encode()), name="votes.csv.gz"))
    assert not ran
    assert fast.status == 0, fast.err
    assert fast == python


def test_a_header_of_other_columns_falls_back(shafaf, files):
    votes = CLEAN.replace("station_id,list_id,candidate_id,votes",
                          "station_id,list_id,candidate_id,votes,note")
    votes = "\n".join(line + "," if i else line for i, line in enumerate(votes.splitlines()))
    fast, ran, python = both(shafaf, files(votes + "\n"))
    assert not ran
    assert fast.status == 0, fast.err
    assert fast == python


def test_a_header_in_another_order_and_spelling_is_summed_set_wise(shafaf, files):
    lines = [line.split(",") for line in CLEAN.splitlines()]
    votes = "".join(f"{v},{c},{s},{lst}\n" for s, lst, c, v in lines[1:])
    fast, ran, python = both(shafaf, files("Votes,Candidate ID,Station-ID,LIST_ID\n" + votes))
    assert ran, results_fast.LAST.reason
    assert fast == python


def test_check_reads_row_by_row(shafaf, files):
    paths = files()
    results_fast.LAST.ran = False
    run = shafaf("results", "check", "--forms", paths["forms"], "--votes", paths["votes"],
                 "--lists", paths["lists"], "--candidates", paths["candidates"])
    assert run.status == 0
    assert not results_fast.LAST.ran


# -- Generated files ------------------------------------------------------------------

KEYS = [("L1", ""), ("L1", "L1-1"), ("L1", "L1-2"), ("L2", ""), ("L2", "L2-1"),
        ("L2", "L2-2"), ("L3", ""), ("L3", "L3-1"), ("", "X1"), ("", "X2")]
station_votes = st.dictionaries(st.sampled_from(KEYS), st.integers(0, 60), max_size=10)
a_station = st.tuples(station_votes, st.integers(0, 30), st.sampled_from([0, 0, 0, 1, -1, 9]))


def written(directory: Path, stations: list[tuple[dict[tuple[str, str], int], int, int]],
            shuffle: random.Random | None = None, twice: bool = False) -> Files:
    forms = ["station_id,registered,voted,ballots_received,ballots_in_box,ballots_spoiled,"
             "ballots_unused,invalid,valid"]
    rows = []
    for n, (votes, invalid, off) in enumerate(stations):
        valid = max(0, sum(count for (lst, _), count in votes.items() if lst) + off)
        box = valid + invalid
        forms.append(f"G{n},{box + 50},{box},{box + 20},{box},5,15,{invalid},{valid}")
        rows += [f"G{n},{lst},{cand},{count}" for (lst, cand), count in votes.items()]
    paths = {name: directory / f"{name}.csv"
             for name in ("lists", "candidates", "components", "forms", "votes")}
    paths["lists"].write_text(LISTS.lstrip("\n"), encoding="utf-8")
    paths["candidates"].write_text(CANDIDATES.lstrip("\n"), encoding="utf-8")
    paths["components"].write_text(COMPONENTS, encoding="utf-8")
    paths["forms"].write_text("\n".join(forms) + "\n", encoding="utf-8")
    if shuffle is not None:
        shuffle.shuffle(rows)
    if twice and rows:
        rows.append(rows[0])
    paths["votes"].write_text("\n".join(["station_id,list_id,candidate_id,votes", *rows])
                              + "\n", encoding="utf-8")
    return Files(**paths)


@settings(max_examples=40, deadline=None)
@given(st.lists(a_station, min_size=1, max_size=8), st.randoms(use_true_random=False),
       st.sampled_from([False, False, False, True]), st.booleans(),
       st.lists(st.sampled_from(["L1-1", "L2-2", "X1"]), unique=True))
def test_generated_files_give_the_python_paths_totals_and_report(stations, shuffle, twice,
                                                                 include, disqualify):
    law = laws.get("iraq-gc-2023")

    def run() -> object:
        try:
            return tabulate_files(files, law=law, governorate="IQ-BG", seats=3,
                                  include_quarantined=include, disqualify=disqualify,
                                  lot_seed="generated")
        except ImportRejected as exc:  # every problem, by its row
            return [str(problem) for problem in exc.problems]

    with tempfile.TemporaryDirectory() as directory:
        files = written(Path(directory), stations, shuffle, twice)
        duplicate = twice and any(votes for votes, _, _ in stations)
        results_fast.LAST.ran = False
        fast = run()
        # A row written twice: the fallback names it.
        assert results_fast.LAST.ran is not duplicate, results_fast.LAST.reason
        with mock.patch.object(results_fast, "totals", return_value=None):
            python = run()
    if isinstance(fast, Tabulated) and isinstance(python, Tabulated):
        assert fast.report == python.report
    else:
        assert fast == python
    assert isinstance(fast, list) is duplicate


def test_the_set_wise_totals_equal_the_cores_tally(tmp_path):
    from shafaf.cli.allocate import general_seats
    from shafaf.cli.results_files import Tally, read

    stations = [({("L1", "L1-1"): 7, ("L2", ""): 3, ("", "X1"): 4}, 2, 0),
                ({("L1", ""): 5, ("L3", "L3-1"): 9}, 1, 1),
                ({}, 0, 0)]
    files = written(tmp_path, stations)
    _, district = general_seats(laws.get("iraq-gc-2023"), "IQ-BG", None)
    assert district is not None
    seats = dict(district.component_seats)
    for include in (False, True):
        data = read(files, component_seats=seats,
                    tally=Tally(box_over_voted_tolerance=5, include_quarantined=include))
        assert results_fast.LAST.ran
        assert data.totals is not None
        rows = read(files, component_seats=seats)
        assert data.totals == tally(rows.stations, box_over_voted_tolerance=5,
                                    include_quarantined=include)
        assert data.totals.quarantined == {"G1"}


def test_a_quote_that_would_open_a_quoted_cell_falls_back(shafaf, write, files):
    # A list id beginning with a quote ('"Q', written quoted in lists.csv): DuckDB,
    # reading without quoting, would take '"Q' as the id; Python's csv module opens a
    # quoted cell there. The pre-scan leaves such a file to the Python reading.
    paths = files(CLEAN + 'S1,"Q,,5\nS2,L1,,1\n')
    paths["lists"] = write("lists.csv", LISTS.lstrip("\n") + '"""Q",quoted\n')
    fast, ran, python = both(shafaf, paths)
    assert not ran
    assert fast == python
