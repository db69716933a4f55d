"""Accounts: how passwords are stored, logging in, roles bound to a governorate, role
changes in the audit log, deactivation, nobody changing their own account, and
production settings that refuse to start without a secret key. (Slowing down
password guessing: test_login_throttle.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from shafaf.access.roles import Role
from shafaf.accounts import actions
from shafaf.accounts.models import User
from shafaf.audit.models import AuditEvent
from shafaf.elections.models import Governorate
from tests.web.conftest import PASSWORD

LOGIN = "/accounts/login/"
INVALID = "Please enter a correct username and password"
WRONG = "wrong-password-123"


def log_in(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    # English, so that the messages can be read whatever the state of the translations.
    return client.post(LOGIN, {"username": username, "password": password},
                       REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")


def logged_in_as(client: Client) -> str | None:
    user = client.get("/staff/").wsgi_request.user
    return user.username if user.is_authenticated else None


# These go through the real hasher; the others hash with MD5, for speed only (Argon2
# costs about 0.2 s and 100 MB a password, and the rate-limit tests log in often).
ARGON2_TESTS = {"test_passwords_are_stored_with_argon2", "test_login_lands_on_the_dashboard"}


@pytest.fixture(autouse=True)
def password_hashing(request, settings):
    if request.node.originalname not in ARGON2_TESTS:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def kirkuk(election) -> Governorate:
    return Governorate.objects.get(code="IQ-KI")


@pytest.fixture
def admin(election) -> User:
    return actions.create_user(actor=None, username="root", password=PASSWORD,
                               role=Role.ADMIN)


def settled(user: User) -> User:
    """A user who has already replaced the password the administrator chose."""
    User.objects.filter(pk=user.pk).update(must_change_password=False)
    user.refresh_from_db()
    return user


@pytest.fixture
def clerk(kirkuk, admin) -> User:
    return settled(actions.create_user(actor=admin, username="clerk", password=PASSWORD,
                                       role=Role.CLERK, governorate=kirkuk))


@pytest.fixture
def observer(admin) -> User:
    return settled(actions.create_user(actor=admin, username="observer", password=PASSWORD,
                                       role=Role.OBSERVER))


# --- Passwords ------------------------------------------------------------------------

def test_passwords_are_stored_with_argon2(client, admin, clerk, kirkuk):
    assert clerk.password.startswith("argon2$argon2id$")
    assert PASSWORD not in clerk.password
    stored = User.objects.get(username="clerk")
    assert stored.password.startswith("argon2")
    assert stored.check_password(PASSWORD)
    assert not stored.check_password(WRONG)

    client.force_login(admin)
    response = client.post("/staff/users/", {
        "username": "kirkuk.manager", "full_name": "", "password": "a-long-passphrase-9",
        "role": Role.OFFICE_MANAGER.value, "governorate": kirkuk.pk})
    assert response.status_code == 302
    assert User.objects.get(username="kirkuk.manager").password.startswith("argon2")


def test_the_users_page_refuses_a_common_password(client, admin):
    """The password validators of the settings apply to accounts made on the users page."""
    client.force_login(admin)
    response = client.post("/staff/users/", {
        "username": "weak", "password": "password123", "role": Role.OBSERVER.value},
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "password" in response.context["form"].errors
    assert not User.objects.filter(username="weak").exists()


# --- Logging in -----------------------------------------------------------------------

def test_login_lands_on_the_dashboard(client, clerk):
    assert clerk.password.startswith("argon2")
    response = log_in(client, "clerk", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    dashboard = client.get("/staff/")
    assert dashboard.status_code == 200
    assert dashboard.wsgi_request.user == clerk
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"


def test_login_goes_back_to_the_page_asked_for_but_never_off_site(client, clerk):
    to_stations = client.post(f"{LOGIN}?next=/staff/stations/",
                              {"username": "clerk", "password": PASSWORD})
    assert to_stations["Location"] == "/staff/stations/"
    client.logout()
    off_site = client.post(f"{LOGIN}?next=https://evil.example/",
                           {"username": "clerk", "password": PASSWORD})
    assert off_site["Location"] == "/staff/"


def test_login_needs_the_csrf_token(clerk):
    browser = Client(enforce_csrf_checks=True)
    refused = browser.post(LOGIN, {"username": "clerk", "password": PASSWORD})
    assert refused.status_code == 403
    token = browser.get(LOGIN).cookies["csrftoken"].value
    accepted = browser.post(LOGIN, {"username": "clerk", "password": PASSWORD,
                                    "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302


def test_a_wrong_password_is_refused_with_a_message(client, clerk):
    response = log_in(client, "clerk", WRONG)
    assert response.status_code == 200
    assert INVALID in response.content.decode()
    assert logged_in_as(client) is None


def test_a_deactivated_user_cannot_log_in(client, admin, clerk):
    client.force_login(admin)
    response = client.post(f"/staff/users/{clerk.pk}/", {
        "role": Role.CLERK.value, "governorate": clerk.governorate_id})  # "Active" unticked
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert not clerk.is_active
    client.logout()

    refused = log_in(client, "clerk", PASSWORD)
    assert refused.status_code == 200
    assert INVALID in refused.content.decode()
    assert logged_in_as(client) is None


# --- Roles bound to a governorate -----------------------------------------------------

def test_a_clerk_without_a_governorate_is_refused_by_the_users_page(client, admin):
    client.force_login(admin)
    events = AuditEvent.objects.count()
    response = client.post("/staff/users/", {
        "username": "lost.clerk", "password": "a-long-passphrase-9",
        "role": Role.CLERK.value, "governorate": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "governorate" in response.context["form"].errors
    assert "This role works in one governorate" in response.content.decode()
    assert not User.objects.filter(username="lost.clerk").exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("role", [Role.CLERK, Role.OFFICE_MANAGER])
def test_a_scoped_role_without_a_governorate_is_refused_by_the_action(admin, role):
    events = AuditEvent.objects.count()
    with pytest.raises(actions.RoleScopeError):
        actions.create_user(actor=admin, username="lost", password=PASSWORD, role=role)
    assert not User.objects.filter(username="lost").exists()
    assert AuditEvent.objects.count() == events


def test_changing_a_national_user_to_clerk_needs_a_governorate(client, admin, observer):
    client.force_login(admin)
    response = client.post(f"/staff/users/{observer.pk}/", {
        "role": Role.CLERK.value, "governorate": "", "is_active": "on"})
    assert response.status_code == 200
    assert "governorate" in response.context["form"].errors
    observer.refresh_from_db()
    assert observer.role == Role.OBSERVER
    with pytest.raises(actions.RoleScopeError):
        actions.change_user(actor=admin, user=observer, role=Role.CLERK, governorate=None,
                            is_active=True)


@pytest.mark.parametrize("role", [Role.CLERK, Role.OFFICE_MANAGER])
def test_the_database_refuses_a_scoped_role_without_a_governorate(election, role):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="lost", role=role, governorate=None)
    observer = User.objects.create(username="fine", role=Role.OBSERVER)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=observer.pk).update(role=role)
    assert User.objects.get(pk=observer.pk).role == Role.OBSERVER


# --- Role changes are audited ---------------------------------------------------------

def test_changing_a_role_writes_an_audit_event_with_before_and_after(client, admin, clerk,
                                                                     kirkuk):
    client.force_login(admin)
    before = AuditEvent.objects.count()
    response = client.post(f"/staff/users/{clerk.pk}/", {
        "role": Role.AUDITOR.value, "governorate": "", "is_active": "on"})
    assert response.status_code == 302
    assert AuditEvent.objects.count() == before + 1
    written = AuditEvent.objects.order_by("-seq").first()
    assert written.action == "accounts.change_user"
    assert (written.actor_id, written.actor_username) == (admin.pk, "root")
    assert (written.object_type, written.object_id) == ("accounts.user", str(clerk.pk))
    assert written.data == {
        "before": {"role": "clerk", "governorate": "IQ-KI", "is_active": True},
        "after": {"role": "auditor", "governorate": None, "is_active": True},
    }
    clerk.refresh_from_db()
    assert (clerk.role, clerk.governorate) == (Role.AUDITOR, None)


def test_deactivating_a_user_is_audited(admin, clerk):
    actions.change_user(actor=admin, user=clerk, role=Role.CLERK,
                        governorate=clerk.governorate, is_active=False)
    written = AuditEvent.objects.order_by("-seq").first()
    assert written.data["before"]["is_active"] is True
    assert written.data["after"]["is_active"] is False


def test_only_administrators_can_change_roles(client, clerk, observer):
    client.force_login(clerk)
    before = AuditEvent.objects.count()
    response = client.post(f"/staff/users/{observer.pk}/", {
        "role": Role.ADMIN.value, "governorate": "", "is_active": "on"})
    assert response.status_code == 403
    client.force_login(observer)
    response = client.post(f"/staff/users/{observer.pk}/", {
        "role": Role.ADMIN.value, "governorate": "", "is_active": "on"})
    assert response.status_code == 403
    observer.refresh_from_db()
    assert observer.role == Role.OBSERVER
    assert AuditEvent.objects.count() == before


# --- Nobody changes their own account ------------------------------------------------

@pytest.mark.parametrize(("role", "active"), [(Role.COMMISSIONER, True), (Role.AUDITOR, True),
                                               (Role.ADMIN, False)])
def test_an_administrator_cannot_change_their_own_role_or_deactivate_themselves(
        admin, role, active):
    """The attack: an administrator made themselves a Board member to sign off their
    own draw. Nor may they switch themselves off (and leave no one to undo it)."""
    events = AuditEvent.objects.count()
    with pytest.raises(actions.OwnAccountError) as refused:
        actions.change_user(actor=admin, user=admin, role=role, governorate=None,
                            is_active=active)
    assert refused.value.code == "own_role"
    admin.refresh_from_db()
    assert (admin.role, admin.is_active) == (Role.ADMIN, True)
    assert AuditEvent.objects.count() == events


def test_another_administrator_can_change_the_role(admin, election):
    second = actions.create_user(actor=admin, username="second", password=PASSWORD,
                                 role=Role.ADMIN)
    actions.change_user(actor=second, user=admin, role=Role.COMMISSIONER, governorate=None,
                        is_active=True)
    admin.refresh_from_db()
    assert admin.role == Role.COMMISSIONER


def test_the_users_page_offers_no_change_of_ones_own_account(client, admin, clerk):
    client.force_login(admin)
    listing = client.get("/staff/users/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="/staff/users/{clerk.pk}/"' in listing
    assert f'href="/staff/users/{admin.pk}/"' not in listing

    own = client.get(f"/staff/users/{admin.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert own.status_code == 200
    html = own.content.decode()
    assert "This is your own account" in html
    assert 'name="role"' not in html
    assert 'name="is_active"' not in html


@pytest.mark.parametrize("form", [{"role": Role.COMMISSIONER.value, "is_active": "on"},
                                  {"role": Role.ADMIN.value}])
def test_a_forged_post_to_ones_own_account_is_refused_with_a_message(client, admin, form):
    client.force_login(admin)
    events = AuditEvent.objects.count()
    response = client.post(f"/staff/users/{admin.pk}/", {"governorate": "", **form},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "Nobody may change their own role" in response.content.decode()
    admin.refresh_from_db()
    assert (admin.role, admin.is_active) == (Role.ADMIN, True)
    assert AuditEvent.objects.count() == events


# --- Production settings --------------------------------------------------------------

def _import_production(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[bytes]:
    clean = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
             "XDG_DATA_HOME": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-c", "import shafaf.web.settings.production as s; "
                               "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.ALLOWED_HOSTS)"],
        capture_output=True, env=clean, cwd=tmp_path, check=False, timeout=60)


@pytest.mark.parametrize("secret", [None, "", "   "])
def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path, secret):
    env = {"SHAFAF_ALLOWED_HOSTS": "shafaf.example"}
    if secret is not None:
        env["SHAFAF_SECRET_KEY"] = secret
    done = _import_production(tmp_path, **env)
    assert done.returncode != 0
    err = done.stderr.decode()
    assert "django.core.exceptions.ImproperlyConfigured" in err
    assert "The environment variable SHAFAF_SECRET_KEY is required" in err


def test_production_settings_refuse_to_start_without_allowed_hosts(tmp_path):
    done = _import_production(tmp_path, SHAFAF_SECRET_KEY="k" * 50)
    assert done.returncode != 0
    assert "SHAFAF_ALLOWED_HOSTS is required" in done.stderr.decode()


def test_production_settings_start_with_both_and_are_locked_down(tmp_path):
    done = _import_production(tmp_path, SHAFAF_SECRET_KEY="k" * 50,
                              SHAFAF_ALLOWED_HOSTS="shafaf.example,www.shafaf.example")
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().strip() == (
        "False True ['shafaf.example', 'www.shafaf.example']")
