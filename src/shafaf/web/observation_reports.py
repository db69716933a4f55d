"""``POST /api/observation/submissions`` on a lean path, for polling day's bursts of
observers' reports (docs/observation-api.md, "The lean path").

The endpoint's view (shafaf.api.observation) runs behind every middleware and
django-ninja, and asks the database eleven times for a new report. On polling day
thousands of phones send their opening forms within minutes, in bursts, and send
each again when an answer is lost. This middleware, placed after the content-policy
and security middleware (so every security header is still sent), answers the
common case itself: a signed-in, accredited observer with a valid CSRF token sending
a well-formed report. It checks what the full path checks, with the same functions
(the NUL refusal, django-ninja's CSRF check, Django's session and account checks,
the working day and the capability) and stores through the same
:mod:`shafaf.observation.submissions`, in one query and one transaction.

Anything else (no session, a bad token, an account that is not an observer's, a
malformed body, a broken database connection) goes on to the full path, which
answers it as it always has: the lean path never refuses what the full path would
accept, nor words a refusal differently. A report refused by the rules (not their
station, no such form, answers that do not fit) is answered here, with the same body.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.contrib import auth
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from ninja.utils import check_csrf

from shafaf.access.checks import can
from shafaf.access.roles import Capability
from shafaf.accounts.sessions import day_is_over
from shafaf.api import observation as api
from shafaf.observation import submissions
from shafaf.web.nul_bytes import carries_nul

PATH = "/api/observation/submissions"


class ReportMiddleware:
    """Answers a well-formed report by an accredited observer; every other request,
    and every report it cannot answer on the lean path, goes on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.store = import_module(settings.SESSION_ENGINE).SessionStore

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info != PATH or request.method != "POST":
            return self.get_response(request)
        try:
            answered = self.answer(request)
        except (InterfaceError, OperationalError):
            connection.close()
            answered = None
        return answered if answered is not None else self.get_response(request)

    def answer(self, request: HttpRequest) -> HttpResponse | None:
        length = str(request.META.get("CONTENT_LENGTH") or "")
        if not length.isdigit() or int(length) > api.MAX_BODY_BYTES or carries_nul(request):
            return None
        if check_csrf(request) is not None:
            return None
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if not key:
            return None
        # Django checks a reused connection before a request's first query (a round
        # trip); a broken one fails the lean path, which then closes it and leaves the
        # report to the full path (a report stored meanwhile is found there, by its id).
        connection.health_check_done = True  # type: ignore[attr-defined]
        request.session = self.store(key)
        user = auth.get_user(request)
        if (not can(user, Capability.SUBMIT_OBSERVATIONS)
                or getattr(user, "must_change_password", False)
                or day_is_over(request.session)):
            return None
        try:
            body = api.read_report(request)
        except api.Malformed:
            return None
        if api.field_problems(body):
            return None
        language = translation.get_language_from_request(request)
        with translation.override(language):
            try:
                stored = submissions.submit_as(
                    user.pk, client_id=uuid.UUID(body["id"]), form_code=body["form"],
                    station_code=body["station"], answers=body.get("answers"),
                    version=body.get("version"))
            except submissions.Refused as refused:
                return _headed(api.refusal(refused), language)
        if stored is None:
            return None
        return _headed(JsonResponse(stored.record, status=201 if stored.created else 200),
                       language)


def _headed(response: HttpResponse, language: str) -> HttpResponse:
    """The headers the middleware it skips would add."""
    response["Content-Language"] = language
    response["Vary"] = "Accept-Language, Cookie"
    response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    return response


