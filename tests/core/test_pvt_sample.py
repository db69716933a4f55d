"""shafaf-sample/1, the public PVT sample: the shared vectors, a draw worked by hand,
the allocation's rules, refusals and verification."""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shafaf.core.pvt_sample import (
    FrameStation,
    MismatchKind,
    SampleError,
    allocate,
    draw,
    frame_of,
    frame_sha256,
    to_json,
    verify,
)

DATA = Path(__file__).resolve().parents[1] / "data"
VECTORS = json.loads((DATA / "pvt_sample_vectors.json").read_text(encoding="utf-8"))["vectors"]


def rows_of(text: str) -> list[tuple[str, str]]:
    """The vectors' frames are plain (a quoted comma at most): enough to read them."""
    import csv
    import io
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    next(reader)
    return [(i.strip(), s.strip()) for i, s in reader]


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_the_vectors_file_is_what_its_generator_writes():
    spec = importlib.util.spec_from_file_location("make", DATA / "make_pvt_sample_vectors.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.document() == (DATA / "pvt_sample_vectors.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_the_core_draws_every_vector(vector):
    sample = draw(frame_of(rows_of(vector["frame_csv"])), seed=vector["seed"],
                  size=vector["size"])
    published = to_json(sample, frame_hash=frame_sha256(vector["frame_csv"].encode("utf-8")))
    assert published == {"algorithm": "shafaf-sample/1", **vector["expected"]}
    # key order is part of the published form: strata by name
    assert list(published["strata"]) == sorted(vector["expected"]["strata"])


def test_the_small_vector_worked_by_hand():
    """Five stations: Baghdad 2, Basra 2, Nineveh 1; 3 drawn. Quotas 1.2, 1.2, 0.6:
    one each, and the seat left to Nineveh's remainder 0.6. Each of Basra and Baghdad
    takes its station with the smaller ticket."""
    vector = VECTORS[0]
    assert vector["name"] == "small"
    seed_hash = sha("بذرة")
    tickets = {i: sha(f"{seed_hash},{i}") for i in ("101", "102", "103", "104", "105")}
    basra = min(("103", "104"), key=tickets.__getitem__)
    baghdad = min(("101", "102"), key=tickets.__getitem__)
    # strata by name: البصرة (alef) before بغداد (beh) before نينوى (noon)
    assert vector["expected"]["strata"] == {"البصرة": 1, "بغداد": 1, "نينوى": 1}
    assert vector["expected"]["stations"] == [basra, baghdad, "105"]
    assert vector["expected"]["seed_sha256"] == seed_hash


def test_a_decomposed_seed_draws_what_its_composed_form_draws():
    by_name = {v["name"]: v for v in VECTORS}
    composed, decomposed = by_name["seed-nfc-composed"], by_name["seed-nfc-decomposed"]
    assert composed["seed"] != decomposed["seed"]
    assert composed["expected"] == decomposed["expected"]


def test_equal_remainders_go_by_stratum_name():
    # 3, 3, 2, 2 stations, 5 drawn: quotas 1.5, 1.5, 1, 1
    assert allocate({"Zakho": 3, "Amara": 3, "Hilla": 2, "Kut": 2}, 5) == {
        "Amara": 2, "Hilla": 1, "Kut": 1, "Zakho": 1}
    assert allocate({"b": 1, "a": 1, "c": 1}, 1) == {"a": 1, "b": 0, "c": 0}


def test_the_largest_remainder_wins_over_the_name():
    # 5 stations, 2 drawn: quotas a 0.4, b 0.4, z 1.2; z takes 1, the seat left goes to
    # a (its 0.4 ties b's, a first by name, and both beat z's 0.2)
    assert allocate({"a": 1, "b": 1, "z": 3}, 2) == {"a": 1, "b": 0, "z": 1}
    assert allocate({"a": 1, "z": 4}, 3) == {"a": 1, "z": 2}  # 0.6 beats 2.4's 0.4


@given(st.lists(st.integers(1, 40), min_size=1, max_size=12), st.data())
@settings(max_examples=200, deadline=None)
def test_shares_add_up_and_never_exceed_a_stratum(sizes, data):
    strata = {f"s{i:02d}": n for i, n in enumerate(sizes)}
    size = data.draw(st.integers(1, sum(sizes)))
    shares = allocate(strata, size)
    assert sum(shares.values()) == size
    for name, n in shares.items():
        quota = size * strata[name] / sum(sizes)
        assert int(quota) <= n <= int(quota) + 1
        assert n <= strata[name]


@given(st.permutations(range(30)), st.text(max_size=8))
@settings(max_examples=50, deadline=None)
def test_the_frame_order_does_not_change_the_draw(order, seed):
    frame = [FrameStation(station_id=f"st{i}", stratum="ABC"[i % 3]) for i in range(30)]
    shuffled = [frame[i] for i in order]
    assert draw(frame, seed=seed, size=7) == draw(shuffled, seed=seed, size=7)


def test_another_seed_draws_another_sample():
    frame = frame_of((f"s{i}", "x") for i in range(100))
    assert draw(frame, seed="a", size=10).stations != draw(frame, seed="b", size=10).stations


@pytest.mark.parametrize(("frame", "size", "code"), [
    ([], 1, "empty_frame"),
    ([("1", "A"), ("1", "B")], 1, "duplicate_station"),
    ([("", "A")], 1, "bad_station_id"),
    ([(" 1", "A")], 1, "bad_station_id"),
    ([("1\n2", "A")], 1, "bad_station_id"),
    ([("1", "")], 1, "bad_stratum"),
    ([("1", "A\u2028B")], 1, "bad_stratum"),
    ([("1", "A"), ("2", "A")], 3, "bad_size"),
    ([("1", "A"), ("2", "A")], 0, "bad_size"),
])
def test_a_bad_frame_or_size_is_refused_with_its_reason(frame, size, code):
    with pytest.raises(SampleError) as refused:
        draw(frame_of(frame), seed="s", size=size)
    assert refused.value.code == code
    assert str(refused.value)  # a sentence for the command line


def small() -> tuple[list[FrameStation], dict]:
    vector = VECTORS[0]
    return frame_of(rows_of(vector["frame_csv"])), copy.deepcopy(
        {"algorithm": "shafaf-sample/1", **vector["expected"]})


def test_verify_accepts_the_published_draw():
    frame, published = small()
    assert verify(published, frame=frame, seed="بذرة",
                  frame_hash=published["frame_sha256"]) is None


@pytest.mark.parametrize(("edit", "kind", "where"), [
    (lambda d: d.update(algorithm="shafaf-sample/2"), MismatchKind.ALGORITHM, ""),
    (lambda d: d.update(frame_sha256="0" * 64), MismatchKind.FRAME_SHA256, ""),
    (lambda d: d.update(seed_sha256=sha("other")), MismatchKind.SEED_SHA256, ""),
    (lambda d: d["strata"].update({"بغداد": 2}), MismatchKind.SIZE, ""),
    (lambda d: (d["strata"].update({"بغداد": 2, "نينوى": 0})), MismatchKind.STRATA, "بغداد"),
    (lambda d: d["stations"].reverse(), MismatchKind.STATIONS, "1"),
    (lambda d: d["stations"].__setitem__(2, "999"), MismatchKind.STATIONS, "3"),
    (lambda d: d.update(stations="103"), MismatchKind.MALFORMED, "stations"),
    (lambda d: d["strata"].update({"بغداد": "1"}), MismatchKind.MALFORMED, "strata"),
])
def test_verify_names_the_first_difference(edit, kind, where):
    frame, published = small()
    edit(published)
    mismatch = verify(published, frame=frame, seed="بذرة",
                      frame_hash=VECTORS[0]["expected"]["frame_sha256"])
    assert mismatch is not None
    assert (mismatch.kind, mismatch.where) == (kind, where)


def test_verify_names_the_expected_and_found_station():
    frame, published = small()
    published["stations"][2] = "999"
    mismatch = verify(published, frame=frame, seed="بذرة")
    assert mismatch is not None
    assert (mismatch.expected, mismatch.found) == ("105", "999")


def test_verify_needs_no_optional_hashes():
    frame, published = small()
    del published["frame_sha256"], published["seed_sha256"]
    assert verify(published, frame=frame, seed="بذرة") is None
    assert verify(published, frame=frame, seed="بذره") is not None  # another seed
