"""What a signed-in session may do, checked on every request: a session ends a
working day after its login, and a user whose password an administrator chose
replaces it before doing anything else (docs/accounts.md)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext

SIGNED_IN_AT = "shafaf_signed_in_at"
# The HTTP API answers in JSON, never with a redirect to a page.
API_PREFIX = "/api/"


def _now() -> float:
    return time.time()


def note_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On ``user_logged_in``: when the session's working day started."""
    request.session[SIGNED_IN_AT] = _now()


def day_is_over(session: Any) -> bool:
    """Whether a signed-in session's working day has ended (or it never noted its
    start)."""
    started = session.get(SIGNED_IN_AT)
    return not isinstance(started, int | float) or (
        _now() - started > settings.SESSION_COOKIE_AGE)


class WorkingDaySession:
    """Ends a session SESSION_COOKIE_AGE after its login, however busy: Django's own
    expiry starts again whenever the session is saved."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and day_is_over(request.session):
            logout(request)
            if not request.path_info.startswith(API_PREFIX):
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class PasswordChangeRequired:
    """Until a user has replaced a password an administrator chose, every page leads to
    the page that replaces it, and the API refuses (403) saying why. Logging out,
    switching the language and static files stay open."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and getattr(user, "must_change_password", False):
            change = reverse("accounts:password_change")
            open_paths = (change, reverse("accounts:logout"), reverse("set_language"),
                          settings.STATIC_URL)
            path = request.path_info
            if not path.startswith(open_paths):
                if path.startswith(API_PREFIX):
                    return JsonResponse({"detail": gettext(
                        "Change the password an administrator chose for you before "
                        "using the API.")}, status=403)
                return HttpResponseRedirect(
                    f"{change}?next={quote(request.get_full_path())}")
        return self.get_response(request)
