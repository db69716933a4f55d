"""The pure rules of objections to the preliminary register, and of the final
register's canonical listing."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from shafaf.core.register_canonical import FIELDS, canonical_line, canonical_sha256
from shafaf.core.register_objections import (
    OBJECTION_STEPS,
    ExhibitionWindow,
    Filing,
    Ground,
    ObjectionRefused,
    ObjectionState,
    ObjectionStep,
    Timing,
    filing_refusal,
    initial,
    masked_voter_number,
    next_state,
    removes,
    step_refusal,
    timing,
)

WINDOW = ExhibitionWindow(date(2023, 10, 1), date(2023, 10, 31))


def code(refused):
    return None if refused is None else refused.code


@pytest.mark.parametrize(("today", "expected"), [
    (date(2023, 9, 30), "outside_exhibition"), (date(2023, 10, 1), None),
    (date(2023, 10, 31), None), (date(2023, 11, 1), "outside_exhibition")])
def test_filing_is_open_on_both_days_of_the_window_only(today, expected):
    filing = Filing(ground=Ground.DECEASED, statement="died")
    assert code(filing_refusal(filing, window=WINDOW, today=today, final=False)) == expected


def test_the_refusal_names_the_window():
    refused = filing_refusal(Filing(ground=Ground.DECEASED, statement="x"), window=WINDOW,
                             today=date(2024, 1, 1), final=False)
    assert dict(refused.params) == {"opens": WINDOW.opens, "closes": WINDOW.closes}


@pytest.mark.parametrize(("filing", "final", "window", "expected"), [
    (Filing(ground=Ground.DECEASED, statement="x"), True, WINDOW, "register_final"),
    (Filing(ground=Ground.DECEASED, statement="x"), False, None, "exhibition_not_scheduled"),
    (Filing(ground=Ground.DECEASED, statement=" \n"), False, WINDOW, "statement_required"),
    (Filing(ground=Ground.DECEASED, statement="x", against_active=False), False, WINDOW,
     "entry_not_in_register"),
    (Filing(ground=Ground.DUPLICATE, statement="x"), False, WINDOW,
     "duplicate_needs_other_entry"),
    (Filing(ground=Ground.DUPLICATE, statement="x", other_entry=True), False, WINDOW, None),
    (Filing(ground=Ground.WRONG_CENTRE, statement="x"), False, WINDOW,
     "wrong_centre_needs_centre"),
    (Filing(ground=Ground.WRONG_CENTRE, statement="x", right_centre=True), False, WINDOW,
     None),
    (Filing(ground=Ground.UNDER_AGE, statement="x"), False, WINDOW, None),
    (Filing(ground=Ground.NOT_ELIGIBLE, statement="x"), False, WINDOW, None),
])
def test_what_a_filing_needs(filing, final, window, expected):
    assert code(filing_refusal(filing, window=window, today=date(2023, 10, 5),
                               final=final)) == expected


def test_the_steps():
    assert next_state("filed", ObjectionStep.UPHOLD, reason="x") is ObjectionState.UPHELD
    assert next_state("filed", ObjectionStep.DISMISS, reason="x") is ObjectionState.DISMISSED
    assert next_state("upheld", ObjectionStep.APPLY) is ObjectionState.APPLIED
    assert len(OBJECTION_STEPS) == 3


@pytest.mark.parametrize(("state", "step", "reason", "final", "expected"), [
    ("filed", ObjectionStep.UPHOLD, "", False, "objection_reason_required"),
    ("filed", ObjectionStep.DISMISS, "  ", False, "objection_reason_required"),
    ("filed", ObjectionStep.APPLY, "", False, "objection_not_upheld"),
    ("upheld", ObjectionStep.UPHOLD, "x", False, "objection_already_upheld"),
    ("dismissed", ObjectionStep.APPLY, "", False, "objection_already_dismissed"),
    ("applied", ObjectionStep.APPLY, "", False, "objection_already_applied"),
    ("filed", ObjectionStep.UPHOLD, "x", True, "register_final"),
    ("upheld", ObjectionStep.APPLY, "", True, "register_final"),
])
def test_every_refused_step(state, step, reason, final, expected):
    assert step_refusal(state, step, reason=reason, final=final) == expected
    with pytest.raises(ObjectionRefused) as refused:
        next_state(state, step, reason=reason, final=final)
    assert refused.value.code == expected


def test_only_a_wrong_centre_moves_the_others_remove():
    assert [g for g in Ground if not removes(g)] == [Ground.WRONG_CENTRE]


def test_timing():
    assert timing(None, date(2023, 10, 5), final=False) is Timing.NOT_SCHEDULED
    assert timing(WINDOW, date(2023, 9, 1), final=False) is Timing.BEFORE
    assert timing(WINDOW, date(2023, 10, 31), final=False) is Timing.OPEN
    assert timing(WINDOW, date(2023, 11, 1), final=False) is Timing.CLOSED
    assert timing(WINDOW, date(2023, 10, 5), final=True) is Timing.FINAL


def test_what_the_public_sees_of_a_name_and_a_number():
    assert masked_voter_number("100000001") == "•••••0001"
    assert masked_voter_number("1234") == "•••4"
    assert initial("الجبوري") == "ج."
    assert initial("حسين") == "ح."
    assert initial("") == ""
    assert initial("ال") == "ا."


def test_the_canonical_listing():
    row = ("9", "أحمد", "علي", "حسين", "", "فاطمة", "M", "1980-05-01", "IQ-KI", "KI0001",
           "general")
    assert len(FIELDS) == len(row)
    assert canonical_line(row) == "\t".join(row).encode() + b"\n"
    # NFD input (a + combining hamza above) comes out NFC.
    decomposed = ("9", "\u0627\u0654", *row[2:])
    assert canonical_line(decomposed) == canonical_line(("9", "\u0623", *row[2:]))
    digest, count = canonical_sha256([row, row])
    assert (digest, count) == (hashlib.sha256(canonical_line(row) * 2).hexdigest(), 2)
    with pytest.raises(ValueError, match="11 fields"):
        canonical_line(row[:5])
