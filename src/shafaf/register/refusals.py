"""How this app's refusals read. Each slice of the register adds its codes here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shafaf.refusals.wording import Explanation, fill, words
from shafaf.register.finality import RegisterRefused

REFUSALS = {
    "register_final": _("The register was finalised on %(day)s: it can no longer change."),
}


def explain(refused: RegisterRefused) -> Explanation:
    wording = REFUSALS.get(refused.code)
    if wording is None:
        return Explanation(code=refused.code, message=refused.code)
    return Explanation(code=refused.code, message=fill(wording, refused.params))


def register() -> None:
    """Tell the refusal helper how this app's refusals read (from ``AppConfig.ready``)."""
    words(RegisterRefused, explain)
