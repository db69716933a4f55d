"""The channel with the commission: notices and their targeting and read receipts,
meeting records (public once published, corrections audited), recommendations and
their public answers, awareness activities and their public summary, hostile
uploads."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shafaf.access.roles import Role
from shafaf.accounts.models import User
from shafaf.audit.models import AuditEvent
from shafaf.elections.models import Governorate
from shafaf.observation import channel
from shafaf.observation.channel_models import (
    AwarenessActivity,
    Meeting,
    MeetingDocument,
    Notice,
    NoticeRead,
    Recommendation,
)
from shafaf.observation.models import Coordinator, Organisation, OrganisationStatus
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def basra_organisation(stations) -> tuple[Organisation, User]:
    """An international mission in Basra only, with its own coordinator."""
    made = Organisation.objects.create(
        election=stations, name_ar="بعثة", kind="international", contact_name="x",
        contact_email="m@example.org", status=OrganisationStatus.APPROVED, code="INT-1")
    made.governorates.set([Governorate.objects.get(code="IQ-BA")])
    user = User.objects.create_user(username="mission", password=PASSWORD,
                                    role=Role.CSO_COORDINATOR)
    Coordinator.objects.create(user=user, organisation=made)
    return made, user


def _send(client: Client, stations, **extra) -> object:
    return client.post("/staff/observation/notices/new/", {
        "election": stations.pk, "title_ar": "تعميم الاعتماد", "body_ar": "نص التعميم",
        **extra})


def test_a_notice_reaches_only_the_organisations_it_targets(
        stations, users, organisation, basra_organisation):
    _mission, mission_user = basra_organisation
    admin = _client(users[Role.ADMIN])
    kirkuk = Governorate.objects.get(code="IQ-KI")
    assert _send(admin, stations, governorates=[kirkuk.pk]).status_code == 302
    assert _send(admin, stations, kinds=["international"], title_ar="للبعثات"
                 ).status_code == 302
    assert _send(admin, stations, title_ar="للجميع").status_code == 302

    cso_page = _client(users[Role.CSO_COORDINATOR]).get("/staff/observation/notices/")
    mission_page = _client(mission_user).get("/staff/observation/notices/")
    assert "تعميم الاعتماد" in cso_page.text
    assert "للجميع" in cso_page.text
    assert "للبعثات" not in cso_page.text
    assert "للبعثات" in mission_page.text
    assert "للجميع" in mission_page.text
    assert "تعميم الاعتماد" not in mission_page.text
    # Not targeted: as if it did not exist, and no receipt.
    kirkuk_notice = Notice.objects.get(title_ar="تعميم الاعتماد")
    assert _client(mission_user).get(
        f"/staff/observation/notices/{kirkuk_notice.pk}/").status_code == 404
    assert not NoticeRead.objects.exists()
    event = AuditEvent.objects.filter(action="observation.notice_send").first()
    assert event is not None
    assert event.actor_username == "admin"


def test_opening_a_notice_records_one_receipt_the_sender_sees(stations, users, organisation):
    admin = _client(users[Role.ADMIN])
    _send(admin, stations)
    notice = Notice.objects.get()
    cso = _client(users[Role.CSO_COORDINATOR])
    inbox = cso.get("/staff/observation/notices/").text
    assert "unread-mark" in inbox
    before = admin.get(f"/staff/observation/notices/{notice.pk}/").text
    assert "not-read" in before

    for _ in range(3):
        assert cso.get(f"/staff/observation/notices/{notice.pk}/").status_code == 200
    assert NoticeRead.objects.filter(notice=notice).count() == 1
    assert AuditEvent.objects.filter(action="observation.notice_read").count() == 1
    assert "unread-mark" not in cso.get("/staff/observation/notices/").text
    after = admin.get(f"/staff/observation/notices/{notice.pk}/").text
    assert "not-read" not in after
    assert "cso_coordinator" in after
    # The sender opening it is no receipt.
    assert NoticeRead.objects.count() == 1


def test_an_office_manager_sends_to_their_governorate_only(
        stations, users, organisation, basra_organisation):
    _mission, mission_user = basra_organisation
    manager = _client(users[Role.OFFICE_MANAGER])
    basra = Governorate.objects.get(code="IQ-BA")
    assert _send(manager, stations, governorates=[basra.pk]).status_code == 302
    notice = Notice.objects.get()
    assert notice.office.code == "IQ-KI"
    assert list(notice.governorates.values_list("code", flat=True)) == ["IQ-KI"]
    assert "تعميم الاعتماد" not in _client(mission_user).get(
        "/staff/observation/notices/").text
    # A national notice is not the office's to see.
    _send(_client(users[Role.ADMIN]), stations, title_ar="وطني")
    national = Notice.objects.get(title_ar="وطني")
    assert manager.get(f"/staff/observation/notices/{national.pk}/").status_code == 404


@pytest.mark.parametrize(("content", "name", "problem"), [
    (b"MZ\x90\x00 not a pdf", "evil.pdf", "الملف ليس بصيغة PDF"),
    (b"<html><script>alert(1)</script>", "x.html", "الملف ليس بصيغة PDF"),
    (b"%PDF-1.4\n" + b"0" * (channel.PDF_LIMIT + 1), "big.pdf", "الملف أكبر من 5"),
])
def test_hostile_attachments_are_refused_and_nothing_is_sent(
        stations, users, organisation, content, name, problem):
    admin = _client(users[Role.ADMIN])
    response = _send(admin, stations, attachment=SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert problem in response.text
    assert not Notice.objects.exists()


def test_an_attachment_is_served_as_a_pdf_download(stations, users, organisation):
    admin = _client(users[Role.ADMIN])
    _send(admin, stations, attachment=SimpleUploadedFile("a\";<x>.pdf", PDF))
    notice = Notice.objects.get()
    response = _client(users[Role.CSO_COORDINATOR]).get(
        f"/staff/observation/notices/{notice.pk}/attachment.pdf")
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    # The uploaded name cannot break out of the header.
    assert re.fullmatch(r'attachment; filename="[A-Za-z0-9._-]+"',
                        response["Content-Disposition"])


def _meeting_form(stations, **extra) -> dict[str, object]:
    return {"step": "save", "election": stations.pk, "title_ar": "مؤتمر تحديث السجل",
            "held": "2023-09-20", "place": "السماوة", "topics": "تحديث السجل",
            "minutes": "محضر سري حتى النشر", **extra}


def test_a_meeting_is_public_only_once_published_and_corrections_are_audited(
        stations, users, organisation):
    admin = _client(users[Role.ADMIN])
    response = admin.post("/staff/observation/meetings/new/",
                          _meeting_form(stations, organisations=[organisation.pk],
                                        other_participants="إذاعة محلية"))
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    admin.post(f"/staff/observation/meetings/{meeting.pk}/", {
        "step": "document", "document": SimpleUploadedFile("agenda.pdf", PDF)})
    document = MeetingDocument.objects.get()
    public = Client()
    assert "مؤتمر تحديث السجل" not in public.get("/observation/meetings/").text
    assert public.get(f"/observation/meetings/{meeting.pk}/").status_code == 404
    assert public.get(f"/observation/meetings/{meeting.pk}/documents/{document.pk}.pdf"
                      ).status_code == 404

    admin.post(f"/staff/observation/meetings/{meeting.pk}/",
               _meeting_form(stations, place="قاعة المكتب", published="on",
                             organisations=[organisation.pk]))
    page = public.get(f"/observation/meetings/{meeting.pk}/").text
    assert "محضر سري حتى النشر" in page
    assert "قاعة المكتب" in page
    assert organisation.name_ar in page
    assert public.get(f"/observation/meetings/{meeting.pk}/documents/{document.pk}.pdf"
                      ).content == PDF
    correction = AuditEvent.objects.get(action="observation.meeting_correct")
    assert correction.data["changed"]["place"] == {"before": "السماوة", "after": "قاعة المكتب"}
    assert correction.data["changed"]["published"] == {"before": False, "after": True}


def test_an_office_manager_records_their_governorates_meetings_only(stations, users):
    manager = _client(users[Role.OFFICE_MANAGER])
    basra = Governorate.objects.get(code="IQ-BA")
    manager.post("/staff/observation/meetings/new/", _meeting_form(stations, office=basra.pk))
    assert Meeting.objects.get().office.code == "IQ-KI"
    other = Meeting.objects.create(election=stations, title_ar="x", held=date(2023, 1, 1),
                                   place="x", topics="x", office=basra,
                                   recorded_by=users[Role.ADMIN])
    assert manager.post(f"/staff/observation/meetings/{other.pk}/",
                        _meeting_form(stations)).status_code == 404
    assert Meeting.objects.get(pk=other.pk).place == "x"


def test_a_meeting_document_must_be_a_bounded_pdf(stations, users):
    admin = _client(users[Role.ADMIN])
    admin.post("/staff/observation/meetings/new/", _meeting_form(stations))
    meeting = Meeting.objects.get()
    for upload in (SimpleUploadedFile("x.pdf", b"GIF89a"),
                   SimpleUploadedFile("x.pdf", b"%PDF-" + b"1" * channel.PDF_LIMIT), None):
        response = admin.post(f"/staff/observation/meetings/{meeting.pk}/",
                              {"step": "document", **({"document": upload} if upload else {})})
        assert response.status_code == 400
    assert not MeetingDocument.objects.exists()


def test_recommendations_are_filed_answered_and_filtered_in_public(
        stations, users, organisation):
    cso = _client(users[Role.CSO_COORDINATOR])
    for title, topic in (("مراكز متنقلة", "register"), ("أسباب الرفض", "candidates")):
        assert cso.post("/staff/observation/recommendations/", {
            "title": title, "text": "نص", "topic": topic}).status_code == 302
    mobile = Recommendation.objects.get(title="مراكز متنقلة")
    assert mobile.status == "open"
    assert mobile.organisation == organisation
    admin = _client(users[Role.ADMIN])
    assert admin.post(f"/staff/observation/recommendations/{mobile.pk}/answer/", {
        "status": "adopted", "answer": "اعتمدت"}).status_code == 302
    # "open" is not an answer
    assert admin.post(f"/staff/observation/recommendations/{mobile.pk}/answer/", {
        "status": "open", "answer": "x"}).status_code == 400
    mobile.refresh_from_db()
    assert (mobile.status, mobile.answer) == ("adopted", "اعتمدت")
    public = Client()
    adopted = public.get("/observation/recommendations/?status=adopted").text
    assert "مراكز متنقلة" in adopted
    assert "اعتمدت" in adopted
    assert "أسباب الرفض" not in adopted
    by_topic = public.get("/observation/recommendations/?topic=candidates").text
    assert "أسباب الرفض" in by_topic
    assert "مراكز متنقلة" not in by_topic
    hostile = public.get("/observation/recommendations/?status=%27%3B--&topic=" + "x" * 5000)
    assert hostile.status_code == 200
    assert "مراكز متنقلة" in hostile.text
    assert AuditEvent.objects.filter(action="observation.recommendation_file").count() == 2
    assert AuditEvent.objects.filter(action="observation.recommendation_answer").count() == 1


def test_awareness_activities_are_summed_per_governorate_and_audience(
        stations, users, organisation):
    organisation.name_ar = "شبكة الرقابة التجريبية"
    organisation.save()
    cso = _client(users[Role.CSO_COORDINATOR])
    kirkuk, basra = (Governorate.objects.get(code=c) for c in ("IQ-KI", "IQ-BA"))
    for place, audience, reach in ((kirkuk, "young", 40), (kirkuk, "young", 25),
                                   (kirkuk, "women", 30), (basra, "displaced", 120)):
        assert cso.post("/staff/observation/awareness/", {
            "held": "2023-10-01", "governorate": place.pk, "kind": "workshop",
            "audience": audience, "reach": reach}).status_code == 302
    for bad in ({"reach": -5}, {"reach": "many"}, {"reach": 10**9}, {"audience": "robots"}):
        response = cso.post("/staff/observation/awareness/", {
            "held": "2023-10-01", "governorate": kirkuk.pk, "kind": "workshop",
            "audience": "young", "reach": 1, **bad})
        assert response.status_code == 400
    assert AwarenessActivity.objects.count() == 4

    rows = list(csv.DictReader(io.StringIO(Client().get("/observation/awareness.csv")
                                           .content.decode())))
    by_place = {row["governorate"]: row for row in rows}
    assert by_place["IQ-KI"]["young"] == "65"
    assert by_place["IQ-KI"]["women"] == "30"
    assert by_place["IQ-KI"]["sessions"] == "3"
    assert by_place["IQ-KI"]["total"] == "95"
    assert by_place["IQ-BA"]["displaced"] == "120"
    assert by_place["IQ-BA"]["total"] == "120"
    page = Client().get("/observation/awareness/").text
    assert "<svg" in page
    assert "<table" in page
    assert page.count("<rect") >= 3  # the legend's squares and the bars
    # Aggregates only: no organisation's name, no coordinator.
    assert organisation.name_ar not in page
    assert "cso_coordinator" not in page


def test_a_coordinator_of_no_organisation_may_not_file(stations, users):
    agent = _client(users[Role.ENTITY_AGENT])
    assert agent.post("/staff/observation/awareness/", {}).status_code == 403
    assert agent.post("/staff/observation/recommendations/", {}).status_code == 403


def test_the_demo_loads_the_channel(stations, users):
    from shafaf.observation.demo_channel import load

    organisation = Organisation.objects.create(
        election=stations, name_ar="منظمة", contact_name="x", contact_email="x@example.org",
        status=OrganisationStatus.APPROVED, code="CSO-001")
    organisation.governorates.set(Governorate.objects.filter(code="IQ-KI"))
    for username, role in (("admin", Role.ADMIN), ("cso", Role.CSO_COORDINATOR)):
        User.objects.filter(username=username).delete()
        User.objects.create_user(username=username, password=PASSWORD, role=role)
    Coordinator.objects.create(user=User.objects.get(username="cso"),
                               organisation=organisation)
    from django.db import transaction

    with transaction.atomic():
        lines = load(stations)
    assert lines
    cso = User.objects.get(username="cso")
    inbox = channel.inbox(organisation)
    read = NoticeRead.objects.filter(user=cso).values_list("notice_id", flat=True)
    assert len(inbox) == 2
    assert len(read) == 1
    assert set(Recommendation.objects.values_list("status", flat=True)) == {
        "open", "answered", "adopted", "declined"}
    assert AwarenessActivity.objects.count() == 30
    assert Meeting.objects.filter(published=True).count() == 1
