"""A reviewer enters a file of the ministries' replies to the external checks: a good
file records every check, each with its audit event; a file with one bad row
records nothing and names the row; a governorate's office reaches only its own
governorate's candidates."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from shafaf.access.roles import Role
from shafaf.audit.models import AuditEvent
from shafaf.entities.actions.check_replies import record_check_replies
from shafaf.entities.models import Check, NominationList
from shafaf.tabular import ImportRejected
from tests.web.test_nominations import (
    HEADER,
    _as,
    _new_list,
    _rows,
    _upload,
    fast_password_hashing,
    registered,
)

__all__ = ["fast_password_hashing", "registered"]  # fixtures, used by name

KINDS = ("degree", "criminal_record", "accountability_and_justice")


def under_review(client, users, registered, code="IQ-KI", count=4) -> NominationList:
    nomination = _new_list(client, users, registered["own"], code=code)
    _upload(client, nomination, HEADER + _rows(count))
    assert client.post(f"/staff/nominations/{nomination.pk}/", {"step": "submit"}).status_code \
        == 302
    _as(client, users[Role.ADMIN])
    client.post(f"/staff/nominations/{nomination.pk}/", {"step": "start_review"})
    nomination.refresh_from_db()
    assert nomination.status == "under_review"
    return nomination


def send(client, text: str, *, name="replies.csv", language="en"):
    client.cookies["shafaf_language"] = language
    return client.post("/staff/check-replies/", {
        "file": SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text)})


def replies(nomination, *, failing=()) -> str:
    return "candidate_id,check,outcome,document\n" + "".join(
        f"{c.pk},{kind},{'failed' if (c.position, kind) in failing else 'cleared'},"
        f"كتاب {kind} {c.position}/2023\n"
        for c in nomination.candidates.order_by("position") for kind in KINDS)


def test_a_good_file_records_every_check_with_its_audit_event(client, users, registered):
    nomination = under_review(client, users, registered)
    _as(client, users[Role.OFFICE_MANAGER])  # Kirkuk's office, Kirkuk's list
    events = AuditEvent.objects.filter(action="certification.check").count()
    response = send(client, replies(nomination, failing={(2, "criminal_record")}))
    assert response.status_code == 302
    assert Check.objects.filter(candidate__nomination=nomination).count() == 12
    failed = Check.objects.get(outcome="failed")
    assert (failed.candidate.position, failed.kind) == (2, "criminal_record")
    assert failed.document == "كتاب criminal_record 2/2023"
    assert AuditEvent.objects.filter(action="certification.check").count() == events + 12
    # The first candidate, cleared by every check, can now be approved from the page.
    first = nomination.candidates.get(position=1)
    client.post(f"/staff/candidates/{first.pk}/", {"step": "approve"})
    first.refresh_from_db()
    assert first.status == "approved"


def test_the_same_file_entered_twice_changes_nothing_the_second_time(client, users, registered):
    nomination = under_review(client, users, registered)
    _as(client, users[Role.OFFICE_MANAGER])
    text = replies(nomination)
    assert send(client, text).status_code == 302
    events = AuditEvent.objects.count()
    assert send(client, text).status_code == 302
    assert AuditEvent.objects.count() == events
    # A corrected reply is recorded: the one row that changed, nothing else.
    corrected = text.replace(",degree,cleared,", ",degree,failed,", 1)
    assert send(client, corrected).status_code == 302
    assert AuditEvent.objects.count() == events + 1
    assert Check.objects.filter(candidate__nomination=nomination, outcome="failed").count() == 1


def test_a_file_with_one_bad_row_records_nothing_and_names_the_row(client, users, registered):
    nomination = under_review(client, users, registered)
    _as(client, users[Role.OFFICE_MANAGER])
    text = replies(nomination).splitlines(keepends=True)
    text[7] = text[7].replace("cleared", "maybe")  # row 8
    events = AuditEvent.objects.count()
    response = send(client, "".join(text))
    assert response.status_code == 400  # a rejected file is bad input
    page = response.content.decode()
    assert page.count("replies.csv, row 8, column outcome: unknown value maybe") == 1
    assert "Problems in the file: 1. Nothing was changed." in page
    assert not Check.objects.exists()
    assert AuditEvent.objects.count() == events


def test_every_kind_of_bad_row_is_named(client, users, registered):
    nomination = under_review(client, users, registered, count=4)
    candidate = nomination.candidates.get(position=1)
    _as(client, users[Role.ADMIN])
    text = ("candidate_id,check,outcome,document\n"
            f"{candidate.pk},degree,cleared,\n"
            f"{candidate.pk},degree,cleared,doc\n"
            f"{candidate.pk},degree,cleared,doc 2\n"
            "999999,criminal_record,cleared,doc\n"
            "x,criminal_record,cleared,doc\n"
            f"{candidate.pk},passport,cleared,doc\n")
    page = send(client, text).content.decode()
    for line in ("row 2, column document: a value is required",
                 "row 3, column check: this candidate&#x27;s Degree verification reply is also "
                 "on row 2",
                 "row 4, column check: this candidate&#x27;s Degree verification reply is also "
                 "on row 2",
                 "row 5, column candidate_id: no candidate has the number 999999",
                 "row 6, column candidate_id: x is not a whole number",
                 "row 7, column check: unknown value passport"):
        assert f"replies.csv, {line}" in page
    assert not Check.objects.exists()


def test_the_awaited_sheet_filled_in_arabic_is_accepted(client, users, registered):
    nomination = under_review(client, users, registered, count=2)
    _as(client, users[Role.OFFICE_MANAGER])
    client.cookies["shafaf_language"] = "ar"
    assert 'href="/staff/check-replies/awaited.xlsx"' in client.get(
        "/staff/check-replies/").content.decode()
    sheet_file = client.get("/staff/check-replies/awaited.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(sheet_file.content))
    sheet = book.worksheets[0]
    assert [cell.value for cell in sheet[1]] == [
        "رقم المرشح", "الاسم", "الفحص", "النتيجة", "مرجع الوثيقة"]
    assert sheet.max_row == 1 + 2 * 3
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, 4, "اجتاز الفحص" if row != 3 else "لم يجتز الفحص")
        sheet.cell(row, 5, f"كتاب {row}")
    filled = io.BytesIO()
    book.save(filled)
    response = send(client, filled.getvalue(), name="ردود.xlsx", language="ar")
    assert response.status_code == 302
    assert Check.objects.filter(candidate__nomination=nomination).count() == 6
    assert Check.objects.filter(outcome="failed").count() == 1


def test_kirkuks_office_cannot_record_replies_for_basra(client, users, registered):
    basra = under_review(client, users, registered, code="IQ-BA", count=4)
    _as(client, users[Role.OFFICE_MANAGER])
    candidate = basra.candidates.get(position=1)
    page = send(client, f"candidate_id,check,outcome,document\n{candidate.pk},degree,"
                        "cleared,doc\n").content.decode()
    assert f"no candidate has the number {candidate.pk}" in page
    assert not Check.objects.exists()
    # Nor does the sheet of awaited replies show Basra's candidates.
    assert client.get("/staff/check-replies/awaited.csv").content.decode(
        "utf-8-sig").splitlines()[1:] == []


def test_only_reviewers_reach_the_page(client, users, registered):
    for role in (Role.ENTITY_AGENT, Role.OBSERVER):
        _as(client, users[role])
        assert client.get("/staff/check-replies/").status_code == 403
        assert send(client, "candidate_id,check,outcome,document\n").status_code == 403


def test_the_action_records_every_reply_and_refuses_those_without_the_capability(
        client, users, registered):
    nomination = under_review(client, users, registered)
    content = replies(nomination).encode()
    with pytest.raises(PermissionDenied):
        record_check_replies(actor=users[Role.CLERK], name="replies.csv", content=content)
    assert not Check.objects.exists()
    assert record_check_replies(actor=users[Role.OFFICE_MANAGER], name="replies.csv",
                                content=content) == 12
    assert set(Check.objects.values_list("recorded_by__username", flat=True)) == {
        "office_manager"}
    # A file with a header and no reply is refused as such.
    with pytest.raises(ImportRejected) as rejected:
        record_check_replies(actor=users[Role.OFFICE_MANAGER], name="replies.csv",
                             content=b"candidate_id,check,outcome,document\n")
    assert [p.reason for p in rejected.value.problems] == ["لا يحتوي الملف على أي رد"]
