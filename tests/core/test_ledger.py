"""The audit hash chain, as pure functions over plain events."""

import hashlib
import json

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
