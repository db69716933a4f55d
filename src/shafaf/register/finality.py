"""The final register cannot change: every write to the register asks here first."""

from __future__ import annotations

from shafaf.core.refusal import Refused
from shafaf.elections.models import Election
from shafaf.register.models import Finalisation


class RegisterRefused(Refused):
    """A step on the register refused (codes worded in shafaf.register.refusals)."""


def refuse_if_final(election: Election | int) -> None:
    """Raise ``RegisterRefused("register_final")`` once the election's register is final."""
    pk = election if isinstance(election, int) else election.pk
    finalised = Finalisation.objects.filter(election_id=pk).values_list("at", flat=True).first()
    if finalised is not None:
        raise RegisterRefused("register_final", day=finalised.date())
