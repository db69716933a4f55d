"""Roles and what each may do. The rule is data, so the permission matrix test and the
pages read the same table."""

from __future__ import annotations

from enum import StrEnum

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
    COMMISSIONER = "commissioner", _("Member of the Board of Commissioners")


class Capability(StrEnum):
    STAFF_AREA = "staff_area"
    VIEW_STATIONS = "view_stations"
    IMPORT_GEOGRAPHY = "import_geography"
    IMPORT_STATIONS = "import_stations"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT_LOG = "view_audit_log"
    REGISTER_ENTITIES = "register_entities"
    """Register parties, alliances and individual candidates, and their agents."""
    SUBMIT_NOMINATIONS = "submit_nominations"
    """Submit, correct and withdraw lists and candidates: an agent for their entity only."""
    VIEW_NOMINATIONS = "view_nominations"
    REVIEW_CANDIDATES = "review_candidates"
    """Record external checks, approve or exclude, decide objections, certify lists."""
    FILE_OBJECTION = "file_objection"
    FILE_APPEAL = "file_appeal"
    RECORD_RULING = "record_ruling"
    """Record the Judicial Electoral Panel's ruling on an appeal."""
    RUN_LOTTERY = "run_lottery"
    SIGN_OFF_LOTTERY = "sign_off_lottery"
    """The Board of Commissioners ratifies a draw, which publishes it."""
    CONTRIBUTE_SEED_PART = "contribute_seed_part"
    """Commit to and reveal a part of a lottery's seed (an agent: for a draw of their
    entity only)."""


C = Capability
CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.ADMIN: frozenset(C) - {C.SUBMIT_NOMINATIONS, C.FILE_OBJECTION, C.FILE_APPEAL,
                                C.SIGN_OFF_LOTTERY},
    Role.OFFICE_MANAGER: frozenset({C.STAFF_AREA, C.VIEW_STATIONS, C.IMPORT_STATIONS,
                                    C.VIEW_NOMINATIONS, C.REVIEW_CANDIDATES}),
    Role.CLERK: frozenset({C.STAFF_AREA, C.VIEW_STATIONS, C.VIEW_NOMINATIONS}),
    Role.ENTITY_AGENT: frozenset({C.STAFF_AREA, C.VIEW_STATIONS, C.VIEW_NOMINATIONS,
                                  C.SUBMIT_NOMINATIONS, C.FILE_OBJECTION, C.FILE_APPEAL,
                                  C.CONTRIBUTE_SEED_PART}),
    Role.CSO_COORDINATOR: frozenset({C.STAFF_AREA, C.VIEW_STATIONS, C.FILE_OBJECTION,
                                     C.CONTRIBUTE_SEED_PART}),
    Role.OBSERVER: frozenset({C.STAFF_AREA, C.VIEW_STATIONS, C.FILE_OBJECTION,
                              C.CONTRIBUTE_SEED_PART}),
    Role.AUDITOR: frozenset({C.STAFF_AREA, C.VIEW_STATIONS, C.VIEW_AUDIT_LOG,
                             C.VIEW_NOMINATIONS}),
    Role.COMMISSIONER: frozenset({C.STAFF_AREA, C.VIEW_STATIONS, C.VIEW_AUDIT_LOG,
                                  C.VIEW_NOMINATIONS, C.SIGN_OFF_LOTTERY,
                                  C.CONTRIBUTE_SEED_PART}),
}

# Roles whose work is one governorate's: they must have one, and see only it.
SCOPED_ROLES = frozenset({Role.OFFICE_MANAGER, Role.CLERK})
