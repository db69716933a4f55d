"""What every page needs: the navigation the user may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from shafaf.access.checks import can
from shafaf.access.roles import Capability


def navigation(request: HttpRequest) -> dict[str, Any]:
    # An error page can render before the authentication middleware has run.
    user = getattr(request, "user", None)
    return {
        "nav": {
            "staff": can(user, Capability.STAFF_AREA),
            "stations": can(user, Capability.VIEW_STATIONS),
            "imports": can(user, Capability.IMPORT_STATIONS),
            "users": can(user, Capability.MANAGE_USERS),
            "audit": can(user, Capability.VIEW_AUDIT_LOG),
            "entities": can(user, Capability.VIEW_NOMINATIONS),
            "objections": can(user, Capability.FILE_OBJECTION),
            "lottery": can(user, Capability.RUN_LOTTERY) or can(user, Capability.SIGN_OFF_LOTTERY),
            "register": any(can(user, capability) for capability in (
                Capability.VIEW_REGISTER, Capability.IMPORT_REGISTER,
                Capability.OBJECT_TO_REGISTER, Capability.REVIEW_DUPLICATES)),
            "results": any(can(user, capability) for capability in (
                Capability.VIEW_RESULTS, Capability.FILE_RESULT_COMPLAINT,
                Capability.MANAGE_COUNTING_DEVICES)),
            "observation": any(can(user, capability) for capability in (
                Capability.ACCREDIT_OBSERVERS, Capability.MANAGE_OBSERVERS,
                Capability.SUBMIT_OBSERVATIONS, Capability.ENGAGE_CIVIL_SOCIETY)),
        }
    }
