"""Results' URLs: each page is reached by its own pattern."""

from __future__ import annotations


def test_the_complaints_public_pages_are_not_taken_for_an_election() -> None:
    """/results/<election>/… would also match /results/complaints/…: the complaints'
    patterns come first."""
    from django.urls import resolve

    assert resolve("/results/complaints/new/").url_name == "complaint_public"
    assert resolve("/results/complaints/decisions/").url_name == "complaint_decisions"


def test_the_forensics_pages_are_not_taken_for_a_governorate_or_a_file() -> None:
    """/results/<election>/forensics/ would also match a governorate's results page, and
    a governorate's plot a published file: the forensics' patterns come first."""
    from django.urls import resolve

    assert resolve("/results/gc-2023/forensics/").url_name == "election_forensics"
    assert resolve("/results/gc-2023/forensics/turnout.svg").url_name == (
        "election_forensics_plot")
    assert resolve("/results/gc-2023/IQ-KI/forensics/").url_name == "forensics"
    assert resolve("/results/gc-2023/IQ-KI/forensics/fingerprint.svg").url_name == (
        "forensics_plot")
    assert resolve("/results/gc-2023/IQ-KI/votes.csv").url_name == "public_file"
