"""The headers a browser is given: a strict Content-Security-Policy on every kind of
response, the API docs served without a CDN, and in production HTTPS only (the
redirect, HSTS, secure cookies), with X-Forwarded-Proto believed only when the
operator says a TLS proxy sets it."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import include, path

from shafaf.web.content_policy import POLICY

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "shafaf" / "templates"
# Rendered to PDF by WeasyPrint, never served to a browser: its <style> is not a page's.
# Laid out by WeasyPrint into a PDF, never served as a page.
PRINT_ONLY = {"entities/ballot.html", "register/stations_voter_list.html",
              "results/results_pdf.html", "observation/badge_pdf.html",
              "observation/statement_pdf.html"}


@pytest.fixture
def visitor() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(("url", "status"), [
    ("/", 200),                                 # a page
    ("/lottery/verify/", 200),                  # the page with a script
    ("/api/elections/", 200),                   # the API, JSON
    ("/api/openapi.json", 200),
    ("/api/docs", 200),
    ("/api/elections/nothing-here", 404),       # the API's 404
    ("/no-such-page/", 404),                    # the site's 404
    ("/staff/", 302),                           # a redirect to the login page
    ("/candidates/?q=%00", 400),                # a refusal before any view
    ("/static/shafaf/shafaf.css", 200),         # a static file
    ("/static/ninja/swagger-ui-bundle.js", 200),
])
def test_every_kind_of_response_carries_the_policy(visitor, election, url, status):
    response = visitor.get(url)
    response.close()  # a static file is streamed from an open file
    assert response.status_code == status
    assert response["Content-Security-Policy"] == POLICY


def _broken(request):
    raise RuntimeError("a view that fails")


urlpatterns = [path("broken/", _broken), path("", include("shafaf.web.urls"))]
handler500 = "shafaf.portal.errors.server_error"


def test_a_server_error_carries_the_policy(visitor, db, settings):
    settings.ROOT_URLCONF = __name__
    response = visitor.get("/broken/")
    assert response.status_code == 500
    assert response["Content-Security-Policy"] == POLICY


def test_the_policy_allows_nothing_inline_and_nothing_from_elsewhere():
    directives = dict(d.split(" ", 1) for d in POLICY.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe" not in POLICY
    assert "http" not in POLICY


def _served_templates() -> list[Path]:
    return [p for p in sorted(TEMPLATES.rglob("*.html"))
            if p.relative_to(TEMPLATES).as_posix() not in PRINT_ONLY]


def test_no_template_has_an_inline_script_a_handler_or_an_inline_style():
    """What the policy would block, caught before a browser does: a <script> without
    src (other than a JSON data block), an on…= attribute, a <style> block, a style=
    attribute, a javascript: link."""
    found = []
    for template in _served_templates():
        text = template.read_text(encoding="utf-8")
        name = template.relative_to(TEMPLATES).as_posix()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                found.append((name, tag))
        found += [(name, m) for m in re.findall(r"<[a-z][^>]*\son[a-z]+\s*=", text)]
        found += [(name, m) for m in re.findall(r"<style\b", text)]
        found += [(name, m) for m in re.findall(r"<[a-z][^>]*\sstyle\s*=", text)]
        found += [(name, m) for m in re.findall(r"javascript:", text, flags=re.IGNORECASE)]
    assert found == []


# --- The API docs: Swagger from our own static files ----------------------------------

def test_the_api_docs_load_nothing_from_another_origin(visitor, db):
    response = visitor.get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200
    sources = re.findall(r'<(?:script|link)\b[^>]*(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in sources
    assert "/static/ninja/swagger-ui.css" in sources
    assert all(s.startswith("/static/") for s in sources), sources
    assert not re.search(r"https?://", html), "an absolute URL in the docs page"
    for source in sources:
        served = visitor.get(source)
        served.close()
        assert served.status_code == 200, source


# --- Production: HTTPS only, and the proxy header only when configured ----------------

PROBE = """
import json, django
django.setup()
from django.test import Client
from django.urls import include, path
from django.conf import settings
client = Client()
out = {"hsts": settings.SECURE_HSTS_SECONDS,
       "cookies": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE]}
