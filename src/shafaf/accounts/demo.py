"""One demo user per role, for the demo database only."""

from __future__ import annotations

from shafaf.access.roles import Role
from shafaf.accounts import actions
from shafaf.accounts.models import User
from shafaf.elections.models import Governorate

DEMO_PASSWORD = "shafaf-demo-2023"  # noqa: S105 - printed for the demo on purpose

# (username, role, governorate code for the scoped roles)
DEMO_USERS = [
    ("admin", Role.ADMIN, None),
    ("kirkuk.manager", Role.OFFICE_MANAGER, "IQ-KI"),
    ("kirkuk.clerk", Role.CLERK, "IQ-KI"),
    ("agent", Role.ENTITY_AGENT, None),
    ("cso", Role.CSO_COORDINATOR, None),
    ("observer", Role.OBSERVER, None),
    ("auditor", Role.AUDITOR, None),
    ("commissioner", Role.COMMISSIONER, None),
    ("kirkuk.register", Role.REGISTER_OFFICER, "IQ-KI"),
]


def ensure_demo_users() -> list[tuple[str, Role, str | None]]:
    """Create the demo users that do not exist yet; return them all."""
    for username, role, code in DEMO_USERS:
        if not User.objects.filter(username=username).exists():
            actions.create_user(actor=None, username=username, password=DEMO_PASSWORD,
                                role=role,
                                governorate=Governorate.objects.get(code=code) if code else None)
    return DEMO_USERS
