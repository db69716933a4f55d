"""The Python implementation reproduces every lottery test vector (tests/data/
lottery_vectors.json): the draw, the transcript, and what verify says of each edited
transcript. The browser's implementation is held to the same vectors in
tests/browser/test_lottery_verifier.py."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from shafaf.core.lottery import NumberPool, Participant, draw
from shafaf.core.lottery_transcript import to_transcript_1 as to_transcript
from shafaf.core.lottery_transcript import verify

DATA = Path(__file__).resolve().parents[1] / "data"
VECTORS = json.loads((DATA / "lottery_vectors.json").read_text(encoding="utf-8"))["vectors"]
VARIANTS = [pytest.param(v, variant, id=f"{v['name']}/{variant['name']}")
            for v in VECTORS for variant in v.get("variants", [])]


def by_name(vectors: list[dict[str, Any]]) -> list[Any]:
    return [pytest.param(v, id=v["name"]) for v in vectors]


def participants(vector: dict[str, Any]) -> list[Participant]:
    return [Participant(participant_id=p, name="") if isinstance(p, str)
            else Participant(participant_id=p["participant_id"], name=p["name"])
            for p in vector["inputs"]["participants"]]


def redraw(vector: dict[str, Any]) -> dict[str, Any]:
    inputs = vector["inputs"]
    pool = NumberPool(ranges=tuple((low, high) for low, high in inputs["ranges"]),
                      excluded=frozenset(inputs["excluded"]))
    result = draw(participants(vector), seed=inputs["seed"], pool=pool)
    drawn_at = vector.get("transcript", {}).get("drawn_at")
    drawn_by = vector.get("transcript", {}).get("drawn_by")
    return to_transcript(result, drawn_at=drawn_at, drawn_by=drawn_by)


def digest(assignments: list[dict[str, Any]]) -> str:
    lines = "".join(f"{a['participant_id']}:{a['number']}\n" for a in assignments)
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def test_the_vectors_cover_what_they_should():
    names = {v["name"] for v in VECTORS}
    assert len(VECTORS) >= 12
    assert {"brief-example", "arabic", "kurdish", "nfc-seed", "astral-ids",
            "gaps-and-exclusions", "national-2025"} <= names
    kinds = {variant["mismatch"]["kind"] if variant["mismatch"] else None
             for v in VECTORS for variant in v.get("variants", [])}
    assert kinds == {None, "malformed", "algorithm", "participants_sha256", "seed_sha256",
                     "participants", "ticket", "number"}


def test_the_briefs_example_is_b_1_a_2_c_3():
    brief = next(v for v in VECTORS if v["name"] == "brief-example")
    assert [(a["participant_id"], a["number"]) for a in brief["expected"]["assignments"]] == [
        ("B", 1), ("A", 2), ("C", 3)]


@pytest.mark.parametrize("vector", by_name(VECTORS))
def test_python_draws_every_vector(vector):
    transcript = redraw(vector)
    expected = vector["expected"]
    assert transcript["participants_sha256"] == expected["participants_sha256"]
    assert transcript["seed_sha256"] == expected["seed_sha256"]
    assert transcript["pool"]["size"] == expected["pool_size"]
    assert digest(transcript["assignments"]) == expected["assignments_sha256"]
    if "assignments" in expected:
        assert transcript["assignments"] == expected["assignments"]
    if "transcript" in vector:
        assert transcript == vector["transcript"]
    assert verify(transcript) is None


@pytest.mark.parametrize(("vector", "variant"), VARIANTS)
def test_python_verify_names_each_variants_mismatch(vector, variant):
    mismatch = verify(variant["transcript"])
    wanted = variant["mismatch"]
    if wanted is None:
        assert mismatch is None
        return
    assert mismatch is not None
    assert mismatch.kind.value == wanted["kind"]
    assert mismatch.participant_id == wanted["participant_id"]
    if wanted["kind"] != "malformed":
        assert (mismatch.expected, mismatch.found) == (wanted["expected"], wanted["found"])


def test_the_committed_vectors_are_what_the_script_writes():
    spec = importlib.util.spec_from_file_location("make_lottery_vectors",
                                                  DATA / "make_lottery_vectors.py")
    assert spec is not None
    assert spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.render() == (DATA / "lottery_vectors.json").read_text(encoding="utf-8"), (
        "tests/data/lottery_vectors.json is stale: run "
        ".venv/bin/python tests/data/make_lottery_vectors.py")
