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
    REGISTER_OFFICER = "register_officer", _("Voter register officer")


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
    # The voter register (docs/register.md): 16 million people's personal data, seen
    # only by register staff, and by the scoped ones only in their governorate.
    VIEW_REGISTER = "view_register"
    """See voters' records and the campaign's requests (names, birth dates)."""
    EXPORT_REGISTER = "export_register"
    """Print or download lists with personal data: every export is audited."""
    IMPORT_REGISTER = "import_register"
    """Import the register and registration centres, fill stations, run duplicate detection."""
    HANDLE_REGISTER_REQUESTS = "handle_register_requests"
    """Enter and verify the update campaign's requests at a registration centre."""
    DECIDE_REGISTER_REQUESTS = "decide_register_requests"
    """Approve, reject and apply the campaign's requests; decide objections to the
    preliminary register."""
    REVIEW_DUPLICATES = "review_duplicates"
    """Confirm or dismiss the duplicate-detection job's suspected pairs."""
    OBJECT_TO_REGISTER = "object_to_register"
    """Object to an entry of the preliminary register during the exhibition."""
    FINALISE_REGISTER = "finalise_register"
    """Freeze the register at the end of the objection period and publish its hash."""
    # Results (docs/results.md). The clerk enters forms, the office manager is the
    # coordinator who settles two entries that differ, the national audit centre clears
    # or recounts quarantined forms, the Board decides complaints, cancels stations
    # and certifies.
    VIEW_RESULTS = "view_results"
    """See stations' forms, checks and entries before publication."""
    ENTER_RESULTS = "enter_results"
    """Enter a station's paper form (the first or the second entry)."""
    RESOLVE_RESULT_ENTRIES = "resolve_result_entries"
    """Settle two entries of one form that differ: keep one, correct one, discard both."""
    MANAGE_COUNTING_DEVICES = "manage_counting_devices"
    """Register the counting devices' keys before polling day."""
    AUDIT_RESULTS = "audit_results"
    """The audit centre: clear a quarantined form or replace it by its recount."""
    FILE_RESULT_COMPLAINT = "file_result_complaint"
    """Complain against a station's or a centre's count."""
    DECIDE_RESULT_COMPLAINTS = "decide_result_complaints"
    """The Board: class and decide complaints, cancel a station with a reason."""
    CERTIFY_RESULTS = "certify_results"
    """The Board certifies a governorate's final results."""
    PUBLISH_RESULTS = "publish_results"
    """Publish preliminary and certified results as a snapshot."""
    # Observation (docs/observation.md). The commission's accreditation staff (the
    # administrator) approve organisations and accredit their observers; an
    # organisation's coordinator (a civil-society coordinator, or an entity's agent for
    # its party agents) manages its own observers only; observers report.
    ACCREDIT_OBSERVERS = "accredit_observers"
    """Approve organisations, accredit observers and agents, issue and revoke badges:
    sees every observer's personal data."""
    MANAGE_OBSERVERS = "manage_observers"
    """An organisation's coordinator: its observers, deployment, forms, verification,
    statement, recommendations and awareness activities (their own organisation only)."""
    SUBMIT_OBSERVATIONS = "submit_observations"
    """An accredited observer: election-day forms and incidents for their stations."""
    ENGAGE_CIVIL_SOCIETY = "engage_civil_society"
    """The commission's side of the channel: notices, meetings, answers to
    recommendations."""


C = Capability
CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.ADMIN: frozenset(C) - {C.SUBMIT_NOMINATIONS, C.FILE_OBJECTION, C.FILE_APPEAL,
                                C.SIGN_OFF_LOTTERY, C.OBJECT_TO_REGISTER,
                                C.FILE_RESULT_COMPLAINT, C.DECIDE_RESULT_COMPLAINTS,
                                C.CERTIFY_RESULTS, C.MANAGE_OBSERVERS,
                                C.SUBMIT_OBSERVATIONS},
    Role.OFFICE_MANAGER: frozenset({C.STAFF_AREA, C.VIEW_STATIONS, C.IMPORT_STATIONS,
                                    C.VIEW_NOMINATIONS, C.REVIEW_CANDIDATES,
                                    C.VIEW_REGISTER, C.EXPORT_REGISTER,
                                    C.DECIDE_REGISTER_REQUESTS, C.REVIEW_DUPLICATES,
                                    C.VIEW_RESULTS, C.RESOLVE_RESULT_ENTRIES,
                                    C.ENGAGE_CIVIL_SOCIETY}),
    Role.CLERK: frozenset({C.STAFF_AREA, C.VIEW_STATIONS, C.VIEW_NOMINATIONS,
                           C.VIEW_RESULTS, C.ENTER_RESULTS}),
    Role.ENTITY_AGENT: frozenset({C.STAFF_AREA, C.VIEW_STATIONS, C.VIEW_NOMINATIONS,
                                  C.SUBMIT_NOMINATIONS, C.FILE_OBJECTION, C.FILE_APPEAL,
                                  C.CONTRIBUTE_SEED_PART, C.OBJECT_TO_REGISTER,
                                  C.FILE_RESULT_COMPLAINT, C.MANAGE_OBSERVERS}),
    Role.CSO_COORDINATOR: frozenset({C.STAFF_AREA, C.VIEW_STATIONS, C.FILE_OBJECTION,
                                     C.CONTRIBUTE_SEED_PART, C.OBJECT_TO_REGISTER,
                                     C.FILE_RESULT_COMPLAINT, C.MANAGE_OBSERVERS}),
    Role.OBSERVER: frozenset({C.STAFF_AREA, C.VIEW_STATIONS, C.FILE_OBJECTION,
                              C.CONTRIBUTE_SEED_PART, C.OBJECT_TO_REGISTER,
                              C.FILE_RESULT_COMPLAINT, C.SUBMIT_OBSERVATIONS}),
    Role.AUDITOR: frozenset({C.STAFF_AREA, C.VIEW_STATIONS, C.VIEW_AUDIT_LOG,
                             C.VIEW_NOMINATIONS, C.VIEW_RESULTS}),
    Role.COMMISSIONER: frozenset({C.STAFF_AREA, C.VIEW_STATIONS, C.VIEW_AUDIT_LOG,
                                  C.VIEW_NOMINATIONS, C.SIGN_OFF_LOTTERY,
                                  C.CONTRIBUTE_SEED_PART, C.VIEW_RESULTS,
                                  C.DECIDE_RESULT_COMPLAINTS, C.CERTIFY_RESULTS}),
    # A registration centre's staff: the clerk's reading rights, and the register of
    # their governorate.
    Role.REGISTER_OFFICER: frozenset({C.STAFF_AREA, C.VIEW_STATIONS, C.VIEW_NOMINATIONS,
                                      C.VIEW_REGISTER, C.EXPORT_REGISTER,
                                      C.HANDLE_REGISTER_REQUESTS, C.REVIEW_DUPLICATES}),
}

# Roles whose work is one governorate's: they must have one, and see only it.
SCOPED_ROLES = frozenset({Role.OFFICE_MANAGER, Role.CLERK, Role.REGISTER_OFFICER})
