"""The public candidate directory: pages and downloads, open to everyone (no login).

The reads are in :mod:`shafaf.entities.selectors`, the downloads in
:mod:`shafaf.entities.exports`; these views check the input,
call them, and render.
"""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shafaf.elections import selectors as election_selectors
from shafaf.elections.models import Contest, Election, Governorate
from shafaf.entities import exports, selectors


def _sorted_by_name(contests: list[Contest]) -> list[Contest]:
    return sorted(contests, key=lambda c: (c.governorate.name, c.governorate.code))


def index(request: HttpRequest) -> HttpResponse:
    """Choose an election and a governorate; the governorate page's switcher
    comes here too, and is sent on to the page it asked for."""
    elections = list(Election.objects.order_by("-polling_day", "code"))
    contests = list(selectors.contests_with_counts(elections))
    wanted = (request.GET.get("election", ""), request.GET.get("governorate", ""))
    error = ""
    if all(wanted):
        if any((c.election.code, c.governorate.code) == wanted for c in contests):
            url = reverse("entities:directory_governorate",
                          kwargs={"election": wanted[0], "governorate": wanted[1]})
            query = request.GET.get("q", "").strip()
            return redirect(url + ("?" + urlencode({"q": query}) if query else ""))
        error = _("That election has no contest in that governorate.")
    sections = [(election, _sorted_by_name([c for c in contests if c.election_id == election.pk]))
                for election in elections]
    governorates = {c.governorate.code: c.governorate for c in contests}
    return render(request, "entities/directory_index.html", {
        "sections": sections, "error": error, "chosen": wanted,
        "governorates": sorted(governorates.values(), key=lambda g: (g.name, g.code)),
    })


def governorate_page(request: HttpRequest, election: str, governorate: str) -> HttpResponse:
    chosen = get_object_or_404(Election, code=election)
    contests = list(selectors.contests_with_counts([chosen]))
    contest = next((c for c in contests if c.governorate.code == governorate), None)
    if contest is None:
        raise Http404("no such contest")
    query = request.GET.get("q", "").strip()[:selectors.MAX_QUERY_LENGTH]
    entries = selectors.standing_lists(chosen, governorate=contest.governorate, query=query)
    return render(request, "entities/directory_governorate.html", {
        "election": chosen, "contest": contest, "governorate": contest.governorate,
        "contests": _sorted_by_name(contests), "query": query,
        "general": [e for e in entries if not e.is_component],
        "components": selectors.by_component(entries),
        "list_count": len(entries),
        "candidate_count": sum(len(e.candidates) for e in entries),
    })


def _governorate_filter(request: HttpRequest, election: Election) -> Governorate | None:
    """``?governorate=IQ-XX``, which must be one of the election's contests (404)."""
    code = request.GET.get("governorate", "").strip()
    if not code:
        return None
    contest = (Contest.objects.select_related("governorate")
               .filter(election=election, governorate__code=code).first())
    if contest is None:
        raise Http404("no such contest")
    return contest.governorate


def _filename(election: Election, governorate: Governorate | None, suffix: str) -> str:
    # Both codes come from the database and are ASCII letters, digits and hyphens.
    parts = [election.code, *([governorate.code] if governorate else []), suffix]
    return "-".join(parts)


def candidates_csv(request: HttpRequest, election: str) -> HttpResponse:
    """Every standing candidate, one row each, UTF-8 with a byte-order mark so that
    Excel shows the Arabic and Kurdish names."""
    chosen = get_object_or_404(Election, code=election)
    governorate = _governorate_filter(request, chosen)
    entries = selectors.standing_lists(chosen, governorate=governorate)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(chosen, governorate, "candidates.csv")}"')
    response.write("\ufeff")
    csv.writer(response).writerows(exports.csv_rows(entries))
    return response


def nist_json(request: HttpRequest, election: str) -> JsonResponse:
    """The directory as a NIST SP 1500-100 v2 ElectionReport (pre-election)."""
    chosen = get_object_or_404(Election, code=election)
    governorate = _governorate_filter(request, chosen)
    entries = selectors.standing_lists(chosen, governorate=governorate)
    contests = election_selectors.contests(chosen)
    if governorate is not None:
        contests = contests.filter(governorate=governorate)
    report = exports.nist_report(chosen, entries, contests=contests,
                                   generated=timezone.now())
    response = JsonResponse(report, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = (
        f'inline; filename="{_filename(chosen, governorate, "nist.json")}"')
    return response


urlpatterns = [
    path("candidates/", index, name="directory"),
    path("candidates/<slug:election>/candidates.csv", candidates_csv, name="directory_csv"),
    path("candidates/<slug:election>/nist.json", nist_json, name="directory_nist"),
    path("candidates/<slug:election>/<str:governorate>/", governorate_page,
         name="directory_governorate"),
]
