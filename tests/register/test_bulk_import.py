"""The voter import's fast path on PostgreSQL (COPY of the raw file, checks in SQL)
and the row-by-row path give the same outcome for the same file: the same voters
with the same sort keys, or the same problems with the same rows, columns and
words. Each file below is imported once each way and the outcomes compared."""

from __future__ import annotations

import gzip

import pytest
from django.db import transaction
from django.utils import translation

from shafaf.register import actions, bulk
from shafaf.register.models import Voter
from shafaf.tabular import ImportRejected
from tests.register.test_voter_import import GOOD, HEADER, TODAY, election  # noqa: F401

ROW = "100000{n:03},علي,حسن,كاظم,,زينب,M,1980-01-01,KI0001,\n"


def rows(count: int, start: int = 100) -> str:
    return "".join(ROW.format(n=start + i) for i in range(count))


# (name, file, whether the fast path reads it to the end)
FILES = [
    ("good", GOOD, True),
    ("every kind of problem", GOOD + (
        "100000004,,علي,حسين,,فاطمة,M,1980-05-01,KI0001,\n"
        "100000005,علي,علي,حسين,,فاطمة,X,1980-05-01,KI0001,\n"
        "100000006,علي,علي,حسين,,فاطمة,M,1980-02-30,KI0001,\n"
        "100000007,علي,علي,حسين,,فاطمة,M,2010-01-01,KI0001,\n"
        "100000008,علي,علي,حسين,,فاطمة,M,1980-01-01,ZZ9999,\n"
        "100000001,علي,علي,حسين,,فاطمة,M,1980-01-01,KI0001,\n"
        "100000009,علي,علي,حسين,,فاطمة,M,1980-01-01,KI0001,pilots\n"
        "100000010,علي,علي,حسين,,فاطمة,M,01/02/1980,KI0001,\n"
        "100000012,علي,علي\u202eحسين,حسين,,فاطمة,M,1980-01-01,KI0001,\n"
        "100000013\x01,علي,علي,حسين,,فاطمة,M,1980-01-01,KI0001,\n"
        "100000014,علي,علي,حسين,,فاطمة,M,2024-01-01,KI0001,\n"
        "100000015,علي,علي,حسين,,فاطمة,M,0000-01-01,KI0001,\n"
        "100000016,علي,علي,حسين,,فاطمة,M,1980-13-01,KI0001,\n"
        "100000017,علي,علي,حسين,,فاطمة,M,1981-02-29,KI0001,\n"
        "100000018,علي,علي,حسين,,فاطمة,M,1980-1-01,KI0001,\n"
        "100000019," + "ع" * 101 + ",علي,حسين,,فاطمة,M,1980-01-01,KI0001,\n"
        "1000000201234567890123,علي,علي,حسين,,فاطمة,M,1980-01-01,KI0001,\n"
        "100000021,علي,علي,حسين,,,,,,\n"), True),
    ("plain values that only look odd", HEADER + (
        " 100000031 ,  علي ,حسن\u00a0,كاظم,,زينب,m,1980-01-01, KI0001,General\n"
        "١٠٠٠٠٠٠٣٢,أحمد,حسن,كاظم,,زينب,f,1980-02-29,KI0001,DISPLACED\n"
        ",,,,,,,,,\n"
        "100000033,ئازاد,حسن,كاظم,الجبوري,زينب,F,2005-11-18,BA0001,security_forces\n"
        "100000034,ئازاد,حسن,كاظم,الجبوري,زينب,F,2005-11-19,BA0001,\n"
        "100000035,ئازاد,حسن,كاظم,الجبوري,زينب,F,2005-11-20,BA0001,\n"), True),
    ("columns in another order, an extra column, a BOM and CRLF", "\ufeff" + (
        "Centre Code,notes,voter_number,first_name,father_name,grandfather_name,family_name,"
        "mother_name,sex,birth_date\r\n"
        "KI0001,x,100000041,علي,حسن,كاظم,,زينب,M,1980-01-01\r\n"
        "BA0001,,100000042,علي,حسن,كاظم,,زينب,F,1980-01-01\r\n"), True),
    ("a duplicate among many", HEADER + rows(50) + ROW.format(n=120), True),
    ("more problems than are listed", HEADER + rows(1200).replace(",M,", ",Q,"), True),
    ("a blank line", GOOD + "\n" + rows(2), False),
    ("too many values in a row", GOOD + ROW.format(n=100).replace("\n", "x,y\n"), False),
    ("too few values in a row", GOOD + "100000051,علي\n", False),
    ("a quoted value", GOOD + '100000052,"علي, حسن",حسن,كاظم,,زينب,M,1980-01-01,KI0001,\n'
     + '100000053,عل"ي,حسن,كاظم,,زينب,M,1980-01-01,KI0001,\n', False),
    ("a lone carriage return", GOOD + ROW.format(n=54).replace("\n", "\r"), False),
]
BYTES = [
    ("not UTF-8", GOOD.encode() + b"100000061,\xff\xfe,x,y,,z,M,1980-01-01,KI0001,\n", False),
    ("a NUL byte", GOOD.encode() + b"100000062,\x00,x,y,,z,M,1980-01-01,KI0001,\n", False),
    ("gzip with problems", gzip.compress((GOOD + rows(3).replace(",M,", ",Q,")).encode()),
     True),
    ("damaged gzip", gzip.compress(GOOD.encode())[:-12], False),
]


