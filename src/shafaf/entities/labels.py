"""The words for the codes the core and the actions return, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shafaf.core import eligibility
from shafaf.core.certification import (
    CandidateState,
    CheckKind,
    CheckOutcome,
    ExclusionReason,
    ListState,
)

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
REASONS: dict[str, Any] = {
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
REFUSALS = {
    "contest_of_another_election": _("That governorate's contest belongs to another election."),
    "no_component_seat_here": _("This governorate has no seat for that component."),
    "list_exists": _("The entity already has this list."),
    "list_not_draft": _("The list has been submitted and can no longer be edited."),
    "position_taken": _("Another candidate already holds this position."),
    "list_breaks_rules": _("The list breaks the rules below and stays a draft."),
    "list_not_in_review": _("This step is possible only while the list is submitted or "
                            "under review."),
    "substitution_deadline_passed": _("The deadline for substitutions has passed."),
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
    "step_not_possible": _("This step is not possible in the current state."),
    "not_excluded": _("Only an excluded candidate can be appealed for."),
    "appeal_pending": _("An appeal for this candidate is already pending."),
    "arabic_name_required": _("The Arabic name is required."),
    "code_taken": _("Another entity of this election has that code."),
    "only_parties_join_alliances": _("Only a party can join an alliance."),
    "not_an_alliance_of_this_election": _("Choose an alliance of the same election."),
    "not_an_agent": _("That user does not have the entity agent role."),
    "logo_too_large": _("The logo is larger than %(limit)s KB."),
    "logo_not_an_image": _("The logo must be a PNG or JPEG image."),
}


def violation_text(violation: eligibility.Violation) -> str:
    text = str(REASONS[violation.code])
    if "%(" in text:
        text = text % dict(violation.details)
    if violation.position is not None:
        return gettext("Position %(position)d: %(problem)s") % {
            "position": violation.position, "problem": text}
    return text


def refusal_text(code: str, details: dict[str, Any]) -> str:
    text = str(REFUSALS.get(code, code))
    return text % details if "%(" in text else text


def reason_text(code: str) -> str:
    return str(REASONS.get(code, code))
