"""Slowing down password guessing: five failed tries for one name from one address and
thirty from one address across names, within fifteen minutes, then a wait; never a
lockout the real user cannot get past, and parallel guesses get no more tries than
sequential ones. The client's address behind trusted proxies."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from shafaf.access.roles import Role
from shafaf.accounts import throttle
from shafaf.accounts.models import LoginThrottle, User
from tests.web.conftest import PASSWORD

LOGIN = "/accounts/login/"
THROTTLED = "Too many failed attempts"
INVALID = "Please enter a correct username and password"
WRONG = "wrong-password-123"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # MD5 for speed only: these tests log in hundreds of times (Argon2 is tested in
    # test_accounts).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clerk(db) -> User:
    return User.objects.create_user(username="clerk", password=PASSWORD, role=Role.OBSERVER)


@pytest.fixture
def observer(db) -> User:
    return User.objects.create_user(username="observer", password=PASSWORD,
                                    role=Role.OBSERVER)


class Clock:
    """Moves the throttle's time forward, instead of sleeping through a window."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.offset = timedelta()
        monkeypatch.setattr(throttle, "_now", lambda: timezone.now() + self.offset)

    def forward(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


def log_in(client: Client, username: str, password: str, address: str = "10.0.0.1", **extra):
    # English, so that the messages can be read whatever the state of the translations.
    return client.post(LOGIN, {"username": username, "password": password},
                       REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en", **extra)


def logged_in_as(client: Client) -> str | None:
    user = client.get("/staff/").wsgi_request.user
    return user.username if user.is_authenticated else None


def fail_five_times(client: Client, username: str = "clerk", address: str = "10.0.0.1"):
    for attempt in range(5):
        response = log_in(client, username, f"{WRONG}-{attempt}", address)
        assert response.status_code == 200, attempt
        assert INVALID in response.content.decode()


def _page(response) -> str:
    """The page without its CSRF token, which is masked afresh on every response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "",
                  response.content.decode())


# --- One name from one address --------------------------------------------------------

def test_the_sixth_attempt_waits_even_with_the_right_password(client, clerk, observer):
    fail_five_times(client)
    refused = log_in(client, "clerk", PASSWORD)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Too many failed attempts: try again in 15 minutes." in html
    assert 'role="alert"' in html
    assert refused["Retry-After"] == str(15 * 60)
    assert logged_in_as(client) is None

    # Other names from the same address, and the same name from elsewhere, still work:
    # a guesser cannot keep the real user out.
    assert log_in(client, "observer", PASSWORD).status_code == 302
    client.logout()
    assert log_in(Client(), "clerk", PASSWORD, address="10.0.0.2").status_code == 302


def test_the_wait_ends_with_the_window_and_the_account_is_never_locked(client, clerk, clock):
    fail_five_times(client)
    clock.forward(minutes=10)
    refused = log_in(client, "clerk", PASSWORD)
    assert refused.status_code == 429
    assert "try again in 5 minutes" in refused.content.decode()
    clock.forward(minutes=4, seconds=30)
    assert "try again in 1 minute." in log_in(client, "clerk", PASSWORD).content.decode()

    clock.forward(seconds=31)  # the window is over: tries resume, the password works
    assert log_in(client, "clerk", PASSWORD).status_code == 302
    assert logged_in_as(client) == "clerk"


def test_a_guesser_who_keeps_trying_does_not_extend_the_wait(client, clerk, clock):
    fail_five_times(client)
    for _ in range(3):
        clock.forward(minutes=5)
        log_in(client, "clerk", WRONG)
    assert log_in(client, "clerk", PASSWORD).status_code == 302


def test_the_wait_shows_in_arabic_by_default(client, clerk):
    fail_five_times(client)
    refused = client.post(LOGIN, {"username": "clerk", "password": PASSWORD},
                          REMOTE_ADDR="10.0.0.1")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert 'role="alert"' in html
    assert THROTTLED not in html
    assert "15" in html


def test_a_throttled_login_does_not_tell_whether_the_password_was_right(client, clerk):
    """While waiting, guessing is useless: the right and a wrong password get the same
    answer (otherwise the wait only hides the success, not the oracle)."""
    fail_five_times(client)
    right = log_in(client, "clerk", PASSWORD)
    wrong = log_in(client, "clerk", WRONG)
    assert right.status_code == wrong.status_code == 429
    assert INVALID not in wrong.content.decode()
    assert _page(right) == _page(wrong)


@pytest.mark.parametrize("spelling", [" clerk", "clerk ", "\tclerk\n", "ｃｌｅｒｋ", "CLERK"])
def test_the_count_covers_every_spelling_of_the_name(client, clerk, spelling):
    """The login form trims and NFKC-normalises the name before checking the password:
    a spelling that logs in as the user must count against the same limit."""
    fail_five_times(client)
    assert log_in(client, spelling, PASSWORD).status_code == 429
    assert logged_in_as(client) is None


@pytest.mark.parametrize("spelling", [" clerk", "ｃｌｅｒｋ"])
def test_failures_under_any_spelling_count_together(client, clerk, spelling):
    for attempt in range(5):
        log_in(client, spelling if attempt % 2 else "clerk", f"{WRONG}-{attempt}")
    assert log_in(client, "clerk", PASSWORD).status_code == 429


def test_a_very_long_name_is_refused_like_any_wrong_login(client, clerk):
    """Longer than a username may be: a normal refusal, not a server error."""
    response = log_in(client, "x" * 5000, WRONG)
    assert response.status_code == 200
    assert logged_in_as(client) is None


def test_a_successful_login_clears_the_failures(client, clerk):
    for attempt in range(4):
        log_in(client, "clerk", f"{WRONG}-{attempt}")
    assert log_in(client, "clerk", PASSWORD).status_code == 302
    assert not LoginThrottle.objects.filter(scope="account").exists()
    client.logout()

    for attempt in range(4):
        log_in(client, "clerk", f"{WRONG}-{attempt}")
    assert log_in(client, "clerk", PASSWORD).status_code == 302


@pytest.mark.parametrize("field", ["username", "password"])
def test_a_nul_byte_in_the_login_form_is_a_bad_request(client, clerk, field):
    """PostgreSQL cannot hold a NUL in text: refused before it reaches the database."""
    form = {"username": "clerk", "password": PASSWORD}
    form[field] = form[field][:3] + "\x00" + form[field][3:]
    response = client.post(LOGIN, form, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 400
    assert not LoginThrottle.objects.exists()
    assert logged_in_as(client) is None


# --- One address across names ---------------------------------------------------------

def test_an_address_trying_many_names_is_slowed_down(client, clerk):
    """68 names from one address were never throttled: now 30 failures, then a wait,
    for every name from that address (the real user from elsewhere is not affected)."""
    answers = [log_in(client, f"user{n}", WRONG).status_code for n in range(68)]
    assert answers == [200] * 30 + [429] * 38
    refused = log_in(client, "clerk", PASSWORD)
    assert refused.status_code == 429
    assert THROTTLED in refused.content.decode()
    assert log_in(Client(), "clerk", PASSWORD, address="10.0.0.2").status_code == 302


def test_successful_logins_from_a_shared_address_do_not_count(client, clerk):
    """An office behind one address logs in all morning: only failures count."""
    for _ in range(40):
        assert log_in(client, "clerk", PASSWORD).status_code == 302
        client.logout()


def test_an_ipv6_client_cannot_escape_by_changing_address_within_its_block(client, clerk):
    for n in range(5):
        log_in(client, "clerk", WRONG, address=f"2001:db8:1:2::{n + 1:x}")
    assert log_in(client, "clerk", PASSWORD, address="2001:db8:1:2::ff").status_code == 429
    assert log_in(client, "clerk", PASSWORD, address="2001:db8:1:3::1").status_code == 302


# --- Parallel guesses -----------------------------------------------------------------

def test_the_try_is_taken_before_the_password_is_checked(client, clerk, monkeypatch):
    """What makes parallel guesses safe, on either database: by the time a password is
    checked, its try is already counted, so no other login can have read the count
    from before it."""
    from django.contrib.auth import forms as auth_forms

    seen: list[int] = []
    check = auth_forms.authenticate

    def counting(*args, **kwargs):
        seen.append(LoginThrottle.objects.get(scope="account", username="clerk").tries)
        return check(*args, **kwargs)

    monkeypatch.setattr(auth_forms, "authenticate", counting)
    for attempt in range(6):
        log_in(client, "clerk", f"{WRONG}-{attempt}")
    assert seen == [1, 2, 3, 4, 5]  # the sixth was refused without a check


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_forty_parallel_guesses_get_five_tries(clerk):
    """Forty guesses sent at once, each in its own thread and database connection:
    a count read before the others wrote would let them all through (12 did).
    PostgreSQL only: SQLite takes one writer at a time, so the race cannot happen there
    (test_the_try_is_taken_before_the_password_is_checked runs on both)."""
    start = threading.Barrier(40)
    answers: list[int] = []
    lock = threading.Lock()

    def guess(n: int) -> None:
        try:
            start.wait()
            response = log_in(Client(), "clerk", f"{WRONG}-{n}")
            with lock:
                answers.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [200] * 5 + [429] * 35


# --- The client's address -------------------------------------------------------------

@pytest.mark.parametrize(("proxies", "forwarded", "seen"), [
    (0, "203.0.113.9", "10.0.0.1"),                     # no proxy: the header is ignored
    (1, "203.0.113.9", "203.0.113.9"),                  # one proxy: the last entry
    (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),    # the client wrote the first
    (2, "198.51.100.1, 203.0.113.9, 10.1.1.1", "203.0.113.9"),
    (2, "203.0.113.9", "10.0.0.1"),                     # fewer entries than proxies
    (1, "not-an-address", "10.0.0.1"),
    (1, "::ffff:203.0.113.9", "203.0.113.9"),
])
def test_the_client_address_behind_trusted_proxies(rf, settings, proxies, forwarded, seen):
    from shafaf.access.addresses import client_address

    settings.SHAFAF_TRUSTED_PROXIES = proxies
    request = rf.post(LOGIN, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == seen


@pytest.mark.parametrize(("value", "outcome"), [
    (None, "0"), ("2", "2"), (" 1 ", "1"),
    ("two", "SHAFAF_TRUSTED_PROXIES must be a whole number of proxies, not 'two'"),
    ("-1", "SHAFAF_TRUSTED_PROXIES must be a whole number"),
])
def test_the_number_of_trusted_proxies_comes_from_the_environment(tmp_path, value, outcome):
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
           "XDG_DATA_HOME": str(tmp_path), "SHAFAF_SECRET_KEY": "k" * 50,
           "SHAFAF_ALLOWED_HOSTS": "shafaf.example"}
    if value is not None:
        env["SHAFAF_TRUSTED_PROXIES"] = value
    done = subprocess.run(
        [sys.executable, "-c", "import shafaf.web.settings.production as s; "
                               "print(s.SHAFAF_TRUSTED_PROXIES)"],
        capture_output=True, env=env, cwd=tmp_path, check=False, timeout=60)
    if outcome.isdigit():
        assert done.returncode == 0, done.stderr.decode()
        assert done.stdout.decode().strip() == outcome
    else:
        assert done.returncode != 0
        assert outcome in done.stderr.decode()


def test_behind_a_proxy_each_client_has_its_own_count(client, clerk, settings):
    """Behind a proxy every client arrived from the proxy's address: one guesser would
    have made everybody wait."""
    settings.SHAFAF_TRUSTED_PROXIES = 1
    for attempt in range(5):
        log_in(client, "clerk", f"{WRONG}-{attempt}", address="10.9.9.9",
               HTTP_X_FORWARDED_FOR="203.0.113.66")
    # The guesser cannot get more tries by writing other addresses in front.
    assert log_in(client, "clerk", PASSWORD, address="10.9.9.9",
                  HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.66").status_code == 429
    assert log_in(Client(), "clerk", PASSWORD, address="10.9.9.9",
                  HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 302


def test_without_trusted_proxies_a_forged_header_gets_no_more_tries(client, clerk):
    for attempt in range(5):
        log_in(client, "clerk", f"{WRONG}-{attempt}", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")
    assert log_in(client, "clerk", PASSWORD,
                  HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429
