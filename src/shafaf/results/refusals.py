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
