"""Hostile files at the command line: a message and exit status 2, never a
traceback or a run without end."""

from __future__ import annotations


def test_a_transcript_with_a_number_of_five_thousand_digits_is_bad_input(shafaf, tmp_path):
    transcript = tmp_path / "transcript.json"
    transcript.write_text('{"assignments": [{"number": ' + "9" * 5000 + "}]}")
    run = shafaf("lottery", "verify", transcript)
    assert run.status == 2
    assert "cannot read" in run.err
    assert "Traceback" not in run.err
