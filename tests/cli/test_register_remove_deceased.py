"""``shafaf register remove-deceased FILE --election CODE --as USER``: every voter in
the ministries' file removed, or nobody, with every bad row named."""

from __future__ import annotations

import csv

from shafaf.audit.models import AuditEvent
from shafaf.register.models import Status, Voter
from tests.register.test_campaign import (  # noqa: F401 (fixtures)
    election,
    fast_password_hashing,
    users,
    voter,
)

HEADER = "voter_number,death_date,reference\n"


def test_the_file_removes_every_voter_in_it(election, users, shafaf, write):  # noqa: F811
    voter("D1")
    voter("D2")
    run = shafaf("register", "remove-deceased",
                 write("deaths.csv", HEADER + "D1,2023-01-01,M-1\nD2,2023-02-01,M-2\n"),
                 "--election", "gc-2023", "--as", "office_manager")
    assert run.status == 0, run.err
    assert "deaths.csv: 2 voters removed as deceased." in run.out
    assert set(Voter.objects.values_list("status", flat=True)) == {Status.REMOVED}
    assert AuditEvent.objects.filter(action="register.remove_deceased").count() == 1


def test_a_bad_row_removes_nobody_and_is_written_out(election, users, shafaf,  # noqa: F811
                                                     write, tmp_path):
    voter("D1")
    out = tmp_path / "problems.csv"
    run = shafaf("register", "remove-deceased",
                 write("deaths.csv", HEADER + "D1,2023-01-01,M-1\nD9,2023-01-01,M-2\n"
                                              "D1,2023-01-01,M-3\n"),
                 "--election", "gc-2023", "--as", "admin", "--problems-out", out)
    assert run.status == 2
    assert "nobody was removed" in run.err
    with out.open(encoding="utf-8") as file:
        rows = [row[1] for row in list(csv.reader(file))[1:]]
    assert sorted(rows) == ["3", "4"]
    assert Voter.objects.get().status == Status.ACTIVE


def test_a_user_who_may_not_remove_is_refused(election, users, shafaf, write):  # noqa: F811
    voter("D1")
    run = shafaf("register", "remove-deceased", write("d.csv", HEADER + "D1,2023-01-01,M\n"),
                 "--election", "gc-2023", "--as", "register_officer")
    assert run.status == 2
    assert "may not remove voters" in run.err
    assert Voter.objects.get().status == Status.ACTIVE
