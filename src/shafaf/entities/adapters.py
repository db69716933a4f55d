"""Rows to core values: candidates and lists as the eligibility rules see them."""

from __future__ import annotations

from collections.abc import Iterable

from shafaf.core import eligibility, laws
from shafaf.core.certification import CheckKind, CheckOutcome
from shafaf.core.contest import CandidateId, Component, ListId, Sex
from shafaf.entities.models import Candidate, NominationList


def rules_for(nomination: NominationList) -> eligibility.EligibilityRules:
    law = laws.get(nomination.contest.election.law)
    if law.eligibility is None:
        raise LookupError(f"the law {law.code} states no candidacy rules")
    return law.eligibility


def nominee(candidate: Candidate) -> eligibility.Nominee:
    """The candidate as vetting has found them so far: a check not yet answered is
    neither a conviction nor a refusal."""
    outcomes = {CheckKind(c.kind): CheckOutcome(c.outcome) for c in candidate.checks.all()}
    aj = outcomes.get(CheckKind.ACCOUNTABILITY_AND_JUSTICE)
    return eligibility.Nominee(
        candidate_id=CandidateId(str(candidate.pk)), position=candidate.position,
        sex=Sex(candidate.sex), date_of_birth=candidate.date_of_birth,
        education=eligibility.EducationLevel(candidate.education),
        convicted_of_listed_offence=outcomes.get(CheckKind.CRIMINAL_RECORD) is CheckOutcome.FAILED,
        accountability_and_justice_cleared=None if aj is None else aj is CheckOutcome.CLEARED,
        component=Component(candidate.component) if candidate.component else None)


def nominated_list(nomination: NominationList,
                   candidates: Iterable[Candidate]) -> eligibility.NominatedList:
    return eligibility.NominatedList(
        list_id=ListId(str(nomination.pk)), kind=eligibility.ListKind(nomination.kind),
        nominees=tuple(nominee(c) for c in candidates))
