"""Duplicate detection over the register (docs/register-dedup.md): the same engine as
``shafaf register dedup``, run on one election's active voters (one governorate's or
the whole country's) as a background job, its clusters kept as suspected duplicates
for the staff review queue; and the queue's two decisions, each an audited action.

The register goes to the engine through a temporary CSV file written row by row (a
server-side cursor on PostgreSQL's ``COPY``, an iterator elsewhere), with the names
already folded; DuckDB reads the file itself. Memory stays flat on this side
whatever the register's size.
"""

from __future__ import annotations

import csv
import hashlib
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from shafaf.access.checks import governorate_scope, require
from shafaf.access.people import Visitor
from shafaf.access.roles import Capability
from shafaf.audit.actions import record
from shafaf.core.name_matching import match_key
from shafaf.duplicates.model import THRESHOLD, Cluster, groups_of_csv
from shafaf.duplicates.records import COLUMNS
from shafaf.elections.models import Election, Governorate
from shafaf.jobs.actions import enqueue
from shafaf.jobs.kinds import Outcome
from shafaf.jobs.models import Job
from shafaf.register.finality import RegisterRefused, refuse_if_final
from shafaf.register.models import (
    DuplicateGroup,
    DuplicateMember,
    DuplicateState,
    Status,
    Voter,
    VoterChange,
)

# (step done, steps in all)
Progress = Callable[[int, int], None]
BATCH = 5_000
# DuckDB's memory for the job: beyond it, it spills to the job's temporary directory
# (docs/register-dedup.md: a million records peak at about half a gigabyte with it).
MEMORY_LIMIT = "1GB"
# The longest reason a reviewer may give for "different people".
REASON_LENGTH = 500


@dataclass(frozen=True)
class Detection:
    records: int
    found: int
    opened: int
    still_open: int
    already_decided: int

    def audit_data(self) -> dict[str, int]:
        return {"records": self.records, "found": self.found, "opened": self.opened,
                "still_open": self.still_open, "already_decided": self.already_decided}


def active_voters(election: Election, governorate: int | None) -> QuerySet[Voter]:
    voters = Voter.objects.filter(centre__election=election, status=Status.ACTIVE)
    if governorate is not None:
        voters = voters.filter(governorate_id=governorate)
    return voters


_FIELDS = ("pk", "first_name", "father_name", "grandfather_name", "family_name",
           "mother_name", "sex", "birth_date", "governorate__code")


def _rows(election: Election, governorate: int | None) -> Iterator[tuple[Any, ...]]:
    voters = active_voters(election, governorate).order_by()
    if connection.vendor == "postgresql":
        sql, params = voters.values_list(*_FIELDS).query.sql_with_params()
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY ({sql}) TO STDOUT", params) as copy:
            yield from copy.rows()
        return
    yield from voters.values_list(*_FIELDS).iterator(chunk_size=BATCH)


