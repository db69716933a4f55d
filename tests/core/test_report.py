"""The allocation report: exact values a person can re-check, and honest lot marks."""

from fractions import Fraction

from shafaf.core.allocation import allocate
from shafaf.core.laws import get
from shafaf.core.report import allocation_report, exact, rounded
from shafaf.core.ties import TieBreaker
from tests.core.builders import contest


def test_values_are_exact_fractions_beside_a_rounded_decimal():
    assert exact(Fraction(1630720, 17)) == "1630720/17"
    assert exact(Fraction(26036)) == "26036"
    assert rounded(Fraction(1630720, 17)) == "95924.7059"
    assert rounded(Fraction(1, 20000)) == "0.0001"  # half rounds up
    assert rounded(Fraction(-1, 3)) == "-0.3333"


def sntv_report(candidates):
    law = get("iraq-cor-2021")
    district = contest(len(candidates) - 2, {"P": 0}, {"P": candidates})
    return allocation_report(
        allocate(district, rules=law.rules, breaker=TieBreaker(seed="s")), law=law)


def test_under_sntv_a_seat_drawn_by_lot_is_marked_so():
    report = sntv_report([("a", "M", 900), ("b", "F", 500), ("c", "F", 500), ("d", "M", 1)])
    (tie,) = report["ties"]
    assert tie["kind"] == "candidate_seat"
    assert [s["candidate_id"] for s in report["steps"] if s["by_lot"]] == tie["chosen"]


def test_under_sntv_a_quota_tie_does_not_mark_any_seat_as_drawn():
    # Two men tie only for giving way to the woman: their seats were won on votes.
    report = sntv_report([("a", "M", 900), ("b", "M", 500), ("c", "M", 500), ("w", "F", 100),
                          ("x", "M", 1)])
    assert [t["kind"] for t in report["ties"]] == ["quota_replaced_man"]
    assert not any(s["by_lot"] for s in report["steps"])
