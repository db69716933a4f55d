"""How accreditation's refusals read (docs/observation-accreditation.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shafaf.core.refusal import Refused
from shafaf.refusals.wording import Explanation, fill, words


class AccreditationRefused(Refused):
    """A step of accreditation refused (codes worded below)."""


REFUSALS = {
    "organisation_not_applied": _("This organisation was already decided."),
    "organisation_not_approved": _("The organisation is not approved."),
    "reason_needed": _("Give the reason (at most %(limit)s characters)."),
    "already_coordinator": _("You already act for an organisation."),
    "agents_already_registered": _("Your entity's party agents are already registered."),
    "no_entity": _("Your account is not linked to an entity."),
    "observer_invalid": _("The observer cannot be added: %(problems)s"),
    "observer_not_submitted": _("This observer was already decided."),
    "observer_not_accredited": _("This observer is not accredited."),
    "checks_failed": _("%(name)s did not pass the automatic checks: refuse with the reason."),
    "photo_unusable": _("The photo cannot be used: a PNG or JPEG picture of at most "
                        "%(limit)s KB."),
    "conduct_not_accepted": _("The code of conduct is not accepted yet."),
    "nothing_selected": _("Select at least one observer."),
}


def explain(refused: AccreditationRefused) -> Explanation:
    text = REFUSALS.get(refused.code)
    message = fill(text, refused.params) if text is not None else refused.code
    return Explanation(code=refused.code, message=message)


words(AccreditationRefused, explain)
