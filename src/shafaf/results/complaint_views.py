"""Complaints' pages (docs/results-complaints.md): filing (staff and the voter's public
form), the Board's list and each complaint's page with the steps the table gives the
reader, the evidence (audited), and the public page of decisions, without names."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from shafaf.access.addresses import counted_client
from shafaf.access.checks import can, capability_required
from shafaf.access.roles import Capability
from shafaf.audit.actions import record
from shafaf.core import result_complaints as rules
from shafaf.elections.models import Contest
from shafaf.entities.models import Candidate
from shafaf.refusals.pages import Outcome, form_lines, run
from shafaf.register import exhibition, objections
from shafaf.results import complaints
from shafaf.results.complaint_forms import ComplaintForm, PublicComplaintForm, StepForm
from shafaf.results.models import ComplaintState, ResultComplaint, StationResult

PAGE_SIZE = 50
READERS = (Capability.VIEW_RESULTS, Capability.FILE_RESULT_COMPLAINT, Capability.FILE_APPEAL)


def _file(request: HttpRequest, form: ComplaintForm, **voter: Any) -> Outcome[ResultComplaint]:
    data = form.cleaned_data
    content = form.evidence()
    return run(request, lambda: complaints.file_complaint(
        actor=request.user, election=data["election"], centre=data["centre"],
        station=data["station"], ground=data["ground"], statement=data["statement"],
        evidence_file=content, **voter), done=_("Your complaint is filed."))


@capability_required(Capability.FILE_RESULT_COMPLAINT)
def new(request: HttpRequest) -> HttpResponse:
    """An agent, observer or civil-society coordinator files a complaint."""
    form = ComplaintForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "public": False}
    if request.method == "POST":
        if not form.is_valid():
            context["lines"] = form_lines(form)
            return render(request, "results/complaint_new.html", context, status=400)
        outcome = _file(request, form)
        if outcome.value is not None:
            return redirect("results:complaint", pk=outcome.value.pk)
        context["lines"] = outcome.lines
    return render(request, "results/complaint_new.html", context)


def _too_many(response: HttpResponse, wait: timedelta) -> HttpResponse:
    response.status_code = 429
    response["Retry-After"] = str(max(1, math.ceil(wait.total_seconds())))
    return response


def public_new(request: HttpRequest) -> HttpResponse:
    """A voter's complaint: identified by voter number and birth year; failed
    identifications are counted per client address with the register's public doors."""
    form = PublicComplaintForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "public": True}
    if request.method != "POST":
        return render(request, "results/complaint_new.html", context)
    address = counted_client(request)
    wait = objections.throttled(address)
    if wait is not None:
        context["lines"] = [_("Too many failed attempts: try again in a minute.")]
        return _too_many(render(request, "results/complaint_new.html", context), wait)
    if not form.is_valid():
        context["lines"] = form_lines(form)
        return render(request, "results/complaint_new.html", context, status=400)
    voter = exhibition.identify(form.cleaned_data["election"], form.cleaned_data["voter_number"],
                                form.cleaned_data["birth_year"])
    if voter is None:
        objections.count_failure(address)
        context["lines"] = [_("No voter in the register has this voter number and birth "
                              "year.")]
        return render(request, "results/complaint_new.html", context, status=400)
    outcome = _file(request, form, voter=voter)
    if outcome.refused:
        context["lines"] = outcome.lines
    else:
        context["filed"] = outcome.value
    return render(request, "results/complaint_new.html", context)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Results staff see every complaint (their governorate's, when scoped); filers
    their own, and an agent their entity's."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not any(can(request.user, capability) for capability in READERS):
        raise PermissionDenied
    listing = complaints.complaints_for(request.user).order_by("-pk")
    wanted = request.GET.get("state", "")
    if wanted in ComplaintState.values:
        listing = listing.filter(state=wanted)
    page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "results/complaints.html", {
        "page": page, "states": ComplaintState.choices, "wanted": wanted,
        "may_file": can(request.user, Capability.FILE_RESULT_COMPLAINT)})


