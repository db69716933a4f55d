"""Refuse any request that carries a NUL character, before a view sees it.

No field of Shafaf holds a NUL (U+0000), and PostgreSQL cannot store or even compare
one: a ``%00`` in an address, a query, a form or a JSON body reached the database and
came back as a server error, while SQLite answered as if nothing were wrong. One check
here, early in the middleware, gives both databases the same 400 with a sentence, on
every page and endpoint, present and future.

What is read is bounded: the path and headers as the server received them, the query
string, and the body only when Django would read it anyway (form fields through
``request.POST``, within ``DATA_UPLOAD_MAX_MEMORY_SIZE``; a JSON body likewise).
Uploaded files are not searched: a spreadsheet or an image holds NUL bytes by nature,
and the readers of those files parse them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

NUL = "\x00"
# A JSON escape of U+0000 that is not itself escaped (``\\u0000`` is the text "\u0000").
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(values: Iterable[str]) -> bool:
    return any(NUL in value for value in values)


def _query_has_nul(query: str) -> bool:
    # Percent-decoded by hand: parsing it into request.GET would drop what does not
    # parse, and a NUL is refused wherever it sits.
    return b"\x00" in unquote_to_bytes(query)


def _body_has_nul(request: HttpRequest) -> bool:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.content_type or ""
    if content_type in _FORM_TYPES:
        fields = request.POST
        names = [f.name or "" for files in request.FILES.lists() for f in files[1]]
        return (_has_nul(fields.keys())
                or _has_nul(v for _k, values in fields.lists() for v in values)
                or _has_nul(names))
    if content_type == "application/json" or content_type.endswith("+json"):
        body = request.body  # bounded by DATA_UPLOAD_MAX_MEMORY_SIZE
        return b"\x00" in body or _JSON_NUL.search(body) is not None
    return False


def carries_nul(request: HttpRequest) -> bool:
    """Whether the request's address, query, headers or text fields hold a NUL."""
    headers = (v for k, v in request.META.items() if k.startswith("HTTP_") and isinstance(v, str))
    return (NUL in request.path_info or NUL in request.path
            or _query_has_nul(request.META.get("QUERY_STRING", ""))
            or _has_nul(headers)
            or _body_has_nul(request))


def refusal(request: HttpRequest) -> HttpResponse:
    explanation = _("The address or the form contained a null character (character code "
                    "zero), which no field accepts. Remove it and try again.")
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": explanation}, status=400)
    return render(request, "400.html", {
        "status": 400, "heading": _("The request could not be understood"),
        "explanation": explanation}, status=400)


class RefuseNulMiddleware:
    """Answers 400 to a request carrying a NUL; passes every other one on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if carries_nul(request):
            return refusal(request)
        return self.get_response(request)
