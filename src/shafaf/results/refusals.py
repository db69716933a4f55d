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

    # Complaints and appeals
    "complaint_statement_required": _("Say what happened at the station or the centre."),
    "complaint_no_stations": _("This polling centre has no stations to complain about."),
    "complaint_before_polling": _("Complaints on the count are filed from polling day, "
                                  "%(opens)s."),
    "complaint_period_over": _("Complaints on this count were filed from %(opens)s to "
                               "%(closes)s: the period is over."),
    "complaint_step_not_allowed": _("This step cannot be taken on the complaint where it "
                                    "stands now."),
    "complaint_reason_required": _("Give the reason: it is published with the decision."),
    "appeal_period_over": _("The Board decided on %(decided)s; appeals were lodged until "
                            "%(closes)s: the period is over."),
    "panel_order_only_on_dismissal": _("The Panel's own order (a recount, a cancellation) "
                                       "goes only with a ruling that overturns a dismissal."),
    "candidate_not_in_contest": _("This candidate does not stand in this governorate's "
                                  "contest."),
    "candidate_already_disqualified": _("This candidate is already disqualified."),

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
