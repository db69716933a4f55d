"""Roles and what each may do. The rule is data, so the permission matrix test and the
pages read the same table."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Commission administrator")
    OFFICE_MANAGER = "office_manager", _("Governorate electoral office manager")
    CLERK = "clerk", _("Data-entry clerk")
    ENTITY_AGENT = "entity_agent", _("Entity agent")
    CSO_COORDINATOR = "cso_coordinator", _("Civil-society coordinator")
    OBSERVER = "observer", _("Observer")
    AUDITOR = "auditor", _("Auditor")


class Capability(StrEnum):
    STAFF_AREA = "staff_area"
    VIEW_STATIONS = "view_stations"
    IMPORT_GEOGRAPHY = "import_geography"
    IMPORT_STATIONS = "import_stations"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT_LOG = "view_audit_log"


C = Capability
# Keyed by Role; typed loosely because, without Django's stubs, a choices member
# reads to mypy as the (value, label) tuple that declares it.
CAPABILITIES: dict[Any, frozenset[Capability]] = {
    Role.ADMIN: frozenset(C),
    Role.OFFICE_MANAGER: frozenset({C.STAFF_AREA, C.VIEW_STATIONS, C.IMPORT_STATIONS}),
    Role.CLERK: frozenset({C.STAFF_AREA, C.VIEW_STATIONS}),
    Role.ENTITY_AGENT: frozenset({C.STAFF_AREA, C.VIEW_STATIONS}),
    Role.CSO_COORDINATOR: frozenset({C.STAFF_AREA, C.VIEW_STATIONS}),
    Role.OBSERVER: frozenset({C.STAFF_AREA, C.VIEW_STATIONS}),
    Role.AUDITOR: frozenset({C.STAFF_AREA, C.VIEW_STATIONS, C.VIEW_AUDIT_LOG}),
}

# Roles whose work is one governorate's: they must have one, and see only it.
SCOPED_ROLES = frozenset({Role.OFFICE_MANAGER, Role.CLERK})
