"""A site with something on every page: the stations of tests.web.conftest, entities
standing in Kirkuk and Basra (one list of each before the Commission, open to
objection, one under review), a draft list of the first entity, its agent, and a
signed-off draw.

Use them as fixtures: ``from tests.web.site_data import populated``.
"""

from __future__ import annotations

from typing import Any

import pytest

from shafaf.access.roles import Role
from shafaf.core.certification import ListState
from shafaf.entities import synthetic
from shafaf.entities.actions import ceremony
from shafaf.entities.demo import BEACON, hold_ceremony
from shafaf.entities.models import EntityAgent, NominationList


@pytest.fixture
def populated(stations: Any, users: Any) -> Any:
    election = stations
    entities = synthetic.create_entities(election, lists={"IQ-KI": 2, "IQ-BA": 3},
                                         candidates_per_list=4)
    EntityAgent.objects.create(user=users[Role.ENTITY_AGENT], entity=entities[0])
    draw = ceremony.freeze(actor=users[Role.ADMIN], election=election, numbers="1-20",
                           beacon=BEACON)
    draw = hold_ceremony(draw=draw, operator=users[Role.ADMIN], beacon_value="5f0c9a",
                         contributors=[(users[Role.ENTITY_AGENT], "6-2-4"),
                                       (users[Role.OBSERVER], "3")])
    ceremony.sign_off(actor=users[Role.COMMISSIONER], draw=draw)
    # Lists in the states whose pages carry forms: the agent's Basra list is still a
    # draft; Kirkuk's last list is under review, Basra's is submitted.
    lists = NominationList.objects.order_by("pk")
    lists.filter(entity=entities[0], contest__governorate__code="IQ-BA").update(
        status=ListState.DRAFT)
    lists.filter(pk=lists.filter(contest__governorate__code="IQ-KI").last().pk).update(
        status=ListState.UNDER_REVIEW)
    lists.filter(pk=lists.filter(contest__governorate__code="IQ-BA").last().pk).update(
        status=ListState.SUBMITTED)
    return election


@pytest.fixture
def pages_in_states(populated: Any) -> list[str]:
    """The pages of a draft list, of a list under review and of one of its
    candidates: pages a crawl that reads one page of each kind may not reach."""
    draft = NominationList.objects.get(status=ListState.DRAFT)
    review = NominationList.objects.get(status=ListState.UNDER_REVIEW)
    return [f"/staff/nominations/{draft.pk}/", f"/staff/nominations/{review.pk}/",
            f"/staff/candidates/{review.candidates.order_by('position').first().pk}/"]
