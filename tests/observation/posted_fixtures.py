"""Published station results and observers' copies of the posted forms, for the tests
of docs/observation-posted-forms.md (API, pages, Chromium, the permission matrix)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from shafaf.elections.models import Contest, Election, PollingStation
from shafaf.entities.models import NominationList
from shafaf.observation.models import FormDefinition, Observer, Submission
from shafaf.results.adoption import station_result
from shafaf.results.models import FormVote, Publication, ResultForm, Source
from shafaf.results.publication import publish
from shafaf.results.settlement import settle

INVALID = 10


def count_station(contest: Contest, code: str, votes: Mapping[str, int]) -> ResultForm:
    """Adopt a hand count for the station: each list's votes (by ballot number) split
    between the list alone and its first candidate, as a posted form adds them."""
    station = PollingStation.objects.get(code=code)
    lists = {str(n.entity.ballot_number): n for n in NominationList.objects.filter(
        contest=contest, component="").select_related("entity")}
    valid = sum(votes.values())
    box = valid + INVALID
    form = ResultForm.objects.create(
        station=station, contest=contest, source=Source.MANUAL,
        registered=station.registered_voters, voted=box, ballots_received=box + 50,
        ballots_in_box=box, ballots_spoiled=5, ballots_unused=45, invalid=INVALID,
        valid=valid)
    rows = []
    for number, count in votes.items():
        nomination = lists[number]
        first = nomination.candidates.order_by("position").first()
        rows.append(FormVote(form=form, nomination=nomination, candidate=None,
                             votes=count // 2))
        rows.append(FormVote(form=form, nomination=nomination, candidate=first,
                             votes=count - count // 2))
    FormVote.objects.bulk_create(rows)
    with transaction.atomic():
        settle(result=station_result(station=station, contest=contest))
    return form


def publish_kirkuk(election: Election, actor: Any, counts: Mapping[str, Mapping[str, int]]
                   ) -> Publication:
    """Count these Kirkuk stations and publish Kirkuk's preliminary results."""
    contest = Contest.objects.get(election=election, governorate__code="IQ-KI")
    for code, votes in counts.items():
        count_station(contest, code, votes)
    return publish(actor=actor, contest=contest, stage="preliminary", lot_seed="posted")


def posted_copy(form: ResultForm, votes: Mapping[str, int], **changes: Any) -> dict[str, Any]:
    """The counting form's answers an observer who copied ``form`` sends."""
    return {"registered": form.registered, "voted": form.voted,
            "ballots_in_box": form.ballots_in_box, "invalid": form.invalid,
            "valid": form.valid, "form_posted": True, "list_votes": dict(votes), **changes}


def counting_report(observer: Observer, code: str, answers: Mapping[str, Any]) -> Submission:
    form = FormDefinition.objects.get(code="counting", version=2, organisation__isnull=True)
    return Submission.objects.create(id=uuid.uuid4(), observer=observer, form=form,
                                     station=PollingStation.objects.get(code=code),
                                     answers=dict(answers))
