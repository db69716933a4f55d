"""Who may do what, and where. Views and API endpoints ask here; each app's
``access_<thing>`` helpers build on these."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from shafaf.access.roles import CAPABILITIES, SCOPED_ROLES, Capability, Role


def can(user: Any, capability: Capability) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return capability in CAPABILITIES.get(Role(user.role), frozenset())


def require(user: Any, capability: Capability) -> None:
    if not can(user, capability):
        raise PermissionDenied


def governorate_scope(user: Any) -> int | None:
    """The id of the only governorate the user may see, or None for national roles."""
    if Role(user.role) in SCOPED_ROLES:
        return int(user.governorate_id)
    return None


def capability_required(capability: Capability) -> Callable[..., Any]:
    """A view decorator: anonymous users go to the login page, others without the
    capability get 403."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request.user, capability)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
