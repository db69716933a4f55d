"""The demo's channel with the commission (docs/observation-channel.md): notices (one
read by the ``cso`` user, one not), a meeting record modelled on the Muthanna office's
conference on the register update and candidate approval, recommendations in every
status and some thirty voter-awareness sessions. Every name is made up."""

from __future__ import annotations

import random
from datetime import date, timedelta

from shafaf.accounts.models import User
from shafaf.elections.models import Election, Governorate
from shafaf.observation import channel
from shafaf.observation.channel_models import (
    ActivityKind,
    Audience,
    Notice,
    RecommendationStatus,
)
from shafaf.observation.models import Organisation

MINUTES = (
    "افتتح مدير مكتب المثنى الانتخابي المؤتمر بعرض مراحل تحديث سجل الناخبين وأعداد "
    "المحدثين في المحافظة، ثم عرض قسم شؤون الأحزاب إجراءات المصادقة على المرشحين "
    "ومواعيد الاعتراض عليها. طرحت المنظمات أسئلة عن مراكز التسجيل المتنقلة للنازحين "
    "وعن اعتماد المراقبين، وأجاب المكتب عنها. اتُّفق على لقاء شهري حتى يوم الاقتراع.")


def load(election: Election) -> list[str]:
    """Once per database: the caller's block runs only when observation is new."""
    admin = User.objects.get(username="admin")
    cso = User.objects.get(username="cso")
    organisations = list(Organisation.objects.filter(election=election,
                                                     kind="local").order_by("code"))
    if not organisations:
        return []
    first = organisations[0]
    notices = _notices(election, admin)
    channel.mark_read(user=cso, notice=notices[0], organisation=first)
    meeting = _meeting(election, admin, organisations)
    _recommendations(admin, cso, first)
    sessions = _awareness(cso, first)
    return [f"  the channel: {len(notices)} notices (one read by cso), the meeting "
            f"/observation/meetings/{meeting}/, {sessions} awareness sessions "
            "(/observation/awareness/)"]


def _notices(election: Election, admin: User) -> list[Notice]:
    return [channel.send_notice(
        actor=admin, election=election,
        titles={"ar": ar, "ckb": ckb, "en": en},
        bodies={"ar": body_ar, "ckb": "", "en": body_en},
        governorates=list(Governorate.objects.filter(code__in=places)), kinds=["local"])
        for ar, ckb, en, body_ar, body_en, places in (
            ("مواعيد تقديم طلبات اعتماد المراقبين", "کاتەکانی داواکاریی ناساندنی چاودێران",
             "Dates for observers' accreditation requests",
             "تُقبل طلبات اعتماد المراقبين المحليين حتى نهاية الشهر، بملف واحد لكل منظمة.",
             "Local observers' accreditation requests are accepted until the end of the "
             "month, one file per organisation.", ()),
            ("دعوة إلى مؤتمر تحديث سجل الناخبين في كركوك", "بانگهێشت بۆ کۆنگرەی نوێکردنەوەی "
             "تۆماری دەنگدەران لە کەرکووک", "Invitation: the register update conference in "
             "Kirkuk", "يدعو مكتب كركوك المنظمات المسجلة إلى مؤتمر عن تحديث السجل.",
             "The Kirkuk office invites registered organisations to a conference on the "
             "register update.", ("IQ-KI",)))]


def _meeting(election: Election, admin: User, organisations: list[Organisation]) -> int:
    muthanna = Governorate.objects.filter(code="IQ-MU").first()
    meeting = channel.record_meeting(
        actor=admin, election=election, office=muthanna, organisations=organisations[:2],
        fields={"title_ar": "مؤتمر مكتب المثنى مع منظمات المجتمع المدني حول تحديث السجل "
                            "والمصادقة على المرشحين",
                "title_ckb": "کۆنگرەی نووسینگەی موسەننا لەگەڵ ڕێکخراوەکانی کۆمەڵگەی مەدەنی",
                "title_en": "The Muthanna office's conference with civil society on the "
                            "register update and candidate approval",
                "held": election.polling_day - timedelta(days=75),
                "place": "قاعة مكتب المثنى الانتخابي، السماوة",
                "other_participants": "ممثلو ثلاث منظمات محلية غير مسجلة في القائمة\n"
                                      "إعلاميون من إذاعة محلية",
                "topics": "تحديث سجل الناخبين\nالمصادقة على المرشحين\nاعتماد المراقبين",
                "minutes": MINUTES, "published": True})
    pdf = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages"
           b"/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    channel.add_meeting_document(actor=admin, meeting=meeting, name="agenda.pdf", content=pdf)
    return meeting.pk


def _recommendations(admin: User, cso: User, organisation: Organisation) -> None:
    for title, text, topic, status, answer in (
        ("مراكز تسجيل متنقلة للنازحين", "نوصي بفتح مراكز تسجيل متنقلة في المخيمات خلال "
         "مدة التحديث.", "register", RecommendationStatus.ADOPTED,
         "اعتمدت المفوضية التوصية: ستعمل فرق متنقلة في المخيمات أسبوعين."),
        ("نشر أسباب رفض المرشحين", "نوصي بنشر سبب رفض كل مرشح مع القرار.", "candidates",
         RecommendationStatus.ANSWERED, "تُنشر القرارات مع أسبابها في صفحة المرشحين."),
        ("تمديد ساعات الاقتراع", "نوصي بتمديد الاقتراع ساعة في المراكز المزدحمة.",
         "polling", RecommendationStatus.DECLINED,
         "لا يسمح القانون بتمديد عام، وتمدد المفوضية للمحطات التي تتأخر بقرار منها."),
        ("لصق نتائج العد أمام المحطة", "نوصي بأن تبقى استمارة النتائج ملصقة يومين.",
         "counting", RecommendationStatus.OPEN, ""),
    ):
        made = channel.file_recommendation(actor=cso, organisation=organisation, title=title,
                                           text=text, topic=topic)
        if status != RecommendationStatus.OPEN:
            channel.answer_recommendation(actor=admin, recommendation=made, status=status,
                                          answer=answer)


def _awareness(cso: User, organisation: Organisation) -> int:
    rng = random.Random(12)  # noqa: S311 - synthetic demo data, not a secret
    places = list(Governorate.objects.filter(code__in=(
        "IQ-KI", "IQ-BG", "IQ-NI", "IQ-BA", "IQ-AN", "IQ-MU")))
    start = date(2023, 9, 1)
    for n in range(30):
        channel.file_activity(actor=cso, organisation=organisation, fields={
            "held": start + timedelta(days=rng.randrange(90)),
            "governorate": places[n % len(places)], "kind": rng.choice(list(ActivityKind)),
            "audience": rng.choice(list(Audience)), "reach": rng.randrange(15, 250),
            "note": ""})
    return 30
