"""Tabulation, certification and publication pages (docs/results-publication.md): the
staff's live tabulation with the Board's certify and the publish buttons, and the public
results pages and files of each publication."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from shafaf.access.checks import can, capability_required, governorate_scope, require
from shafaf.access.roles import Capability
from shafaf.elections.models import Contest, Election
from shafaf.refusals.wording import explain
from shafaf.results import presentation, publication
from shafaf.results.models import Stage
from shafaf.results.refusals import ResultsRefused
from shafaf.results.tabulation import pending_stations, station_progress, tabulate


class CertifyForm(forms.Form):
    lot_seed = forms.CharField(label=_("Lot seed (only if a tie decides a seat)"),
                               required=False, max_length=publication.LOT_SEED_LIMIT)


class PublishForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    lot_seed = forms.CharField(label=_("Lot seed (only if a tie decides a seat)"),
                               required=False, max_length=publication.LOT_SEED_LIMIT)


# --- Access -----------------------------------------------------------------------------


def access_contest(user: Any, election: str, governorate: str) -> Contest:
    """The contest of a governorate, for staff: 404 if it does not exist or is outside
    the user's governorate."""
    contest = get_object_or_404(Contest.objects.select_related("election", "governorate"),
                                election__code=election[:64], governorate__code=governorate[:16])
    scope = governorate_scope(user)
    if scope is not None and contest.governorate_id != scope:
        raise Http404
    return contest


def public_contest(election: str, governorate: str) -> Contest:
    return get_object_or_404(Contest.objects.select_related("election", "governorate"),
                             election__code=election[:64], governorate__code=governorate[:16])


# --- Staff ------------------------------------------------------------------------------


@require_safe
@capability_required(Capability.VIEW_RESULTS)
def tabulation(request: HttpRequest) -> HttpResponse:
    elections = list(Election.objects.order_by("-polling_day", "code"))
    code = request.GET.get("election", "")[:64]
    election = next((e for e in elections if e.code == code), elections[0] if elections else None)
    contests = (Contest.objects.filter(election=election).select_related("governorate")
                .order_by("governorate__code")) if election else Contest.objects.none()
    scope = governorate_scope(require(request.user, Capability.VIEW_RESULTS))
    if scope is not None:
        contests = contests.filter(governorate_id=scope)
    rows: list[dict[str, Any]] = [{"contest": c, "stations": station_progress(c),
             "certification": publication.latest_certification(c),
             "publication": publication.latest_publication(c)} for c in contests]
    chosen = None
    wanted = request.GET.get("governorate", "")[:16]
    for row in rows:
        if row["contest"].governorate.code == wanted:
            chosen = row
    detail: dict[str, Any] = {}
    if chosen is not None:
        contest = chosen["contest"]
        tab = tabulate(contest)
        turnout = {"registered": tab.turnout.registered, "voted": tab.turnout.voted}
        detail = {"tab": tab, "pending": pending_stations(contest),
                  "view": presentation.view(report=tab.report, stations=tab.stations,
                                            turnout=turnout) if tab.report else None,
                  "certify_form": CertifyForm(), "publish_form": PublishForm()}
    return render(request, "results/tabulation.html", {
        "elections": elections, "election": election, "rows": rows, "chosen": chosen,
        "may_certify": can(request.user, Capability.CERTIFY_RESULTS),
        "may_publish": can(request.user, Capability.PUBLISH_RESULTS), **detail})


def _back(contest: Contest) -> HttpResponse:
    return redirect(f"{reverse('results:tabulation')}?election={contest.election.code}"
                    f"&governorate={contest.governorate.code}")


@require_POST
@capability_required(Capability.CERTIFY_RESULTS)
def certify(request: HttpRequest, election: str, governorate: str) -> HttpResponse:
    contest = access_contest(request.user, election, governorate)
    form = CertifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return _back(contest)
    try:
        done = publication.certify(actor=require(request.user, Capability.CERTIFY_RESULTS),
                                   contest=contest, lot_seed=form.cleaned_data["lot_seed"])
    except ResultsRefused as refused:
        messages.error(request, explain(refused).message)
    else:
        messages.success(request, _("Certified. SHA-256 of the certified allocation: %(sha)s")
                         % {"sha": done.sha256})
    return _back(contest)


@require_POST
@capability_required(Capability.PUBLISH_RESULTS)
def publish(request: HttpRequest, election: str, governorate: str) -> HttpResponse:
    contest = access_contest(request.user, election, governorate)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return _back(contest)
    try:
        done = publication.publish(actor=require(request.user, Capability.PUBLISH_RESULTS),
                                   contest=contest, stage=form.cleaned_data["stage"],
                                   lot_seed=form.cleaned_data["lot_seed"])
    except ResultsRefused as refused:
        messages.error(request, explain(refused).message)
    else:
        messages.success(request, _("Published. SHA-256 of the manifest: %(sha)s")
                         % {"sha": done.manifest_sha256})
    return _back(contest)


# --- Public -----------------------------------------------------------------------------


@require_safe
def public_index(request: HttpRequest, election: str) -> HttpResponse:
    chosen = get_object_or_404(Election, code=election[:64])
    rows = [{"contest": c, "publication": publication.latest_publication(c)}
            for c in Contest.objects.filter(election=chosen).select_related("governorate")
            .order_by("governorate__code")]
    if not any(row["publication"] for row in rows):
        rows = []
    return render(request, "results/public_index.html", {"election": chosen, "rows": rows})


@require_safe
def public_index_manifest(request: HttpRequest, election: str) -> HttpResponse:
    chosen = get_object_or_404(Election, code=election[:64])
    index = publication.election_index(chosen)
    if not index["governorates"]:
        raise Http404
    return JsonResponse(index, json_dumps_params={"ensure_ascii": False, "indent": 2})


@require_safe
def public_governorate(request: HttpRequest, election: str, governorate: str) -> HttpResponse:
    contest = public_contest(election, governorate)
    latest = publication.latest_publication(contest)
    context: dict[str, Any] = {"election": contest.election, "contest": contest,
                               "publication": latest}
    if latest is not None:
        manifest = publication.manifest_of(latest)
        allocation = json.loads(bytes(publication.published_file(
            latest, "allocation.json").content))  # type: ignore[union-attr]
        context["view"] = presentation.view(report=allocation, stations=manifest["stations"],
                                            turnout=manifest.get("turnout"))
        context["files"] = publication.FILES
    return render(request, "results/public_governorate.html", context)


@require_safe
def public_file(request: HttpRequest, election: str, governorate: str, name: str
                ) -> HttpResponse:
    contest = public_contest(election, governorate)
    latest = publication.latest_publication(contest)
    if latest is None:
        raise Http404
    row = publication.published_file(latest, name)
    if row is None:
        raise Http404
    response = HttpResponse(bytes(row.content), content_type=row.content_type)
    disposition = "inline" if name.endswith((".json", ".pdf")) else "attachment"
    response["Content-Disposition"] = (
        f'{disposition}; filename="{contest.election.code}-{contest.governorate.code}-{name}"')
    response["ETag"] = f'"{row.sha256}"'
    return response
