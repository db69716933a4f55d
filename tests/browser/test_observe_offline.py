"""The observer's phone app offline (docs/observation-offline.md), in Chromium: the
service worker installs, the network is cut, the opening form is filled and sent
(queued), the app reloads from the cache with no network, and when the network is
back the report is sent once; a report whose answer was lost is sent again without a
second record."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connections

from shafaf.observation.models import FormDefinition, Submission
from tests.browser.conftest import log_in
from tests.observation.conftest import observer, organisation

__all__ = ["observer", "organisation"]

LABEL = {"ar": "سؤال", "ckb": "پرسیار", "en": "Question"}


def _label(ar: str) -> dict[str, str]:
    return {"ar": ar, "ckb": ar, "en": ar}


QUESTIONS = [
    {"id": "arrived_at", "type": "time", "required": True, "label": _label("وقت الوصول")},
    {"id": "opened_on_time", "type": "yes_no", "required": True,
     "label": _label("افتتحت في الموعد")},
    {"id": "staff", "type": "number", "required": False, "label": _label("عدد الموظفين"),
     "min": 0, "max": 50},
    {"id": "queue", "type": "choice", "required": False, "label": _label("الطابور"),
     "choices": [{"value": "short", "label": _label("قصير")},
                 {"value": "long", "label": _label("طويل")}]},
    {"id": "missing", "type": "multi", "required": False, "label": _label("مواد ناقصة"),
     "choices": [{"value": "ink", "label": _label("حبر")},
                 {"value": "ballots", "label": _label("أوراق اقتراع")}]},
    {"id": "notes", "type": "text", "required": False, "label": _label("ملاحظات")},
]


@pytest.fixture
def opening(stations) -> FormDefinition:
    # The app draws this test's opening form alone, not the shipped forms.
    FormDefinition.objects.filter(organisation__isnull=True).delete()
    return FormDefinition.objects.create(code="opening", version=1, name_ar="استمارة الافتتاح",
                                         name_en="Opening", questions=QUESTIONS)


def _in_database() -> list[tuple[str, dict[str, Any]]]:
    """Read in another thread: Django refuses the ORM in Playwright's thread."""
    def read() -> list[tuple[str, dict[str, Any]]]:
        try:
            return [(str(s.pk), s.answers) for s in Submission.objects.all()]
        finally:
            connections.close_all()  # a connection left open would lock SQLite's tables
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(read).result()


def _open_app(page: Any) -> None:
    log_in(page, "observer")
    page.goto("/observe/")
    page.locator("body[data-offline-ready=yes]").wait_for(state="attached")
    page.locator("button[data-form=opening]").wait_for()


def _fill_opening(page: Any) -> None:
    page.select_option("#station", "KI0001-02")
    page.click("button[data-form=opening]")
    page.fill("[data-question=arrived_at] input", "06:40")
    page.check("[data-question=opened_on_time] input[value=true]")
    page.fill("[data-question=staff] input", "6")
    page.check("[data-question=queue] input[value=long]")
    page.check("[data-question=missing] input[value=ink]")
    page.check("[data-question=missing] input[value=ballots]")
    page.fill("[data-question=notes] textarea", "تأخر وصول الحبر")
    page.click("#send")


EXPECTED = {"arrived_at": "06:40", "opened_on_time": True, "staff": 6, "queue": "long",
            "missing": ["ink", "ballots"], "notes": "تأخر وصول الحبر"}


def test_a_report_made_offline_is_sent_once_when_the_network_is_back(opening, observer, page):
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.set_viewport_size({"width": 360, "height": 740})  # a phone
    _open_app(page)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("button[data-form=opening]").inner_text() == "استمارة الافتتاح"
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    context = page.context
    context.set_offline(True)
    page.locator("#network.offline").wait_for()

    # A required question left empty is named before anything is queued.
    page.click("button[data-form=opening]")
    page.click("#send")
    page.locator("[data-question=arrived_at] .problem:not([hidden])").wait_for()
    page.click("#back")

    _fill_opening(page)
    waiting = page.locator("#queue li.waiting")
    waiting.wait_for()
    report_id = waiting.get_attribute("data-id")
    assert "KI0001-02" in waiting.inner_text()
    assert _in_database() == []

    # The app starts again with no network: the shell and the forms come from the cache.
    page.reload()
    page.locator("button[data-form=opening]").wait_for()
    assert page.locator("#queue li.waiting").get_attribute("data-id") == report_id
    assert _in_database() == []

    context.set_offline(False)
    page.locator(f"#queue li.sent[data-id='{report_id}']").wait_for()
    assert page.locator("#queue li.waiting").count() == 0
    assert _in_database() == [(report_id, EXPECTED)]
    assert not [text for text in console if "Content Security Policy" in text]


