"""Which count is adopted: every branch of the rule, by hand."""

from __future__ import annotations

from fractions import Fraction

from shafaf.core.station_outcome import (
    AuditReason,
    Count,
    CountForm,
    Outcome,
    decide,
    difference,
)

FIVE = Fraction(5, 100)
MANUAL = CountForm(list_votes={"a": 600, "b": 400}, valid=1000)


def test_the_difference_is_the_sum_of_list_gaps_over_the_manual_valid_ballots() -> None:
    electronic = CountForm(list_votes={"a": 620, "b": 390, "c": 5}, valid=1015)
    assert difference(electronic=electronic, manual=MANUAL) == Fraction(35, 1000)
    assert difference(electronic=MANUAL, manual=CountForm(list_votes={}, valid=0)) == 1
    nothing = CountForm(list_votes={}, valid=0)
    assert difference(electronic=nothing, manual=nothing) == 0


def test_under_five_per_cent_the_manual_count_is_adopted() -> None:
    electronic = CountForm(list_votes={"a": 625, "b": 376}, valid=1001)   # 49/1000
    decision = decide(forms={Count.ELECTRONIC: electronic, Count.MANUAL: MANUAL},
                      threshold=FIVE)
    assert (decision.outcome, decision.adopt) == (Outcome.ADOPTED, Count.MANUAL)
    assert decision.difference == Fraction(49, 1000)


def test_at_five_per_cent_the_station_goes_to_the_audit_centre() -> None:
    electronic = CountForm(list_votes={"a": 625, "b": 375}, valid=1000)   # 50/1000
    decision = decide(forms={Count.ELECTRONIC: electronic, Count.MANUAL: MANUAL},
                      threshold=FIVE)
    assert (decision.outcome, decision.adopt, decision.audit_reason) == (
        Outcome.AUDIT, None, AuditReason.DIFFERENCE)


def test_the_paper_tape_stands_in_for_a_failed_transmission() -> None:
    tape = CountForm(list_votes={"a": 700, "b": 300}, valid=1000)
    decision = decide(forms={Count.PAPER: tape, Count.MANUAL: MANUAL}, threshold=FIVE)
    assert decision.audit_reason is AuditReason.DIFFERENCE


def test_the_electronic_result_alone_is_the_preliminary_result() -> None:
    decision = decide(forms={Count.ELECTRONIC: MANUAL}, threshold=FIVE)
    assert (decision.outcome, decision.adopt) == (Outcome.ADOPTED, Count.ELECTRONIC)


def test_a_late_station_keeps_its_manual_count_and_is_listed_for_audit() -> None:
    decision = decide(forms={Count.MANUAL: MANUAL}, threshold=FIVE, late=True)
    assert (decision.outcome, decision.adopt, decision.audit_reason) == (
        Outcome.ADOPTED, Count.MANUAL, AuditReason.LATE)
    waiting = decide(forms={}, threshold=FIVE, late=True)
    assert (waiting.outcome, waiting.audit_reason) == (Outcome.AWAITING, AuditReason.LATE)
    assert decide(forms={}, threshold=FIVE).audit_reason is AuditReason.NONE


def test_an_error_holds_the_station_until_cleared_or_recounted() -> None:
    held = CountForm(list_votes=MANUAL.list_votes, valid=1000, held=True)
    assert decide(forms={Count.MANUAL: held}, threshold=FIVE).audit_reason is (
        AuditReason.QUARANTINE)
    assert decide(forms={Count.ELECTRONIC: held}, threshold=FIVE).outcome is Outcome.AUDIT
    recount = CountForm(list_votes={"a": 601, "b": 399}, valid=1000)
    decision = decide(forms={Count.MANUAL: held, Count.RECOUNT: recount}, threshold=FIVE)
    assert (decision.outcome, decision.adopt) == (Outcome.ADOPTED, Count.RECOUNT)
    held_recount = CountForm(list_votes={}, valid=3, held=True)
    assert decide(forms={Count.RECOUNT: held_recount}, threshold=FIVE).outcome is Outcome.AUDIT


def test_the_boards_orders_come_first() -> None:
    forms = {Count.ELECTRONIC: MANUAL, Count.MANUAL: MANUAL}
    assert decide(forms=forms, threshold=FIVE, cancelled=True).outcome is Outcome.CANCELLED
    ordered = decide(forms=forms, threshold=FIVE, recount_ordered=True)
    assert (ordered.outcome, ordered.audit_reason) == (Outcome.AUDIT, AuditReason.COMPLAINT)
    recount = CountForm(list_votes={"a": 1}, valid=1)
    done = decide(forms={**forms, Count.RECOUNT: recount}, threshold=FIVE, recount_ordered=True)
    assert done.adopt is Count.RECOUNT
