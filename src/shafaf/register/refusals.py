"""How this app's refusals read. Each slice of the register adds its codes here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shafaf.refusals.wording import Explanation, fill, words
from shafaf.register.finality import RegisterRefused

REFUSALS = {
    "register_final": _("The register was finalised on %(day)s: it can no longer change."),
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
