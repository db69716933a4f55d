"""Observers' copies of the posted result forms against the published station results
(docs/observation-posted-forms.md): the coordinator's page (each difference, with the
photos, to verify or dismiss, and the verified ones to publish) and the public page of
published findings with its CSV.

Here because it joins two apps that do not import each other: observation (the
reports and the findings) and results (what was published).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from shafaf.access.checks import capability_required
from shafaf.access.people import Account
from shafaf.access.roles import Capability
from shafaf.core import posted_forms
from shafaf.core.posted_forms import Comparison, Difference, State, Step
from shafaf.entities.exports import _cell
from shafaf.observation import posted
from shafaf.observation.dash_models import EvidencePhoto
from shafaf.observation.dash_refusals import DashRefused
from shafaf.observation.deployment import organisation_of
from shafaf.observation.models import Organisation, OrganisationStatus, Submission
from shafaf.observation.posted_models import PostedFinding
from shafaf.refusals.pages import form_lines, run
from shafaf.results import published_counts
from shafaf.results.models import Publication
from shafaf.results.publication import latest_publication

CSV_COLUMNS = ("organisation", "station_id", "governorate", "item", "list_id",
               "on_posted_form", "published", "manifest_sha256", "published_at")


def _language() -> str:
    return (get_language() or "ar").split("-")[0]


def item_label(item: str, list_id: str = "") -> str:
    return {"registered": _("Registered voters"), "voted": _("Voters who voted"),
            "ballots_in_box": _("Ballots in the box"), "invalid": _("Invalid ballots"),
            "valid": _("Valid ballots")}.get(item) or (
        _("Votes of list %(list)s") % {"list": list_id})


def state_label(state: posted_forms.FindingState) -> str:
    return {posted_forms.FindingState.OPEN: _("to check against the photo"),
            posted_forms.FindingState.VERIFIED: _("verified against the photo"),
            posted_forms.FindingState.DISMISSED: _("dismissed"),
            posted_forms.FindingState.PUBLISHED: _("published")}[state]


@dataclass
class Line:
    difference: Difference
    finding: PostedFinding | None
    state: posted_forms.FindingState
    steps: tuple[str, ...]
    label: str
    state_label: str


@dataclass
class Station:
    report: Submission
    comparison: Comparison
    publication: Publication | None
    photos: list[int] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)


def _compare(reports: list[Submission]) -> list[Station]:
    """Each report against its station's latest publication: one publication read
    per governorate."""
    by_contest: dict[tuple[int, int], list[Submission]] = defaultdict(list)
    for report in reports:
        centre = report.station.centre
        by_contest[(centre.election_id, centre.governorate_id)].append(report)
    rows: list[Station] = []
    for (election_id, governorate_id), group in by_contest.items():
        contest = published_counts.contest_of(election_id=election_id,
                                              governorate_id=governorate_id)
        publication = latest_publication(contest) if contest else None
        counts = (published_counts.station_counts(publication,
                                                  {r.station.code for r in group})
                  if publication else {})
        for report in group:
            comparison = posted_forms.compare(
                transcribed=posted_forms.transcription(
                    report.answers if isinstance(report.answers, dict) else {}),
                published=counts.get(report.station.code))
            rows.append(Station(report=report, comparison=comparison,
                                publication=publication))
    rows.sort(key=lambda row: (row.report.station.code, row.report.received))
    return rows


def _decorate(rows: list[Station]) -> None:
    """Each difference with its finding (if decided) and its photos."""
    ids = [row.report.pk for row in rows]
    findings = {(f.submission_id, f.item, f.manifest_sha256): f
                for f in PostedFinding.objects.filter(submission_id__in=ids)}
    photos: dict[Any, list[int]] = defaultdict(list)
    for submission_id, photo_id in EvidencePhoto.objects.filter(
            submission_id__in=ids).values_list("submission_id", "pk"):
        photos[submission_id].append(photo_id)
    for row in rows:
        row.photos = photos.get(row.report.pk, [])
        sha = row.publication.manifest_sha256 if row.publication else ""
        for difference in row.comparison.differences:
            finding = findings.get((row.report.pk, difference.key, sha))
            state = posted.state_of(finding)
            row.lines.append(Line(
                difference=difference, finding=finding, state=state,
                steps=tuple(str(s) for s in posted_forms.steps_from(state)
                            if s is not Step.PUBLISH),
                label=item_label(difference.item, difference.list_id),
                state_label=state_label(state)))


class DecisionForm(forms.Form):
    report = forms.UUIDField()
    item = forms.CharField(max_length=48)
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False,
                             max_length=posted.REASON_LIMIT)


def _decide(request: HttpRequest, user: Account, organisation: Organisation,
            step: Step) -> tuple[bool, list[str]]:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return False, form_lines(form)
    report = posted.counting_reports(organisation).filter(
        pk=form.cleaned_data["report"]).first()
    if report is None:  # another organisation's report, or none: as if it did not exist
        raise Http404
    [row] = _compare([report])
    difference = next((d for d in row.comparison.differences
                       if d.key == form.cleaned_data["item"]), None)

    def step_() -> PostedFinding:
        if difference is None or row.publication is None:
            raise DashRefused("finding_not_found")
        return posted.decide(actor=user, organisation=organisation, submission=report,
                             difference=difference,
                             manifest_sha256=row.publication.manifest_sha256, step=step,
                             reason=form.cleaned_data["reason"])

    done = _("The difference is verified.") if step is Step.VERIFY else _(
        "The difference is dismissed.")
    outcome = run(request, step_, done=done)
    return not outcome.refused, outcome.lines


@require_http_methods(["GET", "HEAD", "POST"])
@capability_required(Capability.MANAGE_OBSERVERS)
def coordinator_page(request: HttpRequest) -> HttpResponse:
    """The organisation's counting reports whose station's result is published, each
    difference with the photos of the posted form."""
    user: Account = request.user  # type: ignore[assignment]
    organisation = organisation_of(user)
    lines: list[str] = []
    status = 200
    if request.method == "POST":
        step = request.POST.get("step")
        if step in (Step.VERIFY, Step.DISMISS):
            ok, lines = _decide(request, user, organisation, Step(step))
        elif step == Step.PUBLISH:
            outcome = run(request, lambda: posted.publish(actor=user,
                                                          organisation=organisation),
                          done=_("The verified differences are published."))
            ok, lines = not outcome.refused, outcome.lines
        else:
            ok, lines = False, [_("Choose a step: verify, dismiss or publish.")]
        if ok:
            return redirect("portal:posted")
        status = 400
    rows = _compare(list(posted.counting_reports(organisation)))
    compared = [row for row in rows if row.comparison.state is State.COMPARED]
    _decorate(compared)
    lists: dict[tuple[int, int], dict[str, posted.StandingList]] = {}
    for row in compared:
        centre = row.report.station.centre
        key = (centre.election_id, centre.governorate_id)
        if key not in lists:
            lists[key] = {found.list_id: found for found in posted.standing_lists(
                election_id=key[0], governorate_id=key[1])}
    for row in compared:  # a list's votes are named with the list
        centre = row.report.station.centre
        names = lists[(centre.election_id, centre.governorate_id)]
        for line in row.lines:
            standing = names.get(line.difference.list_id)
            if standing is not None:
                line.label += " · " + (getattr(standing, f"name_{_language()}", "")
                                       or standing.name_ar)
    verified = PostedFinding.objects.filter(organisation=organisation,
                                            state=posted_forms.FindingState.VERIFIED).count()
    return render(request, "observation/posted.html", {
        "organisation": organisation, "lines": lines,
        "rows": [row for row in compared if row.comparison.differences],
        "waiting": sum(1 for row in rows if row.comparison.state is State.NOT_PUBLISHED),
        "agreeing": sum(1 for row in compared if row.comparison.agrees),
        "verified": verified}, status=status)


def _findings(organisation: Organisation) -> list[dict[str, Any]]:
    out = []
    for finding in posted.published_findings(organisation):
        kind, _sep, list_id = finding.item.partition(":")
        out.append({"finding": finding, "list_id": list_id,
                    "label": item_label(kind, list_id), "kind": kind})
    return out


def _public(code: str) -> Organisation:
    found = (Organisation.objects.filter(code=code[:16], status=OrganisationStatus.APPROVED)
             .order_by("-election__polling_day").first())
    if found is None:
        raise Http404
    return found


@require_safe
def public_page(request: HttpRequest) -> HttpResponse:
    """Every approved organisation's published findings."""
    sections = []
    for organisation in (Organisation.objects.filter(status=OrganisationStatus.APPROVED,
                                                     findings__state=posted_forms.FindingState.PUBLISHED)
                         .distinct().order_by("code")):
        sections.append({"organisation": organisation, "findings": _findings(organisation)})
    return render(request, "observation/posted_public.html", {"sections": sections})


@require_safe
def public_csv(request: HttpRequest, code: str) -> HttpResponse:
    """An organisation's published findings, one number a row (codes, not words)."""
    organisation = _public(code)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in _findings(organisation):
        finding = row["finding"]
        writer.writerow([_cell(v) for v in (
            organisation.code, finding.station.code,
            finding.station.centre.governorate.code, row["kind"], row["list_id"],
            finding.transcribed, finding.published, finding.manifest_sha256,
            finding.published_at.isoformat(timespec="seconds")
            if finding.published_at else "")])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="findings-{organisation.code}.csv"'
    return response
