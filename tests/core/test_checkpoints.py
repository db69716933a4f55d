"""Signed checkpoints, as pure values: every signature, number and order is checked."""

from __future__ import annotations

from shafaf import signatures
from shafaf.core import checkpoints
from shafaf.core.checkpoints import Checkpoint, Problem

KEY = signatures.generate()
PUBLIC = signatures.public_text(KEY)
KEYS = {signatures.key_id(PUBLIC): PUBLIC}


def signed(number: int, seq: int, hash: str = "a" * 64,
           key=KEY) -> Checkpoint:
    at = f"2026-12-07T0{number % 10}:00:00+00:00"
    text = checkpoints.message(number=number, seq=seq, hash=hash, at=at)
    return Checkpoint(number=number, seq=seq, hash=hash, at=at,
                      key_id=signatures.key_id(signatures.public_text(key)),
                      signature=signatures.sign(key, text))


def check(*given: Checkpoint) -> checkpoints.Checked:
    return checkpoints.check(given, keys=KEYS, valid=signatures.valid)


def test_the_signed_text_is_versioned_one_value_a_line():
    assert checkpoints.message(number=3, seq=120, hash="b" * 64, at="2026-12-07T03:00:00+00:00") \
        == f"shafaf-checkpoint/1\n3\n120\n{'b' * 64}\n2026-12-07T03:00:00+00:00\n"


def test_honest_checkpoints_give_the_hashes_they_sign():
    result = check(signed(1, 0, "0" * 64), signed(2, 5, "b" * 64), signed(3, 9, "c" * 64))
    assert result.fault is None
    assert result.signed == {5: "b" * 64, 9: "c" * 64}
    assert result.latest is not None
    assert result.latest.number == 3


def test_an_altered_checkpoint_fails_its_signature():
    honest = signed(1, 5, "b" * 64)
    for altered in (Checkpoint(**{**_fields(honest), "seq": 4}),
                    Checkpoint(**{**_fields(honest), "hash": "c" * 64}),
                    Checkpoint(**{**_fields(honest), "at": "2020-01-01T00:00:00+00:00"})):
        assert check(altered).fault == checkpoints.CheckpointFault(problem=Problem.SIGNATURE,
                                                                   number=1)


def test_a_checkpoint_signed_by_another_key_is_refused():
    other = signatures.generate()
    assert check(signed(1, 5, key=other)).fault.problem is Problem.UNKNOWN_KEY
    # Even if the key id is made to look like the commission's:
    forged = Checkpoint(**{**_fields(signed(1, 5, key=other)),
                           "key_id": signatures.key_id(PUBLIC)})
    assert check(forged).fault.problem is Problem.SIGNATURE


def test_a_missing_checkpoint_a_step_back_and_a_fork_are_faults():
    assert check(signed(1, 5), signed(3, 9)).fault.problem is Problem.NUMBERING
    assert check(signed(1, 5), signed(2, 4)).fault.problem is Problem.ORDER
    assert check(signed(1, 5, "b" * 64), signed(2, 5, "c" * 64)).fault.problem is Problem.FORK
    assert check(signed(1, 5, "b" * 64), signed(2, 5, "b" * 64)).fault is None


def _fields(checkpoint: Checkpoint) -> dict[str, object]:
    return {name: getattr(checkpoint, name) for name in Checkpoint.__slots__}
