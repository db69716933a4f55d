"""Who may do what, and where. Views and API endpoints ask here; each app's
``access_<thing>`` helpers build on these."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeAlias, TypeGuard

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from shafaf.access.people import Account, Visitor
from shafaf.access.roles import CAPABILITIES, SCOPED_ROLES, Capability, Role

P = ParamSpec("P")
View: TypeAlias = Callable[Concatenate[HttpRequest, P], HttpResponse]
"""A view: a request and the URL's arguments in, a response out."""


def can(user: Visitor | None, capability: Capability) -> TypeGuard[Account]:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return capability in CAPABILITIES.get(Role(user.role), frozenset())


def require(user: Visitor | None, capability: Capability) -> Account:
    """The user, if they may: a signed-in account from then on for the type checker."""
    if not can(user, capability):
        raise PermissionDenied
    return user


def governorate_scope(user: Account) -> int | None:
    """The id of the only governorate the user may see, or None for national roles."""
    if Role(user.role) in SCOPED_ROLES:
        if user.governorate_id is None:  # a database constraint forbids it: never all
            raise PermissionDenied
        return user.governorate_id
    return None


def capability_required(capability: Capability) -> Callable[[View[P]], View[P]]:
    """A view decorator: anonymous users go to the login page, others without the
    capability get 403."""

    def decorate(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request.user, capability)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
