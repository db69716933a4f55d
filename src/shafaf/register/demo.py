"""A synthetic voter register for the demo (docs/demo.md, docs/register-lookup.md).

Every voter is invented and says so: the numbers are in a range the commission's
cards do not use (twelve digits starting ``99``: ``990000000001`` and on), the names
come from a short fixed list of common Iraqi names, and the mother's name of each
ends with "(تجريبي)" ("synthetic"). A fixed seed makes every run the same, and the
register is loaded through the import, as a real file would be, so running the
demo twice changes nothing.

The voters are shared out over every polling centre of the election, so that any
centre of the demo has some; a few centres (the first of each governorate) get an
address and coordinates (near the governorate's capital, also invented), and their
voters a station (:func:`assign_showcase_stations`), so that "where do I vote" has
something to show at once. The station filling proper, in Arabic alphabetical
order, is the register's own step.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from shafaf.elections.models import Election, PollingCentre, PollingStation
from shafaf.register import actions
from shafaf.register.models import Status, Voter

SEED = 2023
VOTERS = 30_000
NUMBER_BASE = 990_000_000_000  # a reserved range: no real card's number starts with 99
SYNTHETIC = "(تجريبي)"

MEN = ("محمد", "علي", "حسين", "أحمد", "حسن", "عباس", "جاسم", "كاظم", "مصطفى", "عمر",
       "خالد", "إبراهيم", "يوسف", "كريم", "سلمان", "حيدر", "عبد الله", "صالح", "رعد", "ئازاد")
WOMEN = ("فاطمة", "زينب", "مريم", "نور", "سارة", "هدى", "رقية", "آمنة", "سعاد", "ليلى",
         "خديجة", "شيماء", "بان", "رنا", "إيمان", "نرمين")
FAMILIES = ("الجبوري", "التميمي", "الدليمي", "العبيدي", "الساعدي", "الربيعي", "الخفاجي",
            "الزبيدي", "الشمري", "البياتي", "الكعبي", "الحسيني", "")

# Near each governorate's capital (rounded; invented addresses).
CAPITALS: dict[str, tuple[str, str, str]] = {
    "IQ-BG": ("بغداد", "33.31520", "44.36610"), "IQ-BA": ("البصرة", "30.50850", "47.78040"),
    "IQ-NI": ("الموصل", "36.34500", "43.14500"), "IQ-KI": ("كركوك", "35.46810", "44.39220"),
    "IQ-AN": ("الرمادي", "33.42060", "43.30780"), "IQ-SD": ("تكريت", "34.61580", "43.67860"),
    "IQ-DI": ("بعقوبة", "33.74660", "44.64370"), "IQ-BB": ("الحلة", "32.46370", "44.41960"),
    "IQ-KA": ("كربلاء", "32.61600", "44.02490"), "IQ-NA": ("النجف", "32.02590", "44.34620"),
    "IQ-QA": ("الديوانية", "31.98920", "44.92550"), "IQ-WA": ("الكوت", "32.50560", "45.82470"),
    "IQ-MA": ("العمارة", "31.83560", "47.14490"), "IQ-DQ": ("الناصرية", "31.05800", "46.25730"),
    "IQ-MU": ("السماوة", "31.31990", "45.28050"),
}


@dataclass(frozen=True)
class DemoRegister:
    voters: int
    created: int
    showcase: list[tuple[str, int, str, int | None]]  # number, birth year, centre, station

    def __str__(self) -> str:
        return (f"{self.voters:,} synthetic voters in the register ({self.created:,} new), "
                f"numbers {NUMBER_BASE + 1} to {NUMBER_BASE + self.voters}")


def voter_number(index: int) -> str:
    return str(NUMBER_BASE + index)


def synthetic_file(centre_codes: list[str], voters: int = VOTERS, *,
                   polling_day: date) -> bytes:
    """The register as an import file: ``voters`` rows over ``centre_codes``."""
    rng = random.Random(SEED)  # noqa: S311  # invented data, not a secret
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["voter_number", "first_name", "father_name", "grandfather_name",
                     "family_name", "mother_name", "sex", "birth_date", "centre_code",
                     "category"])
    youngest = polling_day - timedelta(days=365 * 18 + 10)
    for index in range(1, voters + 1):
        sex = "F" if rng.random() < 0.5 else "M"
        born = youngest - timedelta(days=rng.randrange(0, 365 * 62))
        writer.writerow([
            voter_number(index), rng.choice(WOMEN if sex == "F" else MEN), rng.choice(MEN),
            rng.choice(MEN), rng.choice(FAMILIES),
            f"{rng.choice(WOMEN)} {rng.choice(MEN)} {SYNTHETIC}", sex, born.isoformat(),
            centre_codes[(index - 1) % len(centre_codes)], "general"])
    return out.getvalue().encode()


def showcase_centres(election: Election) -> list[PollingCentre]:
    """The first centre (by code) of each governorate: these get an address."""
    first: dict[int, PollingCentre] = {}
    for centre in PollingCentre.objects.filter(election=election).order_by("code"):
        first.setdefault(centre.governorate_id, centre)
    return list(first.values())


def locate_showcase_centres(election: Election) -> list[PollingCentre]:
    centres = showcase_centres(election)
    for centre in centres:
        city, latitude, longitude = CAPITALS.get(centre.governorate.code, ("", "", ""))
        if not city:
            continue
        centre.address = f"شارع المدارس، {city} {SYNTHETIC}"
        centre.latitude, centre.longitude = Decimal(latitude), Decimal(longitude)
        centre.save(update_fields=["address", "latitude", "longitude"])
    return centres


def assign_showcase_stations(centres: list[PollingCentre]) -> int:
    """Give the voters of ``centres`` who have no station yet one, in the centres'
    list order, evenly over the centre's stations: only so that the demo's lookup
    shows a station; the register's station filling replaces it."""
    assigned = 0
    with transaction.atomic():
        for centre in centres:
            stations = list(PollingStation.objects.filter(centre=centre).order_by("number"))
            if not stations:
                continue
            voters = list(Voter.objects.filter(centre=centre, status=Status.ACTIVE)
                          .order_by("sort_key", "voter_number").values_list("pk", "station_id"))
            per_station = -(-len(voters) // len(stations))
            for position, (pk, station) in enumerate(voters):
                if station is None:
                    Voter.objects.filter(pk=pk).update(
                        station=stations[position // per_station])
                    assigned += 1
    return assigned


def create_register(election: Election, voters: int = VOTERS) -> DemoRegister:
    """Load the synthetic register over the election's centres (the same every run)."""
    codes = list(PollingCentre.objects.filter(election=election).order_by("code")
                 .values_list("code", flat=True))
    summary = actions.import_voters(
        actor=None, election=election, name="synthetic-register.csv",
        content=synthetic_file(codes, voters, polling_day=election.polling_day))
    centres = locate_showcase_centres(election)
    assign_showcase_stations(centres)
    showcase = []
    for centre in centres[:5]:
        voter = (Voter.objects.filter(centre=centre).order_by("voter_number")
                 .select_related("station").first())
        if voter is not None:
            showcase.append((voter.voter_number, voter.birth_date.year, centre.code,
                             voter.station.number if voter.station else None))
    return DemoRegister(voters=voters, created=summary.created, showcase=showcase)
