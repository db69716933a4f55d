"""The words for the codes the core and the actions return, in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shafaf.core import eligibility
from shafaf.core.certification import (
    CandidateState,
    CheckKind,
    CheckOutcome,
    ExclusionReason,
    ListState,
    StepRefused,
)
from shafaf.core.refusal import Refused
from shafaf.refusals.wording import Detail, Explanation, fill, words

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LIST_STATES = {
    ListState.DRAFT: _("Draft"), ListState.SUBMITTED: _("Submitted"),
    ListState.UNDER_REVIEW: _("Under review"), ListState.CERTIFIED: _("Certified"),
    ListState.REJECTED: _("Rejected"), ListState.WITHDRAWN: _("Withdrawn"),
}
CANDIDATE_STATES = {
    CandidateState.NOMINATED: _("Nominated"), CandidateState.APPROVED: _("Approved"),
    CandidateState.EXCLUDED: _("Excluded"), CandidateState.WITHDRAWN: _("Withdrawn"),
    CandidateState.REPLACED: _("Replaced"),
}
CHECKS = {
    CheckKind.DEGREE: _("Degree verification"),
    CheckKind.CRIMINAL_RECORD: _("Criminal record"),
    CheckKind.ACCOUNTABILITY_AND_JUSTICE: _("Accountability and Justice"),
}
OUTCOMES = {CheckOutcome.CLEARED: _("Cleared"), CheckOutcome.FAILED: _("Failed")}
EDUCATION = {
    eligibility.EducationLevel.NONE: _("None"),
    eligibility.EducationLevel.PRIMARY: _("Primary"),
    eligibility.EducationLevel.INTERMEDIATE: _("Intermediate"),
    eligibility.EducationLevel.SECONDARY: _("Secondary certificate"),
    eligibility.EducationLevel.DIPLOMA: _("Diploma"),
    eligibility.EducationLevel.BACHELOR: _("Bachelor's degree"),
    eligibility.EducationLevel.MASTER: _("Master's degree"),
    eligibility.EducationLevel.DOCTORATE: _("Doctorate"),
}
V = eligibility.ViolationCode
REASONS: dict[str, StrOrPromise] = {
    ExclusionReason.DEGREE_NOT_VERIFIED: _("The degree could not be verified"),
    ExclusionReason.CONVICTED: _("Convicted of an offence the law lists"),
    ExclusionReason.NOT_CLEARED_BY_ACCOUNTABILITY_AND_JUSTICE:
        _("Not cleared by the Accountability and Justice Commission"),
    ExclusionReason.OBJECTION_UPHELD: _("An objection was upheld"),
    ExclusionReason.OTHER: _("Another reason (see the note)"),
    V.EMPTY_LIST: _("The list has no candidates"),
    V.LIST_TOO_LONG: _("The list has %(found)s candidates; at most %(maximum)s are allowed"),
    V.COMPONENT_CANDIDACY_NOT_INDIVIDUAL: _("A component candidacy is individual: one candidate"),
    V.INDIVIDUAL_CANDIDACY_NOT_SINGLE: _("An individual candidacy has exactly one candidate"),
    V.POSITIONS_NOT_CONSECUTIVE: _("Positions must run 1, 2, 3, … without a gap"),
    V.WOMEN_SHARE_BELOW_MINIMUM: _("At least a quarter of the list must be women"),
    V.DIPLOMA_SHARE_EXCEEDED: _("Too many candidates hold a diploma instead of a degree"),
    V.DUPLICATE_POSITION: _("Two candidates share this position"),
    V.WOMAN_MISSING_AFTER_MEN: _("A woman must follow every three men in the list order"),
    V.UNDER_MINIMUM_AGE: _("Under the minimum age"),
    V.EDUCATION_BELOW_REQUIRED: _("Education below what the law requires"),
    V.CONVICTED_OF_LISTED_OFFENCE: _("Convicted of an offence the law lists"),
    V.NOT_CLEARED_BY_ACCOUNTABILITY_AND_JUSTICE:
        _("Not cleared by the Accountability and Justice Commission"),
    V.COMPONENT_NOT_GIVEN: _("A component candidate must name the component"),
    V.COMPONENT_ON_GENERAL_LIST: _("A general list cannot hold a component candidate"),
}
# A broken rule as a list or a candidate breaks it, with the figures its reader
# needs to fix it; REASONS names the rule alone (an exclusion's reason, a choice).
VIOLATIONS: dict[str, StrOrPromise] = {
    V.POSITIONS_NOT_CONSECUTIVE: _("Positions must run 1, 2, 3, … without a gap: "
                                   "%(first_missing)s is missing"),
    V.WOMEN_SHARE_BELOW_MINIMUM: _("At least a quarter of the list must be women: "
                                   "%(found)s of %(nominees)s, where %(required)s are "
                                   "required"),
    V.DIPLOMA_SHARE_EXCEEDED: _("Too many candidates hold a diploma instead of a degree: "
                                "%(found)s of %(nominees)s, where at most %(allowed)s are "
                                "allowed"),
    V.WOMAN_MISSING_AFTER_MEN: _("A woman must follow every three men in the list order: "
                                 "%(found)s men in a row from position %(from_position)s"),
    V.UNDER_MINIMUM_AGE: _("Under the minimum age of %(required)s: born %(born)s"),
    V.EDUCATION_BELOW_REQUIRED: _("Education below what the law requires: %(found)s, "
                                  "where %(required)s is required"),
}
REFUSALS = {
    "contest_of_another_election": _("That governorate's contest belongs to another election."),
    "no_component_seat_here": _("This governorate has no seat for that component."),
    "list_exists": _("The entity already has this list."),
    "list_not_draft": _("The list has been submitted and can no longer be edited."),
    "position_taken": _("Another candidate already holds position %(position)s."),
    "list_breaks_rules": _("The list breaks the rules below and stays a draft."),
    "list_not_in_review": _("This step is possible only while the list is submitted or "
                            "under review."),
    "substitution_deadline_passed": _("The deadline for substitutions passed on "
                                      "%(deadline)s."),
    "substitution_breaks_rules": _("The substitution would break the rules below."),
    "list_not_under_review": _("Start the review of the list first."),
    "reason_required": _("Give a reason."),
    "note_required": _("Write a note for the other reason."),
    "document_required": _("Give the reference of the document."),
    "checks_outstanding": _("Not every external check has answered yet."),
    "checks_failed": _("An external check failed: exclude the candidate instead."),
    "candidate_breaks_rules": _("The candidate breaks the rules below."),
    "objection_pending": _("An objection to this candidate is still pending."),
    "candidates_undecided": _("Every candidate must be approved, excluded or withdrawn, and "
                              "at least one approved."),
    "own_candidate": _("An entity cannot object to its own candidate."),
    "grounds_required": _("State the grounds."),
    "already_decided": _("This has already been decided."),
    "step_not_possible": _("This step is not possible in the current state: %(state)s."),
    "not_excluded": _("Only an excluded candidate can be appealed for."),
    "appeal_pending": _("An appeal for this candidate is already pending."),
    "arabic_name_required": _("The Arabic name is required."),
    "code_taken": _("Another entity of this election has the code %(entity_code)s."),
    "only_parties_join_alliances": _("Only a party can join an alliance."),
    "not_an_alliance_of_this_election": _("Choose an alliance of the same election."),
    "not_an_agent": _("%(username)s does not have the entity agent role."),
    "logo_too_large": _("The logo is larger than %(limit)s KB."),
    "logo_not_an_image": _("The logo must be a PNG or JPEG image."),
    "logo_too_many_pixels": _("The logo is %(width)s × %(height)s pixels: at most "
                              "%(limit)s million pixels are accepted."),
    "logo_unreadable": _("The logo cannot be read to its end: the file is damaged, "
                         "incomplete or not the picture it claims to be."),
}

CEREMONY_REFUSALS: dict[str, StrOrPromise] = {
    "no_participants": _(
        "There is nobody to draw for: no approved entity of this election has a "
        "certified list yet."),
    "bad_pool": _(
        "The numbers are not valid: write ranges such as 201-399, 401-500 and excluded "
        "numbers such as 256, 300."),
    "pool_too_small": _(
        "The pool holds %(size)s numbers for %(participants)s participants: widen the "
        "ranges."),
    "bad_beacon": _("Describe the beacon on one line, in at most %(limit)s "
                    "characters."),
    "live_draw_exists": _(
        "This election already has a draw. A new one can only be started by a "
        "correction from the Board of Commissioners."),
    "beacon_required": _(
        "Announce the public randomness beacon's round now (for example a named beacon's "
        "pulse at a stated time after the reveals close): the draw needs it."),
    "beacon_reused": _(
        "Announce a new beacon round for the new draw: the old round's value is already "
        "known."),
    "frozen_before_commitments": _(
        "This draw was frozen before seed parts were committed: its parts were entered in "
        "the clear. The Board of Commissioners corrects it, with a new beacon round."),
    "commitments_sealed": _(
        "The commitments are sealed: no part of the seed can be committed any more."),
    "already_committed": _("You have already committed to a part of this seed."),
    "too_many_parts": _("A seed has at most %(limit)s parts."),
    "bad_commitment": _(
        "A commitment is a SHA-256 hash: 64 hexadecimal characters."),
    "no_commitments": _("Nobody has committed to a part of the seed yet."),
    "not_sealed": _("The commitments must be sealed first."),
    "no_commitment": _("You have not committed to a part of this seed."),
    "already_revealed": _("You have already revealed your part."),
    "reveals_closed": _(
        "The reveals are closed: a part not revealed is left out as withheld."),
    "reveals_open": _("The reveals must be closed first."),
    "seed_part": _("Enter the part of the seed, on one line."),
    "seed_part_too_long": _("A part of the seed has at most %(limit)s "
                             "characters."),
    "seed_part_characters": _(
        "A part of the seed holds letters, digits and signs only: no control or "
        "direction characters."),
    "nonce": _("Enter the secret you kept when you committed, on one line."),
    "nonce_too_long": _("The secret has at most %(limit)s characters."),
    "nonce_too_short": _("The secret has at least %(limit)s characters."),
    "reveal_does_not_match": _(
        "This part and secret do not give your commitment: check both and try again."),
    "beacon_value_recorded": _("The beacon's value is already recorded."),
    "beacon_value": _("Enter the beacon's value, on one line."),
    "beacon_value_too_long": _("The beacon's value has at most %(limit)s "
                                "characters."),
    "no_beacon_value": _("Record the value of the announced beacon first."),
    "signer_ran_the_draw": _(
        "You ran this draw: another member of the Board of Commissioners must sign it "
        "off."),
    "already_drawn": _(
        "This draw has already been run. A draw is never run again: only the Board of "
        "Commissioners can set it aside, by a correction."),
    "participants_changed": _("The participants no longer match their "
                               "published hash."),
    "not_drawn": _("The draw has not been run yet."),
    "already_published": _("This draw is already signed off and published."),
    "unknown_participant": _("The participant %(participant)s is no longer an "
                              "entity of this election."),
    "reason_required": _("Give the reason for the correction: it is published."),
    "reason_too_long": _("The reason has at most %(limit)s characters."),
    "already_superseded": _("This draw has already been set aside by a "
                             "correction."),
    "main_draw_not_published": _(
        "A supplementary draw follows the election's draw: that draw must be signed off "
        "and published first."),
    "supplementary_draw_open": _(
        "A supplementary draw is already under way: it must be signed off or corrected "
        "first."),
    "nobody_awaits_a_number": _(
        "No entity with a list certified in this governorate is waiting for a number."),
    "number_taken": _("The number %(number)s is already another entity's."),
}


def violation_text(violation: eligibility.Violation) -> str:
    # An education level reads as its name ("Bachelor's degree"), a figure as itself.
    figures = {name: EDUCATION.get(value, value)  # type: ignore[call-overload]
               for name, value in violation.details.items()}
    text = fill(VIOLATIONS.get(violation.code, REASONS[violation.code]), figures)
    if violation.position is not None:
        return gettext("Position %(position)d: %(problem)s") % {
            "position": violation.position, "problem": text}
    return text


def refusal_text(code: str, params: Mapping[str, object]) -> str:
    return fill(REFUSALS.get(code, code), params)


def reason_text(code: str) -> str:
    return str(REASONS.get(code, code))


def explain_nomination(refused: Refused) -> Explanation:
    """A nomination, certification or registration refusal, with the rules it breaks."""
    return Explanation(
        code=refused.code, message=refusal_text(refused.code, refused.params),
        details=tuple(Detail(message=violation_text(v), code=v.code.value, position=v.position)
                      for v in getattr(refused, "violations", ())))


def explain_step(refused: StepRefused) -> Explanation:
    """A step the certification table does not allow from the current state."""
    state = LIST_STATES.get(refused.state) if isinstance(refused.state, ListState) else (
        CANDIDATE_STATES.get(refused.state) if isinstance(refused.state, CandidateState)
        else None)
    return Explanation(code=refused.code, message=fill(REFUSALS["step_not_possible"], {
        "state": state or refused.state.value}))


def explain_ceremony(refused: Refused) -> Explanation:
    text = CEREMONY_REFUSALS.get(refused.code)
    if text is None:
        return Explanation(code=refused.code, message=gettext(
            "This step was refused (%(code)s).") % {"code": refused.code})
    return Explanation(code=refused.code, message=fill(text, refused.params))


def register() -> None:
    """Tell the refusal helper how this app's refusals read (from ``AppConfig.ready``)."""
    from shafaf.entities.actions.ceremony import CeremonyRefused
    from shafaf.entities.actions.nominations import NominationRefused
    from shafaf.entities.actions.registration import RegistrationRefused
    from shafaf.entities.ballots import BallotUnavailable
    from shafaf.entities.logos import LogoRefused

    words(NominationRefused, explain_nomination)
    words(RegistrationRefused, explain_nomination)
    words(LogoRefused, explain_nomination)
    words(CeremonyRefused, explain_ceremony)
    # A ballot that cannot be given words itself, in the active language.
    words(BallotUnavailable, lambda unavailable: Explanation(code=unavailable.code,
                                                             message=str(unavailable)))
    words(StepRefused, explain_step)
