"""Deployment, coverage, incidents, alerts, the dashboard and the statement for an
organisation's coordinator; the public page and statements (docs/observation-dashboards.md)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from shafaf.access.checks import can, capability_required
from shafaf.access.people import Account
from shafaf.access.roles import Capability
from shafaf.core import observation_figures as fig
from shafaf.observation import alerts, dash_charts, dash_figures, deployment, pvt, statements
from shafaf.observation.dash_models import Alert, EvidencePhoto, Statement
from shafaf.observation.deployment import CODE_LIMIT, organisation_of
from shafaf.observation.models import (
    Assignment,
    Observer,
    ObserverStatus,
    Organisation,
    OrganisationStatus,
    Submission,
    Verification,
)
from shafaf.observation.pvt_models import PvtSample
from shafaf.refusals.pages import form_lines, run

CATEGORIES = ("violence", "intimidation", "vote_buying", "campaigning",
              "unauthorised_persons", "observers_obstructed", "missing_materials",
              "device_failure", "counts_differ", "other")
SEVERITIES = ("minor", "serious", "critical")
SEARCH_LIMIT = 50


def category_labels() -> dict[str, str]:
    return {"violence": _("violence"), "intimidation": _("intimidation"),
            "vote_buying": _("vote buying"), "campaigning": _("campaigning in the station"),
            "unauthorised_persons": _("unauthorised persons"),
            "observers_obstructed": _("observers obstructed"),
            "missing_materials": _("missing materials"), "device_failure": _("device failure"),
            "counts_differ": _("manual and electronic counts differ"), "other": _("other")}


def severity_labels() -> dict[str, str]:
    return {"minor": _("minor"), "serious": _("serious"), "critical": _("critical")}


def _coordinator(request: HttpRequest) -> tuple[Account, Organisation]:
    user: Account = request.user  # type: ignore[assignment]
    return user, organisation_of(user)


def _coverage_view(rows: list[fig.Coverage], ident: str) -> dict[str, Any]:
    names = dash_figures.governorate_names()
    table = [{"governorate": names.get(r.governorate, r.governorate), "row": r,
              "centres": fig.percent(r.centre_share), "stations": fig.percent(r.station_share)}
             for r in rows]
    chart = dash_charts.bars(
        [(names.get(r.governorate, r.governorate), float(r.station_share or 0),
          fig.percent(r.station_share)) for r in rows],
        title=_("Stations covered, by governorate"), rtl=get_language_bidi(), ident=ident,
        top=1)
    return {"coverage": table, "coverage_chart": chart,
            "coverage_total": fig.total_coverage(rows)}


# --- deployment --------------------------------------------------------------------------

class AssignForm(forms.Form):
    observer = forms.IntegerField(label=gettext_lazy("Observer"), min_value=1)
    code = forms.CharField(label=gettext_lazy("Centre or station code"), max_length=CODE_LIMIT)


class RemoveForm(forms.Form):
    assignment = forms.IntegerField(min_value=1)


@require_http_methods(["GET", "HEAD", "POST"])
@capability_required(Capability.MANAGE_OBSERVERS)
def deployment_page(request: HttpRequest) -> HttpResponse:
    user, organisation = _coordinator(request)
    status = 200
    lines: list[str] = []
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "assign":
            form = AssignForm(request.POST)
            if form.is_valid():
                outcome = run(request, lambda: deployment.assign(
                    actor=user, organisation=organisation,
                    observer_id=form.cleaned_data["observer"], code=form.cleaned_data["code"]),
                    done=_("The observer is deployed."))
                if not outcome.refused:
                    return redirect("observation:deployment")
                lines, status = outcome.lines, 400
            else:
                lines, status = form_lines(form), 400
        elif step == "remove":
            remove = RemoveForm(request.POST)
            if not remove.is_valid():
                return HttpResponse(status=400)
            run(request, lambda: deployment.unassign(
                actor=user, organisation=organisation,
                assignment_id=remove.cleaned_data["assignment"]),
                done=_("The assignment is removed."))
            return redirect("observation:deployment")
        else:
            return HttpResponse(status=400)
    query = request.GET.get("q", "").strip().upper()[:CODE_LIMIT]
    found = []
    if query:
        found = list(deployment.stations_within(organisation).filter(
            Q(code__startswith=query) | Q(centre__code__startswith=query))
            .select_related("centre").order_by("code")[:SEARCH_LIMIT])
    observers = list(Observer.objects.filter(organisation=organisation,
                                             status=ObserverStatus.ACCREDITED)
                     .order_by("full_name"))
    assignments = list(Assignment.objects.filter(observer__organisation=organisation)
                       .select_related("observer", "station", "centre")
                       .order_by("observer__full_name", "station__code"))
    return render(request, "observation/deployment.html", {
        "organisation": organisation, "observers": observers, "assignments": assignments,
        "query": query, "found": found, "lines": lines,
        **_coverage_view(dash_figures.coverage(organisation), "coverage")}, status=status)


@require_safe
@capability_required(Capability.STAFF_AREA)
def coverage_page(request: HttpRequest) -> HttpResponse:
    """A coordinator's own organisation; the accreditation staff see every one."""
    user: Account = request.user  # type: ignore[assignment]
    if can(user, Capability.ACCREDIT_OBSERVERS):
        organisations = list(Organisation.objects.filter(status=OrganisationStatus.APPROVED)
                             .order_by("code"))
    elif can(user, Capability.MANAGE_OBSERVERS):
        organisations = [organisation_of(user)]
    else:
        raise PermissionDenied
    sections = [{"organisation": o, **_coverage_view(dash_figures.coverage(o), f"cov-{o.pk}")}
                for o in organisations]
    return render(request, "observation/coverage.html", {"sections": sections})


