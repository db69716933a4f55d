"""A page shows only the links its reader may open: every staff page a user reaches
from the dashboard, and every link on it, answers that user (no 403, no 404).

Kirkuk's office staff used to see links to every governorate's lists on an entity's
page, most of them a 404 for them.
"""

from __future__ import annotations

import pytest

from shafaf.access.roles import Role
from tests.crawl import kind, links
from tests.web.site_data import populated  # noqa: F401

STAFF = list(Role)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def crawl(client, start: str = "/staff/") -> tuple[dict[str, int], dict[str, str]]:
    """Visit one page of each kind reachable from ``start`` and GET every link on
    the staff pages; return each link's status and a page it was found on."""
    status: dict[str, int] = {}
    found_on: dict[str, str] = {start: "(start)"}
    visited = {kind(start)}
    queue = [start]
    while queue:
        url = queue.pop(0)
        response = client.get(url)
        status[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        for link in links(response.content.decode(), url):
            found_on.setdefault(link, url)
            # Ballot papers are PDFs rendered for minutes on end; their own tests cover them.
            if link in status or link in queue or link.endswith(".pdf"):
                continue
            if kind(link) not in visited:
                visited.add(kind(link))
                queue.append(link)
            elif link.startswith("/staff/") or start == "/":
                # Another page of a kind already read: it must answer this user too.
                status[link] = client.get(link).status_code
    return status, found_on


@pytest.mark.django_db
@pytest.mark.parametrize("role", STAFF, ids=[r.value for r in STAFF])
def test_every_link_a_staff_user_sees_opens(client, populated, users, role):  # noqa: F811
    client.force_login(users[role])
    status, found_on = crawl(client)
    refused = {url: (code, found_on[url]) for url, code in status.items()
               if code in (403, 404)}
    assert refused == {}
    assert len(status) > 10  # the crawl went somewhere


@pytest.mark.django_db
def test_every_link_a_visitor_sees_opens(client, populated):  # noqa: F811
    status, found_on = crawl(client, start="/")
    refused = {url: (code, found_on[url]) for url, code in status.items()
               if code in (403, 404)}
    assert refused == {}
    assert len(status) > 5


@pytest.mark.django_db
def test_kirkuks_office_sees_only_kirkuks_lists_on_an_entitys_page(client, populated,  # noqa: F811
                                                                   users):
    client.force_login(users[Role.OFFICE_MANAGER])
    entity = populated.entities.order_by("code").first()
    html = client.get(f"/staff/entities/{entity.pk}/").content.decode()
    kirkuk, basra = (entity.lists.get(contest__governorate__code=code).pk
                     for code in ("IQ-KI", "IQ-BA"))
    assert f"/staff/nominations/{kirkuk}/" in html
    assert f"/staff/nominations/{basra}/" not in html
