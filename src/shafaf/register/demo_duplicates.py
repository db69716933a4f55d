"""Planted duplicates for the demonstration: a handful of synthetic voters entered
twice with the variations duplicate detection catches (hamza forms, "عبد" split or
joined, day and month swapped, taa marbuta and alef maqsura, a dropped "ال", a
mistyped year), and one pair of twins (different people, whose first names differ by
one letter), spread over Kirkuk's polling centres, where the demonstration's register
officer and office manager work. Then detection runs over Kirkuk's register (the whole
country's would add half a minute to the demonstration's set-up), so that the review
queue holds them.

Every name is synthetic. Voter numbers start with 9 (``PLANTED_FROM``), outside the
demonstration register's own range. Planting twice changes nothing.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from shafaf.elections.models import Election, PollingCentre
from shafaf.register.duplicates import Detection, detect
from shafaf.register.models import Sex, Voter
from shafaf.register.order import stored_sort_key

PLANTED_FROM = 900_000_001
GOVERNORATE = "IQ-KI"

# (first, father, grandfather, family, mother, sex, birth date) of each record
Person = tuple[str, str, str, str, str, str, str]
PAIRS: tuple[tuple[Person, Person], ...] = (
    # hamza forms
    (("أحمد", "إبراهيم", "أيوب", "الدليمي", "آمنة كاظم", "M", "1979-05-14"),
     ("احمد", "ابراهيم", "ايوب", "الدليمي", "امنة كاظم", "M", "1979-05-14")),
    # "عبد" split and joined, a dropped "ال"
    (("عبد الكريم", "ياسر", "حمزة", "الخزرجي", "سعاد حازم", "M", "1982-03-21"),
     ("عبدالكريم", "ياسر", "حمزة", "خزرجي", "سعاد حازم", "M", "1982-03-21")),
    # day and month swapped
    (("زينب", "جاسم", "محمد", "التميمي", "هدى عباس", "F", "1991-04-07"),
     ("زينب", "جاسم", "محمد", "التميمي", "هدى عباس", "F", "1991-07-04")),
    # taa marbuta and haa, alef maqsura and yaa
    (("فاطمة", "موسى", "عيسى", "الساعدي", "سكينة مهدي", "F", "1986-11-02"),
     ("فاطمه", "موسي", "عيسي", "الساعدي", "سكينه مهدي", "F", "1986-11-02")),
    # a mistyped year, diacritics
    (("مصطفى", "كريم", "ناصر", "الربيعي", "رباب سالم", "M", "1975-09-30"),
     ("مُصطفى", "كريم", "ناصر", "الربيعي", "رباب سالم", "M", "1976-09-30")),
    # twins: the same parents and birth day, two people (رعد and سعد)
    (("رعد", "فلاح", "غانم", "العزاوي", "نادية جمال", "M", "1995-01-17"),
     ("سعد", "فلاح", "غانم", "العزاوي", "نادية جمال", "M", "1995-01-17")),
)


def plant_duplicates(election: Election, *, run: bool = True) -> Detection | None:
    """Add the planted pairs to ``election``'s register (each pair at one of Kirkuk's
    polling centres, in turn) and, with ``run``, detect duplicates over Kirkuk's
    register so that the review queue holds them."""
    centres = list(PollingCentre.objects.filter(election=election,
                                                governorate__code=GOVERNORATE).order_by("code"))
    if not centres:
        return None
    governorate = centres[0].governorate_id
    now = timezone.now()
    number = PLANTED_FROM
    with transaction.atomic():
        for index, pair in enumerate(PAIRS):
            centre = centres[index % len(centres)]
            for first, father, grandfather, family, mother, sex, born in pair:
                voter_number = str(number)
                number += 1
                Voter.objects.get_or_create(voter_number=voter_number, defaults={
                    "first_name": first, "father_name": father,
                    "grandfather_name": grandfather, "family_name": family,
                    "mother_name": mother, "sex": Sex(sex),
                    "birth_date": date.fromisoformat(born),
                    "governorate_id": centre.governorate_id, "centre": centre,
                    "sort_key": stored_sort_key(first, father, grandfather, family,
                                                voter_number),
                    "created": now, "updated": now})
    return detect(election=election, governorate=governorate) if run else None
