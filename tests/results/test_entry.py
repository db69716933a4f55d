"""Paper entry's actions: two clerks, the coordinator's four resolutions, the audit
centre; each step audited, a definitive entry recorded and settled."""

from __future__ import annotations

import pytest

from shafaf.access.roles import Role
from shafaf.accounts.models import User
from shafaf.audit.models import AuditEvent
from shafaf.core.result_entry import EntryStep
from shafaf.elections.models import Governorate, PollingStation
from shafaf.entities.models import Candidate, NominationList
from shafaf.results import entry
from shafaf.results.forms import NUMBER_FIELDS, VoteRow
from shafaf.results.models import (
    Entry,
    EntryState,
    FormState,
    Outcome,
    ResultForm,
    Source,
    StationResult,
)
from shafaf.results.refusals import ResultsRefused
from tests.web.conftest import PASSWORD


@pytest.fixture
def people(kirkuk):
    kirkuk_gov = Governorate.objects.get(code="IQ-KI")

    def make(name, role):
        return User.objects.create_user(username=name, password=PASSWORD, role=role,
                                        governorate=kirkuk_gov)
    return {"one": make("clerk1", Role.CLERK), "two": make("clerk2", Role.CLERK),
            "manager": make("manager", Role.OFFICE_MANAGER),
            "admin": User.objects.create_user(username="admin", password=PASSWORD,
                                              role=Role.ADMIN)}


def paper(kirkuk, *, first_list_alone=100, invalid=10):
    """A form that adds up: list 1 alone gets ``first_list_alone``, every candidate 5."""
    votes = []
    for nomination in NominationList.objects.filter(contest=kirkuk).order_by("entity__code"):
        votes.append(VoteRow(nomination_id=nomination.pk, candidate_id=None,
                             votes=first_list_alone if not votes else 20))
        votes += [VoteRow(nomination_id=nomination.pk, candidate_id=c.pk, votes=5)
                  for c in Candidate.objects.filter(nomination=nomination)]
    valid = sum(v.votes for v in votes)
    box = valid + invalid
    numbers = dict(zip(NUMBER_FIELDS, (400, box, box + 50, box, 5, 45, invalid, valid),
                       strict=True))
    return numbers, votes


def station(code="KI0001-01"):
    return PollingStation.objects.get(code=code)


def test_two_identical_entries_become_definitive_and_are_adopted(kirkuk, people):
    numbers, votes = paper(kirkuk)
    task = entry.enter(actor=people["one"], station=station(), source=Source.MANUAL,
                       numbers=numbers, votes=votes)
    assert task.state == EntryState.SECOND_ENTRY
    assert not ResultForm.objects.exists()
    task = entry.enter(actor=people["two"], station=station(), source=Source.MANUAL,
                       numbers=numbers, votes=votes)
    assert task.state == EntryState.DEFINITIVE
    form = ResultForm.objects.get()
    assert (form.source, form.state, form.valid) == (Source.MANUAL, FormState.ACCEPTED,
                                                     numbers["valid"])
    result = StationResult.objects.get(station=station())
    assert (result.outcome, result.adopted_form_id) == (Outcome.ADOPTED, form.pk)
    assert list(AuditEvent.objects.filter(action__startswith="results.entry").order_by(
        "seq").values_list("action", flat=True)) == ["results.entry.enter_first",
                                                     "results.entry.enter_second"]


def test_the_same_clerk_cannot_make_the_second_entry(kirkuk, people):
    numbers, votes = paper(kirkuk)
    entry.enter(actor=people["one"], station=station(), source=Source.MANUAL,
                numbers=numbers, votes=votes)
    with pytest.raises(ResultsRefused) as refused:
        entry.enter(actor=people["one"], station=station(), source=Source.MANUAL,
                    numbers=numbers, votes=votes)
    assert refused.value.code == "entry_same_clerk"
    assert Entry.objects.count() == 1


@pytest.mark.parametrize("step", [EntryStep.KEEP_FIRST, EntryStep.KEEP_SECOND,
                                  EntryStep.CORRECT, EntryStep.DISCARD])
