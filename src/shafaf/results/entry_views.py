"""Paper entry's pages (docs/results-entry.md): the clerk's entry form, the
coordinator's list of differences and each task side by side, the audit centre, and a
station's results page. Clerks and coordinators see only their governorate: anything
else is a 404."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from shafaf.access.checks import can, capability_required, governorate_scope
from shafaf.access.people import Account
from shafaf.access.roles import Capability
from shafaf.core import result_entry as table
from shafaf.elections.models import Component, Contest, PollingStation
from shafaf.entities.models import Candidate, NominationList
from shafaf.refusals.pages import Outcome as StepOutcome
from shafaf.refusals.pages import form_lines, run
from shafaf.results import entry
from shafaf.results.forms import NUMBER_FIELDS, VoteRow
from shafaf.results.models import (
    Entry,
    EntryKind,
    EntryState,
    EntryTask,
    FormState,
    FormVote,
    Outcome,
    ResultForm,
    Source,
    StationResult,
)

PAGE = 200

# How the checks' codes read (shafaf.core.result_checks; docs/results.md).
CHECK_WORDS = {
    "ballot_reconciliation": gettext_lazy(
        "Ballots received differ from those in the box, spoiled and unused together."),
    "box_vs_counted": gettext_lazy("Ballots in the box differ from valid and invalid together."),
    "valid_vs_votes": gettext_lazy("Valid ballots differ from the sum of the votes."),
    "over_registered": gettext_lazy("More ballots in the box than registered voters."),
    "box_over_voted": gettext_lazy(
        "More ballots in the box than voters the device verified, beyond the tolerance."),
    "high_invalid_share": gettext_lazy(
        "More than 10 per cent of the ballots in the box are invalid."),
    "full_turnout": gettext_lazy("Every registered voter voted."),
    "high_turnout": gettext_lazy("More than 90 per cent of the registered voters voted."),
    "ballots_missing": gettext_lazy(
        "Fewer ballots in the box than voters verified, beyond the tolerance."),
    "empty_box": gettext_lazy("No ballot in the box of a station with registered voters."),
    "single_list_share": gettext_lazy("One list has more than 95 per cent of the valid votes."),
}
NUMBER_LABELS = {name: getattr(ResultForm._meta.get_field(name), "verbose_name", name)
                 for name in NUMBER_FIELDS}
SOURCE_CHOICES = [(s.value, s.label) for s in entry.ENTERED_SOURCES]


# Reading, scoped ---------------------------------------------------------------------

def stations_for(user: Account) -> QuerySet[PollingStation]:
    stations = PollingStation.objects.select_related("centre__governorate", "centre__election")
    scope = governorate_scope(user)
    return stations if scope is None else stations.filter(centre__governorate_id=scope)


def access_station(user: Account, station_id: int) -> PollingStation:
    return get_object_or_404(stations_for(user), pk=station_id)


def tasks_for(user: Account) -> QuerySet[EntryTask]:
    tasks = EntryTask.objects.select_related("station__centre", "contest__governorate")
    scope = governorate_scope(user)
    return tasks if scope is None else tasks.filter(contest__governorate_id=scope)


def access_task(user: Account, task_id: int) -> EntryTask:
    return get_object_or_404(tasks_for(user), pk=task_id)


def _station_by_code(user: Account, code: str) -> PollingStation | None:
    return (stations_for(user).filter(code=code.strip())
            .order_by("-centre__election__polling_day", "pk").first())


def parts_of(contest: Contest) -> list[tuple[str, str]]:
    """The contest's parts: the general seats, then each component's seats."""
    labels = dict(Component.choices)
    return [("", str(gettext_lazy("General seats"))), *(
        (c, str(labels.get(c, c))) for c in contest.component_seats.order_by("component")
        .values_list("component", flat=True))]


def ballot(contest: Contest, component: str) -> list[tuple[NominationList, list[Candidate]]]:
    """The lists of a contest part with their candidates, in ballot order."""
    lists = list(NominationList.objects.filter(contest=contest, component=component,
                                               status="certified")
                 .select_related("entity").order_by("entity__code", "pk"))
    candidates: dict[int, list[Candidate]] = {}
    for candidate in Candidate.objects.filter(nomination__in=lists).order_by("position"):
        candidates.setdefault(candidate.nomination_id, []).append(candidate)
    return [(nomination, candidates.get(nomination.pk, [])) for nomination in lists]


# Forms --------------------------------------------------------------------------------

class ChooseForm(forms.Form):
    station = forms.CharField(label=gettext_lazy("Polling station code"), max_length=24)
    source = forms.ChoiceField(label=gettext_lazy("Form"), choices=SOURCE_CHOICES)
    component = forms.CharField(label=gettext_lazy("Seats"), max_length=32, required=False)


def _count(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=entry.MAX_COUNT,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


class NumbersForm(forms.Form):
    """Every number of the result form and one field per list alone (general seats)
    and per candidate. Fields are named ``l<list id>`` and ``c<candidate id>``."""

    def __init__(self, *args: Any, ballot: list[tuple[NominationList, list[Candidate]]],
                 component: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in NUMBER_FIELDS:
            self.fields[name] = _count(NUMBER_LABELS[name])
        self.groups: list[tuple[NominationList, list[str]]] = []
        for nomination, candidates in ballot:
            names = []
            if not component:
                names.append(f"l{nomination.pk}")
                self.fields[names[-1]] = _count(gettext_lazy("Votes for the list alone"))
            for candidate in candidates:
                names.append(f"c{candidate.pk}")
                self.fields[names[-1]] = _count(f"{candidate.position}. {candidate.name_ar}")
            self.groups.append((nomination, names))
        self._ballot = ballot
        self._component = component

    def numbers(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in NUMBER_FIELDS}

    def votes(self) -> list[VoteRow]:
        rows = []
        for nomination, candidates in self._ballot:
            if not self._component:
                rows.append(VoteRow(nomination_id=nomination.pk, candidate_id=None,
                                    votes=self.cleaned_data[f"l{nomination.pk}"]))
            rows.extend(VoteRow(nomination_id=nomination.pk, candidate_id=c.pk,
                                votes=self.cleaned_data[f"c{c.pk}"]) for c in candidates)
        return rows

    def bound_groups(self) -> list[tuple[NominationList, list[forms.BoundField]]]:
        return [(nomination, [self[name] for name in names]) for nomination, names in self.groups]

    def bound_numbers(self) -> list[forms.BoundField]:
        return [self[name] for name in NUMBER_FIELDS]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=entry.REASON_LENGTH,
                             required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ClearForm(forms.Form):
    form = forms.IntegerField(min_value=1, max_value=2**62, widget=forms.HiddenInput)
    reason = forms.CharField(label=gettext_lazy("Why the form stands as it is"),
                             max_length=entry.REASON_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 2}))


# The clerk's entry ----------------------------------------------------------------------

def _entry_context(user: Account, choose: ChooseForm) -> dict[str, Any] | None:
    """The station, contest, part and ballot chosen, or None (errors added to ``choose``)."""
    if not choose.is_valid():
        return None
    station = _station_by_code(user, choose.cleaned_data["station"])
    if station is None:
        choose.add_error("station", _("No polling station with this code in your reach."))
        return None
    contest = Contest.objects.filter(election_id=station.centre.election_id,
                                     governorate_id=station.centre.governorate_id).first()
    if contest is None:
        choose.add_error("station", _("No polling station with this code in your reach."))
        return None
    component = choose.cleaned_data["component"] or ""
    parts = parts_of(contest)
    if component not in dict(parts):
        choose.add_error("component", _("This contest has no such seats."))
        return None
    return {"station": station, "contest": contest, "component": component,
            "part": dict(parts)[component], "ballot": ballot(contest, component),
            "source": Source(choose.cleaned_data["source"])}


@capability_required(Capability.ENTER_RESULTS)
def enter(request: HttpRequest) -> HttpResponse:
    user: Account = request.user  # type: ignore[assignment]
    data = request.POST if request.method == "POST" else request.GET
    choose = ChooseForm(data if "station" in data else None)
    chosen = _entry_context(user, choose) if choose.is_bound else None
    numbers = None
    explanation: list[str] = []
    posted = request.method == "POST"
    status = 400 if posted else 200
    if chosen is not None:
        numbers = NumbersForm(request.POST if posted else None, ballot=chosen["ballot"],
                              component=chosen["component"])
        if posted and numbers.is_valid():
            outcome = run(request, lambda: entry.enter(
                actor=user, station=chosen["station"], component=chosen["component"],
                source=chosen["source"], numbers=numbers.numbers(), votes=numbers.votes()),
                done=_("Entry saved."))
            if not outcome.refused and outcome.value is not None:
                return redirect(reverse("results:entry") + "?done=" + str(outcome.value.pk))
            explanation, status = outcome.lines, 409
        elif posted:
            explanation = form_lines(numbers)
    elif choose.is_bound:
        explanation = form_lines(choose)
    elif posted:
        explanation = [_("No polling station with this code in your reach.")]
    done = None
    if re.fullmatch(r"[0-9]{1,18}", request.GET.get("done", "")):
        done = tasks_for(user).filter(pk=int(request.GET["done"])).first()
    return render(request, "results/entry.html", {
        "choose": choose if chosen is None else ChooseForm(), "chosen": chosen,
        "numbers": numbers, "explanation": explanation, "done": done,
        "hidden": choose.cleaned_data if chosen else None}, status=status)


# The coordinator -------------------------------------------------------------------------

@require_safe
@capability_required(Capability.RESOLVE_RESULT_ENTRIES)
def differences(request: HttpRequest) -> HttpResponse:
    tasks = tasks_for(request.user).filter(  # type: ignore[arg-type]
        state=EntryState.DIFFERENT).order_by("updated_at", "pk")[:PAGE]
    return render(request, "results/differences.html", {"tasks": tasks})


def _side_by_side(task: EntryTask, entries: dict[str, Entry]) -> list[tuple[str, list[str], bool]]:
    """Each number and vote's label, its value in each entry shown, and whether they differ."""
    shown = [entries[k] for k in (EntryKind.FIRST, EntryKind.SECOND, EntryKind.CORRECTION)
             if k in entries]
    rows: list[tuple[str, list[str], bool]] = []
    for name in NUMBER_FIELDS:
        values = [str(getattr(e, name)) for e in shown]
        rows.append((str(NUMBER_LABELS[name]), values, len(set(values)) > 1))
    votes = [{(n, c): v for n, c, v in e.votes} for e in shown]
    for nomination, candidates in ballot(task.contest, task.component):
        keys: list[tuple[tuple[int, int | None], str]] = (
                [((nomination.pk, None), f"{nomination.entity.name_ar}: "
                  + _("votes for the list alone"))] if not task.component else [])
        keys += [((nomination.pk, c.pk), f"{nomination.entity.name_ar}: {c.position}. "
                  f"{c.name_ar}") for c in candidates]
        for key, label in keys:
            values = [str(v.get(key, "—")) for v in votes]
            rows.append((label, values, len(set(values)) > 1))
    return rows


