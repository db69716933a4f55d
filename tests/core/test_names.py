"""The Arabic search folding (shafaf.core.names): the spellings a reader types
interchangeably find each other, and nothing else changes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shafaf.core.names import FOLDS, as_number, fold, search_terms, search_text

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
