"""The page where a reviewer enters a file of the ministries' replies to the external
checks, and downloads the sheet of the replies still awaited."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from shafaf.access.checks import capability_required, governorate_scope, require
from shafaf.access.people import Visitor
from shafaf.access.roles import Capability
from shafaf.core.certification import CandidateState, CheckKind, ListState
from shafaf.entities import labels, nomination_file
from shafaf.entities.actions.check_replies import HEADERS, OPTIONAL, REQUIRED, record_check_replies
from shafaf.entities.models import Candidate
from shafaf.refusals import problem_files
from shafaf.refusals.pages import run

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
COLUMNS = ("candidate_id", "name", "check", "outcome", "document")


def awaited(user: Visitor) -> list[list[str]]:
    """One row per check still unanswered of each candidate under review in the
    user's governorate: the reply sheet, to be filled in with the outcomes."""
    user = require(user, Capability.REVIEW_CANDIDATES)
    candidates = (Candidate.objects.filter(nomination__status=ListState.UNDER_REVIEW,
                                           status=CandidateState.NOMINATED)
                  .prefetch_related("checks")
                  .order_by("nomination__contest__governorate__code", "nomination__entity__code",
                            "position"))
    scope = governorate_scope(user)
    if scope is not None:
        candidates = candidates.filter(nomination__contest__governorate_id=scope)
    rows = [[str(HEADERS[column]) for column in COLUMNS]]
    for candidate in candidates:
        answered = {check.kind for check in candidate.checks.all()}
        rows += [[str(candidate.pk), candidate.full_name, str(labels.CHECKS[kind]), "", ""]
                 for kind in CheckKind if kind.value not in answered]
    return rows


@capability_required(Capability.REVIEW_CANDIDATES)
def check_replies(request: HttpRequest) -> HttpResponse:
    explanation: list[str] = []
    problems_file: str | None = None
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or upload.size is None or upload.size > MAX_UPLOAD_BYTES:
            explanation, status = [_("Choose a CSV or XLSX file of at most 5 MB.")], 400
        else:
            with problem_files.recorded(request.user.pk) as recorded:
                outcome = run(request, lambda: record_check_replies(
                    actor=request.user, name=upload.name or "", content=upload.read()),
                    done=_("Every reply in the file is recorded."))
            if not outcome.refused:
                return redirect("entities:check_replies")
            explanation, problems_file = outcome.lines, recorded.url
            if problems_file is not None:  # a rejected file: bad input
                status = 400
    return render(request, "entities/check_replies.html", {
        "explanation": explanation, "problems_file": problems_file,
        "columns": (*REQUIRED, *OPTIONAL),
        "headers": [str(HEADERS[column]) for column in COLUMNS],
        "checks": labels.CHECKS.values(), "outcomes": labels.OUTCOMES.values()},
        status=status)


@capability_required(Capability.REVIEW_CANDIDATES)
def reply_sheet(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in nomination_file.TEMPLATES:
        raise Http404
    write, content_type = nomination_file.TEMPLATES[kind]
    response = HttpResponse(write(awaited(request.user)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="check-replies.{kind}"'
    return response


urlpatterns = [
    path("staff/check-replies/", check_replies, name="check_replies"),
    path("staff/check-replies/awaited.<str:kind>", reply_sheet, name="reply_sheet"),
]