def test_the_coordinator_resolves_entries_that_differ(kirkuk, people, step):
    first, votes = paper(kirkuk, first_list_alone=100)
    second, votes2 = paper(kirkuk, first_list_alone=110)
    corrected, votes3 = paper(kirkuk, first_list_alone=105)
    entry.enter(actor=people["one"], station=station(), source=Source.MANUAL, numbers=first,
                votes=votes)
    task = entry.enter(actor=people["two"], station=station(), source=Source.MANUAL,
                       numbers=second, votes=votes2)
    assert task.state == EntryState.DIFFERENT
    assert not ResultForm.objects.exists()
    with pytest.raises(ResultsRefused) as refused:  # clerks wait for the coordinator
        entry.enter(actor=people["one"], station=station(), source=Source.MANUAL,
                    numbers=first, votes=votes)
    assert refused.value.code == "entry_awaits_coordinator"
    task = entry.resolve(actor=people["manager"], task=task.pk, step=step,
                         numbers=corrected if step == EntryStep.CORRECT else None,
                         votes=votes3 if step == EntryStep.CORRECT else (), reason="checked")
    if step == EntryStep.DISCARD:
        assert task.state == EntryState.FIRST_ENTRY
        assert not ResultForm.objects.exists()
        assert Entry.objects.filter(discarded=False).count() == 0
        # entered twice again, and by the same two clerks in either order
        entry.enter(actor=people["two"], station=station(), source=Source.MANUAL,
                    numbers=first, votes=votes)
        task = entry.enter(actor=people["one"], station=station(), source=Source.MANUAL,
                           numbers=first, votes=votes)
        assert task.state == EntryState.DEFINITIVE
        return
    want = {EntryStep.KEEP_FIRST: first, EntryStep.KEEP_SECOND: second,
            EntryStep.CORRECT: corrected}[step]
    assert task.state == EntryState.DEFINITIVE
    assert ResultForm.objects.get().valid == want["valid"]
    assert StationResult.objects.get().outcome == Outcome.ADOPTED
    assert AuditEvent.objects.filter(action=f"results.entry.{step.value}").count() == 1
    with pytest.raises(ResultsRefused) as refused:
        entry.resolve(actor=people["manager"], task=task.pk, step=EntryStep.DISCARD)
    assert refused.value.code == "entry_definitive"


def test_a_quarantined_form_is_cleared_or_recounted_twice(kirkuk, people):
    numbers, votes = paper(kirkuk)
    numbers["ballots_received"] += 7  # ballot_reconciliation: an error, quarantine
    for clerk in ("one", "two"):
        entry.enter(actor=people[clerk], station=station(), source=Source.MANUAL,
                    numbers=numbers, votes=votes)
    result = StationResult.objects.get()
    assert (result.outcome, result.audit_reason) == (Outcome.AUDIT, "quarantine")
    with pytest.raises(ResultsRefused) as refused:  # a recount nobody asked for
        entry.enter(actor=people["one"], station=station(), source=Source.AUDIT,
                    numbers=numbers, votes=votes)
    assert refused.value.code == "entry_audit_not_ordered"
    entry.order_recount(actor=people["admin"], result=result.pk)
    good, good_votes = paper(kirkuk)
    for clerk in ("one", "two"):
        entry.enter(actor=people[clerk], station=station(), source=Source.AUDIT,
                    numbers=good, votes=good_votes)
    result.refresh_from_db()
    assert result.outcome == Outcome.ADOPTED
    assert result.adopted_form.source == Source.AUDIT


def test_the_audit_centre_clears_a_form_as_it_stands(kirkuk, people):
    numbers, votes = paper(kirkuk)
    numbers["ballots_received"] += 7
    for clerk in ("one", "two"):
        entry.enter(actor=people[clerk], station=station(), source=Source.MANUAL,
                    numbers=numbers, votes=votes)
    form = ResultForm.objects.get()
    with pytest.raises(ResultsRefused):
        entry.clear_form(actor=people["admin"], form=form.pk, reason="  ")
    entry.clear_form(actor=people["admin"], form=form.pk, reason="the tally sheet shows it")
    form.refresh_from_db()
    result = StationResult.objects.get()
    assert form.state == FormState.CLEARED
    assert (result.outcome, result.adopted_form_id) == (Outcome.ADOPTED, form.pk)
    assert AuditEvent.objects.filter(action="results.audit.clear").count() == 1
    with pytest.raises(ResultsRefused) as refused:
        entry.clear_form(actor=people["admin"], form=form.pk, reason="again")
    assert refused.value.code == "audit_not_quarantined"


@pytest.mark.parametrize("bad", [-1, entry.MAX_COUNT + 1])
def test_numbers_out_of_bounds_are_refused(kirkuk, people, bad):
    numbers, votes = paper(kirkuk)
    numbers["invalid"] = bad
    with pytest.raises(ResultsRefused) as refused:
        entry.enter(actor=people["one"], station=station(), source=Source.MANUAL,
                    numbers=numbers, votes=votes)
    assert refused.value.code == "entry_bad_numbers"
    assert not Entry.objects.exists()


def test_an_electronic_form_is_never_typed(kirkuk, people):
    numbers, votes = paper(kirkuk)
    with pytest.raises(ResultsRefused) as refused:
        entry.enter(actor=people["one"], station=station(), source=Source.ELECTRONIC,
                    numbers=numbers, votes=votes)
    assert refused.value.code == "entry_bad_source"
