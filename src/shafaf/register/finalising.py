"""The final register: its canonical hash, and the one action that freezes it
(docs/register-exhibition.md, "The final register").

The SQL here is built from this module's own constants, never from input.
"""
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from shafaf.access.checks import require
from shafaf.access.people import Visitor
from shafaf.access.roles import Capability
from shafaf.audit.actions import record
from shafaf.core.register_canonical import canonical_sha256
from shafaf.elections.models import Election, Governorate, PollingCentre
from shafaf.register import exhibition, objections
from shafaf.register.finality import RegisterRefused, refuse_if_final
from shafaf.register.models import Finalisation, Status, Voter

FETCH = 10_000


def canonical_rows(election: Election) -> Iterator[tuple[str, ...]]:
    """The register's voters as the canonical listing's fields, in voter-number order
    by code point, streamed from the database (a server-side cursor on PostgreSQL)."""
    voters, centres = Voter._meta.db_table, PollingCentre._meta.db_table
    governorates = Governorate._meta.db_table
    if connection.vendor == "postgresql":
        order, born = 'v.voter_number COLLATE "C"', "to_char(v.birth_date, 'YYYY-MM-DD')"
    else:  # SQLite keeps dates as ISO text already
        order, born = "v.voter_number COLLATE BINARY", "CAST(v.birth_date AS text)"
    sql = (f"SELECT v.voter_number, v.first_name, v.father_name, v.grandfather_name, "
           f"v.family_name, v.mother_name, v.sex, {born}, g.code, c.code, v.category "
           f"FROM {voters} v JOIN {centres} c ON c.id = v.centre_id "
           f"JOIN {governorates} g ON g.id = v.governorate_id "
           f"WHERE c.election_id = %s AND v.status = %s ORDER BY {order}")
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, [election.pk, Status.ACTIVE.value])
        while rows := cursor.fetchmany(FETCH):
            yield from rows


def canonical_hash(election: Election) -> tuple[str, int]:
    """The SHA-256 of the election's register as it stands, and its voters."""
    with transaction.atomic():  # one snapshot, and PostgreSQL's named cursor needs it
        return canonical_sha256(canonical_rows(election))


def finalise(*, actor: Visitor | None, election: Election,
             today: date | None = None) -> Finalisation:
    """Freeze the register of ``election``: only after its exhibition phase ends and
    when no objection waits for a decision or its application. Stores the hash and
    records it in the audit chain."""
    account = require(actor, Capability.FINALISE_REGISTER)
    today = today or timezone.localdate()
    with transaction.atomic():
        election = Election.objects.select_for_update().get(pk=election.pk)
        refuse_if_final(election)
        window = exhibition.window(election)
        if window is None:
            raise RegisterRefused("exhibition_not_scheduled")
        if today <= window.closes:
            raise RegisterRefused("exhibition_not_over", opens=window.opens,
                                  closes=window.closes)
        waiting = objections.undecided(election)
        if waiting:
            raise RegisterRefused("objections_undecided", count=waiting)
        sha256, voters = canonical_sha256(canonical_rows(election))
        final = Finalisation.objects.create(election=election, at=timezone.now(),
                                            actor=account, voters=voters, sha256=sha256)
        record(actor=account, action="register.finalised", target=final,
               data={"election": election.code, "sha256": sha256, "voters": voters})
    return final
