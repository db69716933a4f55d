"""The public status check of an update campaign request (docs/register-campaign.md):
the same rules as the page /register/request-status/."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ValidationError as PydanticError

from shafaf.access.addresses import counted_client
from shafaf.register import campaign_status

router = Router(tags=["register"])


class StatusIn(Schema):
    number: str = Field(max_length=20, description="the number on the request's receipt")
    birth_year: int = Field(ge=1900, le=9999, description="the person's year of birth")


class StepOut(Schema):
    state: str
    day: date


class StatusOut(Schema):
    number: str
    kind: str
    state: str = Field(description="submitted, verified, approved, rejected or applied")
    rejection_reason: str
    steps: list[StepOut]


class NotFoundOut(Schema):
    detail: str


MAX_BODY_BYTES = 1024


def _invalid(errors: list[dict[str, object]]) -> HttpResponse:
    return JsonResponse({"detail": gettext("The request is not valid: see the fields below."),
                         "errors": errors}, status=422)


def _body(request: HttpRequest) -> StatusIn | HttpResponse:
    """The JSON body, read here rather than by the router: a form-encoded or oversized
    body is a 422 like any other bad input, never an error of the server."""
    length = str(request.META.get("CONTENT_LENGTH") or "0")
    if request.content_type != "application/json" or not length.isdigit() \
            or int(length) > MAX_BODY_BYTES:
        return _invalid([{"loc": ["body"],
                          "message": gettext("a JSON object of at most 1 KB")}])
    try:
        return StatusIn.model_validate_json(request.body)
    except (PydanticError, RawPostDataException) as error:
        errors = error.errors() if isinstance(error, PydanticError) else []
        return _invalid([{"loc": [str(part) for part in e.get("loc", ())],
                          "message": str(e.get("msg", ""))} for e in errors])


@router.post("/status", auth=None, response={200: StatusOut, 404: NotFoundOut,
                                             422: NotFoundOut, 429: NotFoundOut},
             summary="The state of an update campaign request (public)",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": StatusIn.model_json_schema()}}}})
def status(request: HttpRequest) -> HttpResponse | Status[object]:
    """Body ``{"number": "...", "birth_year": 1990}``: the request's state and the
    day of each step, never a name. An unknown number and a wrong year get the same
    404; more than ten failed checks from one address in a minute get 429 with
    Retry-After."""
    body = _body(request)
    if isinstance(body, HttpResponse):
        return body
    answer = campaign_status.check(number=body.number, birth_year=body.birth_year,
                                   address=counted_client(request))
    if answer.throttled:
        response = JsonResponse({"detail": gettext(
            "Too many checks failed from your connection: try again later.")}, status=429)
        response["Retry-After"] = str(answer.retry_after)
        return response
    found = answer.status
    if found is None:
        return Status(404, {"detail": gettext("No request with this number and year of birth.")})
    return Status(200, {"number": found.number, "kind": found.kind, "state": found.state,
                        "rejection_reason": found.rejection_reason,
                        "steps": [{"state": state, "day": day} for state, day in found.steps]})