def outcome(election, content: bytes, name: str):  # noqa: F811
    with transaction.atomic(), translation.override("en"):
        try:
            summary = actions.import_voters(actor=None, election=election, name=name,
                                            content=content, today=TODAY)
            result = ("imported", summary.rows, summary.created, list(
                Voter.objects.order_by("voter_number").values_list(
                    "voter_number", "first_name", "father_name", "grandfather_name",
                    "family_name", "mother_name", "sex", "birth_date", "centre__code",
                    "governorate__code", "category", "sort_key")))
        except ImportRejected as rejected:
            result = ("rejected", [(p.row, p.column, p.reason) for p in rejected.problems],
                      [(u.column, u.reason, u.count) for u in rejected.unlisted])
        transaction.set_rollback(True)
    return result


@pytest.mark.postgresql
@pytest.mark.parametrize(("name", "content", "fast"), [
    *((name, text.encode(), fast) for name, text, fast in FILES), *BYTES],
    ids=[case[0] for case in (*FILES, *BYTES)])
def test_the_fast_path_and_the_row_by_row_path_agree(election, monkeypatch,  # noqa: F811
                                                     name, content, fast):
    filename = "register.csv.gz" if name.endswith("gzip") or "gzip " in name \
        else "register.csv"
    checked = []
    original = bulk.check
    monkeypatch.setattr(bulk, "check", lambda *a, **k: checked.append(1) or original(*a, **k))
    quick = outcome(election, content, filename)
    assert bool(checked) == fast, "the fast path was (not) taken"
    monkeypatch.setattr(bulk, "eligible", lambda name, head: False)
    slow = outcome(election, content, filename)
    assert quick == slow
    if name == "good":
        assert quick[0] == "imported"
    if name == "every kind of problem":
        assert len(quick[1]) == 21


@pytest.mark.postgresql
def test_odd_but_plain_values_are_imported_as_the_row_by_row_path_reads_them(
        election):  # noqa: F811
    kind, _, created, voters = outcome(election, FILES[2][1].encode(), "register.csv")
    assert (kind, created) == ("imported", 5)
    first = voters[0]
    assert first[:3] == ("100000031", "علي", "حسن")
    assert (first[6], first[10]) == ("M", "general")
    assert [v[0] for v in voters][-1] == "١٠٠٠٠٠٠٣٢"


@pytest.mark.postgresql
def test_a_bulk_load_puts_back_every_index_and_key_it_set_aside(election,  # noqa: F811
                                                                 monkeypatch):
    from django.db import connection

    def constraints():
        with connection.cursor() as cursor:
            return connection.introspection.get_constraints(cursor, Voter._meta.db_table)

    before = constraints()
    monkeypatch.setattr(actions, "BULK_LOAD", 1)
    summary = actions.import_voters(actor=None, election=election, name="register.csv",
                                    content=GOOD.encode(), today=TODAY)
    assert summary.created == 3
    assert constraints() == before
    assert len([c for c in before.values() if c["foreign_key"]]) >= 3
    # The keys are checked again: a voter in no centre is refused by the database.
    from django.db import IntegrityError

    def move_to_no_centre() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            Voter.objects.filter(voter_number="100000001").update(centre_id=999_999)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    with pytest.raises(IntegrityError):
        move_to_no_centre()
    # The voter number is unique again: its constraint was set aside for the load.
    voter = Voter.objects.get(voter_number="100000002")
    voter.pk, voter.id = None, None
    with pytest.raises(IntegrityError), transaction.atomic():
        voter.save()


@pytest.mark.postgresql
def test_a_centres_list_order_is_read_from_its_index(election):  # noqa: F811
    """The lists' order compares the sort key by code point; the column is compared
    so too (migration 0005), hence its index serves the order without a sort."""
    from django.db import connection

    from shafaf.register.selectors import voters_in_list_order

    actions.import_voters(actor=None, election=election, name="register.csv",
                          content=GOOD.encode(), today=TODAY)
    centre = Voter.objects.first().centre
    query = voters_in_list_order(centre).query
    sql, params = query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "voter_centre_order" in plan
    assert "Sort" not in plan


@pytest.mark.postgresql
def test_a_file_of_carriage_returns_only_is_read_row_by_row(election):  # noqa: F811
    result = outcome(election, GOOD.replace("\n", "\r").encode(), "register.csv")
    assert result[:3] == ("imported", 3, 3)
