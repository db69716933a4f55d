"""Schemathesis against the API's own OpenAPI document: every operation, with
generated parameters and bodies (valid, boundary and invalid), answered in-process
through the WSGI application, as an anonymous visitor and as a signed-in
administrator, entity agent and observer. Whatever is sent, the answer is never a server error.

Bounded on purpose (a few dozen examples per operation and identity): it runs in
seconds in every test run, on SQLite and on PostgreSQL, and an operation added later
is fuzzed without touching this file."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings

from shafaf.access.roles import Role
from shafaf.api.routes import api
from shafaf.entities.models import EntityAgent
from shafaf.entities.synthetic import create_entities

EXAMPLES_PER_OPERATION = 25
# A CSRF secret the test chooses: sent as the cookie and the header, as a browser would.
CSRF = "a" * 32


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Read from the API object itself (Django is set up before collection), answered by
# the WSGI application in the test's own thread and database transaction.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes "old" database connections as each request starts,
    which would close the test's own transaction on PostgreSQL; Django's test client
    lifts that signal the same way."""
    request_started.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)


@pytest.fixture
def world(stations, users) -> None:
    """Lists in two governorates, numbered, one entity with an agent: enough for
    generated ids and codes to find something now and then, and the rest to be refused."""
    own, _other = create_entities(stations, lists={"IQ-KI": 2, "IQ-BA": 2},
                                  candidates_per_list=3, numbered=True)
    EntityAgent.objects.create(user=users[Role.ENTITY_AGENT], entity=own)


@pytest.fixture
def visitors(users) -> dict[str, dict[str, str]]:
    """Each visitor's cookies: none, or a signed-in user's session and CSRF token."""
    cookies: dict[str, dict[str, str]] = {"anonymous": {}}
    for role in (Role.ADMIN, Role.ENTITY_AGENT, Role.OBSERVER):
        client = Client()
        client.force_login(users[role])
        cookies[role.value] = {"sessionid": client.cookies["sessionid"].value,
                               "csrftoken": CSRF}
    return cookies


def _with_nul(values: Any) -> Any:
    """The same parameters with a NUL in every text: what PostgreSQL cannot take."""
    if not isinstance(values, dict):
        return values
    return {k: f"{v}\x00" if isinstance(v, str) else v for k, v in values.items()}


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_request_to_the_api_gives_a_server_error(case, world, visitors):
    for who, cookies in visitors.items():
        headers = {"X-CSRFToken": CSRF} if cookies else {}
        response = case.call(cookies=cookies, headers=headers)
        assert response.status_code < 500, (
            f"{who}: {case.method} {case.formatted_path} {case.query or ''} "
            f"{case.body!r}: {response.status_code}")
    # And once more with a NUL in each text parameter, as a signed-in administrator.
    case.path_parameters = _with_nul(case.path_parameters)
    case.query = _with_nul(case.query)
    response = case.call(cookies=visitors[Role.ADMIN.value], headers={"X-CSRFToken": CSRF})
    assert response.status_code < 500, (
        f"with NUL: {case.method} {case.formatted_path} {case.query or ''}: "
        f"{response.status_code}")
