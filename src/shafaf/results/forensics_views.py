"""The public forensics pages of published results (docs/forensics.md, "The pages"): a
governorate's, from its latest publication, and the election's, over every published
governorate; each plot served as SVG from its own address."""

from __future__ import annotations

import csv
import functools
import io
import subprocess
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from shafaf.elections.models import Election
from shafaf.results import forensics, publication
from shafaf.results.models import Publication
from shafaf.results.publication_views import public_contest

# A plot is a file of matplotlib's: its own <style>, and the fingerprint's picture as
# a data URL. Nothing else may load or run, whoever opens it.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _unavailable(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """The command could not compute the figures (it refused the files, or ran past its
    time): a page that says so with 503, never a traceback; the next request tries
    again, as nothing was stored."""
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except (forensics.ForensicsFailed, subprocess.TimeoutExpired):
            return render(request, "_error.html", {
                "status": 503, "heading": _("The forensics could not be computed just now"),
                "explanation": _("The published files are safe and can be downloaded from "
                                 "the results page. Try this page again in a few minutes.")},
                status=503)
    return wrapped


def _digits(summary: dict[str, Any]) -> list[dict[str, Any]]:
    used = summary["last_digit"]["counts_used"]
    return [{"digit": digit, "count": count,
             "percent": f"{100 * count / used:.2f}" if used else "—"}
            for digit, count in enumerate(summary["last_digit"]["frequencies"])]


def _shown(summary: dict[str, Any]) -> dict[str, Any]:
    """The figures as the page prints them (the JSON keeps full precision)."""
    digits, rounded = summary["last_digit"], summary["zero_or_five"]
    p_value = digits["p_value"]
    return {
        "chi2": f"{digits['chi2']:.3f}",
        "p_value": "—" if p_value is None else f"{p_value:.4g}",
        "small_p": p_value is not None and p_value < 0.05,
        "share": "—" if rounded["share"] is None else f"{100 * rounded['share']:.2f}",
        "z": "—" if rounded["z"] is None else f"{rounded['z']:.2f}",
    }


def _list_names(latest: Publication) -> dict[str, str]:
    row = publication.published_file(latest, "lists.csv")
    if row is None:
        return {}
    return {line["list_id"]: line["name"]
            for line in csv.DictReader(io.StringIO(bytes(row.content).decode()))}


def _context(figures: forensics.Figures, plots: str) -> dict[str, Any]:
    summary = figures.all
    return {"summary": summary, "digits": _digits(summary), "shown": _shown(summary),
            "plots": {forensics.PLOTS[kind]: f"{plots}{kind}.svg" for kind in figures.plots}}


@require_safe
@_unavailable
def governorate(request: HttpRequest, election: str, governorate: str) -> HttpResponse:
    contest = public_contest(election, governorate)
    latest = publication.latest_publication(contest)
    context: dict[str, Any] = {"election": contest.election, "contest": contest,
                               "publication": latest}
    if latest is not None:
        figures = forensics.of_publication(latest)
        context.update(_context(figures, reverse(
            "results:forensics", args=[contest.election.code, contest.governorate.code])))
        fingerprint = figures.all.get("fingerprint")
        if fingerprint is not None:
            context["list_name"] = _list_names(latest).get(fingerprint["list_id"], "")
    return render(request, "results/forensics.html", context)


@require_safe
@_unavailable
def election(request: HttpRequest, election: str) -> HttpResponse:
    chosen = get_object_or_404(Election, code=election[:64])
    published = forensics.latest_publications(chosen)
    context: dict[str, Any] = {"election": chosen, "published": published}
    if published:
        figures = forensics.of_election(chosen, published)
        context.update(_context(figures, reverse("results:election_forensics",
                                                 args=[chosen.code])))
        by_code = {contest.governorate.code: (contest, latest) for contest, latest in published}
        context["governorates"] = [
            {"contest": by_code[group["name"]][0], "summary": group, "shown": _shown(group)}
            for group in figures.governorates if group["name"] in by_code]
    return render(request, "results/election_forensics.html", context)


def _svg(request: HttpRequest, figures: forensics.Figures, kind: str) -> HttpResponseBase:
    if kind not in figures.plots:
        raise Http404
    etag = f'"{figures.key}-{kind}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(figures.plots[kind], content_type="image/svg+xml")
        response["Content-Security-Policy"] = SVG_POLICY
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_safe
@_unavailable
def governorate_plot(request: HttpRequest, election: str, governorate: str, kind: str
                     ) -> HttpResponseBase:
    contest = public_contest(election, governorate)
    latest = publication.latest_publication(contest)
    if latest is None or kind not in forensics.PLOTS:
        raise Http404
    return _svg(request, forensics.of_publication(latest), kind)


@require_safe
@_unavailable
def election_plot(request: HttpRequest, election: str, kind: str) -> HttpResponseBase:
    chosen = get_object_or_404(Election, code=election[:64])
    published = forensics.latest_publications(chosen)
    if not published or kind not in forensics.PLOTS:
        raise Http404
    return _svg(request, forensics.of_election(chosen, published), kind)
