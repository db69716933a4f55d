"""The automatic checks before accreditation: each passes and fails."""

from dataclasses import replace
from datetime import date

import pytest

from shafaf.core import accreditation_checks as checks

POLLING = date(2023, 12, 18)
LOCAL = checks.Facts(kind="local", birth_date=date(1990, 1, 1), polling_day=POLLING,
                     voter_number="100", register=checks.Register(True, date(1990, 1, 1)))
INTERNATIONAL = checks.Facts(kind="international", birth_date=date(1980, 5, 5),
                             polling_day=POLLING, passport_number="P1", nationality="Norway")


def outcome(facts: checks.Facts, name: str) -> tuple[str, str]:
    found = checks.run(facts)[name]
    return found["outcome"], found["reason"]


def test_a_clean_local_observer_passes_every_check():
    found = checks.run(LOCAL)
    assert checks.passed(found)
    assert found["passport"]["outcome"] == "skip"
    assert all(found[name]["outcome"] == "ok" for name in checks.CHECKS if name != "passport")


@pytest.mark.parametrize(("birth", "expected"), [
    (date(2005, 12, 18), "ok"),   # 18 on polling day itself
    (date(2005, 12, 19), "fail"),  # 18 the day after
    (date(2006, 1, 1), "fail"),
])
def test_age_is_counted_on_polling_day(birth, expected):
    facts = replace(LOCAL, birth_date=birth, register=checks.Register(True, birth))
    assert outcome(facts, "age")[0] == expected


def test_born_on_29_february_is_of_age_on_1_march():
    assert checks.age_on(date(2004, 2, 29), date(2022, 2, 28)) == 17
    assert checks.age_on(date(2004, 2, 29), date(2022, 3, 1)) == 18


@pytest.mark.parametrize(("facts", "reason"), [
    (replace(LOCAL, voter_number=""), "no_voter_number"),
    (replace(LOCAL, register=None), "not_in_register"),
    (replace(LOCAL, register=checks.Register(False, date(1990, 1, 1))), "not_active_voter"),
    (replace(LOCAL, register=checks.Register(True, date(1990, 1, 2))), "birth_date_differs"),
])
def test_voter_status_fails(facts, reason):
    assert outcome(facts, "voter") == ("fail", reason)
    assert not checks.passed(checks.run(facts))


def test_international_observers_show_a_passport_instead_of_a_voter_number():
    assert outcome(INTERNATIONAL, "voter") == ("skip", "")
    assert outcome(INTERNATIONAL, "passport") == ("ok", "")
    assert checks.passed(checks.run(INTERNATIONAL))
    assert outcome(replace(INTERNATIONAL, passport_number=""), "passport") == (
        "fail", "no_passport")
    assert outcome(replace(INTERNATIONAL, nationality=""), "passport")[0] == "fail"


def test_a_candidate_fails():
    assert outcome(replace(LOCAL, candidate=True), "candidate") == ("fail", "is_candidate")


def test_an_entitys_agent_is_no_civil_society_observer():
    assert outcome(replace(LOCAL, agent_of=frozenset({7})), "agent") == ("fail", "is_agent")
    assert outcome(replace(INTERNATIONAL, agent_of=frozenset({7})), "agent")[0] == "fail"


def test_a_party_agent_may_be_their_own_entitys_but_no_others():
    agent = replace(LOCAL, kind="agents", own_entity=7)
    assert outcome(replace(agent, agent_of=frozenset({7})), "agent") == ("ok", "")
    assert outcome(replace(agent, agent_of=frozenset({7, 8})), "agent")[0] == "fail"


def test_accredited_twice_and_staff_fail():
    assert outcome(replace(LOCAL, accredited_elsewhere=True), "twice") == (
        "fail", "accredited_twice")
    assert outcome(replace(LOCAL, staff=True), "staff") == ("fail", "is_staff")


def test_names_compare_without_spelling_differences():
    assert checks.name_key("أحمد  علي") == checks.name_key("احمد علي")
    assert checks.name_key("فاطمة") == checks.name_key("فاطمه")
    assert checks.name_key("Jane DOE") == checks.name_key("jane doe")
    assert checks.name_key("عَلي") == checks.name_key("علي")


def test_passed_needs_every_check_and_reads_the_older_bare_words():
    assert not checks.passed({"age": "ok"})
    assert checks.passed(dict.fromkeys(checks.CHECKS, "ok"))
    assert not checks.passed({**dict.fromkeys(checks.CHECKS, "ok"), "staff": "fail"})
