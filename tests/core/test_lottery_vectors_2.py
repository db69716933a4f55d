"""Transcripts /2 (tests/data/lottery_vectors_2.json): every vector verifies, the hash
is the SHA-256 of the canonical JSON the vector states, and each edited copy gives the
mismatch the vector states. The browser's verifier is held to the same file
(tests/browser/test_lottery_verifier.py)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from shafaf.core.lottery_transcript import verify

DATA = Path(__file__).resolve().parents[1] / "data"
VECTORS: list[dict[str, Any]] = json.loads(
    (DATA / "lottery_vectors_2.json").read_text(encoding="utf-8"))["vectors"]
VARIANTS = [(v["name"], x) for v in VECTORS for x in v["variants"]]


def result(transcript: Any) -> dict[str, Any] | None:
    mismatch = verify(transcript)
    if mismatch is None:
        return None
    out: dict[str, Any] = {"kind": mismatch.kind.value, "participant_id": mismatch.participant_id}
    if mismatch.kind.value != "malformed":
        out |= {"expected": mismatch.expected, "found": mismatch.found}
    return out


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_each_transcript_verifies_and_hashes_its_canonical_json(vector):
    transcript = vector["transcript"]
    assert verify(transcript) is None
    assert transcript["transcript_sha256"] == hashlib.sha256(
        vector["canonical_json"].encode("utf-8")).hexdigest()


@pytest.mark.parametrize(("vector", "variant"), VARIANTS,
                         ids=[f"{v}-{x['name']}" for v, x in VARIANTS])
def test_each_edit_gives_the_stated_mismatch(vector, variant):
    assert result(variant["transcript"]) == variant["mismatch"]


def test_every_field_a_v1_transcript_left_unchecked_is_now_caught():
    caught = {x["name"] for _, x in VARIANTS if x["mismatch"] is not None}
    assert {"name-changed", "drawn-at-changed", "drawn-by-changed",
            "exclusion-beyond-the-numbers-used", "schema-relabelled-1",
            "contributor-changed", "reveal-does-not-match", "withheld-flag-wrong"} <= caught


def test_the_committed_vectors_are_what_the_script_writes():
    spec = importlib.util.spec_from_file_location("make_lottery_vectors_2",
                                                  DATA / "make_lottery_vectors_2.py")
    assert spec is not None
    assert spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.text() == (DATA / "lottery_vectors_2.json").read_text(encoding="utf-8")
