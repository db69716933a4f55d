"""The exhibition's pages (docs/register-exhibition.md): the preliminary register on
public display, objections (a voter's public form, the objectors' and the office's
pages), the published decisions, and the finalisation."""

from __future__ import annotations

import math
from typing import Any

from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from shafaf.access.addresses import counted_client
from shafaf.access.checks import can, capability_required
from shafaf.access.roles import Capability
from shafaf.audit.actions import record
from shafaf.core.register_objections import Timing
from shafaf.elections.models import Election, Governorate, PollingCentre
from shafaf.refusals.pages import form_lines, run
from shafaf.register import exhibition, finalising, objections
from shafaf.register.exhibition_forms import (
    DecisionForm,
    FinaliseForm,
    IdentityForm,
    ObjectionForm,
    PublicObjectionForm,
)
from shafaf.register.models import ObjectionState, Voter
from shafaf.register.selectors import voters_in_list_order

PAGE_SIZE = 50


def _state(request: HttpRequest) -> tuple[Election | None, Timing, dict[str, Any]]:
    election = exhibition.exhibited_election()
    if election is None:
        return None, Timing.NOT_SCHEDULED, {"timing": Timing.NOT_SCHEDULED.value}
    state = exhibition.current_timing(election)
    return election, state, {
        "election": election, "timing": state.value, "window": exhibition.window(election),
        "final": exhibition.finalisation(election)}


def _closed(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """The page in place of the register when it is not on display."""
    return render(request, "register/exhibition_closed.html", context)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    election, state, context = _state(request)
    if state is Timing.OPEN and election is not None:
        context["governorates"] = Governorate.objects.filter(
            polling_centres__election=election).distinct().order_by("code")
    return render(request, "register/exhibition_index.html", context)


@require_safe
def governorate(request: HttpRequest, code: str) -> HttpResponse:
    place = get_object_or_404(Governorate, code=code)  # no such place: 404 in any phase
    election, state, context = _state(request)
    if state is not Timing.OPEN or election is None:
        return _closed(request, context)
    context.update(governorate=place, centres=PollingCentre.objects.filter(
        election=election, governorate=place).order_by("code"))
    return render(request, "register/exhibition_centres.html", context)


@require_safe
def centre(request: HttpRequest, code: str, centre_code: str) -> HttpResponse:
    """A centre's entries in list order, a page at a time, as the public sees them."""
    get_object_or_404(Governorate, code=code)  # no such place: 404 in any phase
    election, state, context = _state(request)
    if state is not Timing.OPEN or election is None:
        return _closed(request, context)
    place = get_object_or_404(PollingCentre, election=election, governorate__code=code,
                              code=centre_code)
    listing = voters_in_list_order(place).filter(status="active")
    page = Paginator(listing.values_list("pk", flat=True), PAGE_SIZE).get_page(
        request.GET.get("page"))
    ids = list(page.object_list)
    entries = exhibition.shown(voters_in_list_order(place).filter(pk__in=ids))
    first = (page.number - 1) * PAGE_SIZE
    context.update(centre=place, page=page,
                   entries=[(first + n, entry) for n, entry in enumerate(entries, start=1)])
    return render(request, "register/exhibition_centre.html", context)


def _too_many(response: HttpResponse, wait: Any) -> HttpResponse:
    response.status_code = 429
    response["Retry-After"] = str(max(1, math.ceil(wait.total_seconds())))
    return response


def find(request: HttpRequest) -> HttpResponse:
    """A voter finds their own entry by voter number and birth year (POST: the number
    never travels in a URL); failures are counted like a login's."""
    election, state, context = _state(request)
    if state is not Timing.OPEN or election is None:
        return _closed(request, context)
    form = IdentityForm(request.POST or None)
    context["form"] = form
    if request.method == "POST":
        address = counted_client(request)
        wait = objections.throttled(address)
        if wait is not None:
            context["lines"] = [_("Too many failed attempts: try again in a minute.")]
            return _too_many(render(request, "register/exhibition_find.html", context), wait)
        if not form.is_valid():
            context["lines"] = form_lines(form)
            return render(request, "register/exhibition_find.html", context, status=400)
        voter = exhibition.identify(election, form.cleaned_data["voter_number"],
                                    form.cleaned_data["birth_year"])
        if voter is None:
            objections.count_failure(address)
            context["lines"] = [_("No voter in the register has this voter number and birth "
                                  "year.")]
            return render(request, "register/exhibition_find.html", context, status=404)
        context["entry"] = exhibition.shown(Voter.objects.filter(pk=voter.pk))[0]
        context["centre"] = voter.centre
    return render(request, "register/exhibition_find.html", context)


def _other_and_centre(election: Election, form: ObjectionForm) -> tuple[Voter | None,
                                                                       PollingCentre | None]:
    other_pk = form.cleaned_data.get("other_entry")
    other = Voter.objects.filter(pk=other_pk, centre__election=election).first() if (
        other_pk) else None
    code = form.cleaned_data.get("right_centre") or ""
    right = PollingCentre.objects.filter(election=election, code=code.strip()).first() if (
        code) else None
    return other, right


def object_to(request: HttpRequest) -> HttpResponse:
    """Object to one entry (``?entry=`` its number on the centre's page): signed-in
    objectors as themselves, anyone else as a voter who identifies."""
    election, state, context = _state(request)
    if state is not Timing.OPEN or election is None:
        return _closed(request, context)
    wanted = request.GET.get("entry", "")
    if not (wanted.isascii() and wanted.isdigit() and len(wanted) <= 18):
        raise Http404
    entry_pk = int(wanted)
    entry = get_object_or_404(Voter, pk=entry_pk, centre__election=election, status="active")
    as_objector = can(request.user, Capability.OBJECT_TO_REGISTER)
    form_class = ObjectionForm if as_objector else PublicObjectionForm
    form = form_class(request.POST or None, request.FILES or None)
    context.update(form=form, entry=exhibition.shown(Voter.objects.filter(pk=entry.pk))[0],
                   centre=entry.centre, as_objector=as_objector)
    if request.method != "POST":
        return render(request, "register/objection_form.html", context)
    address = counted_client(request)
    if not as_objector:
        wait = objections.throttled(address)
        if wait is not None:
            context["lines"] = [_("Too many failed attempts: try again in a minute.")]
            return _too_many(render(request, "register/objection_form.html", context), wait)
    if not form.is_valid():
        context["lines"] = form_lines(form)
        return render(request, "register/objection_form.html", context, status=400)
    voter = None
    if not as_objector:
        voter = exhibition.identify(election, form.cleaned_data["voter_number"],
                                    form.cleaned_data["birth_year"])
        if voter is None:
            objections.count_failure(address)
            context["lines"] = [_("No voter in the register has this voter number and birth "
                                  "year.")]
            return render(request, "register/objection_form.html", context, status=400)
    other, right = _other_and_centre(election, form)
    upload = form.cleaned_data.get("evidence_file")
    content = upload.read() if upload is not None else None
    data = form.cleaned_data
    outcome = run(request, lambda: objections.file_objection(
        actor=request.user, election=election, entry=entry, ground=data["ground"],
        statement=data["statement"], evidence=data["evidence"], evidence_file=content,
        other_entry=other, right_centre=right, voter=voter),
        done=_("Your objection is filed."))
    if outcome.refused:
        context["lines"] = outcome.lines
        return render(request, "register/objection_form.html", context)
    context["filed"] = outcome.value
    return render(request, "register/objection_form.html", context)


@require_safe
def decisions(request: HttpRequest) -> HttpResponse:
    """Every decided objection: number, centre, ground, decision, reason, date; no names."""
    election, _timing, context = _state(request)
    if election is not None:
        page = Paginator(objections.published(election), PAGE_SIZE).get_page(
            request.GET.get("page"))
        context["page"] = page
    return render(request, "register/objection_decisions.html", context)


# --- Staff ------------------------------------------------------------------------------


@require_safe
@capability_required(Capability.DECIDE_REGISTER_REQUESTS)
def office(request: HttpRequest) -> HttpResponse:
    listing = objections.for_office(request.user).order_by("-pk")
    wanted = request.GET.get("state", "")
    if wanted in ObjectionState.values:
        listing = listing.filter(state=wanted)
    page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "register/objection_office.html",
                  {"page": page, "states": ObjectionState.choices, "wanted": wanted})


