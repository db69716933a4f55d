from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from shafaf.api import audit, elections, entities, nominations

api = NinjaAPI(
    title="Shafaf API",
    version="1",
    description="Elections, geography and polling stations, the candidate directory, and the "
                "audit chain's head.",
    urls_namespace="api",
)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "Forbidden"}, status=403)


api.add_router("/elections/", elections.router)
api.add_router("/audit/", audit.router)
api.add_router("/entities/", entities.router)
api.add_router("/nominations/", nominations.router)
