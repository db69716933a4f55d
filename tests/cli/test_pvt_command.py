"""``shafaf pvt sample`` and ``verify-sample``: the public PVT sample from a frame file,
redone by anyone from the published JSON."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
VECTORS = {v["name"]: v for v in json.loads(
    (DATA / "pvt_sample_vectors.json").read_text(encoding="utf-8"))["vectors"]}


def frame_file(tmp_path: Path, name: str = "national-200") -> Path:
    path = tmp_path / "frame.csv"
    path.write_bytes(VECTORS[name]["frame_csv"].encode("utf-8"))
    return path


def test_json_is_the_published_form_and_matches_the_vector(shafaf, tmp_path):
    vector = VECTORS["national-200"]
    run = shafaf("pvt", "sample", "--frame", frame_file(tmp_path), "--seed", vector["seed"],
                 "--size", vector["size"], "--format", "json")
    assert run.status == 0, run.err
    assert json.loads(run.out) == {"algorithm": "shafaf-sample/1", **vector["expected"]}
    assert list(json.loads(run.out)) == ["algorithm", "frame_sha256", "seed_sha256", "strata",
                                         "stations"]


def test_the_frame_hash_is_the_file_bytes_hash(shafaf, tmp_path):
    """A byte-order mark and CRLF give the same stations but another frame_sha256."""
    plain = shafaf("pvt", "sample", "--frame", frame_file(tmp_path, "small"), "--seed", "بذرة",
                   "--size", "3", "--format", "json").json()
    other = tmp_path / "other"
    other.mkdir()
    saved = shafaf("pvt", "sample", "--frame", frame_file(other, "bom-crlf"), "--seed", "بذرة",
                   "--size", "3", "--format", "json").json()
    assert saved["stations"] == plain["stations"]
    assert saved["frame_sha256"] != plain["frame_sha256"]
    assert saved["frame_sha256"] == VECTORS["bom-crlf"]["expected"]["frame_sha256"]


def test_text_lists_strata_and_stations(shafaf, tmp_path):
    run = shafaf("pvt", "sample", "--frame", frame_file(tmp_path, "small"), "--seed", "بذرة",
                 "--size", "3")
    assert run.status == 0, run.err
    assert VECTORS["small"]["expected"]["frame_sha256"] in run.out
    for station in VECTORS["small"]["expected"]["stations"]:
        assert any(line.split()[:1] == [station] for line in run.out.splitlines())
    assert "نينوى" in run.out


def test_bad_rows_exit_2_naming_each_row_and_reason(shafaf, write):
    frame = write("frame.csv", "station_id,stratum\n1,A\n1,B\n,C\n2,\n3,A\n")
    run = shafaf("pvt", "sample", "--frame", frame, "--seed", "s", "--size", "1")
    assert run.status == 2
    assert "frame.csv, row 3, column station_id: duplicate station_id 1 (first at row 2)" in run.err
    assert "frame.csv, row 4, column station_id: station_id is empty" in run.err
    assert "frame.csv, row 5, column stratum: stratum is empty" in run.err
    assert run.out == ""


def test_missing_column_empty_frame_and_bad_size_exit_2(shafaf, write):
    no_stratum = write("a.csv", "station_id,governorate\n1,A\n")
    run = shafaf("pvt", "sample", "--frame", no_stratum, "--seed", "s", "--size", "1")
    assert run.status == 2
    assert "stratum" in run.err
    empty = write("b.csv", "station_id,stratum\n")
    run = shafaf("pvt", "sample", "--frame", empty, "--seed", "s", "--size", "1")
    assert run.status == 2
    assert "no stations" in run.err
    two = write("c.csv", "station_id,stratum\n1,A\n2,A\n")
    run = shafaf("pvt", "sample", "--frame", two, "--seed", "s", "--size", "3")
    assert run.status == 2
    assert "between 1 and the frame's 2 stations" in run.err
    run = shafaf("pvt", "sample", "--frame", two.with_name("missing.csv"), "--seed", "s",
                 "--size", "1")
    assert run.status == 2
    assert "file not found" in run.err


def published(shafaf, tmp_path: Path) -> tuple[Path, Path, dict]:
    frame = frame_file(tmp_path)
    vector = VECTORS["national-200"]
    run = shafaf("pvt", "sample", "--frame", frame, "--seed", vector["seed"], "--size",
                 vector["size"], "--format", "json")
    return frame, tmp_path / "draw.json", run.json()


def test_verify_sample_accepts_the_draw_and_names_the_first_difference(shafaf, tmp_path):
    frame, path, draw = published(shafaf, tmp_path)
    seed = VECTORS["national-200"]["seed"]
    path.write_text(json.dumps(draw, ensure_ascii=False), encoding="utf-8")
    run = shafaf("pvt", "verify-sample", path, "--frame", frame, "--seed", seed)
    assert run.status == 0, run.err
    assert "The sample is verified: 37 of 200 stations in 18 strata" in run.out

    swapped = draw["stations"][4]
    draw["stations"][4] = "99-9999"
    path.write_text(json.dumps(draw, ensure_ascii=False), encoding="utf-8")
    run = shafaf("pvt", "verify-sample", path, "--frame", frame, "--seed", seed)
    assert run.status == 1
    assert "a station is not the one the draw gives at place 5 of the list" in run.err
    assert f"expected: {swapped}" in run.err
    assert "found:    99-9999" in run.err

    run = shafaf("pvt", "verify-sample", path, "--frame", frame, "--seed", seed + " ")
    assert run.status == 1
    assert "another seed" in run.err


def test_verify_sample_notices_another_frame_file(shafaf, tmp_path):
    frame, path, draw = published(shafaf, tmp_path)
    path.write_text(json.dumps(draw), encoding="utf-8")
    frame.write_bytes(frame.read_bytes() + b"99-0001,\xd8\xa8\xd8\xba\xd8\xaf\xd8\xa7\xd8\xaf\n")
    run = shafaf("pvt", "verify-sample", path, "--frame", frame, "--seed",
                 VECTORS["national-200"]["seed"])
    assert run.status == 1
    assert "another frame file" in run.err


def test_verify_sample_refuses_unreadable_input_with_exit_2(shafaf, tmp_path, write):
    frame = frame_file(tmp_path)
    broken = write("draw.json", "{not json")
    run = shafaf("pvt", "verify-sample", broken, "--frame", frame, "--seed", "s")
    assert run.status == 2
    assert "cannot read" in run.err
    listed = write("list.json", "[1, 2]")
    run = shafaf("pvt", "verify-sample", listed, "--frame", frame, "--seed", "s")
    assert run.status == 1
    assert "not in the published form" in run.err


def test_a_sample_loads_no_django_and_no_other_command(tmp_path):
    from tests.cli.test_main import COMMAND_MODULES, heavy, modules_after

    loaded = modules_after("pvt", "sample", "--frame", str(frame_file(tmp_path)), "--seed",
                           "s", "--size", "5", "--format", "json")
    assert "shafaf.core.pvt_sample" in loaded  # it did run
    assert heavy(loaded) == set()
    assert loaded & COMMAND_MODULES == {"shafaf.cli.pvt"}
