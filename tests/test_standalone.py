"""The repository stands alone: nothing in the package, the tests, the benchmarks or
the scripts reads a file from outside the clone (a fresh clone has nothing beside it)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# A path climbing out of the clone: "../shared", parents[3] from tests/<dir>/, and the like.
ESCAPES = re.compile(r"""\.\./shared|["']shared["']\s*/|parents\[3\]""")


def test_nothing_reads_outside_the_repository():
    offenders = []
    for folder in ("src", "tests", "benchmarks", "scripts", ".ci"):
        for path in sorted((ROOT / folder).rglob("*")):
            if not path.is_file() or path.suffix not in {".py", ".sh", ".toml", ""}:
                continue
            if path == Path(__file__):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            offenders += [f"{path.relative_to(ROOT)}:{n}" for n, line in
                          enumerate(text.splitlines(), 1) if ESCAPES.search(line)]
    assert offenders == []
