"""Fixtures for results: the 2023 election with Kirkuk's stations (3 centres of 4
stations), three lists of four candidates standing there, and forms to adopt."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest

from shafaf.elections import actions
from shafaf.elections.models import Contest, Election, PollingStation
from shafaf.entities.models import Candidate, NominationList
from shafaf.entities.synthetic import create_entities
from shafaf.results.models import FormVote, ResultForm, Source
from tests.web.conftest import _stations_in

FormMaker = Callable[..., ResultForm]


@pytest.fixture
def kirkuk(db) -> Contest:
    """Kirkuk's contest, with its stations and three lists of four candidates."""
    actions.load_governorates(actor=None)
    election: Election = actions.create_council_election_2023(actor=None)
    _stations_in(election, "IQ-KI", 3, 4)
    create_entities(election, lists={"IQ-KI": 3}, candidates_per_list=4)
    return Contest.objects.get(election=election, governorate__code="IQ-KI")


@pytest.fixture
def make_form(kirkuk: Contest) -> FormMaker:
    """A form for a Kirkuk station whose numbers add up: ``votes`` maps (list position
    1-3, candidate position 0-4; 0 is the list alone) to votes."""
    lists = list(NominationList.objects.filter(contest=kirkuk).order_by("entity__code"))

    def make(station: PollingStation, *, votes: Mapping[tuple[int, int], int],
             source: Source = Source.MANUAL, invalid: int = 10) -> ResultForm:
        valid = sum(votes.values())
        box = valid + invalid
        form = ResultForm.objects.create(
            station=station, contest=kirkuk, source=source, registered=station.registered_voters,
            voted=box, ballots_received=box + 50, ballots_in_box=box, ballots_spoiled=5,
            ballots_unused=45, invalid=invalid, valid=valid)
        rows = []
        for (list_pos, cand_pos), count in votes.items():
            nomination = lists[list_pos - 1]
            candidate = (None if cand_pos == 0 else
                         Candidate.objects.get(nomination=nomination, position=cand_pos))
            rows.append(FormVote(form=form, nomination=nomination, candidate=candidate,
                                 votes=count))
        FormVote.objects.bulk_create(rows)
        return form

    return make