def test_a_report_whose_answer_was_lost_is_sent_again_without_a_duplicate(opening, observer,
                                                                          page):
    _open_app(page)
    lost: list[str] = []

    def lose_the_answer(route: Any) -> None:
        # The server stores the report, but its answer never reaches the phone.
        if not lost:
            lost.append(route.request.post_data_json["id"])
            lost.append(route.fetch().status)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/observation/submissions", lose_the_answer)
    _fill_opening(page)
    for _ in range(100):  # the handler runs while Playwright waits
        if len(lost) == 2:
            break
        page.wait_for_timeout(100)
    waiting = page.locator("#queue li.waiting")
    waiting.wait_for()
    report_id = waiting.get_attribute("data-id")
    assert lost == [report_id, 201]
    assert [row[0] for row in _in_database()] == [report_id]  # stored, yet still queued

    page.reload()  # the app starts again and sends its queue
    page.locator(f"#queue li.sent[data-id='{report_id}']").wait_for()
    assert [row[0] for row in _in_database()] == [report_id]


def test_a_refused_report_is_shown_to_correct_and_not_sent_again(opening, observer, page):
    _open_app(page)
    page.route("**/api/observation/submissions", lambda route: route.fulfill(
        status=422, content_type="application/json",
        json={"detail": "الإجابات لا تطابق الاستمارة", "problems": [
            {"question": "staff", "code": "out_of_range", "message": "من 0 إلى 50"}]}))
    _fill_opening(page)
    refused = page.locator("#queue li.refused")
    refused.wait_for()
    assert "الإجابات لا تطابق الاستمارة" in refused.inner_text()
    assert "عدد الموظفين: من 0 إلى 50" in refused.inner_text()  # the question, by its label
    page.unroute("**/api/observation/submissions")
    refused.locator("button[data-action=correct]").click()
    assert page.locator("[data-question=staff] input").input_value() == "6"
    assert page.locator("#queue li").count() == 1  # "no reports yet"
    assert _in_database() == []


@pytest.fixture
def second_observer(organisation, observer) -> str:
    """Another accredited observer of the organisation, deployed to the same station as
    the first: a report of the first's sent under this one's session would be taken."""
    from datetime import UTC, date, datetime, timedelta

    from shafaf.access.roles import Role
    from shafaf.accounts.models import User
    from shafaf.elections.models import PollingStation
    from shafaf.observation import codes
    from shafaf.observation.models import Assignment, Badge, Observer, ObserverStatus
    from tests.web.conftest import PASSWORD

    now = datetime.now(UTC)
    user = User.objects.create_user(username="observer2", password=PASSWORD,
                                    role=Role.OBSERVER)
    made = Observer.objects.create(
        organisation=organisation, full_name="مراقبة ثانية", birth_date=date(1992, 3, 3),
        sex="F", governorate=observer.governorate, user=user,
        status=ObserverStatus.ACCREDITED, conduct_accepted=now)
    Badge.objects.create(observer=made, code=codes.new_code(), issued=now,
                         expires=now + timedelta(days=30))
    station = PollingStation.objects.get(code="KI0001-02")
    Assignment.objects.create(observer=made, station=station, centre=station.centre)
    return user.username


def _submitted_by() -> list[str]:
    def read() -> list[str]:
        try:
            return [s.observer.user.username for s in
                    Submission.objects.select_related("observer__user")]
        finally:
            connections.close_all()
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(read).result()


def test_a_phone_passed_to_another_observer_keeps_each_ones_reports_apart(
        opening, second_observer, page):
    _open_app(page)
    # The first observer's report cannot be sent (the network fails) before they log out.
    page.route("**/api/observation/submissions", lambda route: route.abort("failed"))
    _fill_opening(page)
    report_id = page.locator("#queue li.waiting").get_attribute("data-id")

    # Signed out, the app's page redirects to the login page: the phone forgets the page
    # and the stations it kept for the first observer.
    page.context.clear_cookies()
    page.goto("/observe/")
    page.wait_for_url("**/accounts/login/**")
    kept = page.evaluate("""async () => [await caches.match("/observe/"),
        await caches.match("/api/observation/assignments")].map((hit) => !!hit)""")
    assert kept == [False, False]
    page.unroute("**/api/observation/submissions")
    assert _submitted_by() == []

    # The second observer sees that a report of another account waits, not the report,
    # and their app does not send it under their name.
    log_in(page, second_observer)
    page.goto("/observe/")
    others = page.locator("#queue li.others")
    others.wait_for()
    assert others.inner_text().startswith("1 ")
    assert page.locator(f"#queue li[data-id='{report_id}']").count() == 0
    page.evaluate("window.dispatchEvent(new Event('online'))")  # a sync, now
    page.wait_for_timeout(1000)
    assert _submitted_by() == []

    # Back with its owner, it is sent as theirs.
    page.context.clear_cookies()
    log_in(page, "observer")
    page.goto("/observe/")
    page.locator(f"#queue li.sent[data-id='{report_id}']").wait_for()
    assert _submitted_by() == ["observer"]
    assert page.locator("#queue li.others").count() == 0
