"""A site with something on every page: the stations of tests.web.conftest, entities
standing in Kirkuk and Basra (one list of each before the Commission, open to
objection), an agent for the first entity, and a signed-off draw.

Use it as a fixture: ``from tests.web.site_data import populated``.
"""

from __future__ import annotations

from typing import Any

import pytest

from shafaf.access.roles import Role
from shafaf.core.certification import ListState
from shafaf.entities import synthetic
from shafaf.entities.actions import ceremony
from shafaf.entities.models import EntityAgent, NominationList


@pytest.fixture
def populated(stations: Any, users: Any) -> Any:
    election = stations
    entities = synthetic.create_entities(election, lists={"IQ-KI": 2, "IQ-BA": 3},
                                         candidates_per_list=4)
    EntityAgent.objects.create(user=users[Role.ENTITY_AGENT], entity=entities[0])
    draw = ceremony.freeze(actor=users[Role.ADMIN], election=election, numbers="1-20")
    draw = ceremony.add_seed_part(actor=users[Role.ADMIN], draw=draw, value="6-2-4",
                                  contributed_by="نرد وكيل الكيان الأول")
    draw = ceremony.run(actor=users[Role.ADMIN], draw=draw)
    ceremony.sign_off(actor=users[Role.COMMISSIONER], draw=draw)
    for code in ("IQ-KI", "IQ-BA"):
        last = NominationList.objects.filter(contest__governorate__code=code).last()
        NominationList.objects.filter(pk=last.pk).update(status=ListState.SUBMITTED)
    return election