# --- incidents, photos, alerts ---------------------------------------------------------

@require_safe
@capability_required(Capability.MANAGE_OBSERVERS)
def incidents_page(request: HttpRequest) -> HttpResponse:
    _user, organisation = _coordinator(request)
    reports = (Submission.objects.filter(observer__organisation=organisation,
                                         form__code=dash_figures.INCIDENT_FORM)
               .select_related("observer", "station", "station__centre__governorate")
               .annotate(photo_count=Count("photos")).order_by("-received"))
    chosen = {key: request.GET.get(key, "")[:32] for key in
              ("category", "severity", "governorate", "status")}
    if chosen["category"] in CATEGORIES:
        reports = reports.filter(answers__category=chosen["category"])
    if chosen["severity"] in SEVERITIES:
        reports = reports.filter(answers__severity=chosen["severity"])
    if chosen["governorate"]:
        reports = reports.filter(station__centre__governorate__code=chosen["governorate"])
    if chosen["status"] in Verification.values:
        reports = reports.filter(status=chosen["status"])
    shown = list(reports[:200])
    photos: dict[Any, list[int]] = {}
    for submission_id, photo_id in EvidencePhoto.objects.filter(
            submission__in=[r.pk for r in shown]).values_list("submission_id", "pk"):
        photos.setdefault(submission_id, []).append(photo_id)
    categories, severities = category_labels(), severity_labels()
    rows = [{"report": r, "answers": r.answers if isinstance(r.answers, dict) else {},
             "category": categories.get(str(r.answers.get("category")), "")
             if isinstance(r.answers, dict) else "",
             "severity": severities.get(str(r.answers.get("severity")), "")
             if isinstance(r.answers, dict) else "",
             "photos": photos.get(r.pk, [])} for r in shown]
    return render(request, "observation/incidents.html", {
        "organisation": organisation, "rows": rows, "chosen": chosen,
        "categories": categories, "severities": severities,
        "governorates": organisation.governorates.order_by("code"),
        "statuses": Verification.choices})


