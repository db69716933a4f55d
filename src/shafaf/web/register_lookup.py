"""``POST /api/register/lookup``: where do I vote, as JSON, on a lean path.

The page a person reads (/register/where/) and this endpoint answer with the same
rule (shafaf.register.lookup). This endpoint is for apps and the commission's
partners and sees the most traffic on polling day, so it skips what a staff page
pays for: a middleware placed right after the security middleware answers the one
path itself, before the session, CSRF, authentication and message middleware, the
URL resolver and the template engine run. It reads a bounded body, runs one indexed
query, and writes its JSON by hand. The content policy and the security middleware
still wrap it, so it carries every security header the rest of the site sends; it
adds X-Frame-Options itself, as the clickjacking middleware it skips would. It is
exempt from CSRF (no cookie authorises anything here). The same function is also
the URL's view, for a configuration without the middleware
(docs/register-lookup.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from shafaf.access.addresses import client_address
from shafaf.register.lookup import (
    BIRTH_YEAR_MAX,
    BIRTH_YEAR_MIN,
    LANGUAGES,
    VOTER_NUMBER_MAX,
    Place,
    Throttled,
    lookup,
)

PATH = "/api/register/lookup"
# The body is two short fields: anything past this is not a lookup.
MAX_BODY = 2048
_FIELDS = {"voter_number", "birth_year"}


class BadLookup(ValueError):
    """A body that is not a lookup; the message says why."""


def _json(status: int, payload: dict[str, object], language: str) -> HttpResponse:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    response = HttpResponse(body, status=status, content_type="application/json")
    response["Content-Length"] = str(len(body))  # the connection stays open for the next
    response["Cache-Control"] = "no-store"
    response["Vary"] = "Accept-Language, Cookie"
    response["Content-Language"] = language
    response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    return response


def _error(status: int, code: str, message: str, language: str) -> HttpResponse:
    return _json(status, {"error": code, "message": message}, language)


def parse(body: bytes) -> tuple[str, int]:
    """The voter number and birth year of a lookup's body, or ``BadLookup``."""
    if len(body) > MAX_BODY:
        raise BadLookup(_("The request is too large: a lookup is two short fields."))
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise BadLookup(_("The request is not JSON.")) from error
    if not isinstance(data, dict) or set(data) != _FIELDS:
        raise BadLookup(_("Send a JSON object with exactly voter_number and birth_year."))
    number, year = data["voter_number"], data["birth_year"]
    if (not isinstance(number, str) or not 0 < len(number) <= VOTER_NUMBER_MAX
            or not number.isprintable() or number != number.strip()):
        raise BadLookup(_("voter_number must be the card's number, as text of at most "
                          "%(limit)d characters.") % {"limit": VOTER_NUMBER_MAX})
    if (not isinstance(year, int) or isinstance(year, bool)
            or not BIRTH_YEAR_MIN <= year <= BIRTH_YEAR_MAX):
        raise BadLookup(_("birth_year must be a whole number, the year of birth."))
    return number, year


def _language(request: HttpRequest) -> str:
    language = translation.get_language_from_request(request)
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


def _read(request: HttpRequest) -> bytes:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY:
        return b"x" * (MAX_BODY + 1)  # refused without reading it
    return request.read(MAX_BODY + 1)


def place_json(place: Place) -> dict[str, object]:
    return {
        "centre_code": place.centre_code,
        "centre_name": place.centre_name,
        "station_number": place.station_number,
        "governorate": {"code": place.governorate_code, "name": place.governorate_name},
        "address": place.address or None,
        "latitude": None if place.latitude is None else float(place.latitude),
        "longitude": None if place.longitude is None else float(place.longitude),
    }


def answer(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    if request.method != "POST":
        with translation.override(language):
            response = _error(405, "method_not_allowed", _("Send the lookup as a POST."),
                              language)
        response["Allow"] = "POST"
        return response
    try:
        body = _read(request)
        with translation.override(language):
            number, year = parse(body)
    except BadLookup as refused:
        return _error(400, "bad_request", str(refused), language)
    found = _lookup(number, year, client_address(request), language)
    if isinstance(found, Place):
        return _json(200, place_json(found), language)
    with translation.override(language):
        if isinstance(found, Throttled):
            response = _error(429, "too_many_failures", throttled_message(), language)
            response["Retry-After"] = str(found.retry_after)
            return response
        return _error(404, "not_found", not_found_message(), language)


def _lookup(number: str, year: int, address: str | None,
            language: str) -> Place | Throttled | None:
    """The rule, without the health check Django makes on a reused database
    connection before each request's first query (a ``SELECT 1``, a round trip that
    costs as much as the lookup itself): a connection found broken is closed and the
    lookup tried once more on a new one instead."""
    connection.health_check_done = True  # type: ignore[attr-defined]
    try:
        return lookup(number, year, address=address, language=language)
    except (InterfaceError, OperationalError):
        connection.close()
        return lookup(number, year, address=address, language=language)


def not_found_message() -> str:
    return _("No active voter has this voter number and year of birth. Check both on "
             "your voter card; if they are right, ask at your registration centre.")


def throttled_message() -> str:
    return _("Too many lookups failed from your connection. Wait a minute, then try again.")


view = csrf_exempt(answer)


class LookupMiddleware:
    """Answers ``PATH`` before the heavy middleware; every other request goes on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == PATH:
            return answer(request)
        return self.get_response(request)
