"""``shafaf import voters FILE --election CODE``: a summary and status 0, or every
problem (and with ``--problems-out`` a file of them) with nothing written."""

from __future__ import annotations

import csv
import gzip

from shafaf.register.models import Voter
from tests.register.test_voter_import import GOOD, election  # noqa: F401 (a fixture)


def test_a_gzip_register_is_imported_with_a_summary_and_progress(election, shafaf,  # noqa: F811
                                                                 tmp_path):
    path = tmp_path / "register.csv.gz"
    path.write_bytes(gzip.compress(GOOD.encode()))
    run = shafaf("import", "voters", path, "--election", "gc-2023")
    assert run.status == 0, run.err
    assert "voters: 3 created, 0 updated, 0 unchanged" in run.out
    assert "voters: 3 written" in run.err
    assert Voter.objects.count() == 3


def test_problems_are_listed_and_written_out_and_nothing_is_imported(election,  # noqa: F811
                                                                     shafaf, write, tmp_path):
    rows = "".join(f"{200000000 + i},علي,علي,حسين,,فاطمة,Q,1980-01-01,KI0001,\n"
                   for i in range(1500))
    out = tmp_path / "problems.csv"
    run = shafaf("import", "voters", write("register.csv", GOOD + rows), "--election",
                 "gc-2023", "--problems-out", out)
    assert run.status != 0
    assert "1500 problems in register.csv: nothing was written." in run.err
    with out.open(encoding="utf-8") as file:
        problems = list(csv.reader(file))[1:]
    assert len(problems) == 1500
    assert problems[0][1:3] == ["5", "sex"]
    assert not Voter.objects.exists()


def test_an_unknown_election_is_named(election, shafaf, write):  # noqa: F811
    run = shafaf("import", "voters", write("register.csv", GOOD), "--election", "nope")
    assert run.status == 2
    assert "No election 'nope' (elections: gc-2023)" in run.err