def _candidates(complaint: ResultComplaint) -> Any:
    contest = Contest.objects.filter(election=complaint.election_id,
                                     governorate=complaint.centre.governorate_id).first()
    return Candidate.objects.filter(nomination__contest=contest) if contest else None


def _step(request: HttpRequest, complaint: ResultComplaint, form: StepForm
          ) -> Outcome[ResultComplaint]:
    data, step = form.cleaned_data, rules.Step(form.cleaned_data["step"])
    if step is rules.Step.APPEAL:
        return run(request, lambda: complaints.appeal(
            actor=request.user, complaint=complaint, grounds=data["grounds"]),
            done=_("The appeal is lodged."))
    if step in (rules.Step.UPHOLD, rules.Step.OVERTURN):
        candidate = (Candidate.objects.get(pk=data["candidate"]) if data.get("candidate")
                     else None)
        return run(request, lambda: complaints.rule(
            actor=request.user, complaint=complaint, overturned=step is rules.Step.OVERTURN,
            ruling=data["ruling"], text=data["ruling_text"],
            panel_order=data.get("panel_order") or "", disqualify=candidate),
            done=_("The Panel's ruling is recorded."))
    return run(request, lambda: complaints.decide(
        actor=request.user, complaint=complaint, step=step, reason=data["reason"]),
        done=_("The Board's decision is recorded."))


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A complaint, its stations' results, and the steps the reader may take."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not any(can(request.user, capability) for capability in READERS):
        raise PermissionDenied
    complaint = complaints.access_complaint(request.user, pk)
    actors = complaints.actors_for(request.user, complaint)
    form = StepForm(request.POST or None, candidates=_candidates(complaint)
                    if rules.Actor.PANEL in actors else None)
    context: dict[str, Any] = {"complaint": complaint, "form": form}
    if request.method == "POST":
        if not form.is_valid():
            context.update(_page(request, complaint), lines=form_lines(form))
            return render(request, "results/complaint.html", context, status=400)
        step = rules.Step(form.cleaned_data["step"])
        if not any(step in rules.steps_of(actor) for actor in actors):
            raise PermissionDenied
        outcome = _step(request, complaint, form)
        if not outcome.refused:
            return redirect("results:complaint", pk=complaint.pk)
        context["lines"] = outcome.lines
        complaint.refresh_from_db()
    context.update(_page(request, complaint))
    return render(request, "results/complaint.html", context)


def _page(request: HttpRequest, complaint: ResultComplaint) -> dict[str, Any]:
    stations = ([complaint.station_id] if complaint.station_id else
                list(complaint.centre.stations.values_list("pk", flat=True)))
    steps = complaints.steps_for(request.user, complaint)
    return {
        "steps": [step.value for step in steps],
        "board_steps": [s.value for s in steps if s in complaints.BOARD_STEPS],
        "results": StationResult.objects.filter(station_id__in=stations)
        .select_related("station").order_by("station__code", "component"),
        "may_see_evidence": complaints.may_see_evidence(request.user),
        "may_see_filer": can(request.user, Capability.VIEW_RESULTS),
    }


@require_safe
@capability_required(Capability.DECIDE_RESULT_COMPLAINTS)
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """The complaint's evidence file, to those who decide: an audited read."""
    complaint = complaints.access_complaint(request.user, pk)
    if not complaint.evidence_file:
        raise Http404
    with transaction.atomic():
        record(actor=request.user, action="results.complaint_evidence_read",
               target=complaint, data={"complaint": complaint.number})
    response = HttpResponse(bytes(complaint.evidence_file), content_type=complaint.evidence_type)
    response["Content-Disposition"] = f'attachment; filename="{complaint.number}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def decisions(request: HttpRequest) -> HttpResponse:
    """Every classed complaint: its number, place, ground, decision, reason, appeal and
    ruling; no names."""
    page = Paginator(complaints.published(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "results/complaint_decisions.html", {"page": page})
