"""The ministries' replies to the external checks, entered from one file.

A reviewer receives the replies of the Ministry of Higher Education (degrees), the
Ministry of Justice (criminal records) and the Accountability and Justice Commission
in batches. The file has one row per reply: the candidate's number (as the
candidate's page and the reply sheet show it), the check, its outcome and the
reference of the ministry's document. It is read by the one tabular reader, every
row is checked (the candidate exists, is in the reviewer's governorate, their list
is under review, the check and outcome are known, the document is given, no reply
twice), and then each reply is recorded by :func:`record_check` with its audit
event, all in one transaction: every reply of the file or none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from shafaf import tabular
from shafaf.access.checks import governorate_scope, require
from shafaf.access.people import Visitor
from shafaf.access.roles import Capability
from shafaf.core.certification import CheckKind, CheckOutcome, ListState
from shafaf.entities import labels
from shafaf.entities.actions.certification import record_check
from shafaf.entities.models import Candidate, Check
from shafaf.entities.nomination_file import in_every_language

REQUIRED = ("candidate_id", "check", "outcome", "document")
OPTIONAL = ("name",)  # the reply sheet shows it to the reviewer; not read
# Each column's name in the reply sheet, in the reader's language.
HEADERS = {"candidate_id": gettext_lazy("Candidate number"), "name": gettext_lazy("Name"),
           "check": gettext_lazy("Check"), "outcome": gettext_lazy("Outcome"),
           "document": gettext_lazy("Document reference")}
# Words reviewers write that are not the app's own labels.
OUTCOME_WORDS = {"اجتاز": "cleared", "لم يجتز": "failed", "passed": "cleared"}
DOCUMENT_LENGTH = 200
ROWS_LIMIT = 50_000


def _(message: str) -> str:
    return str(gettext(message))


@dataclass(frozen=True, slots=True)
class Reply:
    row: int
    candidate_id: int
    kind: str
    outcome: str
    document: str


@transaction.atomic
def record_check_replies(*, actor: Visitor, name: str, content: bytes) -> int:
    """Record every reply of the file, or none and
    :class:`~shafaf.tabular.ImportRejected` naming each row's problems. Returns how
    many checks were recorded (a reply already recorded as it stands is skipped)."""
    actor = require(actor, Capability.REVIEW_CANDIDATES)
    table = tabular.read_table(name=name, content=content, required=REQUIRED,
                               optional=OPTIONAL, aliases=dict(in_every_language(HEADERS)),
                               limit=ROWS_LIMIT, translate=_)
    replies = _replies(table)
    found = Candidate.objects.select_related("nomination__contest").in_bulk(
        {reply.candidate_id for reply in replies})
    candidates = _candidates(replies, found, governorate_scope(actor), table.problems)
    if not replies and not table.problems:
        table.problems.add(None, "", _("the file has no replies"))
    table.problems.raise_if_any()
    # A reply already recorded as it stands is not recorded again: the same file
    # entered twice changes nothing and adds nothing to the audit chain.
    recorded = set(Check.objects.filter(candidate__in=list(candidates.values()))
                   .values_list("candidate_id", "kind", "outcome", "document"))
    new = [reply for reply in replies
           if (reply.candidate_id, reply.kind, reply.outcome, reply.document) not in recorded]
    for reply in new:
        record_check(actor=actor, candidate=candidates[reply.candidate_id], kind=reply.kind,
                     outcome=reply.outcome, document=reply.document)
    return len(new)


def _replies(table: tabular.Table) -> list[Reply]:
    """The rows whose values are well formed; the problems of the others."""
    problems = table.problems
    kinds = tabular.spellings([*((k.value, k.value) for k in CheckKind),
                               *in_every_language({k.value: v for k, v in labels.CHECKS.items()})])
    outcomes = tabular.spellings([
        *((o.value, o.value) for o in CheckOutcome), *OUTCOME_WORDS.items(),
        *in_every_language({o.value: v for o, v in labels.OUTCOMES.items()})])
    replies: list[Reply] = []
    first: dict[tuple[int, str], int] = {}
    for row in table.rows:
        before = problems.count
        for column in REQUIRED:
            if not row[column]:
                problems.add(row.number, column, _("a value is required"))
        if len(row["document"]) > DOCUMENT_LENGTH:
            problems.add(row.number, "document", _("longer than %(limit)d characters"), {
                "limit": DOCUMENT_LENGTH})
        number = tabular.whole(row["candidate_id"], (1, 2**31 - 1)) if row[
            "candidate_id"] else None
        if isinstance(number, tuple):
            problems.add(row.number, "candidate_id", *number)
        kind = _known(row, "check", kinds, labels.CHECKS.values(), problems)
        outcome = _known(row, "outcome", outcomes, labels.OUTCOMES.values(), problems)
        if isinstance(number, int) and kind is not None:
            earlier = first.setdefault((number, kind), row.number)
            if earlier != row.number:
                problems.add(row.number, "check", _(
                    "this candidate's %(check)s reply is also on row %(row)d"), {
                    "check": labels.CHECKS[CheckKind(kind)], "row": earlier})
        if (problems.count == before and isinstance(number, int) and kind is not None
                and outcome is not None):
            replies.append(Reply(row.number, number, kind, outcome, row["document"]))
    return replies


def _known(row: tabular.Row, column: str, spellings: dict[str, str], words: Any,
           problems: tabular.Problems) -> str | None:
    if not row[column]:
        return None
    code = tabular.lookup(spellings, row[column])
    if code is None:
        problems.add(row.number, column, _("unknown value %(value)s; write one of: %(known)s"), {
            "value": row[column], "known": ", ".join(map(str, words))})
    return code


def _candidates(replies: list[Reply], found: dict[int, Candidate], scope: int | None,
                problems: tabular.Problems) -> dict[int, Candidate]:
    """The candidates the replies name, each in the reviewer's governorate and on a
    list under review; a problem for each reply that names another."""
    usable: dict[int, Candidate] = {}
    for reply in replies:
        candidate = found.get(reply.candidate_id)
        # Another governorate's candidate is, to a scoped reviewer, no candidate at all.
        if candidate is None or (scope is not None
                                 and candidate.nomination.contest.governorate_id != scope):
            problems.add(reply.row, "candidate_id", _("no candidate has the number %(value)s"),
                         {"value": reply.candidate_id})
        elif candidate.nomination.status != ListState.UNDER_REVIEW:
            problems.add(reply.row, "candidate_id", _(
                "%(candidate)s: the list is not under review (it is %(status)s)"), {
                "candidate": candidate.full_name,
                "status": labels.LIST_STATES[ListState(candidate.nomination.status)]})
        else:
            usable[reply.candidate_id] = candidate
    return usable
