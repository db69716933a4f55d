"""Observers' copies of posted result forms against the published station results,
and the ``list_votes`` question's check: hand-made cases."""

from __future__ import annotations

import mmap

import pytest

from shafaf.core import posted_forms
from shafaf.core.observation_forms import answer_problems, definition_problems, list_problems
from shafaf.core.posted_forms import (
    Difference,
    FindingState,
    State,
    StationCount,
    Step,
    compare,
    steps_from,
    transcription,
)

LABEL = {"ar": "أصوات القوائم", "ckb": "دەنگی لیستەکان", "en": "List votes"}
FORM = [{"id": "valid", "type": "number", "required": True, "label": LABEL},
        {"id": "list_votes", "type": "list_votes", "required": False, "label": LABEL}]

POSTED = {"registered": 450, "voted": 300, "ballots_in_box": 298, "invalid": 8,
          "valid": 290, "form_posted": True,
          "list_votes": {"1": 120, "2": 100, "7": 70}}
PUBLISHED = StationCount(registered=450, voted=300, ballots_in_box=298, invalid=8,
                         valid=290, lists={"1": 120, "2": 100, "7": 70})


# --- the list_votes question -------------------------------------------------------

def test_a_list_votes_question_is_a_valid_definition():
    assert definition_problems(FORM) == []


def test_each_lists_votes_fit():
    assert answer_problems(FORM, {"valid": 3, "list_votes": {"1": 2, "12": 0}}) == []


@pytest.mark.parametrize(("value", "code"), [
    ([1, 2], "wrong_type"),
    ("1:2", "wrong_type"),
    ({"1": -1}, "out_of_range"),
    ({"1": 2.5}, "wrong_type"),
    ({"1": "3"}, "wrong_type"),
    ({"1": True}, "wrong_type"),
    ({"1": 10**10}, "out_of_range"),
    ({"list one": 3}, "bad_list"),
    ({"": 3}, "bad_list"),
    ({str(n): 1 for n in range(501)}, "too_many_lists"),
])
def test_a_bad_list_votes_answer_names_the_question(value, code):
    [problem] = answer_problems(FORM, {"valid": 3, "list_votes": value})
    assert (problem.question, problem.code) == ("list_votes", code)


def test_a_list_not_standing_at_the_station_is_named():
    answers = {"valid": 3, "list_votes": {"1": 2, "99": 1, "98": 0}}
    [problem] = list_problems(FORM, answers, {"1", "2"})
    assert (problem.question, problem.code) == ("list_votes", "unknown_list")
    assert "98, 99" in problem.message
    assert list_problems(FORM, {"valid": 3, "list_votes": {"2": 1}}, {"1", "2"}) == []
    assert list_problems(FORM, {"valid": 3}, {"1"}) == []


# --- the comparison ----------------------------------------------------------------

def test_a_copy_that_matches_has_no_difference():
    found = compare(transcribed=transcription(POSTED), published=PUBLISHED)
    assert found.state is State.COMPARED
    assert found.differences == ()
    assert found.agrees


def test_every_number_that_differs_is_listed_with_both_values():
    copy = {**POSTED, "valid": 289, "invalid": 9,
            "list_votes": {"1": 120, "2": 110, "7": 60}}
    found = compare(transcribed=transcription(copy), published=PUBLISHED)
    assert found.differences == (
        Difference(item="invalid", transcribed=9, published=8),
        Difference(item="valid", transcribed=289, published=290),
        Difference(item="list", list_id="2", transcribed=110, published=100),
        Difference(item="list", list_id="7", transcribed=60, published=70),
    )
    assert [d.key for d in found.differences] == ["invalid", "valid", "list:2", "list:7"]
    assert not found.agrees


def test_lists_come_in_ballot_order_then_codes():
    copy = {**POSTED, "list_votes": {"10": 1, "9": 1, "abc": 1, "1": 120, "2": 100,
                                     "7": 70}}
    found = compare(transcribed=transcription(copy), published=PUBLISHED)
    assert [d.list_id for d in found.differences] == ["9", "10", "abc"]
    assert all(d.published == 0 for d in found.differences)  # no vote row: 0 votes


def test_a_published_list_left_out_of_the_copy_is_a_difference_only_with_votes():
    published = StationCount(**{**_numbers(PUBLISHED), "lists": {"1": 120, "2": 100,
                                                                 "7": 70, "8": 0}})
    copy = {**POSTED, "list_votes": {"1": 120, "2": 100}}
    found = compare(transcribed=transcription(copy), published=published)
    assert found.differences == (Difference(item="list", list_id="7", transcribed=None,
                                            published=70),)


def test_a_copy_without_list_votes_compares_only_its_numbers():
    """A report of counting's version 1 (no list votes): its lists are not compared."""
    copy = {k: v for k, v in POSTED.items() if k != "list_votes"}
    copy["registered"] = 451
    found = compare(transcribed=transcription(copy), published=PUBLISHED)
    assert found.differences == (Difference(item="registered", transcribed=451,
                                            published=450),)


