"""The candidate-list file as agents write it: headers in Arabic, Kurdish or English,
the app's own labels, dates day first, each problem shown once, and a template to
start from that, filled in and uploaded back, is accepted."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shafaf.cli.csv_input import component_code
from tests.web.test_nominations import HEADER, _new_list, _rows, fast_password_hashing, registered

__all__ = ["fast_password_hashing", "registered"]  # fixtures, used by name

ARABIC = "الترتيب,الاسم الرباعي,اسم الأم,الجنس,تاريخ الميلاد,التحصيل الدراسي,المكوِّن\n"
KURDISH = "ڕیزبەندی,ناوی چواری,ناوی دایک,ڕەگەز,ڕێکەوتی لەدایکبوون,ئاستی خوێندن\n"


def upload(client, nomination, content: bytes, name="list.csv", language="ar"):
    client.cookies["shafaf_language"] = language
    return client.post(f"/staff/nominations/{nomination.pk}/", {
        "step": "upload", "file": SimpleUploadedFile(name, content)})


def test_arabic_headers_labels_and_day_first_dates_are_accepted(client, users, registered):
    nomination = _new_list(client, users, registered["own"])
    text = ARABIC + ("١,علي حسين محمد جاسم,فاطمة,ذكر,02/03/1980,بكالوريوس,\n"
                     "2,زينب علي حسن كاظم,مريم,أنثى,٥/١١/١٩٧٩,الإعدادية,\n"
                     "3,حسن علي,مريم,ذكر,1981-07-30,شهادة البكالوريوس,\n")
    response = upload(client, nomination, text.encode())
    page = response.content.decode()
    assert response.status_code == 400  # a rejected file is bad input
    assert page.count("list.csv, الصف 4, العمود education: قيمة غير معروفة شهادة البكالوريوس") == 1
    assert nomination.candidates.count() == 0  # one bad row: nothing
    response = upload(client, nomination, text.replace("شهادة البكالوريوس", "دبلوم").encode())
    assert response.status_code == 302
    assert list(nomination.candidates.order_by("position").values_list(
        "sex", "date_of_birth", "education")) == [
        ("M", date(1980, 3, 2), "bachelor"), ("F", date(1979, 11, 5), "secondary"),
        ("M", date(1981, 7, 30), "diploma")]


def test_kurdish_headers_and_labels_are_accepted(client, users, registered):
    nomination = _new_list(client, users, registered["own"])
    text = KURDISH + "1,علي حسين محمد جاسم,فاطمة,پیاو,2/3/1980,بڕوانامەی ئامادەیی\n"
    assert upload(client, nomination, text.encode(), language="ckb").status_code == 302
    candidate = nomination.candidates.get()
    assert (candidate.sex, candidate.education) == ("M", "secondary")


def test_each_problem_is_shown_once(client, users, registered):
    nomination = _new_list(client, users, registered["own"])
    bad = HEADER + "1,علي,,أم,X,1975-01-01,bachelor\n2,حسن,,أم,M,1975-01-01,phd\n"
    response = upload(client, nomination, bad.encode(), language="en")
    page = response.content.decode()
    assert page.count("list.csv, row 2, column sex:") == 1
    assert page.count("list.csv, row 3, column education:") == 1
    assert "Problems in the file: 2. Nothing was changed." in page


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
def test_the_template_downloads_in_the_readers_language_and_is_accepted_back(
        client, users, registered, kind, language):
    nomination = _new_list(client, users, registered["own"])
    client.cookies["shafaf_language"] = language
    page = client.get(f"/staff/nominations/{nomination.pk}/").content.decode()
    link = f"/staff/nominations/{nomination.pk}/template.{kind}"
    assert f'href="{link}"' in page
    response = client.get(link)
    assert response.status_code == 200
    assert f"candidates.{kind}" in response["Content-Disposition"]
    content = response.content
    if kind == "csv":
        header = content.decode("utf-8-sig").splitlines()[0]
    else:
        import io

        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        header = ",".join(str(cell.value) for cell in sheet[1] if cell.value)
    assert header.startswith({"ar": "الترتيب,الاسم الرباعي", "ckb": "ڕیزبەندی,ناوی چواری",
                              "en": "Position,Four-part name"}[language])
    assert upload(client, nomination, content, name=f"candidates.{kind}",
                  language=language).status_code == 302
    candidate = nomination.candidates.get()
    assert (candidate.position, candidate.date_of_birth) == (1, date(1980, 3, 2))


def test_another_entitys_agent_cannot_download_its_lists_template(client, users, registered):
    nomination = _new_list(client, users, registered["own"])
    client.force_login(registered["rival"])
    assert client.get(f"/staff/nominations/{nomination.pk}/template.csv").status_code == 404


@pytest.mark.parametrize("spelling", ["Sabean-Mandaean", "sabean mandaean", "SABEAN_MANDAEAN",
                                      "sabean_mandaean", "الصابئة المندائيون"])
def test_the_command_line_and_the_upload_read_a_component_alike(client, users, registered,
                                                                 spelling):
    nomination = _new_list(client, users, registered["own"])
    text = HEADER.replace("\n", ",component\n") + _rows(1).replace("\n", f",{spelling}\n")
    assert upload(client, nomination, text.encode()).status_code == 302
    assert nomination.candidates.get().component == "sabean_mandaean"
    if spelling.isascii():  # the command line reads codes, not the app's labels
        assert component_code(spelling) == "sabean_mandaean"


def test_no_two_columns_or_values_share_a_spelling(db):
    """One normalisation must never make two choices one: each spelling, in any of
    the three languages, names one column, sex, education level or component."""
    from shafaf import tabular
    from shafaf.elections.models import Component
    from shafaf.entities import labels, nomination_file
    from shafaf.entities.actions import check_replies

    tables = {
        "headers": nomination_file.in_every_language(nomination_file.HEADERS),
        "reply headers": nomination_file.in_every_language(check_replies.HEADERS),
        "sexes": nomination_file.in_every_language(nomination_file.SEX_LABELS),
        "education": nomination_file.in_every_language(
            {k.value: v for k, v in labels.EDUCATION.items()}),
        "components": nomination_file.in_every_language(dict(Component.choices)),
        "checks": nomination_file.in_every_language(
            {k.value: v for k, v in labels.CHECKS.items()}),
        "outcomes": nomination_file.in_every_language(
            {k.value: v for k, v in labels.OUTCOMES.items()}),
    }
    for name, pairs in tables.items():
        codes: dict[str, set[str]] = {}
        for spelling, code in pairs:
            codes.setdefault(tabular.key(spelling), set()).add(code)
        shared = {key: found for key, found in codes.items() if len(found) > 1}
        assert not shared, (name, shared)
