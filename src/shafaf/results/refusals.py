"""How results' refusals read. Each part of results adds its codes in its own block."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shafaf.core.refusal import Refused
from shafaf.refusals.wording import Explanation, fill, words


class ResultsRefused(Refused):
    """A step on results refused (codes worded below)."""


REFUSALS = {
    # Shared
    "results_not_counted": _("The law of this election sets no counting rules."),
    # Counting devices and transmissions

    # Paper entry, twice, and the audit centre
    "entry_bad_source": _("Only the hand count, the device's printed tape and the audit "
                          "centre's recount are entered from paper."),
    "entry_bad_numbers": _("Every number on the form must be a whole number from 0 to "
                           "100,000, each list and candidate once."),
    "entry_audit_not_ordered": _("The audit centre has not asked for a recount of this "
                                 "station."),
    "entry_same_clerk": _("You made the first entry of this form: another clerk must make "
                          "the second."),
    "entry_awaits_coordinator": _("The two entries of this form differ: the coordinator "
                                  "resolves them."),
    "entry_definitive": _("This form is already definitive."),
    "entry_wrong_state": _("This step is not possible in the form's present state."),
    "entry_not_yours": _("This step is not yours to take."),
    "entry_no_task": _("There is no such entry."),
    "entry_reason_too_long": _("The reason is too long."),
    "entry_no_station": _("No polling station with this code in your reach."),
    "audit_no_station": _("There is no such station at the audit centre."),
    "audit_reason_needed": _("Give the reason for clearing the form (at most 2,000 "
                             "characters)."),
    "audit_not_quarantined": _("This form is not in quarantine."),
    "audit_not_at_centre": _("This station is not at the audit centre."),

    # Complaints and appeals

    # Tabulation, certification and publication

}


def explain(refused: ResultsRefused) -> Explanation:
    wording = REFUSALS.get(refused.code)
    if wording is None:
        return Explanation(code=refused.code, message=refused.code)
    return Explanation(code=refused.code, message=fill(wording, refused.params))


def register() -> None:
    """Tell the refusal helper how this app's refusals read (from ``AppConfig.ready``)."""
    words(ResultsRefused, explain)
