"""The demo's second election: the Kurdistan Region Parliament of 20 October 2024
(``krg-2024``), set up as an administrator would, with the ``create_election``
action, then given a small **synthetic** set of polling centres and stations in its
four constituencies and a few synthetic entities with lists in each."""

from __future__ import annotations

from datetime import date

from shafaf.elections import actions
from shafaf.elections.demo_stations import load_demo_stations
from shafaf.elections.models import Election, ElectionKind, Phase
from shafaf.entities import synthetic
from shafaf.entities.models import Entity

CODE = "krg-2024"
CENTRES, STATIONS = 40, 160
LISTS = {"IQ-AR": 8, "IQ-SU": 8, "IQ-DA": 6, "IQ-HA": 4}
# Polling day and special voting (two days before) as IHEC held them; the other
# phases are left out rather than guessed.
CALENDAR = {Phase.SPECIAL_VOTING.value: (date(2024, 10, 18), date(2024, 10, 18)),
            Phase.GENERAL_VOTING.value: (date(2024, 10, 20), date(2024, 10, 20))}


def create_krg_2024() -> tuple[Election, str]:
    """The election (once), its synthetic stations and entities; returns it and a line
    saying what its stations' import changed."""
    election = Election.objects.filter(code=CODE).first()
    if election is None:
        election = actions.create_election(
            actor=None, code=CODE, kind=ElectionKind.KURDISTAN_PARLIAMENT,
            polling_day=date(2024, 10, 20), law="krg-2024",
            name_ar="انتخابات برلمان إقليم كوردستان 2024",
            name_en="Kurdistan Region Parliament election 2024",
            name_ckb="هەڵبژاردنی پەرلەمانی هەرێمی کوردستان ٢٠٢٤", calendar=CALENDAR)
    stations = load_demo_stations(election=election, progress=False, centre_count=CENTRES,
                                  station_count=STATIONS)
    if not Entity.objects.filter(election=election).exists():
        synthetic.create_entities(election, lists=LISTS, candidates_per_list=10, seed=2024,
                                  numbered=True)
    return election, stations
