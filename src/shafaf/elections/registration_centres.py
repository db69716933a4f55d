"""Registration centres and the polling centres they serve (docs/imports.md).

Two files, each all or nothing through the one tabular reader (CSV or XLSX):

* the registration centres: ``code, name_ar, governorate_code`` and optionally
  ``name_ku`` (or ``name_ckb``), ``name_en`` and ``address``; a centre is matched by
  its code, created or updated, never deleted;
* the link of an election's polling centres to their registration centre, a file of
  two columns ``centre_code, registration_centre_code``: the polling centres are an
  election's (imported with its stations), the registration centres stand from one
  election to the next, so the link is a file of its own. A polling centre and its
  registration centre are in the same governorate (a voter registers and votes in
  the governorate of their residence).

The same file twice changes nothing and records nothing; a file that changes
something records one audit event with its SHA-256.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from shafaf import tabular
from shafaf.access.people import Visitor
from shafaf.access.roles import Capability
from shafaf.audit.actions import record
from shafaf.core.names import bidi_controls, character_label
from shafaf.elections.actions import _importer_scope
from shafaf.elections.models import Election, Governorate, PollingCentre, RegistrationCentre
from shafaf.tabular import Problems, Row, Table

REQUIRED = ("code", "name_ar", "governorate_code")
OPTIONAL = ("name_ckb", "name_en", "address")
ALIASES = {"name_ku": "name_ckb", "name_kurdish": "name_ckb", "name_ar_ku": "name_ckb"}
LINK_REQUIRED = ("centre_code", "registration_centre_code")
LENGTHS = {"code": 16, "name_ar": 200, "name_ckb": 200, "name_en": 200, "address": 300,
           "governorate_code": 16}
LINK_LENGTHS = {"centre_code": 16, "registration_centre_code": 16}
TEXTS = ("name_ar", "name_ckb", "name_en", "address")
# Iraq has some 1,100 registration centres and 10,000 polling centres.
ROWS_LIMIT = 50_000


def _(message: str) -> str:
    return str(gettext(message))


def _read(name: str, content: bytes, required: tuple[str, ...],
          optional: tuple[str, ...] = (), aliases: Mapping[str, str] | None = None) -> Table:
    return tabular.read_table(name=name, content=content, required=required,
                              optional=optional, aliases=aliases, limit=ROWS_LIMIT,
                              translate=_)


def _plain(row: Row, required: tuple[str, ...], lengths: Mapping[str, int],
           texts: tuple[str, ...], problems: Problems) -> None:
    for column in required:
        if not row[column]:
            problems.add(row.number, column, _("required, but empty"))
    for column, limit in lengths.items():
        if len(row[column]) > limit:
            problems.add(row.number, column, _("longer than %(limit)d characters"),
                         {"limit": limit})
    for column in texts:
        if controls := bidi_controls(row[column]):
            problems.add(row.number, column, _("%(character)s is not allowed in a name"),
                         {"character": character_label(controls[0])})


def _again(row: Row, column: str, code: str, first: int, problems: Problems) -> None:
    problems.add(row.number, column, _("%(code)s is in the file already, at row %(row)d"),
                 {"code": code, "row": first})


@dataclass(frozen=True)
class Summary:
    file: str
    sha256: str
    created: int
    updated: int
    unchanged: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def audit_data(self) -> dict[str, Any]:
        return {"file": self.file, "sha256": self.sha256, "created": self.created,
                "updated": self.updated, "unchanged": self.unchanged}

    def text(self, what: str) -> str:
        text = _("%(file)s: %(what)s: %(created)d created, %(updated)d updated, "
                 "%(unchanged)d unchanged.") % {"file": self.file, "what": what,
                                                "created": self.created,
                                                "updated": self.updated,
                                                "unchanged": self.unchanged}
        if not self.changed:
            text += " " + _("Nothing changed.")
        return text


def import_registration_centres(*, actor: Visitor | None, name: str,
                                content: bytes) -> Summary:
    """Create or update registration centres from a file: all of it, or nothing and
    :class:`~shafaf.tabular.ImportRejected` with every problem."""
    scope = _importer_scope(actor, Capability.IMPORT_REGISTER)
    table = _read(name, content, REQUIRED, OPTIONAL, ALIASES)
    problems = table.problems
    with transaction.atomic():
        governorates = {g.code: g for g in Governorate.objects.select_for_update()}
        existing = {c.code: c for c in RegistrationCentre.objects.select_related("governorate")}
        wanted: dict[str, dict[str, Any]] = {}
        first: dict[str, int] = {}
        for row in table.rows:
            before = problems.count
            _plain(row, REQUIRED, LENGTHS, TEXTS, problems)
            code, where = row["code"], row["governorate_code"]
            governorate = governorates.get(where)
            if where and governorate is None:
                problems.add(row.number, "governorate_code", _(
                    "no governorate %(code)s; the governorates are %(known)s"),
                    {"code": where, "known": ", ".join(sorted(governorates))})
            elif governorate is not None and scope is not None and (
                    where != scope or (code in existing
                                       and existing[code].governorate.code != scope)):
                problems.add(row.number, "governorate_code", _(
                    "you may import only the registration centres of %(scope)s"),
                    {"scope": scope})
            if code in first:
                _again(row, "code", code, first[code], problems)
            elif code:
                first[code] = row.number
            if problems.count > before or governorate is None:
                continue
            values: dict[str, Any] = {"name_ar": row["name_ar"],
                                      "governorate_id": governorate.pk}
            for column in OPTIONAL:
                if (value := table.optional(row, column)) is not None:
                    values[column] = value
            wanted[code] = values
        problems.raise_if_any()
        created = updated = 0
        for code, values in wanted.items():
            centre = existing.get(code)
            if centre is None:
                RegistrationCentre.objects.create(code=code, **values)
                created += 1
            elif any(getattr(centre, field) != value for field, value in values.items()):
                RegistrationCentre.objects.filter(pk=centre.pk).update(**values)
                updated += 1
        summary = Summary(table.name, table.sha256, created, updated,
                          len(wanted) - created - updated)
        if summary.changed:
            record(actor=actor, action="elections.import_registration_centres",
                   data=summary.audit_data())
    return summary


def link_registration_centres(*, actor: Visitor | None, election: Election, name: str,
                              content: bytes) -> Summary:
    """Set the registration centre of an election's polling centres from a file of
    ``centre_code, registration_centre_code``: all of it, or nothing and
    :class:`~shafaf.tabular.ImportRejected` with every problem."""
    scope = _importer_scope(actor, Capability.IMPORT_REGISTER)
    table = _read(name, content, LINK_REQUIRED)
    problems = table.problems
    with transaction.atomic():
        election = Election.objects.select_for_update().get(pk=election.pk)
        centres = {c.code: c for c in PollingCentre.objects.filter(election=election)
                   .select_related("governorate").only("pk", "code", "governorate__code",
                                                       "registration_centre_id")}
        registration = {c.code: c for c in
                        RegistrationCentre.objects.select_related("governorate")}
        wanted: dict[str, int] = {}
        first: dict[str, int] = {}
        for row in table.rows:
            before = problems.count
            _plain(row, LINK_REQUIRED, LINK_LENGTHS, (), problems)
            code, where = row["centre_code"], row["registration_centre_code"]
            centre, registered = centres.get(code), registration.get(where)
            if code and (centre is None or (scope is not None
                                            and centre.governorate.code != scope)):
                problems.add(row.number, "centre_code", _(
                    "no polling centre %(code)s in this election that you may import into"),
                    {"code": code})
            if where and registered is None:
                problems.add(row.number, "registration_centre_code", _(
                    "no registration centre %(code)s: import the registration centres "
                    "first"), {"code": where})
            if centre is not None and registered is not None \
                    and centre.governorate_id != registered.governorate_id:
                problems.add(row.number, "registration_centre_code", _(
                    "registration centre %(code)s is in %(there)s, polling centre "
                    "%(centre)s in %(here)s: they must be in the same governorate"),
                    {"code": where, "there": registered.governorate.code, "centre": code,
                     "here": centre.governorate.code})
            if code in first:
                _again(row, "centre_code", code, first[code], problems)
            elif code:
                first[code] = row.number
            if problems.count > before or centre is None or registered is None:
                continue
            wanted[code] = registered.pk
        problems.raise_if_any()
        changed = [code for code, pk in wanted.items()
                   if centres[code].registration_centre_id != pk]
        by_target: dict[int, list[int]] = {}
        for code in changed:
            by_target.setdefault(wanted[code], []).append(centres[code].pk)
        for target, pks in by_target.items():
            for start in range(0, len(pks), 500):
                PollingCentre.objects.filter(pk__in=pks[start:start + 500]).update(
                    registration_centre_id=target)
        summary = Summary(table.name, table.sha256, 0, len(changed),
                          len(wanted) - len(changed))
        if summary.changed:
            record(actor=actor, action="elections.link_registration_centres",
                   target=election, data={"election": election.code,
                                          **summary.audit_data()})
    return summary
