"""The shelf of published files (shafaf.publication.store): drawn once per content,
even when many ask at once; replaced when the content changes; checkable."""

from __future__ import annotations

import hashlib
import subprocess
import threading
import time

import pytest

from shafaf.publication import store


def counting(data: bytes, calls: list[int], pause: float = 0.0):
    def render() -> bytes:
        calls.append(1)
        time.sleep(pause)  # long enough for the other readers to arrive meanwhile
        return data
    return render


def test_a_file_is_rendered_once_then_found(tmp_path):
    calls: list[int] = []
    first = store.publish("ballots/e/IQ-KI", "k1", counting(b"one", calls), suffix=".pdf",
                          base=tmp_path)
    again = store.publish("ballots/e/IQ-KI", "k1", counting(b"other", calls), suffix=".pdf",
                          base=tmp_path)
    assert len(calls) == 1
    assert again == first
    assert first.path.read_bytes() == b"one"
    assert first.sha256 == hashlib.sha256(b"one").hexdigest()
    assert first.size == 3


def test_readers_arriving_together_wait_for_one_rendering(tmp_path):
    calls: list[int] = []
    results: list[store.Published] = []
    render = counting(b"%PDF-ballot", calls, pause=0.3)

    def reader() -> None:
        results.append(store.publish("ballots/e/IQ-BG", "k", render, suffix=".pdf",
                                     base=tmp_path))

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len(results) == 8
    assert {r.path.read_bytes() for r in results} == {b"%PDF-ballot"}


def test_a_new_key_replaces_the_slots_old_file(tmp_path):
    old = store.publish("ballots/e/IQ-KI", "old", lambda: b"before", suffix=".pdf",
                        base=tmp_path)
    other = store.publish("ballots/e/IQ-BA", "old", lambda: b"basra", suffix=".pdf",
                          base=tmp_path)
    new = store.publish("ballots/e/IQ-KI", "new", lambda: b"after", suffix=".pdf",
                        base=tmp_path)
    assert new.path.read_bytes() == b"after"
    assert not old.path.exists()
    assert store.find("ballots/e/IQ-KI", "old", suffix=".pdf", base=tmp_path) is None
    assert other.path.read_bytes() == b"basra"  # other slots are left alone


def test_the_checksum_file_checks_with_sha256sum(tmp_path):
    published = store.publish("results/e/IQ-KI", "abc", lambda: b"figures", suffix=".json",
                              base=tmp_path)
    checked = subprocess.run(["sha256sum", "--check", "abc.json.sha256"],  # noqa: S607
                             cwd=published.path.parent, capture_output=True, text=True,
                             check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    published.path.write_bytes(b"altered")
    assert subprocess.run(["sha256sum", "--check", "abc.json.sha256"],  # noqa: S607
                          cwd=published.path.parent, capture_output=True,
                          check=False).returncode != 0


def test_a_failed_rendering_leaves_nothing_behind(tmp_path):
    def broken() -> bytes:
        raise RuntimeError("no fonts")

    with pytest.raises(RuntimeError):
        store.publish("ballots/e/IQ-KI", "k", broken, suffix=".pdf", base=tmp_path)
    assert store.find("ballots/e/IQ-KI", "k", suffix=".pdf", base=tmp_path) is None
    calls: list[int] = []
    store.publish("ballots/e/IQ-KI", "k", counting(b"ok", calls), suffix=".pdf",
                  base=tmp_path)
    assert calls == [1]


@pytest.mark.parametrize("slot", ["../etc", "ballots/../../x", "/abs", "a b", ""])
def test_a_slot_cannot_leave_the_shelf(tmp_path, slot):
    with pytest.raises(ValueError, match="slot"):
        store.publish(slot, "k", lambda: b"", suffix=".pdf", base=tmp_path)


def test_the_shelf_is_in_the_data_directory_unless_configured(settings, tmp_path):
    settings.SHAFAF_PUBLICATION_DIR = None
    assert store.root() == settings.DATA_DIR / "published"
    settings.SHAFAF_PUBLICATION_DIR = str(tmp_path)
    assert store.root() == tmp_path