@require_safe
@capability_required(Capability.STAFF_AREA)
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """An evidence photo: its organisation's coordinators and the accreditation staff."""
    user: Account = request.user  # type: ignore[assignment]
    found = get_object_or_404(EvidencePhoto.objects.select_related("submission__observer"),
                              pk=pk)
    if not can(user, Capability.ACCREDIT_OBSERVERS):
        if not can(user, Capability.MANAGE_OBSERVERS):
            raise PermissionDenied
        if organisation_of(user).pk != found.submission.observer.organisation_id:
            raise Http404
    response = HttpResponse(bytes(found.image), content_type=found.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="photo-{found.pk}.jpg"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@capability_required(Capability.MANAGE_OBSERVERS)
def alerts_page(request: HttpRequest) -> HttpResponse:
    user, organisation = _coordinator(request)
    if request.method == "POST":
        if request.POST.get("step") != "read":
            return HttpResponse(status=400)
        raw = request.POST.get("alert", "")
        ids = None
        if raw:
            if not raw.isdigit() or len(raw) > 18:
                return HttpResponse(status=400)
            ids = [int(raw)]
        alerts.mark_read(user, ids)
        return redirect("observation:alerts")
    listed = list(Alert.objects.filter(user=user).select_related(
        "submission", "submission__station", "submission__observer")[:200])
    categories = category_labels()
    return render(request, "observation/alerts.html", {
        "organisation": organisation, "unread": alerts.unread(user),
        "rows": [{"alert": a, "answers": a.submission.answers,
                  "category": categories.get(str(a.submission.answers.get("category")), "")}
                 for a in listed]})


# --- the dashboard ----------------------------------------------------------------------

def _figures_view(found: dash_figures.Dashboard, prefix: str) -> dict[str, Any]:
    """Charts and tables of a dashboard, for the coordinator's page and the public one."""
    rtl = get_language_bidi()
    names = dash_figures.governorate_names()
    categories = category_labels()
    turnout = [{"hour": f"{t.hour:02d}:00", "row": t, "share": fig.percent(t.turnout)}
               for t in found.turnout]
    by_category = [(categories.get(k, k), v) for k, v in found.incidents.by_category.items()]
    by_governorate = [(names.get(k, k), v)
                      for k, v in found.incidents.by_governorate.items()]
    return {
        "on_time": found.on_time, "on_time_share": fig.percent(found.on_time.on_time_share),
        "turnout": turnout,
        "turnout_chart": dash_charts.bars(
            [(f"{t.hour:02d}:00", float(t.turnout or 0), fig.percent(t.turnout))
             for t in found.turnout],
            title=_("Observed turnout by hour"), rtl=rtl, ident=f"{prefix}-turnout", top=1),
        "incidents": found.incidents, "by_category": by_category,
        "by_governorate": by_governorate,
        "category_chart": dash_charts.bars(
            [(label, n, f"{n:,}") for label, n in by_category],
            title=_("Incidents by category"), rtl=rtl, ident=f"{prefix}-categories"),
        "governorate_chart": dash_charts.bars(
            [(label, n, f"{n:,}") for label, n in by_governorate],
            title=_("Incidents by governorate"), rtl=rtl, ident=f"{prefix}-governorates"),
        **_coverage_view(found.coverage, f"{prefix}-coverage"),
    }


@require_safe
@capability_required(Capability.MANAGE_OBSERVERS)
def dashboard_page(request: HttpRequest) -> HttpResponse:
    _user, organisation = _coordinator(request)
    found = dash_figures.dashboard(organisation)
    rtl = get_language_bidi()
    hours = [{"hour": f"{h.hour:02d}:00", "row": h,
              "share": fig.percent(h.cumulative_share)} for h in found.by_hour]
    received = found.by_hour[-1].cumulative if found.by_hour else 0
    return render(request, "observation/dashboard.html", {
        "organisation": organisation, "expected": found.expected, "hours": hours,
        "received_total": received,
        "received_chart": dash_charts.bars(
            [(f"{h.hour:02d}:00", h.cumulative, f"{h.cumulative:,}") for h in found.by_hour],
            title=_("Forms received by hour (running total)"), rtl=rtl, ident="received",
            top=max(found.expected, received) or 1),
        "critical": [{"report": r, "category": category_labels().get(
            str(r.answers.get("category")), "")} for r in found.critical],
        **_figures_view(found, "dash")})


# --- the statement and the public page ----------------------------------------------------

class StatementForm(forms.Form):
    text_ar = forms.CharField(label=gettext_lazy("Statement (Arabic)"),
                              max_length=statements.TEXT_LIMIT, widget=forms.Textarea)
    text_ckb = forms.CharField(label=gettext_lazy("Statement (Kurdish)"), required=False,
                               max_length=statements.TEXT_LIMIT, widget=forms.Textarea)
    text_en = forms.CharField(label=gettext_lazy("Statement (English)"), required=False,
                              max_length=statements.TEXT_LIMIT, widget=forms.Textarea)


@require_http_methods(["GET", "HEAD", "POST"])
@capability_required(Capability.MANAGE_OBSERVERS)
def statement_page(request: HttpRequest) -> HttpResponse:
    user, organisation = _coordinator(request)
    current = Statement.objects.filter(organisation=organisation).first()
    status = 200
    lines: list[str] = []
    if request.method == "POST":
        form = StatementForm(request.POST)
        if form.is_valid():
            outcome = run(request, lambda: statements.publish(
                actor=user, organisation=organisation, **form.cleaned_data),
                done=_("The statement is published."))
            if not outcome.refused:
                return redirect("observation:statement")
            lines, status = outcome.lines, 400
        else:
            lines, status = form_lines(form), 400
    else:
        form = StatementForm(initial={"text_ar": current.text_ar, "text_ckb": current.text_ckb,
                                      "text_en": current.text_en} if current else None)
    found = dash_figures.dashboard(organisation, verified_only=True)
    return render(request, "observation/statement_edit.html", {
        "organisation": organisation, "form": form, "current": current, "lines": lines,
        **_figures_view(found, "preview")}, status=status)


@require_safe
def public_index(request: HttpRequest) -> HttpResponse:
    """Each approved organisation's verified aggregates: no person, no unverified report."""
    sections = []
    for organisation in Organisation.objects.filter(
            status=OrganisationStatus.APPROVED).order_by("code"):
        found = dash_figures.dashboard(organisation, verified_only=True)
        sections.append({"organisation": organisation,
                         "statement": Statement.objects.filter(
                             organisation=organisation, published__isnull=False).exists(),
                         "pvt": PvtSample.objects.filter(organisation=organisation,
                                                         discarded_at__isnull=True).exists(),
                         **_figures_view(found, f"org-{organisation.pk}")})
    return render(request, "observation/public_index.html", {"sections": sections})


def _published(code: str) -> Statement:
    statement = (Statement.objects.filter(organisation__code=code[:16],
                                          organisation__status=OrganisationStatus.APPROVED,
                                          published__isnull=False)
                 .select_related("organisation")
                 .order_by("-organisation__election__polling_day").first())
    if statement is None:
        raise Http404
    return statement


def _statement_context(statement: Statement) -> dict[str, Any]:
    figures = statement.figures
    names = dash_figures.governorate_names()
    categories = category_labels()
    coverage = [{**r, "governorate": names.get(r["governorate"], r["governorate"]),
                 "share": fig.percent(fig.share(r["stations_covered"], r["stations"]))}
                for r in figures.get("coverage", [])]
    opened = figures.get("opened", {"stations": 0, "on_time": 0})
    return {
        "statement": statement, "organisation": statement.organisation,
        "coverage": coverage, "opened": opened,
        "opened_share": fig.percent(fig.share(opened["on_time"], opened["stations"])),
        "turnout": [{**t, "hour": f'{t["hour"]:02d}:00',
                     "share": fig.percent(fig.share(t["voters"], t["registered"]))}
                    for t in figures.get("turnout", [])],
        "incidents_total": figures.get("incidents", {}).get("total", 0),
        "by_category": [(categories.get(k, k), v) for k, v in
                        figures.get("incidents", {}).get("by_category", {}).items()],
        "by_governorate": [(names.get(k, k), v) for k, v in
                           figures.get("incidents", {}).get("by_governorate", {}).items()],
        # Frozen with the statement (docs/pvt-app.md); older statements have neither.
        "pvt": pvt.figures_view(figures["pvt"], statement.organisation)
        if "pvt" in figures else None,
        "posted_findings": figures.get("posted_findings"),
        "pvt_data": "pvt_reports" in figures,
    }


@require_safe
def public_statement(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "observation/statement.html",
                  _statement_context(_published(code)))


@require_safe
def public_statement_pvt(request: HttpRequest, code: str, part: str) -> HttpResponse:
    """The PVT data as the statement froze it: ``estimate.csv`` (the statement's figures)
    and ``reports.csv`` (the counts they come from; with the sample's frame.csv,
    ``shafaf pvt estimate`` gives the statement's estimate again). 404 for a statement
    that froze no PVT."""
    statement = _published(code)
    frozen = statement.figures
    if part == "estimate" and "pvt" in frozen:
        content = pvt.estimate_file(frozen["pvt"])
    elif part == "reports" and "pvt_reports" in frozen:
        content = pvt.votes_file(frozen["pvt_reports"])
    else:
        raise Http404
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="statement-{statement.organisation.code}-pvt-{part}.csv"')
    return response


@require_safe
def public_statement_pdf(request: HttpRequest, code: str) -> HttpResponse:
    statement = _published(code)
    response = HttpResponse(statements.pdf(statement, _statement_context(statement)),
                            content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="statement-{statement.organisation.code}.pdf"')
    return response
