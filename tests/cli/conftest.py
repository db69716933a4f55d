from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from shafaf.cli.main import main

ANBAR = Path(__file__).resolve().parents[2] / "src/shafaf/demo_data/gc2023_anbar_final.csv"


@dataclass
class Run:
    status: int
    out: str
    err: str

    def json(self) -> dict:
        return json.loads(self.out)


@pytest.fixture
def shafaf(capsys) -> Callable[..., Run]:
    """Run the ``shafaf`` command in-process, as a user would type it."""

    def run(*argv: str | Path) -> Run:
        try:
            status = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse's own usage errors
            status = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a CSV file (UTF-8) and return its path."""

    def put(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_text(text.lstrip("\n"), encoding=encoding)
        return path

    return put
