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
    "objections_undecided": _("%(count)s objections are not yet decided and applied."),
    # Duplicate detection's review queue.
    "duplicate_decided": _("This group of suspected duplicates has already been decided."),
    "duplicate_keep_unknown": _("Choose the record to keep among the group's records."),
    "duplicate_keep_inactive": _("Voter %(voter)s is no longer active: keep an active record."),
    "duplicate_reason_missing": _("Give the reason why these are different people."),
    "duplicate_reason_long": _("The reason is too long: at most %(limit)s characters."),
}


def explain(refused: RegisterRefused) -> Explanation:
    wording = REFUSALS.get(refused.code)
    if wording is None:
        return Explanation(code=refused.code, message=refused.code)
    return Explanation(code=refused.code, message=fill(wording, refused.params))


def register() -> None:
    """Tell the refusal helper how this app's refusals read (from ``AppConfig.ready``)."""
    words(RegisterRefused, explain)
