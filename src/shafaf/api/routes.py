from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError

from shafaf.api import (
    accreditation,
    audit,
    elections,
    entities,
    nominations,
    observation,
    results,
)
from shafaf.api import campaign as register_campaign
from shafaf.core.refusal import Hidden, Refused
from shafaf.refusals import explain

api = NinjaAPI(
    title="Shafaf API",
    version="1",
    description="Elections, geography and polling stations, the candidate directory, and the "
                "audit chain's head.",
    urls_namespace="api",
    # Swagger's files come from django-ninja's own static folder (the "ninja" app is
    # installed for that), never from a CDN; no validator badge calls out either.
    docs=Swagger(settings={"validatorUrl": None}),
)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "Forbidden"}, status=403)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Input the schema refuses (a page that is not a number, a choice that does not
    exist): 422, with a sentence in the reader's language and the fields at fault."""
    return api.create_response(request, {
        "detail": gettext("The request is not valid: see the fields below."),
        "errors": [{"loc": [str(part) for part in error.get("loc", ())],
                    "message": str(error.get("msg", ""))} for error in exc.errors]},
        status=422)


@api.exception_handler(Refused)
def refused(request: HttpRequest, exc: Refused) -> HttpResponse:
    """An action's refusal: 409 with the same message a page shows and the rules
    broken, each with its code; someone else's thing is a 404, as on the pages."""
    if isinstance(exc, Hidden):
        return api.create_response(request, {"detail": "Not Found"}, status=404)
    return refusal_response(request, exc)


def refusal_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    explanation = explain(exc)
    return api.create_response(request, {
        "detail": explanation.message, "code": explanation.code,
        "violations": [{"code": d.code, "position": d.position, "message": d.message}
                       for d in explanation.details]}, status=409)


api.add_router("/elections/", elections.router)
api.add_router("/audit/", audit.router)
api.add_router("/entities/", entities.router)
api.add_router("/nominations/", nominations.router)
api.add_router("/results/", results.router)
# The update campaign's public status check
api.add_router("/register/requests/", register_campaign.router)
# Observation: accreditation (the badge verifier, the observer's own badge)
api.add_router("/accreditation/", accreditation.router)
# Observation: the observer's forms, stations and reports (docs/observation-api.md)
api.add_router("/observation/", observation.router)
