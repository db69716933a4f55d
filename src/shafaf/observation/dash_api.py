"""``POST /api/observation/submissions/<uuid>/photos``: an observer adds an evidence
photo to their own incident report (multipart, field ``photo``). A plain Django view:
the upload is bounded before it is read (413), its type checked from its bytes (415).
The phone app sends the session's CSRF token, as for its other writes."""

from __future__ import annotations

import json
import uuid

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from shafaf.access.checks import can
from shafaf.access.roles import Capability
from shafaf.observation import evidence
from shafaf.observation.dash_refusals import DashRefused
from shafaf.observation.models import Observer, Submission
from shafaf.refusals import explain

STATUS = {"photo_too_large": 413, "photo_not_an_image": 415, "photo_unreadable": 415,
          "photo_too_many_pixels": 413, "too_many_photos": 409, "not_an_incident": 422}


def _json(status: int, payload: dict[str, object]) -> HttpResponse:
    response = HttpResponse(json.dumps(payload, ensure_ascii=False), status=status,
                            content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def photos(request: HttpRequest, submission_id: uuid.UUID) -> HttpResponse:
    if not request.user.is_authenticated:
        return _json(401, {"detail": "Log in as an observer."})
    if not can(request.user, Capability.SUBMIT_OBSERVATIONS):
        return _json(403, {"detail": "Only observers add photos to their reports."})
    observer = Observer.objects.filter(user=request.user).first()
    if observer is None:
        return _json(403, {"detail": "This account is not an observer's."})
    submission = Submission.objects.filter(pk=submission_id, observer=observer).select_related(
        "form").first()
    if submission is None:  # another's report is as if it did not exist
        return _json(404, {"detail": "No such report of yours."})
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > evidence.MAX_UPLOAD_BYTES + 64 * 1024:
        return _json(413, {"detail": f"At most {evidence.MAX_UPLOAD_BYTES} bytes."})
    if not (request.content_type or "").startswith("multipart/form-data"):
        return _json(415, {"detail": "Send the photo as multipart/form-data, field photo."})
    upload = request.FILES.get("photo")
    if upload is None:
        return _json(400, {"detail": "No file in the field photo."})
    if upload.size is not None and upload.size > evidence.MAX_UPLOAD_BYTES:
        return _json(413, {"detail": f"At most {evidence.MAX_UPLOAD_BYTES} bytes."})
    try:
        made = evidence.add_photo(observer=observer, submission=submission,
                                  content=upload.read(evidence.MAX_UPLOAD_BYTES + 1))
    except DashRefused as refused:
        return _json(STATUS.get(refused.code, 400),
                     {"error": refused.code, "detail": explain(refused).message})
    return _json(201, {"id": made.pk, "report": str(submission.pk), "width": made.width,
                       "height": made.height,
                       "photos": submission.photos.count()})
