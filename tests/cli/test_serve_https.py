"""`shafaf serve` as deployed: gunicorn with the production settings, answering real
HTTP on a local port. Plain HTTP is redirected to HTTPS; `X-Forwarded-Proto: https` is
believed (the page served, with HSTS) only when SHAFAF_PROXY_SSL_HEADER=1 says a TLS
proxy in front sets it, even from 127.0.0.1, where gunicorn would believe it itself."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

SHAFAF = Path(os.environ.get("VIRTUAL_ENV") or Path(__file__).resolve().parents[2] / ".venv")
STARTUP_SECONDS = 120  # collects and compresses the static files first


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(port: int, **headers: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/api/openapi.json", headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _serve(tmp_path: Path, proxy: bool) -> Iterator[int]:
    shafaf = shutil.which("shafaf", path=str(SHAFAF / "bin")) or shutil.which("shafaf")
    assert shafaf, "the shafaf command is not installed"
    port = _free_port()
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
           "SHAFAF_DATA_DIR": str(tmp_path), "SHAFAF_SECRET_KEY": "k" * 50,
           "SHAFAF_ALLOWED_HOSTS": "127.0.0.1"}
    if proxy:
        env["SHAFAF_PROXY_SSL_HEADER"] = "1"
    server = subprocess.Popen([shafaf, "serve", "--port", str(port), "--workers", "1",
                               "--threads", "2"], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    pytest.fail(f"shafaf serve did not start: "
                                f"{server.stderr.read().decode() if server.stderr else ''}")
                time.sleep(0.25)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stderr:
            server.stderr.close()


@pytest.fixture
def without_proxy(tmp_path: Path) -> Iterator[int]:
    yield from _serve(tmp_path, proxy=False)


@pytest.fixture
def behind_proxy(tmp_path: Path) -> Iterator[int]:
    yield from _serve(tmp_path, proxy=True)


def test_without_a_proxy_every_plain_request_is_redirected(without_proxy):
    for headers in ({}, {"X-Forwarded-Proto": "https"}):
        response = _get(without_proxy, **headers)
        assert response.status == 301, headers
        assert response.getheader("Location") == (
            f"https://127.0.0.1:{without_proxy}/api/openapi.json")


def test_behind_a_tls_proxy_a_forwarded_https_request_is_served_with_hsts(behind_proxy):
    response = _get(behind_proxy, **{"X-Forwarded-Proto": "https"})
    assert response.status == 200
    assert response.getheader("Strict-Transport-Security") == (
        "max-age=31536000; includeSubDomains")
    assert "default-src 'self'" in (response.getheader("Content-Security-Policy") or "")
    assert _get(behind_proxy).status == 301
