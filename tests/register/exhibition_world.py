"""A small register on display: the 2023 election with Kirkuk's and Basra's centres,
six voters, the exhibition phase from 1 to 31 October 2023, and one user per role
(the scoped ones in Kirkuk)."""

from __future__ import annotations

from datetime import date

from shafaf.access.roles import SCOPED_ROLES, Role
from shafaf.accounts.models import User
from shafaf.elections import actions as elections
from shafaf.elections.models import CalendarPhase, Election, Governorate, Phase
from shafaf.register import actions
from shafaf.register.models import Voter
from tests.web.conftest import PASSWORD, _stations_in

OPENS, CLOSES = date(2023, 10, 1), date(2023, 10, 31)
DURING, BEFORE, AFTER = date(2023, 10, 10), date(2023, 9, 30), date(2023, 11, 1)
HEADER = ("voter_number,first_name,father_name,grandfather_name,family_name,mother_name,"
          "sex,birth_date,centre_code\n")
ROWS = [
    "100000001,أحمد,علي,حسين,الجبوري,فاطمة كاظم,M,1980-05-01,KI0001",
    "100000002,زينب,محمد,جاسم,,مريم عباس,F,1990-12-31,KI0001",
    "100000003,أحمد,علي,حسين,الجبوري,فاطمة كاظم,M,1980-05-01,KI0001",
    "100000004,كاروان,ئازاد,گوران,بارزاني,ژیان عمر,M,1985-03-07,KI0002",
    "100000005,إبراهيم,خليل,عبد الله,التميمي,سعاد حسن,M,1975-01-15,BA0001",
    "99999999,هدى,كاظم,سجاد,الخفاجي,آمنة ضياء,F,2001-07-20,KI0001",
]
MOTHERS = ["فاطمة كاظم", "مريم عباس", "ژیان عمر", "سعاد حسن", "آمنة ضياء"]


def make_election() -> Election:
    elections.load_governorates(actor=None)
    election = elections.create_council_election_2023(actor=None)
    _stations_in(election, "IQ-KI", 3, 2)
    _stations_in(election, "IQ-BA", 2, 2)
    CalendarPhase.objects.create(election=election, phase=Phase.REGISTER_EXHIBITION,
                                 starts=OPENS, ends=CLOSES)
    return election


def load(election: Election, rows: list[str] | None = None) -> None:
    text = HEADER + "\n".join(ROWS if rows is None else rows) + "\n"
    actions.import_voters(actor=None, election=election, name="register.csv",
                          content=text.encode(), today=date(2023, 9, 1))


def make_users() -> dict[Role, User]:
    kirkuk = Governorate.objects.get(code="IQ-KI")
    return {role: User.objects.create_user(
        username=role.value, password=PASSWORD, role=role,
        governorate=kirkuk if role in SCOPED_ROLES else None) for role in Role}


def voter(number: str) -> Voter:
    return Voter.objects.get(voter_number=number)
