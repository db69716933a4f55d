"""The automatic checks before an observer is accredited (docs/observation-accreditation.md).

Pure: the app gathers what the database knows about the person (their register entry,
candidates, agents, other observers, staff accounts) into :class:`Facts`, and these
functions say, check by check, whether the person passes. Each outcome is ``ok``,
``fail`` (with a reason code) or ``skip`` (the check does not apply to this kind of
observer). An observer is accredited only if no check failed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

ADULT_AGE = 18
OK, FAIL, SKIP = "ok", "fail", "skip"
# The order the queue shows them in.
CHECKS = ("age", "voter", "passport", "candidate", "agent", "twice", "staff")


@dataclass(frozen=True)
class Register:
    """The voter register's entry for the observer's voter number, if any."""

    active: bool
    birth_date: date


@dataclass(frozen=True)
class Facts:
    kind: str  # "local", "international" or "agents"
    birth_date: date
    polling_day: date
    voter_number: str = ""
    passport_number: str = ""
    nationality: str = ""
    register: Register | None = None
    candidate: bool = False
    """A candidate of this election has the observer's name and birth date."""
    agent_of: frozenset[int] = field(default_factory=frozenset)
    """Entities the person is already an agent of (an entity agent's account with the
    same name, or a party-agent observer with the same voter number)."""
    own_entity: int | None = None
    """For party agents: the entity their organisation represents."""
    accredited_elsewhere: bool = False
    """Another observer record of this election with the same voter number or passport
    is accredited or awaiting accreditation."""
    staff: bool = False
    """A commission staff account has the observer's name (or phone)."""


def age_on(birth: date, day: date) -> int:
    """Whole years between ``birth`` and ``day``; born on 29 February, the birthday in
    a common year is 1 March."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


_LETTERS = str.maketrans("أإآىة", "ااايه")


def name_key(text: str) -> str:
    """A name compared without case, diacritics (Arabic harakat), tatweel, spaces or
    the spellings of alef, ya and ta marbuta that differ between records."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c) and c != "\u0640")
    text = text.translate(_LETTERS)
    return " ".join(text.casefold().split())


def check_age(facts: Facts) -> tuple[str, str]:
    if age_on(facts.birth_date, facts.polling_day) >= ADULT_AGE:
        return OK, ""
    return FAIL, "under_18"


def check_voter(facts: Facts) -> tuple[str, str]:
    """Local observers and party agents are Iraqi voters: the voter number is in the
    register, active, with the same birth date."""
    if facts.kind == "international":
        return SKIP, ""
    if not facts.voter_number:
        return FAIL, "no_voter_number"
    if facts.register is None:
        return FAIL, "not_in_register"
    if not facts.register.active:
        return FAIL, "not_active_voter"
    if facts.register.birth_date != facts.birth_date:
        return FAIL, "birth_date_differs"
    return OK, ""


def check_passport(facts: Facts) -> tuple[str, str]:
    """International observers: a passport number and a nationality."""
    if facts.kind != "international":
        return SKIP, ""
    if not facts.passport_number or not facts.nationality:
        return FAIL, "no_passport"
    return OK, ""


def check_candidate(facts: Facts) -> tuple[str, str]:
    return (FAIL, "is_candidate") if facts.candidate else (OK, "")


def check_agent(facts: Facts) -> tuple[str, str]:
    """A civil-society or international observer is no entity's agent; a party agent
    is no other entity's."""
    others = facts.agent_of - ({facts.own_entity} if facts.kind == "agents" else set())
    return (FAIL, "is_agent") if others else (OK, "")


def check_twice(facts: Facts) -> tuple[str, str]:
    return (FAIL, "accredited_twice") if facts.accredited_elsewhere else (OK, "")


def check_staff(facts: Facts) -> tuple[str, str]:
    return (FAIL, "is_staff") if facts.staff else (OK, "")


_RUN = {"age": check_age, "voter": check_voter, "passport": check_passport,
        "candidate": check_candidate, "agent": check_agent, "twice": check_twice,
        "staff": check_staff}


def run(facts: Facts) -> dict[str, dict[str, str]]:
    """Every check's outcome: ``{"age": {"outcome": "ok", "reason": ""}, ...}``."""
    found = {}
    for name in CHECKS:
        outcome, reason = _RUN[name](facts)
        found[name] = {"outcome": outcome, "reason": reason}
    return found


def outcome(value: object) -> str:
    """A stored outcome: ``{"outcome": ...}``, or the bare word older records keep."""
    if isinstance(value, dict):
        return str(value.get("outcome", ""))
    return str(value)


def passed(outcomes: dict[str, object]) -> bool:
    """Whether every check was run and none failed."""
    return all(name in outcomes for name in CHECKS) and not any(
        outcome(value) == FAIL for value in outcomes.values())
