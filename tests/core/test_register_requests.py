"""The update campaign's requests (shafaf.core.register_requests): what may be
submitted when, and the one way a request goes from submitted to applied."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shafaf.core.register_requests import (
    REQUEST_STEPS,
    STEP_ACTORS,
    Actor,
    CampaignWindow,
    RequestDetails,
    RequestKind,
    RequestRefused,
    RequestState,
    RequestStep,
    StepFacts,
    VoterCategory,
    age_on,
    check_submission,
    next_state,
    refusal,
    steps_from,
    submission_refusal,
)

CAMPAIGN = CampaignWindow(date(2023, 7, 9), date(2023, 8, 7))
POLLING_DAY = date(2023, 12, 18)
IN_CAMPAIGN = date(2023, 7, 20)
EVERYONE = frozenset(Actor)


def submit(details: RequestDetails, *, today: date = IN_CAMPAIGN) -> RequestRefused | None:
    return submission_refusal(details, campaign=CAMPAIGN, today=today, polling_day=POLLING_DAY)


def new_registration(birth: date) -> RequestDetails:
    return RequestDetails(kind=RequestKind.NEW_REGISTRATION, birth_date=birth)


# The campaign window.

@pytest.mark.parametrize("today", [date(2023, 7, 8), date(2023, 8, 8), date(2024, 1, 1)])
def test_a_request_outside_the_campaign_is_refused_naming_its_dates(today):
    refused = submit(RequestDetails(kind=RequestKind.CORRECTION), today=today)
    assert refused is not None
    assert refused.code == "outside_campaign"
    assert refused.params == {"opens": date(2023, 7, 9), "closes": date(2023, 8, 7)}


@pytest.mark.parametrize("today", [date(2023, 7, 9), date(2023, 8, 7)])
def test_the_campaign_s_first_and_last_days_are_open(today):
    assert submit(RequestDetails(kind=RequestKind.CORRECTION), today=today) is None


def test_a_campaign_cannot_close_before_it_opens():
    with pytest.raises(ValueError, match="close"):
        CampaignWindow(date(2023, 8, 7), date(2023, 7, 9))


def test_check_submission_raises_the_refusal():
    with pytest.raises(RequestRefused) as refused:
        check_submission(RequestDetails(kind=RequestKind.CORRECTION), campaign=CAMPAIGN,
                         today=date(2023, 9, 1), polling_day=POLLING_DAY)
    assert refused.value.code == "outside_campaign"


# New registration: 18 by polling day.

def test_a_person_18_on_polling_day_may_register():
    assert submit(new_registration(date(2005, 12, 18))) is None
    assert submit(new_registration(date(2005, 1, 1))) is None


def test_a_person_18_only_the_day_after_polling_day_is_refused():
    refused = submit(new_registration(date(2005, 12, 19)))
    assert refused is not None
    assert refused.code == "under_age"
    assert refused.params == {"age": 17, "minimum": 18, "polling_day": POLLING_DAY}


def test_a_new_registration_needs_a_birth_date():
    refused = submit(RequestDetails(kind=RequestKind.NEW_REGISTRATION))
    assert refused is not None
    assert refused.code == "birth_date_missing"


def test_a_29_february_birthday_falls_on_1_march_in_a_common_year():
    born = date(2008, 2, 29)
    assert age_on(born, date(2026, 2, 28)) == 17
    assert age_on(born, date(2026, 3, 1)) == 18
    assert age_on(born, date(2028, 2, 29)) == 20
    leap_polling_day = date(2026, 2, 28)
    refused = submission_refusal(new_registration(born), campaign=CampaignWindow(
        date(2025, 7, 1), date(2025, 8, 1)), today=date(2025, 7, 2), polling_day=leap_polling_day)
    assert refused is not None
    assert refused.code == "under_age"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2000, 12, 31)),
       st.integers(1, 100))
def test_age_turns_on_the_birthday_and_not_the_day_before(born, years):
    try:
        birthday = born.replace(year=born.year + years)
    except ValueError:  # 29 February in a common year
        birthday = date(born.year + years, 3, 1)
    assert age_on(born, birthday) == years
    assert age_on(born, birthday - timedelta(days=1)) == years - 1


# Transfer of polling centre.

def transfer(**changes: object) -> RequestDetails:
    base: dict[str, object] = {"kind": RequestKind.TRANSFER, "from_centre": "110101",
                               "to_centre": "110204", "from_governorate": "BGD",
                               "to_governorate": "BGD"}
    return RequestDetails(**{**base, **changes})  # type: ignore[arg-type]


def test_a_transfer_within_the_governorate_needs_no_proof():
    assert submit(transfer()) is None


def test_a_transfer_to_another_governorate_needs_proof_of_residence():
    refused = submit(transfer(to_centre="210101", to_governorate="BSR"))
    assert refused is not None
    assert (refused.code, refused.params["governorate"]) == ("no_proof_of_residence", "BSR")
    assert submit(transfer(to_centre="210101", to_governorate="BSR",
                           proof_of_residence=True)) is None


def test_a_transfer_to_the_same_centre_or_to_none_is_refused():
    refused = submit(transfer(to_centre="110101"))
    assert refused is not None
    assert refused.code == "same_centre"
    refused = submit(transfer(to_centre=""))
    assert refused is not None
    assert refused.code == "no_centre"


# Special voting and the deceased.

@pytest.mark.parametrize("category", [VoterCategory.SECURITY_FORCES, VoterCategory.DISPLACED])
def test_special_voting_is_for_security_forces_and_displaced(category):
    assert submit(RequestDetails(kind=RequestKind.SPECIAL_VOTING, category=category)) is None


def test_a_general_voter_cannot_register_for_special_voting():
    refused = submit(RequestDetails(kind=RequestKind.SPECIAL_VOTING))
    assert refused is not None
    assert refused.code == "not_special_category"


def test_the_removal_of_the_deceased_is_filed_by_staff_with_evidence():
    removal = RequestKind.REMOVAL_OF_DECEASED
    refused = submit(RequestDetails(kind=removal, evidence_of_death=True))
    assert refused is not None
    assert refused.code == "staff_only"
    refused = submit(RequestDetails(kind=removal, filed_by_staff=True))
    assert refused is not None
    assert refused.code == "no_evidence_of_death"
    assert submit(RequestDetails(kind=removal, filed_by_staff=True,
                                 evidence_of_death=True)) is None


def test_a_replacement_card_and_a_correction_need_only_the_window():
    assert submit(RequestDetails(kind=RequestKind.REPLACEMENT_CARD)) is None
    assert submit(RequestDetails(kind=RequestKind.CORRECTION)) is None


# The state table.

def test_a_request_goes_submitted_verified_approved_applied():
    state = RequestState.SUBMITTED
    state = next_state(state, RequestStep.VERIFY, StepFacts())
    assert state is RequestState.VERIFIED
    state = next_state(state, RequestStep.APPROVE, StepFacts())
    assert state is RequestState.APPROVED
    assert next_state(state, RequestStep.APPLY, StepFacts()) is RequestState.APPLIED


@pytest.mark.parametrize("state", [RequestState.SUBMITTED, RequestState.VERIFIED])
def test_a_rejection_needs_a_reason(state):
    with pytest.raises(RequestRefused) as refused:
        next_state(state, RequestStep.REJECT, StepFacts(reason="  "))
    assert refused.value.code == "reason_required"
    reason = StepFacts(reason="no proof of residence")
    assert next_state(state, RequestStep.REJECT, reason) is RequestState.REJECTED


def test_an_unverified_request_cannot_be_approved_or_applied():
    for step in (RequestStep.APPROVE, RequestStep.APPLY):
        with pytest.raises(RequestRefused) as refused:
            next_state(RequestState.SUBMITTED, step, StepFacts())
        assert refused.value.code == "step_not_possible"
        assert refused.value.params == {"state": "submitted", "step": step.value}


def test_a_rejected_or_applied_request_takes_no_further_step():
    for state in (RequestState.REJECTED, RequestState.APPLIED):
        for step in RequestStep:
            assert refusal(state, step, StepFacts(reason="x")) == f"already_{state.value}"
        assert steps_from(state, EVERYONE, StepFacts()) == ()


def test_whoever_verified_a_request_cannot_approve_it():
    assert refusal(RequestState.VERIFIED, RequestStep.APPROVE,
                   StepFacts(verified_it=True)) == "approver_verified"
    assert steps_from(RequestState.VERIFIED, EVERYONE, StepFacts(verified_it=True)) == (
        RequestStep.REJECT,)


def test_nothing_moves_once_the_register_is_final():
    final = StepFacts(reason="x", register_final=True)
    for (state, step) in REQUEST_STEPS:
        assert refusal(state, step, final) == "register_final"
        assert steps_from(state, EVERYONE, final) == ()


def test_the_clerk_verifies_and_the_manager_decides():
    assert steps_from("submitted", {Actor.CLERK}, StepFacts()) == (RequestStep.VERIFY,)
    assert steps_from("submitted", {Actor.MANAGER}, StepFacts()) == (RequestStep.REJECT,)
    assert steps_from("verified", {Actor.CLERK}, StepFacts()) == ()
    assert steps_from("verified", {Actor.MANAGER}, StepFacts()) == (
        RequestStep.APPROVE, RequestStep.REJECT)
    assert steps_from("approved", {Actor.MANAGER}, StepFacts()) == (RequestStep.APPLY,)


def test_every_step_has_an_actor_and_every_state_is_reachable():
    assert set(STEP_ACTORS) == set(RequestStep)
    reached = {RequestState.SUBMITTED} | set(REQUEST_STEPS.values())
    assert reached == set(RequestState)


@given(st.lists(st.tuples(st.sampled_from(RequestStep), st.booleans(), st.booleans()),
                max_size=8))
def test_any_sequence_of_steps_follows_the_table_and_ends_in_applied_only_after_approval(
        steps):
    state = RequestState.SUBMITTED
    seen = [state]
    for step, with_reason, verified_it in steps:
        facts = StepFacts(reason="reason" if with_reason else "", verified_it=verified_it)
        offered = step in steps_from(state, EVERYONE, facts)
        code = refusal(state, step, facts)
        if code is not None:
            with pytest.raises(RequestRefused, match=code):
                next_state(state, step, facts)
            # A rejection is offered before its reason is typed.
            assert not offered or step is RequestStep.REJECT
            continue
        after = next_state(state, step, facts)
        assert REQUEST_STEPS[state, step] is after
        state = after
        seen.append(state)
    if RequestState.APPLIED in seen:
        assert seen[:4] == [RequestState.SUBMITTED, RequestState.VERIFIED,
                            RequestState.APPROVED, RequestState.APPLIED]
    assert not ({RequestState.APPLIED, RequestState.REJECTED} <= set(seen))
