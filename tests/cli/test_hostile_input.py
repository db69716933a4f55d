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


def test_import_problems_out_lists_every_problem_of_a_million_row_file(db, shafaf, tmp_path):
    """The issue's case: a file wrong in every row lists the first thousand on the
    terminal and all of them in the file, in bounded memory."""
    from shafaf.elections import actions

    actions.load_governorates(actor=None)
    source = tmp_path / "geography.csv"
    with source.open("w", encoding="utf-8") as f:
        f.write("governorate_code,district_code,district_name_ar,sub_district_code,"
                "sub_district_name_ar\n")
        f.writelines(f"XX,D{n},د,S{n},ن\n" for n in range(150_000))
    out = tmp_path / "problems.csv"
    run = shafaf("import", "geography", source, "--problems-out", out)
    assert run.status == 2
    assert "150000 problems in geography.csv: nothing was written." in run.err
    assert f"All 150,000 problem(s) are listed in {out}." in run.err
    with out.open(encoding="utf-8") as f:
        assert sum(1 for _line in f) == 150_001


def test_a_transcript_number_of_infinity_is_malformed_not_a_traceback(shafaf, tmp_path):
    transcript = tmp_path / "transcript.json"
    transcript.write_text(
        '{"algorithm": "shafaf-lottery/1", "pool": {"ranges": [[1, 1e400]], "excluded": []}, '
        '"assignments": [], "participants": [], "seed": "1", "participants_sha256": "x", '
        '"seed_sha256": "x"}')
    run = shafaf("lottery", "verify", transcript)
    assert run.status not in (0, None)
    assert "OverflowError: cannot convert float infinity to integer" in run.err