def export(election: Election, governorate: int | None, path: Path) -> int:
    """Write the active voters to ``path`` as the engine's CSV (names folded, the
    voter's id as its id); returns how many."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as stream:
        out = csv.writer(stream)
        out.writerow(COLUMNS)
        for pk, first, father, grandfather, family, mother, sex, born, code in _rows(
                election, governorate):
            out.writerow((pk, match_key(first), match_key(father), match_key(grandfather),
                          match_key(family), match_key(mother), sex, str(born), code))
            count += 1
    return count


def group_key(voter_ids: list[int]) -> str:
    return hashlib.sha256(",".join(str(i) for i in sorted(voter_ids)).encode()).hexdigest()


def detect(*, election: Election, governorate: int | None = None,
           threshold: float = THRESHOLD, progress: Progress | None = None,
           actor: Visitor | None = None) -> Detection:
    """Run the engine over the election's active register (one governorate's, or all
    of it when ``governorate`` is None) and keep its clusters as suspected duplicates.

    A cluster already decided (the same records) stays decided; one inside a group
    judged different people is not opened again; an open group no longer found is
    dropped."""
    steps = 3
    with tempfile.TemporaryDirectory(prefix="shafaf-dedup-") as directory:
        path = Path(directory) / "register.csv"
        records = export(election, governorate, path)
        if progress:
            progress(1, steps)
        found = (groups_of_csv(str(path), threshold=threshold, memory_limit=MEMORY_LIMIT)
                 if records > 1 else [])
    if progress:
        progress(2, steps)
    with transaction.atomic():
        election = Election.objects.select_for_update().get(pk=election.pk)
        refuse_if_final(election)
        summary = _store(election, governorate, found, records)
        record(actor=actor, action="register.duplicates_detected", target=election,
               data={"election": election.code,
                     "governorate": _code(governorate), **summary.audit_data()})
    if progress:
        progress(steps, steps)
    return summary


def _code(governorate: int | None) -> str:
    if governorate is None:
        return ""
    return str(Governorate.objects.values_list("code", flat=True).get(pk=governorate))


def _store(election: Election, governorate: int | None, found: list[Cluster],
           records: int) -> Detection:
    now = timezone.now()
    groups = DuplicateGroup.objects.filter(election=election)
    known = dict(groups.values_list("key", "state"))
    different = [set(ids) for ids in _members(groups.filter(state=DuplicateState.DIFFERENT))]
    seen: set[str] = set()
    opened = still_open = decided = 0
    for cluster in found:
        ids = [int(i) for i in cluster.ids]
        key = group_key(ids)
        seen.add(key)
        state = known.get(key)
        if state == DuplicateState.OPEN:
            groups.filter(key=key).update(probability=cluster.probability)
            still_open += 1
            continue
        if state is not None or any(set(ids) <= judged for judged in different):
            decided += 1
            continue
        places = set(Voter.objects.filter(pk__in=ids).values_list("governorate_id", flat=True))
        group = DuplicateGroup.objects.create(
            election=election, key=key, probability=cluster.probability, found=now,
            governorate_id=places.pop() if len(places) == 1 else None)
        DuplicateMember.objects.bulk_create(DuplicateMember(group=group, voter_id=i)
                                            for i in ids)
        opened += 1
    stale = groups.filter(state=DuplicateState.OPEN).exclude(key__in=seen)
    if governorate is not None:
        stale = stale.filter(governorate_id=governorate)
    stale.delete()
    return Detection(records=records, found=len(found), opened=opened,
                     still_open=still_open, already_decided=decided)


def _members(groups: QuerySet[DuplicateGroup]) -> list[list[int]]:
    by_group: dict[int, list[int]] = {}
    for group, voter in DuplicateMember.objects.filter(group__in=groups).values_list(
            "group_id", "voter_id"):
        by_group.setdefault(group, []).append(voter)
    return list(by_group.values())


# --- the background job -------------------------------------------------------------

JOB_KIND = "register.dedup"


def start_detection(*, actor: Visitor, election: Election, governorate: int | None) -> Job:
    """Queue duplicate detection over the election's active register: one
    governorate's, or the whole country's (``governorate`` None). A scoped user's
    run is their governorate's, whatever they ask."""
    account = require(actor, Capability.IMPORT_REGISTER)
    scope = governorate_scope(account)
    if scope is not None:
        governorate = scope
    refuse_if_final(election)
    return enqueue(actor=account, kind=JOB_KIND,
                   params={"election": election.pk, "governorate": governorate})


def run_job(params: dict[str, Any], user_id: int | None, progress: Progress) -> Outcome:
    """The job's work (``shafaf.jobs``): :func:`detect`, as the user who asked."""
    from django.contrib.auth import get_user_model

    actor = None
    if user_id is not None:
        actor = require(get_user_model().objects.get(pk=user_id), Capability.IMPORT_REGISTER)
    election = Election.objects.get(pk=params["election"])
    governorate = params.get("governorate")
    summary = detect(election=election, governorate=governorate, progress=progress,
                     actor=actor)
    text = gettext("%(records)s active records compared: %(found)s groups of suspected "
                   "duplicates, %(opened)s of them new, %(decided)s already decided.") % {
        "records": number_format(summary.records, force_grouping=True),
        "found": number_format(summary.found, force_grouping=True),
        "opened": number_format(summary.opened, force_grouping=True),
        "decided": number_format(summary.already_decided, force_grouping=True)}
    return Outcome(lines=[text], link=reverse("register:duplicates"),
                   data=summary.audit_data())


