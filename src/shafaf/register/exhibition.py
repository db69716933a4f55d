"""Reads for the exhibition of the preliminary register (docs/register-exhibition.md):
its window in the calendar, and entries as the public pages show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from shafaf.core.register_objections import (
    ExhibitionWindow,
    Timing,
    initial,
    masked_voter_number,
    timing,
)
from shafaf.elections.models import CalendarPhase, Election, Phase
from shafaf.register.models import Finalisation, Status, Voter


def window(election: Election) -> ExhibitionWindow | None:
    """The exhibition phase's dates, or None when the calendar has none."""
    row = CalendarPhase.objects.filter(election=election,
                                       phase=Phase.REGISTER_EXHIBITION).first()
    return ExhibitionWindow(row.starts, row.ends) if row is not None else None


def finalisation(election: Election) -> Finalisation | None:
    return Finalisation.objects.filter(election=election).first()


def current_timing(election: Election, today: date | None = None) -> Timing:
    return timing(window(election), today or timezone.localdate(),
                  final=Finalisation.objects.filter(election=election).exists())


def exhibited_election() -> Election | None:
    """The election whose register is on display, or was last: the one with the latest
    exhibition phase in its calendar."""
    row = (CalendarPhase.objects.filter(phase=Phase.REGISTER_EXHIBITION)
           .select_related("election").order_by("-starts").first())
    return row.election if row is not None else None


@dataclass(frozen=True)
class ShownEntry:
    """An entry as the public pages show it: no mother's name, no birth date but its
    year, the grandfather's and family names as initials, the number masked."""

    entry: int
    number: str
    first_name: str
    father_name: str
    grandfather_initial: str
    family_initial: str
    sex: str
    birth_year: int


SHOWN_FIELDS = ("pk", "voter_number", "first_name", "father_name", "grandfather_name",
                "family_name", "sex", "birth_date")


def shown(voters: QuerySet[Voter]) -> list[ShownEntry]:
    """``voters`` as shown in public (only the fields the page uses are read)."""
    return [ShownEntry(entry=pk, number=masked_voter_number(number), first_name=first,
                       father_name=father, grandfather_initial=initial(grandfather),
                       family_initial=initial(family), sex=sex, birth_year=born.year)
            for pk, number, first, father, grandfather, family, sex, born
            in voters.values_list(*SHOWN_FIELDS)]


def in_register(election: Election) -> QuerySet[Voter]:
    """The election's voters in the register (removed ones are not)."""
    return Voter.objects.filter(centre__election=election, status=Status.ACTIVE)


def identify(election: Election, voter_number: str, birth_year: int) -> Voter | None:
    """The voter of ``voter_number`` born in ``birth_year``, in the register, or None."""
    voter = in_register(election).filter(voter_number=voter_number.strip()).first()
    if voter is None or voter.birth_date.year != birth_year:
        return None
    return voter
