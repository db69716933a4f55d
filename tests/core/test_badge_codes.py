"""Badge codes: random, authenticated by the key, forgiving of how people type them."""

from __future__ import annotations

from shafaf.core import badge_codes

KEY = b"k" * 32


def test_a_new_code_is_authentic_and_reads_back_however_it_is_typed():
    code = badge_codes.new_code(KEY)
    assert len(code) == badge_codes.LENGTH
    assert badge_codes.authentic(KEY, code)
    typed = badge_codes.shown(code).lower().replace("0", "o").replace("1", "l")
    assert badge_codes.normalised(typed) == code


def test_codes_do_not_repeat():
    assert len({badge_codes.new_code(KEY) for _ in range(1000)}) == 1000


def test_an_altered_code_or_another_key_is_not_authentic():
    code = badge_codes.new_code(KEY)
    for at in range(badge_codes.LENGTH):
        replaced = "1" if code[at] != "1" else "2"
        assert not badge_codes.authentic(KEY, code[:at] + replaced + code[at + 1:])
    assert not badge_codes.authentic(b"another key", code)


def test_what_cannot_be_a_code_is_refused():
    for text in ("", "ABC", "U" * 24, "!" * 24, "A" * 65):
        assert badge_codes.normalised(text) is None
