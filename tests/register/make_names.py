"""A synthetic register extract with a known truth: people in families (siblings,
twins, cousins named after their grandfather), some of them entered twice or three
times with the errors clerks make: hamza and alef forms, taa marbuta and haa, alef
maqsura and yaa, diacritics, tatweel, "عبد" compounds split or joined, a dropped
"ال", Arabic-Indic digits in the date, day and month swapped, a mistyped year, a
letter mistyped. Every name is synthetic.

``make(n, seed)`` returns the rows (as dicts of the file's columns) and the truth:
the set of pairs of voter ids that are one person.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

MEN = ("محمد", "أحمد", "علي", "حسين", "حسن", "عبد الله", "عبد الرحمن", "عبد الكريم", "مصطفى",
       "عمر", "يوسف", "إبراهيم", "خالد", "جعفر", "كاظم", "مؤيد", "سعد", "عباس", "ياسر",
       "حيدر", "قاسم", "سلمان", "رعد", "ماجد", "فاضل", "عادل", "هادي", "موسى", "عيسى",
       "زيد", "أسامة", "حمزة", "طه", "مرتضى", "مهدي", "صادق", "باقر", "رضا", "نبيل",
       "وليد", "سامر", "منتظر", "عبد الأمير", "عبد الحسين", "عبد الستار", "عبد الجبار",
       "إسماعيل", "أيوب", "لؤي", "رائد", "نزار", "كريم", "جاسم", "ناصر", "فلاح", "سالم",
       "غانم", "جمال", "بشير", "ضياء", "أنور", "إياد", "أمجد", "هشام", "حازم", "مازن")
WOMEN = ("فاطمة", "زينب", "مريم", "نور", "سارة", "رقية", "زهراء", "هدى", "آمنة", "خديجة",
         "سكينة", "أسماء", "ليلى", "سلمى", "رنا", "دعاء", "إيمان", "آلاء", "شيماء", "بشرى",
         "هناء", "وفاء", "سعاد", "نادية", "أمل", "منى", "رحاب", "غادة", "حنان", "سناء",
         "عائشة", "رؤى", "إسراء", "أسيل", "براء", "تبارك", "جنان", "حوراء", "رباب", "ضحى")
FAMILIES = ("الجبوري", "الدليمي", "العبيدي", "الساعدي", "الموسوي", "الحسيني", "التميمي",
            "الخزرجي", "الشمري", "الزبيدي", "العزاوي", "الكبيسي", "الربيعي", "الجنابي",
            "الطائي", "العامري", "البياتي", "السامرائي", "الحلي", "البغدادي", "المالكي",
            "الكعبي", "اللامي", "الفتلاوي", "الخفاجي", "الكناني", "الزيدي", "السعدي",
            "الحمداني", "العنزي", "البدري", "النعيمي", "الشيخلي", "القيسي", "", "")
GOVERNORATES = ("IQ-BG", "IQ-BA", "IQ-NI", "IQ-AN", "IQ-NA", "IQ-KA", "IQ-DI", "IQ-SD",
                "IQ-WA", "IQ-QA", "IQ-MA", "IQ-DQ", "IQ-MU", "IQ-BB", "IQ-KI")
DIACRITICS = ("\u064e", "\u064f", "\u0650", "\u0651", "\u0652")
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
HEADER = ("voter_id", "first_name", "father_name", "grandfather_name", "family_name",
          "mother_name", "sex", "birth_date", "governorate")

Row = dict[str, str]


def _spelling(name: str, rng: random.Random) -> str:
    """One way a clerk writes ``name``."""
    choice = rng.randrange(9)
    if choice == 0 and name[:1] in "أإآا":
        return rng.choice("أإا") + name[1:]
    if choice == 1 and name[-1:] in "ةه":
        return name[:-1] + ("ه" if name.endswith("ة") else "ة")
    if choice == 2 and name[-1:] in "ىي":
        return name[:-1] + ("ي" if name.endswith("ى") else "ى")
    if choice == 3:
        at = rng.randrange(1, len(name) + 1) if len(name) > 1 else 1
        return name[:at] + rng.choice(DIACRITICS) + name[at:]
    if choice == 4 and len(name) > 2:
        return name[:2] + "ـ" + name[2:]
    if choice == 5 and name.startswith("عبد "):
        return name.replace("عبد ", "عبد", 1)
    if choice == 6 and name.startswith("ال"):
        return name[2:]
    if choice == 7 and "ؤ" in name:
        return name.replace("ؤ", "و")
    if choice == 8 and len(name) > 4:  # a letter mistyped
        at = rng.randrange(1, len(name) - 1)
        return name[:at] + rng.choice("بتنيسر") + name[at + 1:]
    return name


def _date_entered(born: date, rng: random.Random) -> str:
    text = born.isoformat()
    choice = rng.randrange(10)
    if choice == 0 and born.day <= 12 and born.day != born.month:
        text = f"{born.year}-{born.day:02d}-{born.month:02d}"
    elif choice == 1:
        digit = rng.choice((2, 3))
        text = text[:digit] + str((int(text[digit]) + rng.choice((1, 9))) % 10) + text[digit + 1:]
        try:
            date.fromisoformat(text)
        except ValueError:
            text = born.isoformat()
    elif choice == 2:
        text = text.translate(INDIC)
    return text


def _copy(row: Row, voter_id: str, rng: random.Random) -> Row:
    """``row`` entered again: one to three of its values written another way."""
    copy = dict(row, voter_id=voter_id)
    for column in rng.sample(("first_name", "father_name", "grandfather_name", "family_name",
                              "mother_name", "birth_date", "birth_date"), rng.randint(1, 3)):
        if column == "birth_date":
            copy[column] = _date_entered(date.fromisoformat(row[column]), rng)
        elif column == "mother_name":
            copy[column] = " ".join(_spelling(_spelling(w, rng), rng)
                                    for w in row[column].split(" ", 1))
        elif row[column]:
            # Clerks' variants come together: "عبدالرحمن" with a hamza and a haa.
            for _ in range(rng.randint(1, 3)):
                copy[column] = _spelling(copy[column], rng)
    if rng.random() < 0.1:
        copy["governorate"] = rng.choice(GOVERNORATES)  # moved and registered again
    return copy


def make(n: int, seed: int = 1, duplicate_share: float = 0.05
         ) -> tuple[list[Row], set[tuple[str, str]]]:
    """About ``n`` rows and the pairs of their voter ids that are one person."""
    rng = random.Random(seed)  # noqa: S311  (a reproducible synthetic file)
    people: list[Row] = []
    while len(people) < n * (1 - duplicate_share):
        father, grandfather = rng.choice(MEN), rng.choice(MEN)
        family = rng.choice(FAMILIES)
        mother = f"{rng.choice(WOMEN)} {rng.choice(MEN)}"
        governorate = rng.choice(GOVERNORATES)
        start = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 50))
        children = rng.choice((1, 2, 3, 4, 5, 6))
        names_used: set[str] = set()
        born = start
        for child in range(children):
            sex = rng.choice("FM")
            pool = [x for x in (MEN if sex == "M" else WOMEN) if x not in names_used]
            # Twins: the same day, another first name.
            twin = child > 0 and rng.random() < 0.15
            if not twin:
                born = born + timedelta(days=rng.randrange(300, 1500))
            first = rng.choice(pool)
            names_used.add(first)
            people.append({"first_name": first, "father_name": father,
                           "grandfather_name": grandfather, "family_name": family,
                           "mother_name": mother, "sex": sex, "birth_date": born.isoformat(),
                           "governorate": governorate})
    rows: list[Row] = []
    truth: set[tuple[str, str]] = set()
    ids = iter(rng.sample(range(10_000_000, 99_999_999), n * 2))
    for person in people:
        record = dict(person, voter_id=str(next(ids)))
        rows.append(record)
        if len(rows) < n and rng.random() < duplicate_share / (1 - duplicate_share):
            group = [record["voter_id"]]
            for _ in range(1 if rng.random() < 0.9 else 2):
                copy = _copy(record, str(next(ids)), rng)
                rows.append(copy)
                group.append(copy["voter_id"])
            truth.update(_pairs([group]))
    rng.shuffle(rows)
    return rows, truth


def _pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for group in groups:
        found.update(combinations(sorted(group), 2))
    return found


def pairs(clusters: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    """The pairs of ids a set of clusters says are one person."""
    return _pairs(clusters)


def write(path: Path, rows: list[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, HEADER)
        writer.writeheader()
        writer.writerows(rows)
