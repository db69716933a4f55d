"""A command that reads the database, run before the database is set up (or after an
upgrade, before its migrations): a sentence and status 2, not a database traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("argv", [
    ["audit", "verify"],
    ["audit", "checkpoint"],
    ["import", "geography", "nowhere.csv"],
    ["publish", "ballots", "--election", "gc-2023"],
])
def test_a_database_not_set_up_is_named_with_the_command_that_sets_it_up(tmp_path: Path, argv):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "SHAFAF_ENV": "development"}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SHAFAF_DATA_DIR"):
        env.pop(name, None)
    run = subprocess.run([sys.executable, "-m", "shafaf", *argv], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert "lacks" in run.stderr
    assert "shafaf manage migrate" in run.stderr
    assert "Traceback" not in run.stderr
