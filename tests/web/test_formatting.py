"""Numbers and dates follow the active language, through one filter each
(docs/decisions/0011-numbers-and-dates.md)."""

from __future__ import annotations

import datetime
from datetime import UTC
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from shafaf.access.roles import Role
from shafaf.elections.models import (
    District,
    Governorate,
    PollingCentre,
    PollingStation,
    SubDistrict,
)
from shafaf.entities.models import LotteryDraw
from tests.web.site_data import populated  # noqa: F401

NUMBERS = {"ar": "16,014,793", "ckb": "16,014,793", "en": "16,014,793"}
DAYS = {"ar": "1 كانون الأول 2026", "ckb": "1 کانوونی یەکەم 2026", "en": "1 December 2026"}
# 18:05 UTC is 21:05 in Baghdad.
MOMENTS = {"ar": "1 كانون الأول 2026، 21:05", "ckb": "1 کانوونی یەکەم 2026، 21:05",
           "en": "1 December 2026, 21:05"}


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load shafaf_format %}" + source).render(Context(context))


@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
def test_a_figure_is_grouped_by_thousands(language):
    assert render("{{ n|number }}", language, n=16014793) == NUMBERS[language]
    assert render("{{ n|number }}", language, n=999) == "999"
    assert render("{{ n|number }}", language, n=-1234) == "-1,234"
    # Not a figure: shown as it is.
    assert render("{{ n|number }}", language, n="—") == "—"
    assert render("{{ n|number }}", language, n=None) == ""


@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
def test_a_date_names_the_month_as_iraq_does(language):
    assert render("{{ d|when }}", language, d=datetime.date(2026, 12, 1)) == DAYS[language]


@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
def test_a_moment_is_shown_in_baghdad_time(language):
    moment = datetime.datetime(2026, 12, 1, 18, 5, 9, tzinfo=ZoneInfo("UTC"))
    assert render("{{ m|when }}", language, m=moment) == MOMENTS[language]
    assert render('{{ m|when:"seconds" }}', language, m=moment) == MOMENTS[language] + ":09"


def test_every_arabic_month_is_the_iraqi_one():
    names = [render("{{ d|when }}", "ar", d=datetime.date(2026, m, 1)).split(" ", 1)[1][:-5]
             for m in range(1, 13)]
    assert names == ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز",
                     "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
def test_the_dashboard_groups_the_voters(client, stations, users, language):
    """Kirkuk's 12 stations have 400 + n voters each; national staff see Basra's too."""
    PollingStation.objects.filter(code="KI0001-01").update(registered_voters=16_000_000)
    client.cookies["shafaf_language"] = language
    client.force_login(users[Role.ADMIN])
    html = client.get("/staff/").content.decode()
    total = 16_000_000 + sum(400 + n for n in range(2, 5)) + 2 * sum(
        400 + n for n in range(1, 5)) + 2 * sum(400 + n for n in range(1, 6))
    assert f"<dd>{total:,}</dd>" in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
def test_the_lottery_pages_name_the_month_as_the_calendar_does(client, populated, users,  # noqa: F811
                                                               language):
    """A moment once printed bare took Django's own Arabic month names (ديسمبر)."""
    LotteryDraw.objects.update(frozen_at=datetime.datetime(2025, 12, 1, 9, 0, tzinfo=UTC))
    client.cookies["shafaf_language"] = language
    client.force_login(users[Role.ADMIN])
    html = client.get("/staff/lottery/").content.decode()
    frozen = {"ar": "1 كانون الأول 2025، 12:00", "ckb": "1 کانوونی یەکەم 2025، 12:00",
              "en": "1 December 2025, 12:00"}[language]
    assert f"<td>{frozen}</td>" in html
    assert "ديسمبر" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "count"), [
    ("ar", "1,234 محطة"), ("ckb", "1,234 وێستگە"), ("en", "1,234 stations")])
def test_the_stations_count_is_grouped(client, election, users, language, count):
    kirkuk = Governorate.objects.get(code="IQ-KI")
    district = District.objects.create(governorate=kirkuk, code="IQ-KI-D1", name_ar="قضاء")
    sub = SubDistrict.objects.create(district=district, code="IQ-KI-D1-S1", name_ar="ناحية")
    centre = PollingCentre.objects.create(election=election, code="KI0001", name_ar="مدرسة",
                                          sub_district=sub, governorate=kirkuk)
    PollingStation.objects.bulk_create(
        PollingStation(centre=centre, number=n, code=f"KI0001-{n:04d}", registered_voters=1)
        for n in range(1, 1235))
    client.cookies["shafaf_language"] = language
    client.force_login(users[Role.ADMIN])
    html = client.get("/staff/stations/").content.decode()
    assert f'<p class="count">{count}</p>' in html
