"""The folding of Arabic names for matching: each spelling a clerk may type meets the
other, and different names stay different."""

from __future__ import annotations

import pytest

from shafaf.core.name_matching import ascii_digits, match_key


@pytest.mark.parametrize(("one", "other"), [
    ("أحمد", "احمد"),            # hamza on alif
    ("إبراهيم", "ابراهيم"),
    ("آمنة", "امنه"),            # madda; taa marbuta and haa
    ("فاطمة", "فاطمه"),
    ("موسى", "موسي"),            # alif maqsura and yaa
    ("مُحَمَّد", "محمد"),          # diacritics
    ("مـحـمـد", "محمد"),          # tatweel
    ("مؤيد", "مويد"),            # hamza on waw
    ("عبد الله", "عبدالله"),      # a compound in two words or one
    ("عبد الرحمن", "عبدالرحمن"),
    ("عبد  الأمير", "عبدالامير"),
    ("ابو بكر", "أبوبكر"),
    ("الجبوري", "جبوري"),        # a dropped leading article
    ("فاطمة حسن", "فاطمه  حسن"),  # a full name, spaces as typed
    ("ﻣﺤﻤﺪ", "محمد"),              # presentation forms
])
def test_spellings_of_one_name_meet(one, other):
    assert match_key(one) == match_key(other)


@pytest.mark.parametrize(("one", "other"), [
    ("علي", "عليا"),
    ("حسن", "حسين"),
    ("عبد الله", "عبد الرحمن"),
    ("رعد", "سعد"),
    ("زينب", "زهراء"),
])
def test_different_names_stay_different(one, other):
    assert match_key(one) != match_key(other)


def test_a_short_name_keeps_its_letters():
    # "ال" is only an article when a name is left after it: "الياس" keeps its "ياس",
    # and "آل" (a family) is not emptied.
    assert match_key("آل") == "ال"
    assert match_key("") == ""


def test_arabic_indic_and_persian_digits_become_ascii():
    assert ascii_digits("١٩٨٠-٠٣-٠٢") == "1980-03-02"
    assert ascii_digits("۱۹۸۰") == "1980"
