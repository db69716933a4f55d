"""``shafaf results verify``: a publication written by ``tabulate`` itself verifies;
a tampered copy names each difference (exit 1); an unreadable or unreachable one
exits 2. From a directory and from a local HTTP server."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_results_files import CANDIDATES, FORMS, LISTS, VOTES


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(directory: Path, **fields: object) -> None:
    manifest = json.loads((directory / "manifest.json").read_text()) if (
        directory / "manifest.json").exists() else {}
    manifest.update(fields)
    manifest["files"] = {p.name: sha256(p) for p in sorted(directory.iterdir())
                         if p.name != "manifest.json"}
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2))


@pytest.fixture
def publish(shafaf, tmp_path):
    """A governorate's publication, as the open data layout has it, its allocation
    written by ``shafaf results tabulate``."""

    def make(name: str = "IQ-KI", *, votes: str = VOTES, disqualified: tuple[str, ...] = (),
             root: Path | None = None) -> Path:
        directory = (root or tmp_path / "published") / name
        directory.mkdir(parents=True)
        for file, text in (("lists.csv", LISTS), ("candidates.csv", CANDIDATES),
                           ("forms.csv", FORMS), ("votes.csv", votes)):
            (directory / file).write_text(text.lstrip("\n"), encoding="utf-8")
        (directory / "results.pdf").write_bytes(b"%PDF-1.7 the printable results")
        args = ["results", "tabulate", "--law", "iraq-gc-2023", "--governorate", name,
                "--seats", "3",
                "--lists", directory / "lists.csv", "--candidates",
                directory / "candidates.csv", "--forms", directory / "forms.csv",
                "--votes", directory / "votes.csv", "--include-quarantined",
                "--format", "json"]
        if disqualified:
            args += ["--disqualify", ",".join(disqualified)]
        run = shafaf(*args)
        assert run.status == 0, run.err
        (directory / "allocation.json").write_text(run.out, encoding="utf-8")
        write_manifest(directory, election="gc-2023", governorate=name, law="iraq-gc-2023",
                       seats=json.loads(run.out)["seats"], stage="preliminary",
                       published_at="2023-12-19T12:00:00+03:00",
                       disqualified=list(disqualified), lot_seed=None)
        return directory

    return make


def test_a_publication_verifies(shafaf, publish):
    directory = publish()
    run = shafaf("results", "verify", directory)
    assert run.status == 0, run.out + run.err
    assert "Verified" in run.out
    assert "IQ-KI" in run.out
    # Its manifest's own address works too.
    assert shafaf("results", "verify", directory / "manifest.json").status == 0


def test_a_publication_with_a_disqualification_verifies(shafaf, publish):
    assert shafaf("results", "verify", publish(disqualified=("L1-1",))).status == 0


def test_a_vote_changed_and_rehashed_names_the_seats_that_differ(shafaf, publish):
    directory = publish()
    # At S1, 100 votes move from L1 to L2 (the form still adds up): L2 takes a seat of
    # L1's.
    votes = (directory / "votes.csv").read_text()
    for before, after in (("S1,L1,,50", "S1,L1,,0"), ("S1,L1,L1-1,60", "S1,L1,L1-1,10"),
                          ("S1,L2,L2-1,100", "S1,L2,L2-1,200")):
        votes = votes.replace(before, after)
    (directory / "votes.csv").write_text(votes)
    write_manifest(directory)  # the tamperer rehashed the files
    run = shafaf("results", "verify", directory)
    assert run.status == 1
    assert run.out.splitlines() == [
        "IQ-KI: list L1: published 2 seat(s), re-derived 1",
        "IQ-KI: list L1: published 236 votes, re-derived 136",
        "IQ-KI: list L2: published 0 seat(s), re-derived 1",
        "IQ-KI: list L2: published 104 votes, re-derived 204",
        "IQ-KI: candidate L1-1 is published as elected but is not elected when re-derived",
        "IQ-KI: candidate L2-1 is elected when re-derived but not published as elected",
    ]


def test_a_file_changed_under_its_hash_is_named(shafaf, publish):
    directory = publish()
    expected = sha256(directory / "results.pdf")
    (directory / "results.pdf").write_bytes(b"%PDF-1.7 other results")
    run = shafaf("results", "verify", directory)
    assert run.status == 1
    assert (f"IQ-KI: results.pdf: its SHA-256 is {sha256(directory / 'results.pdf')}, the "
            f"manifest says {expected}") in run.out
    assert run.out.count("\n") == 1  # the seats still agree: only the PDF differs


def test_a_vote_changed_under_its_hash_names_the_file_and_the_votes(shafaf, publish):
    directory = publish()
    votes = (directory / "votes.csv").read_text().replace("S3,L3,L3-1,280", "S3,L3,L3-1,28")
    (directory / "votes.csv").write_text(votes)
    run = shafaf("results", "verify", directory)
    assert run.status == 1
    assert "IQ-KI: votes.csv: its SHA-256 is" in run.out
    assert "IQ-KI: list L3: published 320 votes, re-derived 68" in run.out


def test_a_missing_file_is_named(shafaf, publish):
    directory = publish()
    (directory / "forms.csv").unlink()
    (directory / "results.pdf").unlink()
    run = shafaf("results", "verify", directory)
    assert run.status == 1
    assert "IQ-KI: forms.csv is in the manifest but missing" in run.out
    assert "IQ-KI: results.pdf is in the manifest but missing" in run.out


def test_an_allocation_that_says_otherwise_is_named(shafaf, publish):
    directory = publish()
    allocation = json.loads((directory / "allocation.json").read_text())
    allocation["lists"][0]["seats"] += 1
    allocation["elected"].append({"candidate_id": "L2-1"})
    (directory / "allocation.json").write_text(json.dumps(allocation))
    write_manifest(directory)
    run = shafaf("results", "verify", directory)
    assert run.status == 1
    first = allocation["lists"][0]
    assert (f"list {first['list_id']}: published {first['seats']} seat(s), re-derived "
            f"{first['seats'] - 1}") in run.out
    assert "candidate L2-1 is published as elected but is not elected when re-derived" in (
        run.out)


def election(root: Path, publish, names: tuple[str, ...] = ("IQ-KI", "IQ-BG")) -> Path:
    for name in names:
        publish(name, root=root)
    (root / "manifest.json").write_text(json.dumps({
        "election": "gc-2023",
        "governorates": [{"governorate": n, "manifest": f"{n}/manifest.json",
                          "sha256": sha256(root / n / "manifest.json")} for n in names]}))
    return root


def test_an_elections_publication_verifies_every_governorate(shafaf, publish, tmp_path):
    root = election(tmp_path / "gc-2023", publish)
    run = shafaf("results", "verify", root)
    assert run.status == 0, run.out + run.err
    assert "IQ-KI" in run.out
    assert "IQ-BG" in run.out
    (root / "IQ-BG" / "lists.csv").write_text(LISTS.lstrip("\n") + "L4,رابع\n")
    run = shafaf("results", "verify", root)
    assert run.status == 1
    assert all(line.startswith("IQ-BG: ") for line in run.out.splitlines())
    assert "IQ-BG: lists.csv: its SHA-256 is" in run.out
    assert "IQ-BG: list L4 is missing from allocation.json" in run.out


@pytest.mark.parametrize(("manifest", "message"), [
    ("not json", "is not JSON"),
    ("[]", "neither a governorate's manifest"),
    ('{"files": {"../etc/passwd": "' + "0" * 64 + '"}}', "must map file names"),
    ('{"files": {}, "governorate": "IQ-KI", "law": "nope", "seats": 1}', "unknown law"),
    ('{"governorates": ["../../elsewhere"]}', "is not a file name of the publication"),
])
def test_a_bad_manifest_exits_2(shafaf, tmp_path, manifest, message):
    (tmp_path / "manifest.json").write_text(manifest)
    run = shafaf("results", "verify", tmp_path)
    assert run.status == 2
    assert message in run.err


def test_bad_rows_in_a_published_file_exit_2(shafaf, publish):
    directory = publish()
    (directory / "votes.csv").write_text(VOTES.lstrip("\n") + "S9,L1,,5\n")
    write_manifest(directory)
    run = shafaf("results", "verify", directory)
    assert run.status == 2
    assert "votes.csv, row 10, column station_id: station 'S9' is not in the forms file" in (
        run.err)


def test_nothing_there_or_another_scheme_exits_2(shafaf, tmp_path):
    for source in (tmp_path / "absent", "ftp://example.org/results/", "file:///etc/"):
        run = shafaf("results", "verify", source)
        assert run.status == 2, source


@pytest.fixture
def server(tmp_path) -> Iterator[tuple[str, Path]]:
    """A local HTTP server serving a directory, in a thread."""
    root = tmp_path / "served"
    root.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_publication_over_http_verifies_and_a_tampered_one_does_not(shafaf, publish,
                                                                        server):
    address, root = server
    election(root / "results" / "gc-2023", publish, names=("IQ-KI",))
    run = shafaf("results", "verify", f"{address}/results/gc-2023/")
    assert run.status == 0, run.out + run.err
    assert shafaf("results", "verify", f"{address}/results/gc-2023/IQ-KI").status == 0
    assert shafaf("results", "verify",
                  f"{address}/results/gc-2023/IQ-KI/manifest.json").status == 0
    (root / "results/gc-2023/IQ-KI/results.pdf").unlink()
    run = shafaf("results", "verify", f"{address}/results/gc-2023")
    assert run.status == 1
    assert "IQ-KI: results.pdf is in the manifest but missing" in run.out


def test_an_unreachable_publication_exits_2(shafaf, server):
    address, _ = server
    run = shafaf("results", "verify", f"{address}/nothing/here/")
    assert run.status == 2
    assert "not found" in run.err
    run = shafaf("results", "verify", "http://127.0.0.1:9/results/", "--timeout", "2")
    assert run.status == 2
    assert "cannot be reached" in run.err


def test_a_copy_verifies_like_the_original(shafaf, publish, tmp_path):
    directory = publish()
    copy = tmp_path / "copy"
    shutil.copytree(directory, copy)
    assert shafaf("results", "verify", copy).status == 0
