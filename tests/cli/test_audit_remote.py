"""``shafaf audit verify --remote`` against hostile or broken sites: a message and exit
status 2 (cannot read) or 1 (tampering), never a traceback. (Honest and tampered live
sites: tests/web/test_audit.py.)"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from shafaf import signatures
from shafaf.cli.main import main
from shafaf.core import checkpoints, ledger

KEY = signatures.generate()
PUBLIC = signatures.public_text(KEY)


def honest_event(seq: int, previous: str) -> dict:
    event = {"seq": seq, "at": "2026-12-07T03:00:00+00:00", "actor_id": None,
             "actor_username": "system", "action": "test", "object_type": "",
             "object_id": "", "data": {}, "prev_hash": previous}
    return {**event, "hash": ledger.event_hash(event)}


class Site:
    """Pages to serve by path (query included), as JSON or raw bytes."""

    def __init__(self) -> None:
        self.pages: dict[str, object] = {}


@pytest.fixture
def site() -> Iterator[tuple[Site, str]]:
    served = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = served.pages.get(self.path)
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            raw = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


FEED = "/api/audit/feed?after=0&limit=1000"
CHECKPOINTS = "/api/audit/checkpoints?after=0&limit=1000"


def run(capsys, url: str, tmp_path, *extra: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(["audit", "verify", "--remote", url, "--key", PUBLIC,
                   "--state", str(tmp_path / "state.json"), *extra])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_an_honest_static_site_verifies(site, capsys, tmp_path):
    served, url = site
    first = honest_event(1, ledger.GENESIS)
    served.pages[FEED] = {"events": [first], "next_after": None}
    at = "2026-12-07T03:05:00+00:00"
    text = checkpoints.message(number=1, seq=1, hash=first["hash"], at=at)
    served.pages[CHECKPOINTS] = {"checkpoints": [{
        "number": 1, "seq": 1, "hash": first["hash"], "at": at,
        "key_id": signatures.key_id(PUBLIC), "signature": signatures.sign(KEY, text)}],
        "next_after": None}
    status, out, err = run(capsys, url, tmp_path)
    assert status == 0, err
    assert "intact up to checkpoint #1" in out


@pytest.mark.parametrize("feed", [
    {"events": [1, 2]},
    {"events": [{"seq": 1}]},
    {"events": "many"},
    {"events": [{**honest_event(1, ledger.GENESIS), "seq": "1"}]},
    {"events": [honest_event(1, ledger.GENESIS)], "next_after": 0},
    [],
    b"<html>not json</html>",
    b"\x00\xff",
])
def test_a_malformed_feed_is_refused_with_a_message(site, capsys, tmp_path, feed):
    served, url = site
    served.pages[FEED] = feed
    served.pages[CHECKPOINTS] = {"checkpoints": [], "next_after": None}
    status, _, err = run(capsys, url, tmp_path)
    assert status == 2
    assert err.startswith(f"shafaf audit verify: cannot read {url}: ")
    assert "Traceback" not in err


@pytest.mark.parametrize("listed", [
    {"checkpoints": [{"number": "x"}]},
    {"checkpoints": [{}]},
    {"checkpoints": None},
    {"checkpoints": [], "next_after": -5},
])
def test_malformed_checkpoints_are_refused_with_a_message(site, capsys, tmp_path, listed):
    served, url = site
    served.pages[FEED] = {"events": [], "next_after": None}
    served.pages[CHECKPOINTS] = listed
    status, _, err = run(capsys, url, tmp_path)
    assert status == 2
    assert "cannot read" in err


def test_a_site_answering_404_and_a_broken_state_file(site, capsys, tmp_path):
    _, url = site
    status, _, err = run(capsys, url, tmp_path)
    assert status == 2
    assert "answered HTTP 404" in err
    (tmp_path / "state.json").write_text('{"x": 1}')
    status, _, err = run(capsys, url, tmp_path)
    assert status == 2
    assert "cannot read the state file" in err