@capability_required(Capability.RESOLVE_RESULT_ENTRIES)
def task(request: HttpRequest, task_id: int) -> HttpResponse:
    user: Account = request.user  # type: ignore[assignment]
    found = access_task(user, task_id)
    the_ballot = ballot(found.contest, found.component)
    correct = NumbersForm(ballot=the_ballot, component=found.component, prefix="correct")
    reason = ReasonForm()
    explanation: list[str] = []
    status = 200
    if request.method == "POST":
        step_name = request.POST.get("step", "")
        step = {s.value: s for s in table.EntryStep}.get(step_name)
        reason = ReasonForm(request.POST)
        if step is None or step in (table.EntryStep.ENTER_FIRST, table.EntryStep.ENTER_SECOND):
            explanation, status = [_("Choose a resolution.")], 400
        elif not reason.is_valid():
            explanation, status = form_lines(reason), 400
        else:
            numbers = votes = None
            if step == table.EntryStep.CORRECT:
                correct = NumbersForm(request.POST, ballot=the_ballot,
                                      component=found.component, prefix="correct")
                if correct.is_valid():
                    numbers, votes = correct.numbers(), correct.votes()
                else:
                    explanation, status = form_lines(correct), 400
            if status == 200:
                outcome = run(request, lambda: entry.resolve(
                    actor=user, task=found.pk, step=step, numbers=numbers,
                    votes=votes or (), reason=reason.cleaned_data["reason"]),
                    done=_("Resolved."))
                if not outcome.refused:
                    return redirect("results:entry_task", task_id=found.pk)
                explanation, status = outcome.lines, 409
        found = access_task(user, task_id)
    entries = {e.kind: e for e in found.entries.filter(discarded=False).select_related(
        "entered_by")}
    offered = table.steps_from(table.EntryState(found.state), table.Actor.COORDINATOR)
    return render(request, "results/entry_task.html", {
        "task": found, "entries": [entries[k] for k in (EntryKind.FIRST, EntryKind.SECOND,
                                                        EntryKind.CORRECTION) if k in entries],
        "rows": _side_by_side(found, entries), "steps": [s.value for s in offered],
        "correct": correct, "reason": reason, "explanation": explanation}, status=status)