# --- the review queue ---------------------------------------------------------------


def groups_for(user: Visitor, election: Election) -> QuerySet[DuplicateGroup]:
    """The suspected duplicates ``user`` may review: a scoped reviewer sees only the
    groups whose records are all in their governorate."""
    account = require(user, Capability.REVIEW_DUPLICATES)
    groups = DuplicateGroup.objects.filter(election=election)
    scope = governorate_scope(account)
    if scope is not None:
        groups = groups.filter(governorate_id=scope)
    return groups


def group_for(user: Visitor, pk: int) -> DuplicateGroup:
    account = require(user, Capability.REVIEW_DUPLICATES)
    groups = DuplicateGroup.objects.select_related("election")
    scope = governorate_scope(account)
    if scope is not None:
        groups = groups.filter(governorate_id=scope)
    group = groups.filter(pk=pk).first()
    if group is None:
        raise Http404
    return group


def _open_group(actor: Visitor, pk: int) -> DuplicateGroup:
    group = group_for(actor, pk)
    refuse_if_final(group.election_id)
    group = DuplicateGroup.objects.select_for_update().get(pk=group.pk)
    if group.state != DuplicateState.OPEN:
        raise RegisterRefused("duplicate_decided")
    return group


def confirm(*, actor: Visitor, group: int, keep: int) -> DuplicateGroup:
    """One person: ``keep`` stays, every other record of the group is removed, with
    the reason "duplicate of <the kept voter number>" in its history."""
    account = require(actor, Capability.REVIEW_DUPLICATES)
    now = timezone.now()
    with transaction.atomic():
        found = _open_group(account, group)
        members = {v.pk: v for v in Voter.objects.select_for_update().filter(
            pk__in=DuplicateMember.objects.filter(group=found).values("voter_id"))}
        kept = members.get(keep)
        if kept is None:
            raise RegisterRefused("duplicate_keep_unknown")
        if kept.status != Status.ACTIVE:
            raise RegisterRefused("duplicate_keep_inactive", voter=kept.voter_number)
        reason = f"duplicate of {kept.voter_number}"
        removed = 0
        for voter in members.values():
            if voter.pk == kept.pk or voter.status != Status.ACTIVE:
                continue
            before = {"status": voter.status, "removal_reason": voter.removal_reason}
            voter.status, voter.removal_reason, voter.updated = Status.REMOVED, reason, now
            voter.save(update_fields=["status", "removal_reason", "updated"])
            VoterChange.objects.create(voter=voter, at=now, actor=account, before=before,
                                       after={"status": voter.status,
                                              "removal_reason": reason},
                                       reason=reason)
            removed += 1
        found.state, found.kept = DuplicateState.CONFIRMED, kept
        found.decided, found.decided_by = now, account
        found.save(update_fields=["state", "kept", "decided", "decided_by"])
        record(actor=account, action="register.duplicate_confirmed", target=found,
               data={"election": found.election.code, "records": len(members),
                     "removed": removed})
    return found


def different_people(*, actor: Visitor, group: int, reason: str) -> DuplicateGroup:
    """Not one person: the group is closed, every record stays, and a later run
    does not open these records again."""
    account = require(actor, Capability.REVIEW_DUPLICATES)
    reason = reason.strip()
    if not reason:
        raise RegisterRefused("duplicate_reason_missing")
    if len(reason) > REASON_LENGTH:
        raise RegisterRefused("duplicate_reason_long", limit=REASON_LENGTH)
    now = timezone.now()
    with transaction.atomic():
        found = _open_group(account, group)
        found.state, found.reason = DuplicateState.DIFFERENT, reason
        found.decided, found.decided_by = now, account
        found.save(update_fields=["state", "reason", "decided", "decided_by"])
        record(actor=account, action="register.duplicate_dismissed", target=found,
               data={"election": found.election.code,
                     "records": found.members.count()})
    return found
