"""The candidate-list template, in the reader's language, for agents to fill in and
upload back (the format: docs/nominations.md)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from shafaf.access.checks import capability_required
from shafaf.access.roles import Capability
from shafaf.entities import nomination_file
from shafaf.entities.access import access_list


@capability_required(Capability.VIEW_NOMINATIONS)
def template(request: HttpRequest, list_id: int, kind: str) -> HttpResponse:
    """The header row in the reader's language and one example row, as CSV or XLSX."""
    if kind not in nomination_file.TEMPLATES:
        raise Http404
    subject = access_list(request.user, list_id)
    write, content_type = nomination_file.TEMPLATES[kind]
    grid = nomination_file.template_rows(governorate_code=subject.contest.governorate.code)
    response = HttpResponse(write(grid), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="candidates.{kind}"'
    return response


urlpatterns = [
    path("staff/nominations/<int:list_id>/template.<str:kind>", template,
         name="nomination_template"),
]