# The audit centre --------------------------------------------------------------------------

def _audit_results(user: Account) -> QuerySet[StationResult]:
    results = StationResult.objects.filter(Q(outcome=Outcome.AUDIT) | ~Q(audit_reason=""))
    scope = governorate_scope(user)
    if scope is not None:
        results = results.filter(contest__governorate_id=scope)
    return results.select_related("station__centre", "contest__governorate")


@require_safe
@capability_required(Capability.AUDIT_RESULTS)
def audit(request: HttpRequest) -> HttpResponse:
    results = list(_audit_results(request.user).order_by(  # type: ignore[arg-type]
        "station__code", "component")[:PAGE])
    quarantined: dict[tuple[int, str], list[ResultForm]] = {}
    for form in ResultForm.objects.filter(
            station__in=[r.station_id for r in results], state=FormState.QUARANTINED):
        quarantined.setdefault((form.station_id, form.component), []).append(form)
    recounts = {(t.station_id, t.component): t for t in EntryTask.objects.filter(
        station__in=[r.station_id for r in results], source=Source.AUDIT)}
    rows = [(r, quarantined.get((r.station_id, r.component), []),
             recounts.get((r.station_id, r.component))) for r in results]
    return render(request, "results/audit.html", {"rows": rows, "clear": ClearForm()})


