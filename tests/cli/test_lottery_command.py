"""``shafaf lottery draw`` and ``verify``: a draw anyone can redo from the transcript."""

from __future__ import annotations

import json


def participants_file(write):
    return write("participants.csv", "participant_id,name,colour\nA,حزب ألف,red\n"
                                     "B,تحالف باء,blue\nC,مرشح جيم,green\n")


def test_draw_prints_the_numbers_and_writes_a_transcript_that_verifies(shafaf, write, tmp_path):
    out = tmp_path / "transcript.json"
    run = shafaf("lottery", "draw", "--participants", participants_file(write), "--seed",
                 "1-2-3-4-5", "--numbers", "1-10", "--exclude", "5", "--drawn-by", "Board",
                 "--out", out)
    assert run.status == 0, run.err
    lines = run.out.splitlines()
    rows = [line.split() for line in lines if line.strip()[:1].isdigit()]
    assert [(r[0], r[1]) for r in rows] == [("1", "B"), ("2", "A"), ("3", "C")]
    assert "تحالف باء" in run.out
    transcript = json.loads(out.read_text(encoding="utf-8"))
    assert transcript["drawn_by"] == "Board"
    assert shafaf("lottery", "verify", out).status == 0


def test_json_output_has_the_documented_fields(shafaf, write):
    run = shafaf("lottery", "draw", "--participants", participants_file(write), "--seed", "s",
                 "--numbers", "101-199,201-399", "--format", "json")
    assert run.status == 0, run.err
    data = json.loads(run.out)
    assert data["algorithm"] == "shafaf-lottery/1"
    assert {"participants_sha256", "seed_sha256", "assignments", "pool"} <= set(data)
    assert {a["participant_id"] for a in data["assignments"]} == {"A", "B", "C"}
    assert all(set(a) == {"participant_id", "number", "ticket"} for a in data["assignments"])


def test_verify_names_a_changed_number_and_exits_1(shafaf, write, tmp_path):
    out = tmp_path / "t.json"
    shafaf("lottery", "draw", "--participants", participants_file(write), "--seed", "s",
           "--numbers", "1-9", "--out", out)
    transcript = json.loads(out.read_text(encoding="utf-8"))
    transcript["assignments"][2]["number"] = 9
    out.write_text(json.dumps(transcript), encoding="utf-8")
    run = shafaf("lottery", "verify", out)
    assert run.status == 1
    assert "a number is not the one the tickets give for participant" in run.err
    assert "found:    9" in run.err


def test_bad_participants_and_pools_are_bad_input(shafaf, write, tmp_path):
    dup = write("dup.csv", "participant_id,name\nA,x\nA,y\n,z\n")
    run = shafaf("lottery", "draw", "--participants", dup, "--seed", "s", "--numbers", "1-9")
    assert run.status == 2
    assert "dup.csv, row 3: duplicate participant_id A (first at row 2)" in run.err
    assert "dup.csv, row 4: participant_id is empty" in run.err
    small = shafaf("lottery", "draw", "--participants", participants_file(write), "--seed", "s",
                   "--numbers", "1-2")
    assert small.status == 2
    assert "the pool holds 2 numbers for 3 participants" in small.err
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    assert shafaf("lottery", "verify", tmp_path / "broken.json").status == 2


def _drawn(shafaf, write, tmp_path):
    out = tmp_path / "t2.json"
    run = shafaf("lottery", "draw", "--participants", participants_file(write), "--seed",
                 "1-2-3-4-5", "--numbers", "1-10", "--exclude", "5", "--drawn-by", "Board",
                 "--out", out)
    assert run.status == 0, run.err
    return out, json.loads(out.read_text(encoding="utf-8"))


def test_a_transcript_2_fails_when_any_field_is_changed(shafaf, write, tmp_path):
    """Names, drawn_at, drawn_by and exclusions beyond the numbers used were a record
    no hash covered in /1: in /2 the transcript's hash covers them."""
    out, transcript = _drawn(shafaf, write, tmp_path)
    assert transcript["schema"] == "shafaf-lottery-transcript/2"
    assert shafaf("lottery", "verify", out).status == 0
    edits = {
        "name": lambda t: t["participants"][0].update(name="someone else"),
        "drawn_at": lambda t: t.update(drawn_at="2020-01-01T00:00:00+00:00"),
        "drawn_by": lambda t: t.update(drawn_by="Mallory"),
        "exclusion beyond the numbers used": lambda t: t["pool"].update(
            excluded=[*t["pool"]["excluded"], 9], size=t["pool"]["size"] - 1),
        "relabelled /1": lambda t: t.update(schema="shafaf-lottery-transcript/1"),
    }
    for what, edit in edits.items():
        changed = json.loads(json.dumps(transcript))
        edit(changed)
        out.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
        run = shafaf("lottery", "verify", out)
        assert run.status == 1, what
        assert "a field was changed after the transcript was hashed" in run.err, what


def test_verify_checks_the_published_hash_in_any_case_and_refuses_a_prefix(shafaf, write,
                                                                         tmp_path):
    out, transcript = _drawn(shafaf, write, tmp_path)
    published = transcript["transcript_sha256"]
    run = shafaf("lottery", "verify", out, "--sha256", f"  {published.upper()} ")
    assert run.status == 0, run.err
    assert "(it matches)" in run.out
    # A name changed and the hash recomputed: only the published hash shows it.
    from shafaf.core.lottery_transcript import transcript_sha256
    transcript["participants"][0]["name"] = "someone else"
    transcript["transcript_sha256"] = transcript_sha256(transcript)
    out.write_text(json.dumps(transcript, ensure_ascii=False), encoding="utf-8")
    assert shafaf("lottery", "verify", out).status == 0
    run = shafaf("lottery", "verify", out, "--sha256", published)
    assert run.status == 1
    assert "not the one whose hash was published" in run.err
    prefix = shafaf("lottery", "verify", out, "--sha256", published[:12])
    assert prefix.status == 2
    assert "no prefix" in prefix.err


def test_a_participant_name_with_a_bidirectional_control_is_bad_input(shafaf, write):
    spoof = write("spoof.csv", "participant_id,name\nA,حزب ألف\nB,تحالف \u202eباء 12\n")
    run = shafaf("lottery", "draw", "--participants", spoof, "--seed", "s", "--numbers", "1-9")
    assert run.status == 2
    assert "spoof.csv, row 3: U+202E RIGHT-TO-LEFT OVERRIDE is not allowed in a name" in run.err
    assert run.out == ""
