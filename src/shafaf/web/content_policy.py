"""A strict Content-Security-Policy on every response.

Every script and style sheet is a file Shafaf serves itself (DESIGN.md: no
third-party origin), so the browser may run nothing else: no inline script, no
``on…=`` attribute, no inline style, nothing from another origin, no plugin, and no
framing by another site. A script slipped into a name or a note then cannot run even
if an escape were ever forgotten. ``img-src data:`` is for the small pictures the API
docs draw inline.

Our own middleware (a few lines, no dependency): Django 5.2, which Python 3.11 runs,
has no CSP of its own, and one policy serves every page alike. A response that already
carries a policy keeps it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
))
HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = POLICY
        return response
