"""Arabic names reduced to the form two clerks would both arrive at, so that a
register can find one person entered twice.

The same name reaches the register spelt in several ways: with or without hamza on
the alif, with taa marbuta or haa, alif maqsura or yaa, with diacritics or a
stretching tatweel, "عبد الله" in two words or "عبدالله" in one, the family name
with or without its leading "ال", and dates typed in Arabic-Indic digits.
``match_key`` maps all of them to one string; it is an interpretation for matching,
never a rule of the law: a name is stored and printed as it was entered.

The folding of letters is the directory's (:func:`shafaf.core.names.fold`), with the
hamza carriers (waw and yaa with hamza, the lone hamza) added, which a search box can
leave alone but a register cannot: "مؤيد" and "مويد" are one name written twice.
"""

from __future__ import annotations

import re
import unicodedata

from shafaf.core.names import fold

# Harakat, shadda, sukun, the dagger alif and the Quranic annotation marks.
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_HAMZA_CARRIERS = str.maketrans({"ؤ": "و", "ئ": "ي", "ء": None})
# Anything that is not a letter or a digit separates words (hyphens, dots, ZWNJ).
_SEPARATORS = re.compile(r"[\W_]+")
# The particle ال is dropped from a word only when enough is left to be a name.
_ARTICLE = "ال"
_ARTICLE_REST = 2
# "عبد" and "ابو" start compound names that people write in one word or in two.
_COMPOUND_HEADS = ("عبد", "ابو")


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit (Arabic-Indic ٣, Persian ۳) as ASCII."""
    return "".join(str(unicodedata.digit(c)) if c.isdecimal() else c for c in text)


def _folded(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)  # presentation forms to letters
    text = _MARKS.sub("", text)
    return ascii_digits(fold(text).translate(_HAMZA_CARRIERS))


def _without_article(word: str) -> str:
    if word.startswith(_ARTICLE) and len(word) - len(_ARTICLE) > _ARTICLE_REST:
        return word[len(_ARTICLE):]
    return word


def words(text: str) -> list[str]:
    """The words of a name as they are compared: letters folded, marks and tatweel
    gone, digits ASCII, a compound ("عبد الله", "عبدالله") one word written head +
    rest without its article ("عبدله"), any other word without a leading "ال"."""
    found: list[str] = []
    pending = ""  # a compound head waiting for the rest of its name
    for word in _SEPARATORS.split(_folded(text)):
        if not word:
            continue
        if pending:
            found.append(pending + word.removeprefix(_ARTICLE))
            pending = ""
        elif word in _COMPOUND_HEADS:
            pending = word
        elif head := next((h for h in _COMPOUND_HEADS
                           if word.startswith(h) and len(word) > len(h) + 1), ""):
            found.append(head + word[len(head):].removeprefix(_ARTICLE))
        else:
            found.append(_without_article(word))
    if pending:
        found.append(pending)
    return found


def match_key(text: str) -> str:
    """One name (a first name, a family name, a mother's full name) as a key: its
    :func:`words` joined without spaces, so that "عبد الله" and "عبدالله" meet."""
    return "".join(words(text))