def test_not_published_and_no_transcription_are_states_not_differences():
    assert compare(transcribed=transcription(POSTED), published=None) == \
        posted_forms.Comparison(state=State.NOT_PUBLISHED)
    assert compare(transcribed=None, published=PUBLISHED).state is State.NO_TRANSCRIPTION
    assert not compare(transcribed=None, published=PUBLISHED).agrees


def test_a_number_not_given_is_not_compared():
    copy = {"valid": 290, "voted": True}  # a yes/no where a number belongs is ignored
    found = compare(transcribed=transcription(copy), published=PUBLISHED)
    assert found.differences == ()


# --- a finding's steps ------------------------------------------------------------

def test_a_finding_is_verified_or_dismissed_before_it_is_published():
    assert steps_from(FindingState.OPEN) == (Step.VERIFY, Step.DISMISS)
    assert steps_from(FindingState.VERIFIED) == (Step.DISMISS, Step.PUBLISH)
    assert steps_from(FindingState.DISMISSED) == (Step.VERIFY,)
    assert steps_from(FindingState.PUBLISHED) == ()
    assert posted_forms.after(Step.PUBLISH) is FindingState.PUBLISHED


def _numbers(count: StationCount) -> dict[str, int | None]:
    return {item: count.number(item) for item in posted_forms.NUMBERS}


def test_sms_leaves_list_votes_to_the_phone_app():
    from shafaf.core import observation_sms as grammar

    text = grammar.normalise("CT KI0001-01 A290 B5")
    _prefix, _station, tokens = grammar.head(text)
    with pytest.raises(grammar.SmsProblem) as problem:
        grammar.read_answers(text, tokens, FORM)
    assert (problem.value.code, problem.value.letter, problem.value.question) == (
        "not_by_sms", "B", "list_votes")


# --- the published numbers, from a publication's files -------------------------------

FORMS_CSV = (b"station_id,registered,voted,ballots_received,ballots_in_box,ballots_spoiled,"
             b"ballots_unused,invalid,valid\n"
             b"KI0001-01,450,300,350,298,5,47,8,290\n"
             b"KI0001-10,400,200,250,200,5,45,10,190\n"
             b"KI0002-01,410,100,150,100,5,45,0,100\n")
VOTES_CSV = (b"station_id,list_id,candidate_id,votes\n"
             b"KI0001-01,1,,40\nKI0001-01,1,1-1,80\nKI0001-01,2,,100\n"
             b"KI0001-01,,C-1,3\n"  # a component's candidate: no list
             b"KI0001-01,7,7-2,70\n"
             b"KI0001-10,1,1-1,190\n"
             b"KI0002-01,2,2-1,60\nKI0002-01,2,2-2,40\n")


def test_a_station_s_published_numbers_add_each_list_s_rows():
    found = posted_forms.published_station_counts(
        forms_csv=FORMS_CSV, votes_csv=VOTES_CSV,
        stations=["KI0001-01", "KI0001-10", "KI0002-01", "KI0003-01", "KI0001-1"])
    assert sorted(found) == ["KI0001-01", "KI0001-10", "KI0002-01"]  # the rest: not counted
    assert found["KI0001-01"] == PUBLISHED
    assert dict(found["KI0001-10"].lists or {}) == {"1": 190}
    assert dict(found["KI0002-01"].lists or {}) == {"2": 100}
    assert found["KI0002-01"].invalid == 0


def test_bisection_finds_every_station_s_rows_in_a_large_file(tmp_path):
    import random

    rng = random.Random(13)  # noqa: S311 (synthetic data, not secrets)
    codes = sorted(f"BG{c:05d}-{s:02d}" for c in range(1, 200) for s in range(1, rng.randint(2, 9)))
    rows = sorted((code, str(lst), f"{lst}-{k}" if k else "", rng.randint(0, 50))
                  for code in codes if rng.random() < 0.9
                  for lst in range(1, rng.randint(1, 12)) for k in range(rng.randint(0, 3)))
    votes = b"station_id,list_id,candidate_id,votes\n" + b"".join(
        f"{a},{b},{c},{d}\n".encode() for a, b, c, d in rows)
    forms = b"station_id,registered,voted,ballots_received,ballots_in_box," \
            b"ballots_spoiled,ballots_unused,invalid,valid\n" + b"".join(
                f"{code},1,1,1,1,0,0,0,1\n".encode() for code in codes)
    found = posted_forms.published_station_counts(forms_csv=forms, votes_csv=votes,
                                                  stations=codes)
    expected: dict[str, dict[str, int]] = {code: {} for code in codes}
    for code, lst, _cand, count in rows:
        expected[code][lst] = expected[code].get(lst, 0) + count
    assert {code: dict(c.lists or {}) for code, c in found.items()} == expected
    # The same from a memory map of the file, as the pages read a shelved votes.csv.
    (tmp_path / "votes.csv").write_bytes(votes)
    with (tmp_path / "votes.csv").open("rb") as stream, \
            mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        assert posted_forms.published_station_counts(
            forms_csv=forms, votes_csv=mapped, stations=codes) == found
