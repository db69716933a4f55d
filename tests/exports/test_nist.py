"""The NIST SP 1500-100 v2 builder (shafaf.exports.nist) on plain values, as the
directory and, next, the results give it: every reference resolves, coalitions name
only parties the report defines, contests come in governorate then component order."""

from __future__ import annotations

from datetime import UTC, date, datetime

from shafaf.exports import nist

KIRKUK = nist.Area(code="IQ-KI", names={"ar": "كركوك", "ckb": "کەرکووک", "en": "Kirkuk"})
BASRA = nist.Area(code="IQ-BA", names={"ar": "البصرة", "ckb": "", "en": "Basra"})
MEMBER = nist.Party(code="P2", kind="party", names={"ar": "حزب"}, recognised=True)
ALLIANCE = nist.Party(code="A1", kind="alliance", names={"ar": "تحالف", "en": "Alliance"},
                      recognised=True, coalition=True)
PARTY = nist.Party(code="P1", kind="party", names={"ar": "قائمة"}, recognised=False)
CANDIDATE = nist.Candidate(id=7, sequence=1, sex="F", names={"ar": "زينب", "en": "Zainab"})


CONTESTS = (nist.Contest(area=KIRKUK, general_seats=12, component_seats={"christian": 1}),
            nist.Contest(area=BASRA, general_seats=0))


def report(lists, contests=CONTESTS):
    return nist.pre_election_report(
        election=nist.Election(code="gc-2023", names={"ar": "انتخابات", "en": "Election"},
                               polling_day=date(2023, 12, 18)),
        contests=list(contests), lists=lists,
        components=nist.Components(order=("christian", "yazidi"),
                                   labels={"christian": {"ar": "المسيحيون",
                                                         "en": "Christians"}}),
        generated=datetime(2023, 12, 1, 12, 0, tzinfo=UTC), vendor="Shafaf test",
        notes="test")


LISTS = [
    nist.Standing(area=KIRKUK, component="", party=ALLIANCE, ballot_number=3,
                  members=(MEMBER,), candidates=(CANDIDATE,)),
    nist.Standing(area=KIRKUK, component="christian", party=PARTY, ballot_number=None),
]


def test_a_coalition_names_its_members_and_they_are_defined():
    parties = {p["@id"]: p for p in report(LISTS)["Party"]}
    assert parties["party-A1"]["@type"] == "ElectionResults.Coalition"
    assert parties["party-A1"]["PartyIds"] == ["party-P2"]
    assert parties["party-P2"]["@type"] == "ElectionResults.Party"
    assert "PartyScopeGpUnitIds" not in parties["party-P2"]  # a member, not standing
    assert parties["party-P1"]["IsRecognizedParty"] is False
    assert list(parties) == ["party-A1", "party-P1", "party-P2"]


def test_a_ballot_number_is_given_only_when_there_is_one():
    [election] = report(LISTS)["Election"]
    contests = {c["@id"]: c for c in election["Contest"]}
    general = contests["contest-iq-ki"]["ContestSelection"]
    assert general[0]["SequenceOrder"] == 3
    assert general[1] == {"@id": "sel-cand-7", "@type": "ElectionResults.CandidateSelection",
                          "CandidateIds": ["cand-7"]}
    assert "SequenceOrder" not in contests["contest-iq-ki-christian"]["ContestSelection"][0]


def test_contests_by_governorate_general_first_and_empty_seats_unstated():
    [election] = report(LISTS)["Election"]
    assert [c["@id"] for c in election["Contest"]] == [
        "contest-iq-ba", "contest-iq-ki", "contest-iq-ki-christian"]
    by_id = {c["@id"]: c for c in election["Contest"]}
    assert "NumberElected" not in by_id["contest-iq-ba"]
    assert by_id["contest-iq-ki"]["NumberElected"] == 12
    titles = by_id["contest-iq-ki-christian"]["BallotTitle"]["Text"]
    assert [t["Content"] for t in titles] == ["كركوك — المسيحيون", "کەرکووک — christian",
                                              "Kirkuk — Christians"]


def test_empty_names_are_left_out_and_every_reference_resolves():
    document = report(LISTS)
    basra = next(g for g in document["GpUnit"] if g["@id"] == "gpu-iq-ba")
    assert [t["Language"] for t in basra["Name"]["Text"]] == ["ar", "en"]
    ids = {o["@id"] for key in ("GpUnit", "Party", "Person") for o in document[key]}
    [election] = document["Election"]
    ids |= {o["@id"] for o in election["Candidate"]}
    for candidate in election["Candidate"]:
        assert {candidate["PartyId"], candidate["PersonId"]} <= ids
    for contest in election["Contest"]:
        assert contest["ElectionDistrictId"] in ids
        for selection in contest["ContestSelection"]:
            assert set(selection.get("PartyIds", []) + selection.get("CandidateIds", [])) <= ids


def test_results_carry_vote_counts_and_who_won():
    document = nist.results_report(
        election=nist.Election(code="gc-2023", names={"ar": "انتخابات"},
                               polling_day=date(2023, 12, 18)),
        contests=list(CONTESTS), lists=LISTS,
        components=nist.Components(order=("christian",), labels={}),
        counts=nist.Counts(lists={("IQ-KI", "", "A1"): 1200, ("IQ-KI", "christian", "P1"): 80},
                           candidates={7: 450}, elected=frozenset({7}),
                           status="unofficial-partial"),
        generated=datetime(2023, 12, 20, tzinfo=UTC), vendor="Shafaf test", notes="test")
    assert document["Status"] == "unofficial-partial"
    [election] = document["Election"]
    contests = {c["@id"]: c for c in election["Contest"]}
    party, candidate = contests["contest-iq-ki"]["ContestSelection"]
    assert party["VoteCounts"] == [{"@type": "ElectionResults.VoteCounts", "Count": 1200,
                                    "GpUnitId": "gpu-iq-ki", "Type": "total"}]
    assert candidate["VoteCounts"][0]["Count"] == 450
    assert contests["contest-iq-ki-christian"]["ContestSelection"][0]["VoteCounts"][0][
        "Count"] == 80
    assert election["Candidate"][0]["PostElectionStatus"] == "winner"
