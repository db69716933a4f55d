"""How this app's refusals read. Each slice of the register adds its codes here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shafaf.refusals.wording import Explanation, fill, words
from shafaf.register.finality import RegisterRefused

REFUSALS = {
    "register_final": _("The register was finalised on %(day)s: it can no longer change."),
    # The update campaign's requests (docs/register-campaign.md)
    "outside_campaign": _("Requests are accepted only during the update campaign, from "
                          "%(opens)s to %(closes)s."),
    "no_campaign": _("This election's calendar has no voter register update phase: no "
                     "request can be made."),
    "birth_date_missing": _("The birth date is required."),
    "under_age": _("The person will be %(age)s on polling day (%(polling_day)s): a voter must "
                   "be at least %(minimum)s."),
    "no_centre": _("Choose a polling centre of this election."),
    "same_centre": _("The voter already votes at this polling centre."),
    "no_proof_of_residence": _("A transfer to another governorate needs proof of residence "
                               "there."),
    "not_special_category": _("Special voting is only for the security forces and the "
                              "displaced in camps."),
    "staff_only": _("Only the commission's staff file the removal of the deceased."),
    "no_evidence_of_death": _("The removal of the deceased needs the evidence of death."),
    "already_rejected": _("This request was rejected: no further step is possible."),
    "already_applied": _("This request was applied: no further step is possible."),
    "step_not_possible": _("This step is not possible on this request now."),
    "reason_required": _("A rejection needs its reason."),
    "approver_verified": _("You verified this request: another person must approve it."),
    "unknown_voter": _("No voter with this number in the register that you may see."),
    "voter_removed": _("This voter has been removed from the register."),
    "too_long": _("A value is too long."),
    "person_incomplete": _("The first, father's and grandfather's names, the mother's name and "
                           "the sex are required."),
    "nothing_to_correct": _("The correction changes nothing: give at least one new value."),
    "no_card_kind": _("Choose the kind of the replacement card."),
    "already_in_category": _("The voter is already in this category."),
    "voter_number_taken": _("The voter number %(number)s is already in the register."),
}


def explain(refused: RegisterRefused) -> Explanation:
    wording = REFUSALS.get(refused.code)
    if wording is None:
        return Explanation(code=refused.code, message=refused.code)
    return Explanation(code=refused.code, message=fill(wording, refused.params))


def register() -> None:
    """Tell the refusal helper how this app's refusals read (from ``AppConfig.ready``)."""
    words(RegisterRefused, explain)
