"""How this app's refusals read. Each slice of the register adds its codes here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shafaf.refusals.wording import Explanation, fill, words
from shafaf.register.finality import RegisterRefused

REFUSALS = {
    "register_final": _("The register was finalised on %(day)s: it can no longer change."),
    # The exhibition, objections and the final register (docs/register-exhibition.md)
    "exhibition_not_scheduled": _("The calendar has no exhibition of the register for this "
                                  "election."),
    "outside_exhibition": _("Objections are filed during the exhibition of the register, "
                            "from %(opens)s to %(closes)s."),
    "entry_not_in_register": _("This entry is no longer in the register."),
    "statement_required": _("Say what is wrong with the entry."),
    "duplicate_needs_other_entry": _("A duplicate objection names the other entry of the "
                                     "same person, in the register."),
    "wrong_centre_needs_centre": _("A wrong-centre objection names the right polling centre."),
    "objection_reason_required": _("A decision on an objection needs its reason: it is "
                                   "published."),
    "objection_not_upheld": _("Only an upheld objection is applied to the register."),
    "objection_already_upheld": _("This objection is already upheld."),
    "objection_already_dismissed": _("This objection is already dismissed."),
    "objection_already_applied": _("This objection is already applied to the register."),
    "evidence_too_large": _("The evidence file is larger than %(limit)s KB."),
    "evidence_not_accepted": _("The evidence file must be a PDF, JPEG or PNG file."),
    "evidence_unreadable": _("The evidence file is damaged or cannot be read."),
    "voter_not_identified": _("No voter in the register has this voter number and birth "
                              "year."),
    "exhibition_not_over": _("The register is finalised after the exhibition, which runs "
                             "from %(opens)s to %(closes)s."),
    "objections_undecided": _("Objections not yet decided and applied: %(count)s."),
    # Duplicate detection's review queue.
    "duplicate_decided": _("This group of suspected duplicates has already been decided."),
    "duplicate_keep_unknown": _("Choose the record to keep among the group's records."),
    "duplicate_keep_inactive": _("Voter %(voter)s is no longer active: keep an active record."),
    "duplicate_reason_missing": _("Give the reason why these are different people."),
    "duplicate_reason_long": _("The reason is too long: at most %(limit)s characters."),
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