for name, kwargs in [("plain", {}), ("forwarded", {"HTTP_X_FORWARDED_PROTO": "https"}),
                     ("tls", {"secure": True})]:
    r = client.get("/api/openapi.json", **kwargs)
    out[name] = [r.status_code, r.get("Location"), r.get("Strict-Transport-Security"),
                 r.get("Content-Security-Policy")]
print(json.dumps(out))
"""


def _production(tmp_path: Path, **env: str) -> dict[str, list[object]]:
    clean = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
             "XDG_DATA_HOME": str(tmp_path), "SHAFAF_SECRET_KEY": "k" * 50,
             "SHAFAF_ALLOWED_HOSTS": "testserver",
             "DJANGO_SETTINGS_MODULE": "shafaf.web.settings.production", **env}
    done = subprocess.run([sys.executable, "-W", "ignore", "-c", PROBE], capture_output=True,
                          env=clean, cwd=tmp_path, check=False, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    result: dict[str, list[object]] = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return result


YEAR = 365 * 24 * 60 * 60


def test_production_without_a_proxy_redirects_plain_http_and_ignores_the_header(tmp_path):
    seen = _production(tmp_path)
    assert seen["plain"][:2] == [301, "https://testserver/api/openapi.json"]
    assert seen["plain"][3] == POLICY
    # A client cannot claim HTTPS with a header when no proxy is configured.
    assert seen["forwarded"][:2] == [301, "https://testserver/api/openapi.json"]
    status, _location, hsts, csp = seen["tls"]
    assert status == 200
    assert hsts == f"max-age={YEAR}; includeSubDomains"
    assert csp == POLICY
    assert seen["cookies"] == [True, True]


def test_production_behind_a_tls_proxy_serves_forwarded_https_with_hsts(tmp_path):
    seen = _production(tmp_path, SHAFAF_PROXY_SSL_HEADER="1")
    status, location, hsts, _csp = seen["forwarded"]
    assert (status, location) == (200, None)
    assert hsts == f"max-age={YEAR}; includeSubDomains"
    # Plain HTTP that reached the application without the proxy's header: redirected.
    assert seen["plain"][:2] == [301, "https://testserver/api/openapi.json"]


def test_production_hsts_can_start_lower(tmp_path):
    seen = _production(tmp_path, SHAFAF_HSTS_SECONDS="300",
                       SHAFAF_HSTS_INCLUDE_SUBDOMAINS="0")
    assert seen["hsts"] == 300
    assert seen["tls"][2] == "max-age=300"


def test_production_refuses_an_hsts_duration_that_is_not_a_number(tmp_path):
    clean = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
             "XDG_DATA_HOME": str(tmp_path), "SHAFAF_SECRET_KEY": "k" * 50,
             "SHAFAF_ALLOWED_HOSTS": "testserver", "SHAFAF_HSTS_SECONDS": "a year"}
    done = subprocess.run([sys.executable, "-c", "import shafaf.web.settings.production"],
                          capture_output=True, env=clean, cwd=tmp_path, check=False,
                          timeout=60)
    assert done.returncode != 0
    assert "SHAFAF_HSTS_SECONDS must be a whole number of seconds, not 'a year'" in (
        done.stderr.decode())


def test_django_finds_nothing_to_fix_in_the_production_settings(tmp_path):
    """`check --deploy`: only the HSTS preload list, which is the operator's choice
    (SHAFAF_HSTS_PRELOAD), is left."""
    clean = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
             "SHAFAF_DATA_DIR": str(tmp_path), "SHAFAF_SECRET_KEY": secrets.token_urlsafe(50),
             "SHAFAF_ALLOWED_HOSTS": "shafaf.example",
             "DJANGO_SETTINGS_MODULE": "shafaf.web.settings.production"}
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); "
         "from django.core.management import call_command; "
         "call_command('check', deploy=True, fail_level='ERROR')"],
        capture_output=True, env=clean, cwd=tmp_path, check=False, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    found = re.findall(r"\((security\.\w+)\)", done.stderr.decode() + done.stdout.decode())
    assert found == ["security.W021"]


def test_the_unused_redoc_is_not_collected():
    from django.contrib.staticfiles import finders

    collected = {path for finder in finders.get_finders() for path, _ in finder.list([])}
    assert "ninja/swagger-ui-bundle.js" in collected
    assert not any("redoc" in path for path in collected)