@require_POST
@capability_required(Capability.AUDIT_RESULTS)
def audit_station(request: HttpRequest, result_id: int) -> HttpResponse:
    user: Account = request.user  # type: ignore[assignment]
    found = get_object_or_404(_audit_results(user), pk=result_id)
    step = request.POST.get("step", "")
    outcome: StepOutcome[object]
    if step == "clear":
        clear = ClearForm(request.POST)
        if not clear.is_valid() or not ResultForm.objects.filter(
                pk=clear.cleaned_data["form"], station=found.station,
                component=found.component).exists():
            return render(request, "results/audit.html", {
                "rows": [], "clear": clear, "explanation": form_lines(clear) or [
                    _("There is no such station at the audit centre.")]}, status=400)
        outcome = run(request, lambda: entry.clear_form(
            actor=user, form=clear.cleaned_data["form"], reason=clear.cleaned_data["reason"]),
            done=_("The form is cleared."), flash_refusal=True)
    elif step == "recount":
        outcome = run(request, lambda: entry.order_recount(actor=user, result=found.pk),
                      done=_("The recount is to be entered twice."), flash_refusal=True)
    else:
        return render(request, "results/audit.html", {
            "rows": [], "clear": ClearForm(),
            "explanation": [_("Choose a resolution.")]}, status=400)
    return redirect(reverse("results:audit") if not outcome.refused
                    else reverse("results:audit") + "?refused=1")


# A station's results ------------------------------------------------------------------------

@require_safe
@capability_required(Capability.VIEW_RESULTS)
def station(request: HttpRequest, station_id: int) -> HttpResponse:
    user: Account = request.user  # type: ignore[assignment]
    found = access_station(user, station_id)
    forms_ = list(ResultForm.objects.filter(station=found).order_by("component", "source", "-pk"))
    names: dict[int, list[tuple[str, int]]] = {}
    for vote in FormVote.objects.filter(form__in=forms_).select_related(
            "nomination__entity", "candidate").order_by("nomination__entity__code",
                                                         "candidate__position"):
        label = vote.nomination.entity.name_ar + (
            f": {vote.candidate.position}. {vote.candidate.name_ar}" if vote.candidate else "")
        names.setdefault(vote.form_id, []).append((label, vote.votes))
    shown = [{"form": f, "numbers": [(NUMBER_LABELS[n], getattr(f, n)) for n in NUMBER_FIELDS],
              "errors": [CHECK_WORDS.get(c, c) for c in f.errors],
              "warnings": [CHECK_WORDS.get(c, c) for c in f.warnings],
              "votes": names.get(f.pk, [])} for f in forms_]
    results = StationResult.objects.filter(station=found).select_related("adopted_form")
    tasks = list(EntryTask.objects.filter(station=found).prefetch_related("entries__entered_by"))
    return render(request, "results/station.html", {
        "station": found, "forms": shown, "results": results, "tasks": tasks,
        "may_enter": can(user, Capability.ENTER_RESULTS),
        "may_cancel": can(user, Capability.DECIDE_RESULT_COMPLAINTS)})
