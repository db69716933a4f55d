"""The result form's checks, each on a hand-worked form."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shafaf.core.result_checks import FormNumbers, ResultError, ResultWarning, check

# 400 registered, 300 verified, 500 ballots received: 300 in the box, 10 spoiled, 190
# unused; 20 invalid and 280 valid, cast 150 + 130 for two lists.
GOOD = FormNumbers(registered=400, voted=300, ballots_received=500, ballots_in_box=300,
                   ballots_spoiled=10, ballots_unused=190, invalid=20, valid=280,
                   list_votes={"a": 150, "b": 130})


def codes(form: FormNumbers) -> tuple[set[str], set[str]]:
    found = check(form, box_over_voted_tolerance=5)
    return set(found.errors), set(found.warnings)


def test_a_form_that_adds_up_has_no_error_and_no_warning() -> None:
    assert codes(GOOD) == (set(), set())
    assert not check(GOOD, box_over_voted_tolerance=5).quarantined


@pytest.mark.parametrize(("change", "error"), [
    ({"ballots_received": 501}, ResultError.BALLOT_RECONCILIATION),
    ({"ballots_unused": 189}, ResultError.BALLOT_RECONCILIATION),
    ({"invalid": 21, "ballots_in_box": 300}, ResultError.BOX_VS_COUNTED),
    ({"list_votes": {"a": 150, "b": 131}}, ResultError.VALID_VS_VOTES),
    ({"registered": 299}, ResultError.OVER_REGISTERED),
    ({"voted": 294}, ResultError.BOX_OVER_VOTED),
])
def test_each_error_on_its_own(change: dict[str, object], error: ResultError) -> None:
    errors, _ = codes(replace(GOOD, **change))  # type: ignore[arg-type]
    assert errors == {error}
    assert check(replace(GOOD, **change), box_over_voted_tolerance=5).quarantined  # type: ignore[arg-type]


def test_the_box_may_exceed_the_verified_voters_by_the_tolerance_and_no_more() -> None:
    assert codes(replace(GOOD, voted=295))[0] == set()
    assert codes(replace(GOOD, voted=294))[0] == {ResultError.BOX_OVER_VOTED}
    assert codes(replace(GOOD, voted=300))[0] == set()


@pytest.mark.parametrize(("change", "warning"), [
    ({"invalid": 31, "valid": 269, "list_votes": {"a": 150, "b": 119}},
     ResultWarning.HIGH_INVALID_SHARE),
    ({"registered": 300}, ResultWarning.FULL_TURNOUT),
    ({"registered": 320}, ResultWarning.HIGH_TURNOUT),
    ({"voted": 306}, ResultWarning.BALLOTS_MISSING),
    ({"list_votes": {"a": 270, "b": 10}}, ResultWarning.SINGLE_LIST_SHARE),
])
def test_each_warning_on_its_own_and_no_quarantine(change: dict[str, object],
                                                    warning: ResultWarning) -> None:
    form = replace(GOOD, **change)  # type: ignore[arg-type]
    errors, warnings = codes(form)
    assert (errors, warnings) == (set(), {warning})


def test_an_empty_box() -> None:
    empty = FormNumbers(registered=400, voted=0, ballots_received=500, ballots_in_box=0,
                        ballots_spoiled=0, ballots_unused=500, invalid=0, valid=0)
    assert codes(empty) == (set(), {ResultWarning.EMPTY_BOX})


def test_negative_numbers_are_refused() -> None:
    with pytest.raises(ValueError, match="valid"):
        replace(GOOD, valid=-1)