@capability_required(Capability.DECIDE_REGISTER_REQUESTS)
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    objection = objections.for_office(request.user).select_related(
        "voter", "voter__centre", "other_voter", "right_centre").filter(pk=pk).first()
    if objection is None:
        raise Http404
    form = DecisionForm(request.POST or None)
    context: dict[str, Any] = {"objection": objection, "form": form,
                               "personal": can(request.user, Capability.VIEW_REGISTER)}
    if request.method == "POST":
        if not form.is_valid():
            context["lines"] = form_lines(form)
            return render(request, "register/objection_decide.html", context, status=400)
        step, reason = form.cleaned_data["step"], form.cleaned_data["reason"]
        if step == "apply":
            outcome = run(request, lambda: objections.apply(actor=request.user,
                                                            objection=objection),
                          done=_("The register is changed."))
        else:
            outcome = run(request, lambda: objections.decide(
                actor=request.user, objection=objection, upheld=step == "uphold",
                reason=reason), done=_("The decision is recorded."))
        if not outcome.refused:
            return redirect("register:objection", pk=objection.pk)
        context["lines"] = outcome.lines
    return render(request, "register/objection_decide.html", context)


@require_safe
@capability_required(Capability.DECIDE_REGISTER_REQUESTS)
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """The objection's evidence file, to the office: an audited export."""
    objection = objections.for_office(request.user).filter(pk=pk).first()
    if (objection is None or not objection.evidence_file
            or not objections.may_see_evidence(request.user)):
        raise Http404
    with transaction.atomic():
        record(actor=request.user, action="register.objection_evidence_read",
               target=objection, data={"objection": objection.pk})
    response = HttpResponse(bytes(objection.evidence_file),
                            content_type=objection.evidence_type)
    response["Content-Disposition"] = f'attachment; filename="objection-{objection.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@capability_required(Capability.FINALISE_REGISTER)
def finalise(request: HttpRequest) -> HttpResponse:
    """Finalise the register of the exhibited election, after a confirmation."""
    election, _timing, context = _state(request)
    if election is not None:
        context["undecided"] = objections.undecided(election)
    form = FinaliseForm(request.POST or None)
    context["form"] = form
    if request.method == "POST":
        if election is None:
            raise Http404
        if not form.is_valid():
            context["lines"] = form_lines(form)
            return render(request, "register/exhibition_finalise.html", context, status=400)
        outcome = run(request, lambda: finalising.finalise(actor=request.user,
                                                           election=election),
                      done=_("The register is final."))
        if not outcome.refused:
            return redirect("register:finalise")
        context["lines"] = outcome.lines
    return render(request, "register/exhibition_finalise.html", context)
