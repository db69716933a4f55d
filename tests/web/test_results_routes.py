"""Results' URLs: each page is reached by its own pattern."""

from __future__ import annotations


def test_the_complaints_public_pages_are_not_taken_for_an_election() -> None:
    """/results/<election>/… would also match /results/complaints/…: the complaints'
    patterns come first."""
    from django.urls import resolve

    assert resolve("/results/complaints/new/").url_name == "complaint_public"
    assert resolve("/results/complaints/decisions/").url_name == "complaint_decisions"
