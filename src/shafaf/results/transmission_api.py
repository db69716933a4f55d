"""``POST /api/results/transmissions``: a counting device's signed result.

A plain Django view, not a django-ninja route: the signature covers the body's
canonical bytes and the log keeps the SHA-256 of the body exactly as received, so the
view reads the raw body itself, at most :data:`shafaf.core.transmission.MAX_BODY`
bytes (a larger declared body is refused unread with 413), where the API would
parse it first and hold Django's own larger upload limit. No session or cookie
authorises anything here (the signature does), so it is exempt from CSRF
(docs/results-transmission.md).
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from shafaf.access.addresses import client_address
from shafaf.core import transmission as wire
from shafaf.refusals import explain
from shafaf.results.transmissions import STATUS, TransmissionRefused, receive


def _json(status: int, payload: dict[str, object]) -> HttpResponse:
    response = HttpResponse(json.dumps(payload, ensure_ascii=False), status=status,
                            content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
def transmissions(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        response = _json(405, {"error": "method_not_allowed",
                               "message": "Send a transmission as a POST."})
        response["Allow"] = "POST"
        return response
    if request.content_type != "application/json":
        # Not a transmission at all (a form posted by a browser, a probe): refused
        # before anything is read, and not logged.
        return _json(415, {"error": "unsupported_media_type",
                           "message": "Send the transmission as application/json."})
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    # A body declared larger than the limit is refused unread; one that says less and
    # sends more is read one byte past the limit, and refused.
    body = None if declared > wire.MAX_BODY else request.read(wire.MAX_BODY + 1)
    try:
        received = receive(body=body, size=declared, client_address=client_address(request))
    except TransmissionRefused as refused:
        explanation = explain(refused)
        response = _json(STATUS.get(refused.code, 400),
                         {"error": refused.code, "message": explanation.message})
        if response.status_code == 429:
            response["Retry-After"] = "60"
        return response
    form = received.form
    return _json(201, {
        "transmission": received.log.pk, "form": form.pk, "station": form.station.code,
        "component": form.component, "state": form.state, "errors": form.errors,
        "warnings": form.warnings, "outcome": received.outcome,
        "audit_reason": received.audit_reason})
