"""The order of voters' names on a centre's lists (shafaf.core.arabic_names): the
Arabic alphabet, whatever marks and hamza forms a clerk typed, and one order for
every way the voters came in."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from shafaf.core.arabic_names import (
    ALPHABET,
    _collation_form_by_character,
    collation_form,
    collation_key,
    fold_digits,
    sort_key,
    voter_order_key,
)

MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"
LETTERS = "ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآٱؤئةىیکپچژڤگڕڵەۆێ٣۷"
NAMES = st.text(alphabet=st.sampled_from(LETTERS + " "), max_size=12)
ANY_TEXT = st.text(alphabet=st.sampled_from(LETTERS + MARKS + " abcZ09-\u200c\u00a0"),
                   max_size=16)


def in_order(names: list[str]) -> list[str]:
    return sorted(names, key=collation_key)


def test_names_sort_in_the_arabic_alphabet():
    names = ["يوسف", "علي", "احمد", "زينب", "بكر", "هدى", "محمد", "وليد", "خالد", "ثامر"]
    assert in_order(names) == ["احمد", "بكر", "ثامر", "خالد", "زينب", "علي", "محمد", "هدى",
                               "وليد", "يوسف"]


def test_diacritics_and_tatweel_do_not_move_a_name():
    assert sort_key("مُحَمَّد") == sort_key("محمد") == sort_key("مـحـمـد")
    assert sort_key("عَلِيٌّ") == sort_key("علي")
    assert sort_key("رحمٰن") == sort_key("رحمن")
    assert in_order(["مُحَمَّد", "ماجد", "مازن"]) == ["ماجد", "مازن", "مُحَمَّد"]


def test_hamza_forms_sort_as_their_seat():
    assert sort_key("أحمد") == sort_key("إحمد") == sort_key("آحمد") == sort_key("احمد")
    assert sort_key("ٱلله") == sort_key("الله")
    assert sort_key("مؤمن") == sort_key("مومن")
    assert sort_key("هائل") == sort_key("هايل")
    # A standalone hamza sorts as alif, consistently with أ.
    assert sort_key("ضياء") == sort_key("ضياا") == sort_key("ضياأ")
    # Kurdish writes ئ as the seat of a word's first vowel: not among the yaa.
    assert sort_key("ئازاد") == sort_key("آزاد") == sort_key("ازاد")
    assert in_order(["يونس", "ئاراس", "بختيار"]) == ["ئاراس", "بختيار", "يونس"]


def test_alif_maqsura_and_taa_marbuta_sort_as_yaa_and_haa():
    assert sort_key("مصطفى") == sort_key("مصطفي")
    assert sort_key("فاطمة") == sort_key("فاطمه")
    assert sort_key("كريمی") == sort_key("كريمي")
    assert sort_key("کريم") == sort_key("كريم")


def test_kurdish_and_persian_letters_follow_their_nearest_arabic_letter():
    for before, letter, after in [("ب", "پ", "ت"), ("ج", "چ", "ح"), ("ر", "ڕ", "ز"),
                                  ("ز", "ژ", "س"), ("ف", "ڤ", "ق"), ("ك", "گ", "ل"),
                                  ("ل", "ڵ", "م"), ("ه", "ە", "و"), ("و", "ۆ", "ي")]:
        assert in_order([after, letter, before]) == [before, letter, after]
    assert in_order(["ێ", "ي"]) == ["ي", "ێ"]
    assert in_order(["گوران", "كاوه", "لانه"]) == ["كاوه", "گوران", "لانه"]


def test_every_letter_of_the_alphabet_sorts_in_its_place():
    shuffled = list(ALPHABET)
    shuffled.reverse()
    assert in_order(shuffled) == list(ALPHABET)


def test_digits_of_every_script_sort_as_the_digits_they_are_before_letters():
    assert sort_key("٣٤") == sort_key("۳۴") == sort_key("34")
    assert in_order(["ب", "٢", "1", "ا"]) == ["1", "٢", "ا", "ب"]
    assert fold_digits("VN-٠١٢۳") == "VN-0123"


def test_compound_names_sort_together_written_joined_or_split():
    assert sort_key("عبد الله") == sort_key("عبدالله")
    assert in_order(["عبدالله", "عبد الرحمن", "عبد الله"])[0] == "عبد الرحمن"


def test_a_name_prefix_sorts_first():
    assert in_order(["علاء", "علا"]) == ["علا", "علاء"]


def test_the_readable_form_keeps_one_space_between_words():
    assert collation_form("  عبدُ   الله\u00a0أحمد ") == "عبد الله احمد"


def test_voters_sort_by_first_father_grandfather_then_family_name():
    voters = [
        ("علي", "حسن", "كاظم", "الموسوي", "3"),
        ("علي", "حسن", "جاسم", "", "2"),
        ("علي", "أحمد", "كاظم", "الموسوي", "1"),
        ("أحمد", "يوسف", "كاظم", "الموسوي", "4"),
    ]
    ordered = sorted(voters, key=lambda v: voter_order_key(*v))
    assert [v[4] for v in ordered] == ["4", "1", "2", "3"]


def test_namesakes_are_ordered_by_voter_number():
    twin = ("محمد", "علي", "حسين", "")
    voters = [(*twin, "200"), ("مُحَمَّد", "علي", "حسين", "", "100"), (*twin, "150")]
    ordered = sorted(voters, key=lambda v: voter_order_key(*v))
    # The spelling decides before the number; then the number.
    assert [v[4] for v in ordered] == ["150", "200", "100"]


@given(ANY_TEXT)
def test_the_form_is_idempotent(text):
    once = collation_form(text)
    assert collation_form(once) == once
    assert sort_key(once) == sort_key(text)


@given(NAMES, st.lists(st.tuples(st.integers(0, 20), st.sampled_from(MARKS)), max_size=6))
def test_marks_anywhere_never_change_the_primary_key(name, insertions):
    marked = name
    for position, mark in insertions:
        position = min(position, len(marked))
        marked = marked[:position] + mark + marked[position:]
    assert sort_key(marked) == sort_key(name)


@given(st.lists(ANY_TEXT, max_size=12), st.randoms())
def test_the_order_is_total_whatever_order_the_names_came_in(names, rng):
    shuffled = list(names)
    rng.shuffle(shuffled)
    assert in_order(shuffled) == in_order(names)


@given(ANY_TEXT, ANY_TEXT)
def test_two_different_names_never_compare_equal(a, b):
    assert (collation_key(a) == collation_key(b)) == (a == b)


ARABIC_BLOCK = st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
                       | st.sampled_from(" \tab-9"), max_size=16)


@given(ARABIC_BLOCK)
def test_the_one_pass_folding_agrees_with_the_folding_by_character(text):
    nfkc = unicodedata.normalize("NFKC", text)
    assert collation_form(text) == _collation_form_by_character(nfkc)


@given(st.lists(st.text(alphabet=st.sampled_from(ALPHABET), max_size=6), max_size=10))
def test_names_in_the_alphabet_s_letters_sort_letter_by_letter_in_its_order(names):
    def ranks(name: str) -> list[int]:
        return [ALPHABET.index(letter) for letter in name]

    assert in_order(names) == sorted(names, key=ranks)


def test_the_primary_key_is_text_a_database_can_store():
    key = sort_key("".join(ALPHABET) + " ٣ abc")
    assert key.encode("utf-8").decode("utf-8") == key
    # No noncharacter (U+xxFFFE, U+xxFFFF) and no control character.
    assert all(ord(c) & 0xFFFE != 0xFFFE and unicodedata.category(c) != "Cc" for c in key)
