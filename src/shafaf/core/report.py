"""The allocation report as plain data (JSON-ready), schema ``shafaf-allocation/1``.

Every figure a person needs to check the result by hand is here: the quotient
table, the order in which seats fell, each candidate's basis, every quota
replacement and every tie with how it was drawn. Exact values are given as
fractions (``"1630720/17"``) beside a rounded decimal for reading. The schema is
documented in ``docs/allocation-json.md`` and ``docs/schemas/allocation.schema.json``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from shafaf.core.allocation import Allocation, ElectedCandidate
from shafaf.core.contest import Candidate
from shafaf.core.laws.profile import District, LawProfile
from shafaf.core.quotas import Replacement
from shafaf.core.seats.apportionment import SeatAward
from shafaf.core.ties import TieKind, TieResolution

SCHEMA = "shafaf-allocation/1"

JSON = dict[str, Any]


def exact(value: Fraction) -> str:
    """A fraction as ``p/q`` (or ``p`` when whole): exact and easy to re-check."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value.numerator}/{value.denominator}"


def rounded(value: Fraction, places: int = 4) -> str:
    """A decimal for reading, rounded half up at ``places`` places."""
    scaled = math.floor(abs(value) * 10**places + Fraction(1, 2))
    sign = "-" if value < 0 and scaled else ""
    whole, part = divmod(scaled, 10**places)
    return f"{sign}{whole}.{part:0{places}d}"


def allocation_report(
    allocation: Allocation,
    *,
    law: LawProfile,
    district: District | None = None,
    names: Mapping[str, str] | None = None,
) -> JSON:
    names = names or {}
    app = allocation.apportionment
    return {
        "schema": SCHEMA,
        "law": law.code,
        "district": None if district is None else {
            "code": district.code, "name_en": district.name_en, "name_ar": district.name_ar,
            "name_ckb": district.name_ckb, "seats_status": district.seats_status.value,
        },
        "selection": allocation.rules.selection.value,
        "method": None if app is None else allocation.rules.method.code,
        "threshold": None if allocation.rules.threshold is None else exact(
            allocation.rules.threshold),
        "seats": allocation.seats,
        "unfilled_seats": allocation.unfilled,
        "component_seats": _component_seats(allocation),
        "women_quota": None if allocation.quota is None else {
            "target": allocation.quota.target,
            "women_on_votes": allocation.quota.women_on_votes,
            "women_seated": allocation.quota.women_seated,
            "shortfall": allocation.quota.shortfall,
        },
        "lists": [
            {
                "list_id": lst.list_id,
                "name": names.get(lst.list_id),
                "votes": lst.votes,
                "votes_struck": lst.votes_struck,
                "seats": lst.seats,
                "capped": app is not None and lst.list_id in app.capped,
                "below_threshold": app is not None and lst.list_id in app.below_threshold,
            }
            for lst in allocation.lists
        ],
        "elected": [_elected(e, names) for e in allocation.elected],
        "steps": _steps(allocation),
        "quotients": None if app is None or not app.divisors else {
            "divisors": [exact(d) for d in app.divisors],
            "lists": {list_id: [exact(q) for q in qs] for list_id, qs in app.quotients().items()},
        },
        "quota": None if app is None or app.quota is None else exact(app.quota),
        "replacements": [_replacement(r, names) for r in
                         (allocation.quota.replacements if allocation.quota else ())],
        "unfilled_component_seats": {} if allocation.components is None else {
            str(c): n for c, n in allocation.components.unfilled.items()},
        "ties": [_tie(t) for t in allocation.ties],
        "disqualified": [
            {"candidate_id": d.candidate_id, "list_id": d.list_id, "votes_struck": d.votes_struck}
            for d in allocation.disqualified
        ],
        "flags": [
            {"parameter": f.parameter, "status": f.status.value, "note": f.note}
            for f in law.flags
        ],
    }


def _component_seats(allocation: Allocation) -> dict[str, int]:
    if allocation.components is None:
        return {}
    seats: dict[str, int] = {}
    for comp in allocation.components.elected:
        seats[comp.component] = seats.get(comp.component, 0) + 1
    for component, missing in allocation.components.unfilled.items():
        seats[component] = seats.get(component, 0) + missing
    return dict(sorted(seats.items()))


def _elected(e: ElectedCandidate, names: Mapping[str, str]) -> JSON:
    return {
        "candidate_id": e.candidate_id,
        "list_id": e.list_id,
        "component": e.component,
        "name": names.get(e.candidate_id),
        "sex": e.sex.value,
        "votes": e.votes,
        "basis": e.basis_code,
    }


def _steps(allocation: Allocation) -> list[JSON]:
    if allocation.apportionment is None:
        return [
            {"seat": n, "list_id": c.list_id, "candidate_id": c.candidate_id, "reason": "votes",
             "value": str(c.votes), "value_decimal": rounded(Fraction(c.votes)), "divisor": None,
             "by_lot": _by_lot(allocation, c.candidate_id)}
            for n, c in enumerate(allocation.sntv_order, start=1)
        ]
    return [_award(a) for a in allocation.apportionment.awards]


def _by_lot(allocation: Allocation, ident: str) -> bool:
    """Whether a district seat under SNTV was drawn by lot (a quota tie is not)."""
    return any(t.tie.kind is TieKind.CANDIDATE_SEAT and ident in t.chosen
               for t in allocation.ties)


def _award(a: SeatAward) -> JSON:
    return {
        "seat": a.seat, "list_id": a.list_id, "candidate_id": None, "reason": a.reason.value,
        "value": exact(a.value), "value_decimal": rounded(a.value),
        "divisor": None if a.divisor is None else exact(a.divisor), "by_lot": a.tie,
    }


def _person(c: Candidate, names: Mapping[str, str]) -> JSON:
    return {"candidate_id": c.candidate_id, "name": names.get(c.candidate_id), "votes": c.votes}


def _replacement(r: Replacement, names: Mapping[str, str]) -> JSON:
    return {
        "stage": r.stage, "reason": r.reason.value, "list_id": r.elected.list_id,
        "elected": _person(r.elected, names),
        "replaced": {**_person(r.replaced, names), "list_id": r.replaced.list_id},
    }


def _tie(t: TieResolution) -> JSON:
    return {
        "kind": t.tie.kind.value,
        "scope": t.tie.scope or None,
        "contenders": list(t.tie.contenders),
        "places": t.tie.places,
        "method": t.method.value,
        "order": list(t.order),
        "chosen": list(t.chosen),
        "seed_sha256": t.seed_sha256,
        "tickets": [{"id": ident, "ticket": ticket} for ident, ticket in t.tickets],
    }
