"""How this app's refusals read."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shafaf.accounts.actions import OwnAccountError, RoleScopeError
from shafaf.refusals.wording import Explanation, fill, words

REFUSALS = {
    "role_needs_governorate": _("This role works in one governorate: choose it."),
    "role_is_national": _("This role is national: leave the governorate empty."),
    "own_role": _("Nobody may change their own role, governorate or activity: another "
                  "administrator must do it."),
    "own_password": _("Change your own password on the page for it, with your current "
                      "password."),
}


def explain(refused: RoleScopeError | OwnAccountError) -> Explanation:
    return Explanation(code=refused.code, message=fill(REFUSALS[refused.code], refused.params))


def register() -> None:
    """Tell the refusal helper how this app's refusals read (from ``AppConfig.ready``)."""
    words(RoleScopeError, explain)
    words(OwnAccountError, explain)
