"""The 400, 403, 404 and 500 pages: the site's layout, the reader's language and
direction, a sentence saying what happened, ways back, and never a traceback."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from shafaf.access.roles import Role
from shafaf.portal import context

# language: (dir, heading of 400, 403, 404, 500, the link home)
EXPECTED = {
    "ar": ("rtl", "تعذّر فهم الطلب", "لا يحق لك فتح هذه الصفحة", "الصفحة غير موجودة",
           "حدث خطأ من جهتنا", "الذهاب إلى الصفحة الرئيسية"),
    "ckb": ("rtl", "داواکارییەکە تێنەگەیشترا", "ناتوانیت ئەم پەڕەیە بکەیتەوە",
            "پەڕەکە نەدۆزرایەوە", "هەڵەیەک لە لای ئێمە ڕوویدا", "بڕۆ بۆ پەڕەی سەرەکی"),
    "en": ("ltr", "The request could not be understood", "You may not open this page",
           "Page not found", "Something went wrong on our side", "Go to the home page"),
}
LANGUAGES = list(EXPECTED)


def _in(language: str, client: Client | None = None) -> Client:
    client = client or Client(raise_request_exception=False)
    client.cookies["shafaf_language"] = language
    return client


def assert_error_page(response, language: str, status: int, heading: str) -> str:
    direction, *_, home = EXPECTED[language]
    assert response.status_code == status
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert "shafaf/shafaf.css" in html  # the site's layout, not Django's bare page
    assert f"<h1>{heading}</h1>" in html
    assert f'<a href="/">{home}</a>' in html
    assert "Traceback" not in html
    return html


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_missing_page(language):
    response = _in(language).get("/staff/nominations/999999/no-such-page/")
    assert_error_page(response, language, 404, EXPECTED[language][3])


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_the_role_may_not_open(language, users):
    client = _in(language)
    client.force_login(users[Role.OBSERVER])
    html = assert_error_page(client.get("/staff/users/"), language, 403, EXPECTED[language][2])
    # A way back to where the user works.
    assert 'href="/staff/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@override_settings(ALLOWED_HOSTS=["testserver"])
def test_a_request_that_cannot_be_understood(language):
    response = _in(language).get("/", HTTP_HOST="not-our-site.example")
    assert_error_page(response, language, 400, EXPECTED[language][1])


@pytest.mark.django_db
@pytest.mark.urls("tests.web.error_urls")
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_failure_on_our_side(language):
    html = assert_error_page(_in(language).get("/fails/"), language, 500,
                             EXPECTED[language][4])
    assert "a bug the visitor must not see" not in html
    assert "RuntimeError" not in html


@pytest.mark.django_db
@pytest.mark.urls("tests.web.error_urls")
def test_the_500_page_does_not_need_what_failed(monkeypatch, users):
    """The page renders without the request's context processors: if what failed is
    what they read (the database, the session), the visitor still gets the page."""

    def broken(request):
        raise RuntimeError("the database is gone")

    monkeypatch.setattr(context, "navigation", broken)
    client = _in("en")
    client.force_login(users[Role.ADMIN])
    assert_error_page(client.get("/fails/"), "en", 500, EXPECTED["en"][4])


CSRF = {"ar": "انتهت صلاحية الاستمارة", "ckb": "ماوەی فۆرمەکە بەسەرچووە",
        "en": "The form has expired"}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_sent_without_its_token(language):
    """The 403 a person meets most: a form left open past its session."""
    client = _in(language, Client(enforce_csrf_checks=True, raise_request_exception=False))
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    html = assert_error_page(response, language, 403, CSRF[language])
    assert 'href="/accounts/login/"' in html
