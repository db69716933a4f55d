"""The candidacy and list rules (domain brief, section 3), on lists built by hand
and on lists built to break exactly one rule."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from shafaf.core import laws
from shafaf.core.contest import CandidateId, Component, ListId, Sex
from shafaf.core.eligibility import (
    EducationLevel,
    EligibilityRules,
    ListKind,
    NominatedList,
    Nominee,
    Violation,
    ViolationCode,
    age_on,
    check_list,
    check_nominee,
)
from shafaf.core.laws.iraq_gc_2023 import ELIGIBILITY as GC_2023
from shafaf.core.laws.profile import SourceStatus

ELECTION_DAY = date(2023, 12, 18)
OLD_ENOUGH = date(1980, 5, 1)
E = EducationLevel
V = ViolationCode


def nominee(position: int, sex: str = "M", **changes: Any) -> Nominee:
    fields: dict[str, Any] = {
        "candidate_id": CandidateId(f"c{position:02d}"),
        "position": position,
        "sex": Sex(sex),
        "date_of_birth": OLD_ENOUGH,
        "education": E.BACHELOR,
        "convicted_of_listed_offence": False,
        "accountability_and_justice_cleared": True,
        **changes,
    }
    return Nominee(**fields)


def general(sexes: str, **changes_at: Mapping[str, Any]) -> NominatedList:
    """A general list whose nominees' sexes are read from ``sexes`` in list order
    (spaces ignored); ``p3={"education": E.DIPLOMA}`` changes the nominee at position 3."""
    letters = sexes.replace(" ", "")
    return NominatedList(list_id=ListId("L1"), kind=ListKind.GENERAL, nominees=tuple(
        nominee(p, s, **changes_at.get(f"p{p}", {})) for p, s in enumerate(letters, start=1)
    ))


def component_candidacy(*nominees: Nominee) -> NominatedList:
    return NominatedList(list_id=ListId("C1"), kind=ListKind.COMPONENT, nominees=nominees)


def check(lst: NominatedList, rules: EligibilityRules = GC_2023) -> tuple[Violation, ...]:
    return check_list(rules, lst, election_day=ELECTION_DAY)


def codes(lst: NominatedList, rules: EligibilityRules = GC_2023) -> list[ViolationCode]:
    return [v.code for v in check(lst, rules)]


CHRISTIAN = Component("christian")


# --- Unit tests, one per rule ---------------------------------------------------------------


def test_a_list_that_keeps_every_rule_reports_nothing():
    assert check(general("MMMF MMMF")) == ()
    assert check(general("F")) == ()


def test_a_nominee_under_30_on_election_day_is_reported_with_the_age_found():
    day_before_30th_birthday = date(1993, 12, 19)
    (violation,) = check(general("MMMF", p2={"date_of_birth": day_before_30th_birthday}))
    assert violation == Violation(code=V.UNDER_MINIMUM_AGE, candidate_id=CandidateId("c02"),
                                  position=2, details={"required": 30, "found": 29,
                                                       "born": "1993-12-19"})
    assert check(general("MMMF", p2={"date_of_birth": date(1993, 12, 18)})) == ()


def test_age_is_counted_in_full_years_and_29_february_birthdays_fall_on_1_march():
    assert age_on(date(1993, 12, 18), ELECTION_DAY) == 30
    assert age_on(date(1993, 12, 19), ELECTION_DAY) == 29
    assert age_on(date(1992, 2, 29), date(2022, 2, 28)) == 29
    assert age_on(date(1992, 2, 29), date(2022, 3, 1)) == 30
    assert age_on(date(1992, 2, 29), date(2024, 2, 29)) == 32


def test_a_general_candidate_needs_a_bachelors_degree_a_diploma_is_accepted_within_the_share():
    (violation,) = check(general("MMMF F", p5={"education": E.SECONDARY}))
    assert violation.code is V.EDUCATION_BELOW_REQUIRED
    assert violation.position == 5
    assert violation.details == {"required": "bachelor", "found": "secondary"}
    assert check(general("MMMF F", p5={"education": E.DIPLOMA})) == ()
    assert check(general("MMMF F", p5={"education": E.DOCTORATE})) == ()


def test_at_most_a_fifth_of_a_list_may_hold_a_diploma():
    diploma = {"education": E.DIPLOMA}
    assert check(general("MMMF F", p1=diploma)) == ()
    assert check(general("MMMF MMMF FF", p1=diploma, p9=diploma)) == ()
    (violation,) = check(general("MMMF F", p1=diploma, p4=diploma))
    assert violation == Violation(code=V.DIPLOMA_SHARE_EXCEEDED,
                                  details={"allowed": 1, "found": 2, "nominees": 5})
    # 20% of four nominees is less than one: no diploma at all.
    assert codes(general("MMMF", p3=diploma)) == [V.DIPLOMA_SHARE_EXCEEDED]


def test_a_component_candidate_needs_the_secondary_certificate():
    secondary = nominee(1, component=CHRISTIAN, education=E.SECONDARY)
    assert check(component_candidacy(secondary)) == ()
    (violation,) = check(component_candidacy(
        dataclasses.replace(secondary, education=E.INTERMEDIATE)))
    assert violation.code is V.EDUCATION_BELOW_REQUIRED
    assert violation.details == {"required": "secondary", "found": "intermediate"}


def test_at_least_a_quarter_of_the_nominees_are_women():
    (violation,) = check(general("MMM F MMM"))
    assert violation == Violation(code=V.WOMEN_SHARE_BELOW_MINIMUM,
                                  details={"required": 2, "found": 1, "nominees": 7})
    assert codes(general("MMM")) == [V.WOMEN_SHARE_BELOW_MINIMUM]
    assert check(general("MMMF MMMF")) == ()


def test_four_men_in_a_row_break_the_order_at_the_fourth():
    (violation,) = check(general("MMMM FF"))
    assert violation == Violation(code=V.WOMAN_MISSING_AFTER_MEN, candidate_id=CandidateId("c04"),
                                  position=4,
                                  details={"allowed": 3, "found": 4, "from_position": 1})


def test_a_run_of_men_is_one_violation_and_each_run_is_reported():
    # A woman in every block of four (1-4, 5-8) but six men in a row: the block
    # reading accepts this list, the run reading we implement does not.
    (violation,) = check(general("FMMM MMMF"))
    assert (violation.position, violation.details["found"]) == (5, 6)
    found = check(general("MMMMFF MMMMFF"))
    assert [(v.code, v.position) for v in found] == [
        (V.WOMAN_MISSING_AFTER_MEN, 4), (V.WOMAN_MISSING_AFTER_MEN, 10)]


def test_three_men_closing_the_list_need_no_woman_after_them():
    assert check(general("MMMF MMM F")) == ()


def test_the_order_rule_can_be_switched_off():
    rules = dataclasses.replace(GC_2023, max_men_before_woman=None)
    assert check(general("MMMMMMFF"), rules) == ()


def test_a_conviction_for_a_listed_offence_is_reported():
    (violation,) = check(general("MMMF", p3={"convicted_of_listed_offence": True}))
    assert (violation.code, violation.candidate_id) == (V.CONVICTED_OF_LISTED_OFFENCE, "c03")


def test_accountability_and_justice_is_reported_only_when_it_refused():
    refused = general("MMMF", p1={"accountability_and_justice_cleared": False})
    assert codes(refused) == [V.NOT_CLEARED_BY_ACCOUNTABILITY_AND_JUSTICE]
    pending = general("MMMF", p1={"accountability_and_justice_cleared": None})
    assert check(pending) == ()


def test_a_list_longer_than_the_maximum_is_reported_when_a_maximum_is_set():
    assert GC_2023.max_list_size is None
    rules = dataclasses.replace(GC_2023, max_list_size=4)
    assert check(general("MMMF"), rules) == ()
    (violation,) = check(general("MMMF F"), rules)
    assert violation == Violation(code=V.LIST_TOO_LONG, details={"maximum": 4, "found": 5})


def test_a_component_candidacy_is_individual():
    first = nominee(1, component=CHRISTIAN)
    second = nominee(2, "F", component=CHRISTIAN)
    (violation,) = check(component_candidacy(first, second))
    assert violation == Violation(code=V.COMPONENT_CANDIDACY_NOT_INDIVIDUAL,
                                  details={"required": 1, "found": 2})
    collective = dataclasses.replace(GC_2023, component_candidacy_individual=False)
    assert check(component_candidacy(first, second), collective) == ()


def test_a_component_candidacy_names_its_component_and_a_general_list_does_not():
    assert codes(component_candidacy(nominee(1))) == [V.COMPONENT_NOT_GIVEN]
    assert codes(general("MMMF", p2={"component": CHRISTIAN})) == [V.COMPONENT_ON_GENERAL_LIST]


def test_an_individual_candidate_is_a_list_of_one_without_the_womens_rules():
    alone = NominatedList(list_id=ListId("I1"), kind=ListKind.INDIVIDUAL, nominees=(nominee(1),))
    assert check(alone) == ()
    pair = dataclasses.replace(alone, nominees=(nominee(1), nominee(2, "F")))
    assert codes(pair) == [V.INDIVIDUAL_CANDIDACY_NOT_SINGLE]
    with_diploma = dataclasses.replace(alone, nominees=(nominee(1, education=E.DIPLOMA),))
    assert codes(with_diploma) == [V.DIPLOMA_SHARE_EXCEEDED]


def test_two_nominees_at_one_position_are_reported_once_at_that_position():
    lst = general("MMMF")
    shared = dataclasses.replace(lst, nominees=(*lst.nominees, nominee(4, "F", candidate_id="x")))
    (violation,) = check(shared)
    assert violation == Violation(code=V.DUPLICATE_POSITION, position=4, details={"found": 2})


def test_nominees_sharing_a_position_are_read_by_candidate_id_whatever_the_input_order():
    man, woman = nominee(4, "M", candidate_id="a"), nominee(4, "F", candidate_id="b")
    head = general("MMM").nominees
    one_way = NominatedList(list_id=ListId("L1"), kind=ListKind.GENERAL,
                            nominees=(*head, man, woman))
    other_way = dataclasses.replace(one_way, nominees=(*head, woman, man))
    assert check(one_way) == check(other_way)
    assert [(v.code, v.position) for v in check(one_way)] == [
        (V.WOMEN_SHARE_BELOW_MINIMUM, None),
        (V.DUPLICATE_POSITION, 4),
        (V.WOMAN_MISSING_AFTER_MEN, 4),
    ]


def test_positions_must_run_from_one_without_a_gap():
    lst = general("MMMF F")
    gap = dataclasses.replace(lst, nominees=(
        *lst.nominees[:3], *(dataclasses.replace(n, position=n.position + 2)
                             for n in lst.nominees[3:])))
    (violation,) = check(gap)
    assert violation == Violation(code=V.POSITIONS_NOT_CONSECUTIVE,
                                  details={"first_missing": 4, "last": 7})


def test_an_empty_list_reports_only_that_it_is_empty():
    empty = NominatedList(list_id=ListId("L0"), kind=ListKind.GENERAL, nominees=())
    assert check(empty) == (Violation(code=V.EMPTY_LIST),)


def test_violations_come_list_level_first_then_by_position_then_code():
    lst = general(
        "MMMMM",
        p2={"convicted_of_listed_offence": True, "date_of_birth": date(2000, 1, 1)},
        p5={"education": E.PRIMARY},
    )
    rules = dataclasses.replace(GC_2023, max_list_size=4)
    assert [(v.code, v.position) for v in check(lst, rules)] == [
        (V.LIST_TOO_LONG, None),
        (V.WOMEN_SHARE_BELOW_MINIMUM, None),
        (V.UNDER_MINIMUM_AGE, 2),
        (V.CONVICTED_OF_LISTED_OFFENCE, 2),
        (V.WOMAN_MISSING_AFTER_MEN, 4),
        (V.EDUCATION_BELOW_REQUIRED, 5),
    ]


def test_check_nominee_reports_the_personal_conditions_alone():
    young_convict = nominee(1, date_of_birth=date(2001, 1, 1), convicted_of_listed_offence=True,
                            education=E.DIPLOMA)
    found = check_nominee(GC_2023, young_convict, kind=ListKind.GENERAL,
                          election_day=ELECTION_DAY)
    assert [v.code for v in found] == [V.UNDER_MINIMUM_AGE, V.CONVICTED_OF_LISTED_OFFENCE]
    as_component = check_nominee(GC_2023, young_convict, kind=ListKind.COMPONENT,
                                 election_day=ELECTION_DAY)
    assert V.COMPONENT_NOT_GIVEN in [v.code for v in as_component]


def test_violation_details_cannot_be_changed():
    (violation,) = check(general("MMM"))
    with pytest.raises(TypeError):
        violation.details["found"] = 1  # type: ignore[index]


@pytest.mark.parametrize("changes", [
    {"minimum_age": -1},
    {"women_min_share": Fraction(5, 4)},
    {"diploma_max_share": Fraction(-1, 5)},
    {"diploma_level": E.BACHELOR},
    {"max_men_before_woman": 0},
    {"max_list_size": 0},
])
def test_rules_out_of_range_are_refused(changes):
    with pytest.raises(ValueError, match="must"):
        dataclasses.replace(GC_2023, **changes)


def test_a_position_below_one_and_a_candidate_twice_are_refused():
    with pytest.raises(ValueError, match="position"):
        nominee(0)
    with pytest.raises(ValueError, match="twice"):
        NominatedList(list_id=ListId("L1"), kind=ListKind.GENERAL,
                      nominees=(nominee(1), nominee(2, candidate_id="c01")))


def test_every_profile_carries_eligibility_rules_with_flags():
    gc = laws.get("iraq-gc-2023")
    assert gc.eligibility is GC_2023
    assert (GC_2023.minimum_age, GC_2023.general_education, GC_2023.diploma_max_share,
            GC_2023.component_education, GC_2023.women_min_share,
            GC_2023.max_men_before_woman) == (
        30, E.BACHELOR, Fraction(1, 5), E.SECONDARY, Fraction(1, 4), 3)
    flags = {f.parameter: f.status for f in gc.flags}
    assert flags["eligibility.minimum_age"] is SourceStatus.UNVERIFIED
    assert flags["eligibility.max_list_size"] is SourceStatus.UNVERIFIED
    for code in ("krg-2024", "iraq-cor-2021"):
        profile = laws.get(code)
        assert profile.eligibility is not None
        assert any(f.parameter == "eligibility" and f.status is SourceStatus.INTERPRETATION
                   for f in profile.flags)


# --- Properties -----------------------------------------------------------------------------

PROPERTY = settings(max_examples=150, deadline=None)
LATEST_BIRTH_AT_30 = date(1993, 12, 18)
DEGREES = (E.BACHELOR, E.MASTER, E.DOCTORATE)
BELOW_DIPLOMA = (E.NONE, E.PRIMARY, E.INTERMEDIATE, E.SECONDARY)


@st.composite
def valid_general_lists(draw: st.DrawFn) -> NominatedList:
    """A general list that keeps every 2023 rule: at most three men in a row, a
    quarter women, at most a fifth diplomas, everyone 30 and vetted."""
    size = draw(st.integers(1, 24))
    women = draw(st.lists(st.sampled_from((False, False, True)), min_size=size, max_size=size))
    run = 0
    for i, woman in enumerate(women):
        run = 0 if woman else run + 1
        if run > 3:
            women[i], run = True, 0
    for i in reversed(range(size)):  # a man becoming a woman never lengthens a run
        if sum(women) >= math.ceil(Fraction(size, 4)):
            break
        women[i] = True
    order = draw(st.permutations(range(size)))
    diplomas = set(order[: draw(st.integers(0, size // 5))])
    nominees = tuple(
        Nominee(
            candidate_id=CandidateId(f"c{i + 1:02d}"),
            position=i + 1,
            sex=Sex.FEMALE if women[i] else Sex.MALE,
            date_of_birth=draw(st.dates(date(1940, 1, 1), LATEST_BIRTH_AT_30)),
            education=E.DIPLOMA if i in diplomas else draw(st.sampled_from(DEGREES)),
            convicted_of_listed_offence=False,
            accountability_and_justice_cleared=draw(st.sampled_from((True, None))),
        )
        for i in range(size)
    )
    return NominatedList(list_id=ListId("L1"), kind=ListKind.GENERAL, nominees=nominees)


Breaker = Callable[[st.DataObject, NominatedList], tuple[NominatedList, EligibilityRules]]


def _replace_at(lst: NominatedList, index: int, **changes: Any) -> NominatedList:
    nominees = list(lst.nominees)
    nominees[index] = dataclasses.replace(nominees[index], **changes)
    return dataclasses.replace(lst, nominees=tuple(nominees))


def _some(data: st.DataObject, lst: NominatedList) -> int:
    return data.draw(st.integers(0, len(lst.nominees) - 1))


def too_young(data, lst):
    born = LATEST_BIRTH_AT_30 + timedelta(days=data.draw(st.integers(1, 9000)))
    return _replace_at(lst, _some(data, lst), date_of_birth=born), GC_2023


def education_below_required(data, lst):
    level = data.draw(st.sampled_from(BELOW_DIPLOMA))
    return _replace_at(lst, _some(data, lst), education=level), GC_2023


def diplomas_over_a_fifth(data, lst):
    size = len(lst.nominees)
    held = [i for i, n in enumerate(lst.nominees) if n.education is E.DIPLOMA]
    degrees = [i for i, n in enumerate(lst.nominees) if n.education is not E.DIPLOMA]
    extra = size // 5 + 1 - len(held)
    for i in data.draw(st.permutations(degrees))[:extra]:
        lst = _replace_at(lst, i, education=E.DIPLOMA)
    return lst, GC_2023


def women_under_a_quarter(data, lst):
    size = len(lst.nominees)
    assume(size % 4)  # M M M F M M M F … M: a quarter rounded down, no four men in a row
    for i in range(size):
        lst = _replace_at(lst, i, sex=Sex.FEMALE if (i + 1) % 4 == 0 else Sex.MALE)
    return lst, GC_2023


def men_first(data, lst):
    men = [n for n in lst.nominees if n.sex is Sex.MALE]
    assume(len(men) >= 4)
    women = [n for n in lst.nominees if n.sex is Sex.FEMALE]
    reordered = tuple(dataclasses.replace(n, position=p)
                      for p, n in enumerate([*men, *women], start=1))
    return dataclasses.replace(lst, nominees=reordered), GC_2023


def convicted(data, lst):
    return _replace_at(lst, _some(data, lst), convicted_of_listed_offence=True), GC_2023


def refused_by_accountability_and_justice(data, lst):
    return _replace_at(lst, _some(data, lst), accountability_and_justice_cleared=False), GC_2023


def one_woman_too_many(data, lst):
    size = len(lst.nominees)
    extra = Nominee(candidate_id=CandidateId("c99"), position=size + 1, sex=Sex.FEMALE,
                    date_of_birth=OLD_ENOUGH, education=E.BACHELOR,
                    convicted_of_listed_offence=False, accountability_and_justice_cleared=True)
    longer = dataclasses.replace(lst, nominees=(*lst.nominees, extra))
    return longer, dataclasses.replace(GC_2023, max_list_size=size)


def last_two_share_a_position(data, lst):
    size = len(lst.nominees)
    assume(size >= 2)
    return _replace_at(lst, size - 1, position=size - 1), GC_2023


def a_gap_in_the_positions(data, lst):
    gap_at = data.draw(st.integers(1, len(lst.nominees)))
    shifted = tuple(dataclasses.replace(n, position=n.position + 1) if n.position >= gap_at else n
                    for n in lst.nominees)
    return dataclasses.replace(lst, nominees=shifted), GC_2023


def a_component_on_the_general_list(data, lst):
    return _replace_at(lst, _some(data, lst), component=CHRISTIAN), GC_2023


BREAKERS: dict[ViolationCode, Breaker] = {
    V.UNDER_MINIMUM_AGE: too_young,
    V.EDUCATION_BELOW_REQUIRED: education_below_required,
    V.DIPLOMA_SHARE_EXCEEDED: diplomas_over_a_fifth,
    V.WOMEN_SHARE_BELOW_MINIMUM: women_under_a_quarter,
    V.WOMAN_MISSING_AFTER_MEN: men_first,
    V.CONVICTED_OF_LISTED_OFFENCE: convicted,
    V.NOT_CLEARED_BY_ACCOUNTABILITY_AND_JUSTICE: refused_by_accountability_and_justice,
    V.LIST_TOO_LONG: one_woman_too_many,
    V.DUPLICATE_POSITION: last_two_share_a_position,
    V.POSITIONS_NOT_CONSECUTIVE: a_gap_in_the_positions,
    V.COMPONENT_ON_GENERAL_LIST: a_component_on_the_general_list,
}


@PROPERTY
@given(lst=valid_general_lists(), data=st.data())
def test_a_valid_list_reports_nothing_in_any_input_order(lst, data):
    shuffled = dataclasses.replace(lst, nominees=tuple(data.draw(st.permutations(lst.nominees))))
    assert check(lst) == ()
    assert check(shuffled) == ()
    with_maximum = dataclasses.replace(GC_2023, max_list_size=len(lst.nominees))
    assert check(lst, with_maximum) == ()


@pytest.mark.parametrize("code", list(BREAKERS), ids=str)
@PROPERTY
@given(lst=valid_general_lists(), data=st.data())
def test_a_list_built_to_break_one_rule_reports_that_code_and_only_that_one(code, lst, data):
    broken, rules = BREAKERS[code](data, lst)
    assert [v.code for v in check(broken, rules)] == [code]


@st.composite
def valid_component_candidacies(draw: st.DrawFn) -> NominatedList:
    return component_candidacy(Nominee(
        candidate_id=CandidateId("k1"),
        position=1,
        sex=draw(st.sampled_from(Sex)),
        date_of_birth=draw(st.dates(date(1940, 1, 1), LATEST_BIRTH_AT_30)),
        education=draw(st.sampled_from((E.SECONDARY, E.DIPLOMA, *DEGREES))),
        convicted_of_listed_offence=False,
        accountability_and_justice_cleared=draw(st.sampled_from((True, None))),
        component=draw(st.sampled_from([CHRISTIAN, Component("yazidi"), Component("shabak")])),
    ))


@PROPERTY
@given(candidacy=valid_component_candidacies(), data=st.data())
def test_a_component_candidacy_broken_one_way_reports_that_code_only(candidacy, data):
    assert check(candidacy) == ()
    (only,) = candidacy.nominees
    breaks = {
        V.COMPONENT_CANDIDACY_NOT_INDIVIDUAL:
            (only, dataclasses.replace(only, candidate_id="k2", position=2)),
        V.EDUCATION_BELOW_REQUIRED:
            (dataclasses.replace(only, education=data.draw(st.sampled_from(BELOW_DIPLOMA[:3]))),),
        V.COMPONENT_NOT_GIVEN: (dataclasses.replace(only, component=None),),
        V.UNDER_MINIMUM_AGE: (dataclasses.replace(only, date_of_birth=date(2000, 1, 1)),),
    }
    for code, nominees in breaks.items():
        broken = dataclasses.replace(candidacy, nominees=nominees)
        assert [v.code for v in check(broken)] == [code]


@st.composite
def any_lists(draw: st.DrawFn) -> NominatedList:
    """Lists of every shape, valid or not: shared positions, gaps, young, unvetted."""
    size = draw(st.integers(0, 12))
    kind = draw(st.sampled_from(ListKind))
    nominees = tuple(
        Nominee(
            candidate_id=CandidateId(f"n{i}"),
            position=draw(st.integers(1, size + 2)),
            sex=draw(st.sampled_from(Sex)),
            date_of_birth=draw(st.dates(date(1950, 1, 1), date(2005, 12, 31))),
            education=draw(st.sampled_from(E)),
            convicted_of_listed_offence=draw(st.booleans()),
            accountability_and_justice_cleared=draw(st.sampled_from((True, False, None))),
            component=draw(st.sampled_from((None, CHRISTIAN))),
        )
        for i in range(size)
    )
    return NominatedList(list_id=ListId("L1"), kind=kind, nominees=nominees)


@PROPERTY
@given(lst=any_lists(), data=st.data(), maximum=st.none() | st.integers(1, 12))
def test_the_order_of_nominees_in_the_input_never_changes_the_result(lst, data, maximum):
    rules = dataclasses.replace(GC_2023, max_list_size=maximum)
    shuffled = dataclasses.replace(lst, nominees=tuple(data.draw(st.permutations(lst.nominees))))
    assert check(shuffled, rules) == check(lst, rules)


@PROPERTY
@given(lst=any_lists())
def test_check_list_includes_each_nominees_own_violations(lst):
    found = check(lst)
    for n in lst.nominees:
        for violation in check_nominee(GC_2023, n, kind=lst.kind, election_day=ELECTION_DAY):
            assert violation in found
