"""The Arabic search folding (shafaf.core.names): the spellings a reader types
interchangeably find each other, and nothing else changes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shafaf.core.names import (
    FOLDS,
    as_number,
    bidi_controls,
    character_label,
    fold,
    search_terms,
    search_text,
    without_bidi_controls,
)

VARIANTS = "".join(old for old, _ in FOLDS)
# Arabic letters that are not spelling variants, Latin letters, digits and spaces.
PLAIN = st.text(alphabet=st.sampled_from("ابتثجحخدذرسشصضطظعغفقكلمنهويء abcXYZ019"),
                max_size=30)
ARABIC = st.text(alphabet=st.sampled_from("ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآٱةىیکـ "),
                 max_size=30)


def test_hamza_and_madda_forms_of_alif_fold_to_bare_alif():
    assert fold("أحمد") == fold("احمد") == "احمد"
    assert fold("إبراهيم") == "ابراهيم"
    assert fold("آمنة") == "امنه"
    assert fold("ٱلله") == "الله"


def test_taa_marbuta_and_alif_maqsura_fold_to_haa_and_yaa():
    assert fold("فاطمة") == fold("فاطمه")
    assert fold("مصطفى") == fold("مصطفي") == "مصطفي"


def test_persian_and_kurdish_letters_fold_to_the_arabic_ones():
    # Kurdish keyboards type یا and ک where Arabic ones type يا and ك.
    assert fold("کریم") == fold("كريم") == "كريم"


def test_tatweel_is_removed():
    assert fold("محـــمد") == "محمد"


def test_a_query_is_folded_spaced_once_and_cut():
    text = search_text("  حيدر \t  العبيدي\n", max_length=100)
    assert text == "حيدر العبيدي"
    assert search_text("أ" * 150, max_length=100) == "ا" * 100
    assert search_terms("a b c d", max_terms=2) == ("a", "b")


def test_digits_in_any_script_are_a_number():
    assert as_number("12") == 12
    assert as_number("١٢") == 12  # Arabic-Indic
    assert as_number("۱۲") == 12  # Persian
    assert as_number("12 3") is None
    assert as_number("قائمة 3") is None
    assert as_number("") is None


@given(ARABIC)
def test_folding_twice_is_folding_once(text):
    assert fold(fold(text)) == fold(text)


@given(ARABIC)
def test_no_variant_survives_folding(text):
    assert not set(fold(text)) & set(VARIANTS)


@given(PLAIN)
def test_text_without_variants_is_unchanged(text):
    assert fold(text) == text


@given(ARABIC, ARABIC)
def test_folding_keeps_concatenation(left, right):
    # Each letter folds on its own: a name folds the same whole or in parts, which
    # the database relies on when it folds stored names with REPLACE.
    assert fold(left + right) == fold(left) + fold(right)


@given(ARABIC)
def test_folding_never_lengthens_a_name(text):
    assert len(fold(text)) <= len(text)


@given(st.text(max_size=200), st.integers(min_value=1, max_value=50),
       st.integers(min_value=1, max_value=10))
def test_a_query_stays_within_its_limits(query, length, terms):
    text = search_text(query, max_length=length)
    assert len(text) <= length
    assert len(search_terms(text, max_terms=terms)) <= terms
    assert "  " not in text


# Bidirectional controls in names (docs/decisions/0019-logos-and-names.md).

CONTROLS = {
    "\u202a": "U+202A LEFT-TO-RIGHT EMBEDDING", "\u202b": "U+202B RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "U+202C POP DIRECTIONAL FORMATTING", "\u202d": "U+202D LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "U+202E RIGHT-TO-LEFT OVERRIDE", "\u2066": "U+2066 LEFT-TO-RIGHT ISOLATE",
    "\u2067": "U+2067 RIGHT-TO-LEFT ISOLATE", "\u2068": "U+2068 FIRST STRONG ISOLATE",
    "\u2069": "U+2069 POP DIRECTIONAL ISOLATE",
}


def test_each_embedding_override_and_isolate_control_is_found_and_named():
    for control, label in CONTROLS.items():
        assert bidi_controls(f"حزب {control}تقدم") == (control,)
        assert character_label(control) == label


def test_the_controls_are_listed_once_in_the_order_they_appear():
    assert bidi_controls("\u2067علي\u2069 \u202eحسن\u202c \u2067") == (
        "\u2067", "\u2069", "\u202e", "\u202c")


def test_the_marks_arabic_and_kurdish_text_uses_are_allowed():
    # LRM, RLM and the Arabic letter mark; zero-width joiner and non-joiner (Kurdish).
    assert bidi_controls("حزب\u200f 17\u200e تقدم\u061c کۆ\u200cمەڵ\u200d") == ()


@given(st.text(max_size=40))
def test_a_name_is_refused_exactly_when_it_holds_one_of_the_nine(text):
    assert bool(bidi_controls(text)) == any(c in CONTROLS for c in text)


def test_a_stored_name_is_printed_without_its_controls():
    assert without_bidi_controls("حزب \u202eتقدم\u202c 12\u200f") == "حزب تقدم 12\u200f"


@given(st.text(max_size=40))
def test_nothing_but_the_controls_is_taken_out(text):
    cleaned = without_bidi_controls(text)
    assert not bidi_controls(cleaned)
    assert cleaned == "".join(c for c in text if c not in CONTROLS)
