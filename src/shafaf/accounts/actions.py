"""Every change to users and roles, each with its audit event."""

from __future__ import annotations

from django.db import transaction

from shafaf.access.checks import require
from shafaf.access.people import Visitor
from shafaf.access.roles import SCOPED_ROLES, Capability, Role
from shafaf.accounts.models import User
from shafaf.audit.actions import record
from shafaf.core.refusal import Refused
from shafaf.elections.models import Governorate


class RoleScopeError(Refused):
    """A governorate role without a governorate (``role_needs_governorate``) or a
    national role with one (``role_is_national``)."""


class OwnAccountError(Refused):
    """A change that nobody may make to their own account: their role, governorate or
    activity (``own_role``), or setting their password as an administrator does
    (``own_password``: they change it, knowing the old one)."""


def _oneself(actor: Visitor | None, user: User) -> bool:
    return actor is not None and actor.pk == user.pk


def _manager(actor: Visitor | None) -> None:
    """A user manager; ``None`` is the system itself (the first administrator, the
    demonstration's users), created at the server's command line."""
    if actor is not None:
        require(actor, Capability.MANAGE_USERS)


def _check_scope(role: Role, governorate: Governorate | None) -> None:
    if role in SCOPED_ROLES and governorate is None:
        raise RoleScopeError("role_needs_governorate", role=str(role))
    if role not in SCOPED_ROLES and governorate is not None:
        # A governorate on a national role would read as a scope it does not have.
        raise RoleScopeError("role_is_national", role=str(role), governorate=governorate.code)


@transaction.atomic
def create_user(*, actor: Visitor | None, username: str, password: str, role: Role,
                governorate: Governorate | None = None, full_name: str = "") -> User:
    _manager(actor)
    _check_scope(role, governorate)
    # A password an administrator chose is known to two people: the user replaces it.
    user = User.objects.create_user(username=username, password=password, role=role,
                                    governorate=governorate, first_name=full_name,
                                    must_change_password=actor is not None)
    record(actor=actor, action="accounts.create_user", target=user, data={
        "username": username, "role": role.value,
        "governorate": governorate.code if governorate else None})
    return user


@transaction.atomic
def change_user(*, actor: Visitor | None, user: User, role: Role, governorate: Governorate | None,
                is_active: bool) -> User:
    _manager(actor)
    if _oneself(actor, user):
        # An administrator who could make themselves a Board member could sign off
        # the draw they ran: roles separate duties only if another person sets them.
        raise OwnAccountError("own_role")
    _check_scope(role, governorate)
    before = {"role": user.role, "governorate": user.governorate.code if user.governorate
              else None, "is_active": user.is_active}
    user.role, user.governorate, user.is_active = role, governorate, is_active
    user.save(update_fields=["role", "governorate", "is_active"])
    after = {"role": user.role, "governorate": governorate.code if governorate else None,
             "is_active": is_active}
    record(actor=actor, action="accounts.change_user", target=user,
           data={"before": before, "after": after})
    return user


@transaction.atomic
def set_password(*, actor: Visitor, user: User, password: str) -> User:
    """An administrator sets another user's password (a new or forgotten one): the user
    must replace it at their next login. Their open sessions end with the old one."""
    require(actor, Capability.MANAGE_USERS)
    if _oneself(actor, user):
        raise OwnAccountError("own_password")
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    record(actor=actor, action="accounts.set_password", target=user,
           data={"must_change_password": True})
    return user


@transaction.atomic
def change_own_password(*, actor: User, password: str) -> User:
    """A user replaces their own password (the page has checked the current one and
    the rules). The event says that it changed, never what to."""
    forced = actor.must_change_password
    actor.set_password(password)
    actor.must_change_password = False
    actor.save(update_fields=["password", "must_change_password"])
    record(actor=actor, action="accounts.change_own_password", target=actor,
           data={"was_required": forced})
    return actor
