"""The audit hash chain, as pure functions over plain events."""

import hashlib
import json

import pytest

from shafaf.core import ledger


def chain(n: int) -> list[dict]:
    events, previous = [], ledger.GENESIS
    for seq in range(1, n + 1):
        event = {"seq": seq, "at": f"2023-12-18T07:00:0{seq}+00:00", "actor_id": 1,
                 "actor_username": "clerk", "action": "results.enter", "object_type": "station",
                 "object_id": str(seq), "data": {"votes": seq * 10, "اسم": "محطة"},
                 "prev_hash": previous}
        event["hash"] = ledger.event_hash(event)
        previous = event["hash"]
        events.append(event)
    return events


def test_the_hash_is_sha256_of_sorted_compact_utf8_json_including_the_previous_hash():
    event = chain(1)[0]
    content = {k: v for k, v in event.items() if k != "hash"}
    expected = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert event["hash"] == hashlib.sha256(expected.encode()).hexdigest()
    assert event["prev_hash"] == "0" * 64


def test_an_honest_chain_verifies_and_reports_its_head():
    events = chain(5)
    status = ledger.verify(events)
    assert status.broken is None
    assert (status.events, status.head) == (5, events[-1]["hash"])


def test_an_altered_event_is_named():
    events = chain(5)
    events[2]["data"]["votes"] = 999
    assert ledger.verify(events).broken == ledger.ChainBreak(kind=ledger.Break.CONTENT, seq=3)


def test_an_altered_event_with_a_recomputed_hash_breaks_the_next_link():
    events = chain(5)
    events[2]["data"]["votes"] = 999
    events[2]["hash"] = ledger.event_hash(events[2])
    assert ledger.verify(events).broken == ledger.ChainBreak(kind=ledger.Break.LINK, seq=4)


def test_a_removed_event_is_named():
    events = chain(5)
    del events[1]
    assert ledger.verify(events).broken == ledger.ChainBreak(kind=ledger.Break.SEQUENCE, seq=2)


def test_removing_the_newest_events_is_caught_by_a_pinned_head():
    events = chain(5)
    pinned = events[-1]["hash"]
    assert ledger.verify(events, pinned=pinned).broken is None
    assert ledger.verify(events[:3], pinned=pinned).broken == ledger.ChainBreak(
        kind=ledger.Break.PINNED, seq=4)
    assert ledger.verify(chain(7), pinned=pinned).broken is None  # appended since: fine


# --- Format 2: personal values as salted commitments ------------------------------------

SALT = "00112233445566778899aabbccddeeff"


def recorded(seq: int = 1, previous: str = ledger.GENESIS) -> dict:
    return {"seq": seq, "at": "2023-12-18T07:00:00+00:00", "actor_id": 7,
            "actor_username": "kirkuk.clerk", "action": "nominations.add_candidate",
            "object_type": "entities.candidate", "object_id": "12",
            "data": {"name_ar": "علي", "position": 3, "nested": [{"phone": "0770"}]},
            "prev_hash": previous}


def test_format_2_hides_personal_values_behind_commitments_that_enter_the_hash():
    form = ledger.hashed_form(recorded(), version=2, salt=SALT)
    text = ledger.canonical_json(form)
    assert "kirkuk.clerk" not in text
    assert "علي" not in text
    assert "0770" not in text
    assert form["v"] == 2
    assert form["data"]["position"] == 3  # not personal: published as it is
    assert form["data"]["name_ar"] == ledger.commitment(SALT, "data.name_ar", "علي")
    assert form["data"]["nested"][0]["phone"] == ledger.commitment(SALT, "data.nested.0.phone",
                                                                   "0770")
    # The commitment is SHA-256 over the salt, the value's place and its canonical JSON.
    expected = hashlib.sha256(bytes.fromhex(SALT) + b"\ndata.name_ar\n" +
                              json.dumps("علي", ensure_ascii=False).encode()).hexdigest()
    assert form["data"]["name_ar"] == "sha256:" + expected
    # Changing a personal value changes the hash, though the value itself is not shown.
    other = ledger.hashed_form({**recorded(), "actor_username": "someone"}, version=2, salt=SALT)
    assert ledger.event_hash(other) != ledger.event_hash(form)
    # So does the format: a format-2 event cannot pass for a format-1 one.
    assert ledger.event_hash(form) != ledger.event_hash(
        ledger.hashed_form(recorded(), version=1, salt=None))


def test_a_chain_mixing_both_formats_verifies_from_its_hashed_forms_alone():
    first = {**recorded(1), "hash": ""}
    first["hash"] = ledger.event_hash(first)
    second = ledger.hashed_form(recorded(2, first["hash"]), version=2, salt=SALT)
    second["hash"] = ledger.event_hash(second)
    assert ledger.verify([first, second]).broken is None
    second["data"]["position"] = 4
    assert ledger.verify([first, second]).broken == ledger.ChainBreak(
        kind=ledger.Break.CONTENT, seq=2)


def test_signed_hashes_catch_a_shortened_and_a_rewritten_chain():
    events = chain(5)
    signed = {4: events[3]["hash"]}
    assert ledger.verify(events, signed=signed).broken is None
    assert ledger.verify(events[:3], signed=signed).broken == ledger.ChainBreak(
        kind=ledger.Break.SHORTER, seq=4)
    assert ledger.verify([], signed=signed).broken == ledger.ChainBreak(
        kind=ledger.Break.SHORTER, seq=1)
    rewritten = chain(5)
    for event in rewritten:  # the same chain, recomputed after changing event 2
        if event["seq"] >= 2:
            event["data"]["votes"] += 1 if event["seq"] == 2 else 0
            event["prev_hash"] = rewritten[event["seq"] - 2]["hash"]
            event["hash"] = ledger.event_hash(event)
    assert ledger.verify(rewritten).broken is None  # consistent on its own
    assert ledger.verify(rewritten, signed=signed).broken == ledger.ChainBreak(
        kind=ledger.Break.CHECKPOINT, seq=4)


def test_a_pin_is_read_in_any_case_with_spaces_and_a_prefix_is_refused():
    full = chain(1)[0]["hash"]
    assert ledger.normalise_pin(f"  {full.upper()}\n") == full
    for bad in (full[:12], full + "0", "z" * 64, "", "sha256:" + full):
        with pytest.raises(ledger.BadPin):
            ledger.normalise_pin(bad)
