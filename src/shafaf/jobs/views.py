"""A job's page: its progress bar while it runs, its outcome once over. Only the
person who asked sees it (anyone else: 404, as if it did not exist)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from shafaf.access.checks import capability_required
from shafaf.access.roles import Capability
from shafaf.jobs.models import Job


def _own_job(request: HttpRequest, job_id: int) -> Job:
    job = Job.objects.filter(pk=job_id, created_by_id=request.user.pk).first()
    if job is None:
        raise Http404
    return job


@require_safe
@capability_required(Capability.STAFF_AREA)
def job(request: HttpRequest, job_id: int) -> HttpResponse:
    return render(request, "jobs/job.html", {"job": _own_job(request, job_id)})


@require_safe
@capability_required(Capability.STAFF_AREA)
def progress(request: HttpRequest, job_id: int) -> JsonResponse:
    """The figures the page's script polls."""
    found = _own_job(request, job_id)
    response = JsonResponse({"state": found.state, "done": found.done, "total": found.total,
                             "percent": found.percent, "over": found.over})
    response["Cache-Control"] = "private, no-store"
    return response
