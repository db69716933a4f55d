"""How this app's refusals read."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shafaf.accounts.actions import RoleScopeError
from shafaf.refusals.wording import Explanation, fill, words

REFUSALS = {
    "role_needs_governorate": _("This role works in one governorate: choose it."),
    "role_is_national": _("This role is national: leave the governorate empty."),
}


def explain(refused: RoleScopeError) -> Explanation:
    return Explanation(code=refused.code, message=fill(REFUSALS[refused.code], refused.params))


def register() -> None:
    """Tell the refusal helper how this app's refusals read (from ``AppConfig.ready``)."""
    words(RoleScopeError, explain)
