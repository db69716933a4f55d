"""An organisation's parallel vote tabulation (docs/pvt-app.md): the coordinator's page
to draw the sample in public and cover its stations, the live estimate, and the public
page with the files anyone needs to redo the draw and the estimate.

Here because the estimate sits beside the official results, and observation (the
sample and the reports) does not import results (what was published).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from shafaf.access.checks import capability_required
from shafaf.access.people import Account
from shafaf.access.roles import Capability
from shafaf.elections.models import Governorate
from shafaf.observation import dash_figures, pvt
from shafaf.observation.dash_refusals import DashRefused
from shafaf.observation.deployment import organisation_of
from shafaf.observation.models import Organisation, OrganisationStatus
from shafaf.observation.pvt_models import PvtSample
from shafaf.refusals.pages import form_lines, run
from shafaf.refusals.wording import explain
from shafaf.results import published_counts
from shafaf.results.publication import latest_publication, published_file

SIZE_LIMIT = 1_000_000
POLL_SECONDS = 15


# --- the official results ----------------------------------------------------------------

def official_results(organisation: Organisation, strata: Collection[str]
                     ) -> dict[str, dict[str, int]]:
    """Each governorate's list totals in its latest publication's allocation.json."""
    out: dict[str, dict[str, int]] = {}
    for governorate in Governorate.objects.filter(code__in=list(strata)):
        contest = published_counts.contest_of(election_id=organisation.election_id,
                                              governorate_id=governorate.pk)
        publication = latest_publication(contest) if contest else None
        row = published_file(publication, "allocation.json") if publication else None
        if row is None:
            continue
        report = json.loads(bytes(row.content))
        out[governorate.code] = {str(item["list_id"]): int(item["votes"])
                                 for item in report.get("lists", [])}
    return out


def install() -> None:
    pvt.read_official_with(official_results)


def _figures_html(request: HttpRequest, frozen: dict[str, Any],
                  organisation: Organisation) -> str:
    return render_to_string("observation/_pvt_figures.html",
                            pvt.figures_view(frozen, organisation), request=request)


# --- the coordinator's pages -------------------------------------------------------------

class DrawForm(forms.Form):
    seed = forms.CharField(label=gettext_lazy("Public seed"), max_length=pvt.SEED_LIMIT,
                           strip=False)
    size = forms.IntegerField(label=gettext_lazy("Sample size (stations)"), min_value=1,
                              max_value=SIZE_LIMIT)


class SampleForm(forms.Form):
    sample = forms.IntegerField(min_value=1, max_value=2**62)


def _coordinator(request: HttpRequest) -> tuple[Account, Organisation]:
    user: Account = request.user  # type: ignore[assignment]
    return user, organisation_of(user)


@require_http_methods(["GET", "HEAD", "POST"])
@capability_required(Capability.MANAGE_OBSERVERS)
def coordinator_page(request: HttpRequest) -> HttpResponse:
    """Draw the sample (after a confirmation), discard it (after a confirmation), and
    deploy observers to the sampled stations no one covers."""
    user, organisation = _coordinator(request)
    lines: list[str] = []
    status = 200
    confirm: dict[str, Any] | None = None
    confirm_discard = False
    assigned: pvt.Assigned | None = None
    form = DrawForm()
    if request.method == "POST":
        step = request.POST.get("step")
        if step in ("preview", "draw"):
            form = DrawForm(request.POST)
            if not form.is_valid():
                lines, status = form_lines(form), 400
            elif step == "preview":
                seed, size = form.cleaned_data["seed"], form.cleaned_data["size"]
                try:
                    frame, frame_hash = pvt.preview(organisation, seed=seed, size=size)
                except DashRefused as refused:
                    lines, status = explain(refused).lines, 400
                else:
                    confirm = {"seed": seed, "size": size, "frame": frame,
                               "frame_sha256": frame_hash}
            else:
                outcome = run(request, lambda: pvt.draw(
                    actor=user, organisation=organisation, seed=form.cleaned_data["seed"],
                    size=form.cleaned_data["size"]), done=_("The sample is drawn."))
                if not outcome.refused:
                    return redirect("portal:pvt")
                lines, status = outcome.lines, 400
        elif step in ("discard", "confirm_discard"):
            chosen = SampleForm(request.POST)
            if not chosen.is_valid():
                return HttpResponse(_("Choose the sample to discard."), status=400)
            if step == "confirm_discard":
                sample_id = chosen.cleaned_data["sample"]
                found = pvt.live_sample(organisation)
                if found is None or found.pk != sample_id:
                    raise Http404
                confirm_discard = True
            else:
                outcome = run(request, lambda: pvt.discard(
                    actor=user, organisation=organisation,
                    sample_id=chosen.cleaned_data["sample"]),
                    done=_("The sample is discarded: you may draw a new one."))
                if not outcome.refused:
                    return redirect("portal:pvt")
                lines, status = outcome.lines, 409
        elif step == "assign":
            covering = run(request, lambda: pvt.assign_uncovered(
                actor=user, organisation=organisation),
                done=_("The uncovered sampled stations are assigned where an observer "
                       "was free."))
            if covering.refused:
                lines, status = covering.lines, 409
            else:
                assigned = covering.value
        else:
            return HttpResponse(_("Choose a step: preview, draw, discard or assign."),
                                status=400)
    sample = pvt.live_sample(organisation)
    context: dict[str, Any] = {"organisation": organisation, "form": form, "lines": lines,
                               "confirm": confirm, "confirm_discard": confirm_discard,
                               "assigned": assigned, "sample": sample,
                               "frame_stations": len(pvt.frame_rows(organisation))}
    if sample is not None:
        context |= _sample_view(sample)
        missing = pvt.uncovered(sample)
        context |= {"uncovered": missing, "covered": sample.size - len(missing),
                    "locked": pvt.reports_arrived(sample)}
    return render(request, "observation/pvt.html", context, status=status)


def _sample_view(sample: PvtSample) -> dict[str, Any]:
    names = dash_figures.governorate_names()
    sizes: dict[str, int] = {}
    for stratum in pvt.frame_of(sample).values():
        sizes[stratum] = sizes.get(stratum, 0) + 1
    return {"strata": [{"code": code, "name": names.get(code, code), "sampled": n,
                        "stations": sizes.get(code, 0)} for code, n in sample.strata.items()],
            "stations": list(pvt.sampled(sample))}


def _verified_only(request: HttpRequest) -> bool:
    return request.GET.get("verified") == "1"


@require_safe
@capability_required(Capability.MANAGE_OBSERVERS)
def estimate_page(request: HttpRequest) -> HttpResponse:
    _user, organisation = _coordinator(request)
    sample = pvt.live_sample(organisation)
    verified_only = _verified_only(request)
    html = ""
    if sample is not None:
        html = _figures_html(request, pvt.as_json(pvt.figures(
            sample, verified_only=verified_only)), organisation)
    return render(request, "observation/pvt_estimate.html", {
        "organisation": organisation, "sample": sample, "figures_html": html,
        "verified_only": verified_only, "poll_seconds": POLL_SECONDS,
        "json_url": reverse("portal:pvt_estimate_json") + (
            "?verified=1" if verified_only else "")})


@require_safe
@capability_required(Capability.MANAGE_OBSERVERS)
def estimate_json(request: HttpRequest) -> HttpResponse:
    """The live figures as data, and as the page shows them (``html``), for the page's
    script to swap in."""
    _user, organisation = _coordinator(request)
    sample = pvt.live_sample(organisation)
    if sample is None:
        return JsonResponse({"drawn": False, "html": ""})
    frozen = pvt.as_json(pvt.figures(sample, verified_only=_verified_only(request)))
    response = JsonResponse({"drawn": True, **frozen,
                             "html": _figures_html(request, frozen, organisation)},
                            json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


# --- the public page and its files -------------------------------------------------------

def _public_sample(code: str) -> PvtSample:
    organisation = (Organisation.objects.filter(code=code[:16],
                                                status=OrganisationStatus.APPROVED)
                    .order_by("-election__polling_day").first())
    sample = pvt.live_sample(organisation) if organisation is not None else None
    if sample is None:
        raise Http404
    return sample


@require_safe
def public_page(request: HttpRequest, code: str) -> HttpResponse:
    """The draw anyone can redo, and the estimate from the organisation's verified
    reports (never an unverified one in public)."""
    sample = _public_sample(code)
    organisation = sample.organisation
    frozen = pvt.as_json(pvt.figures(sample, verified_only=True))
    return render(request, "observation/pvt_public.html", {
        "organisation": organisation, "sample": sample, **_sample_view(sample),
        "figures_html": _figures_html(request, frozen, organisation),
        "frame_url": reverse("portal:pvt_frame", args=[organisation.code]),
        "json_url": reverse("portal:pvt_sample_json", args=[organisation.code]),
        "verify_url": reverse("portal:pvt_verify")})


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def public_frame(request: HttpRequest, code: str) -> HttpResponse:
    """The frame file, byte for byte the one whose SHA-256 the page shows."""
    sample = _public_sample(code)
    return _download(bytes(sample.frame), "text/csv; charset=utf-8",
                     f"pvt-frame-{sample.organisation.code}.csv")


@require_safe
def public_sample_json(request: HttpRequest, code: str) -> HttpResponse:
    """What ``shafaf pvt sample --format json`` prints for the frame file and seed."""
    sample = _public_sample(code)
    drawn = {"algorithm": sample.algorithm, "frame_sha256": sample.frame_sha256,
             "seed_sha256": sample.seed_sha256, "strata": dict(sorted(sample.strata.items())),
             "stations": [s.station.code for s in pvt.sampled(sample)]}
    return _download((json.dumps(drawn, ensure_ascii=False, indent=2) + "\n").encode(),
                     "application/json", f"pvt-sample-{sample.organisation.code}.json")


@require_safe
def public_estimate_csv(request: HttpRequest, code: str) -> HttpResponse:
    sample = _public_sample(code)
    frozen = pvt.as_json(pvt.figures(sample, verified_only=True))
    return _download(pvt.estimate_file(frozen), "text/csv; charset=utf-8",
                     f"pvt-estimate-{sample.organisation.code}.csv")


@require_safe
def public_reports_csv(request: HttpRequest, code: str) -> HttpResponse:
    sample = _public_sample(code)
    return _download(pvt.reports_file(pvt.reports(sample, verified_only=True)),
                     "text/csv; charset=utf-8", f"pvt-reports-{sample.organisation.code}.csv")

