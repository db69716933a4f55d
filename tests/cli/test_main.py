"""The ``shafaf`` command starts fast: each command's module is imported only when
that command runs, and the commands that need no database never load Django, the
web apps, rich, openpyxl or WeasyPrint (an analyst's laptop re-deriving fifteen
governorates must not wait for them). An allocation loads only the law it is asked
for and the writer of the format it prints. The help still lists every command."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from shafaf.cli import main as cli_main
from tests.cli.conftest import ANBAR

HEAVY = ("django", "rich", "openpyxl", "weasyprint", "ninja", "psycopg", "gunicorn")
COMMAND_MODULES = {command.module for command in cli_main.COMMANDS.values()}


def modules_after(*argv: str) -> set[str]:
    """The modules loaded once ``shafaf argv`` has run, in a fresh interpreter."""
    script = (
        "import sys\n"
        "from shafaf.cli.main import main\n"
        "try:\n"
        f"    main({list(argv)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = sorted(sys.modules)\n"
        "import json\n"  # only now: whether the command loaded json is checked
        "sys.stdout.flush()\n"
        "sys.stderr.write('\\n' + json.dumps(loaded))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    return set(json.loads(done.stderr.splitlines()[-1]))


def heavy(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in HEAVY}


def test_an_allocation_loads_neither_django_nor_the_other_commands():
    loaded = modules_after("allocate", "--law", "iraq-gc-2023", "--lists", str(ANBAR),
                           "--governorate", "IQ-AN", "--format", "json")
    assert "shafaf.core.allocation" in loaded  # it did run
    assert heavy(loaded) == set()
    assert loaded & COMMAND_MODULES == {"shafaf.cli.allocate"}
    assert not {m for m in loaded if m.startswith(("shafaf.entities", "shafaf.elections",
                                                   "shafaf.web", "shafaf.api"))}


# What one governorate's allocation never needs: the other laws, the candidacy rules,
# the lottery (hashlib), and importlib.resources (tempfile, zipfile).
NOT_FOR_AN_ALLOCATION = ("shafaf.core.laws.iraq_cor_2021", "shafaf.core.laws.krg_2024",
                         "shafaf.core.eligibility", "shafaf.core.lottery", "hashlib",
                         "importlib.resources", "tempfile", "zipfile")


@pytest.mark.parametrize(("fmt", "writer", "unused"), [
    ("json", "json", "shafaf.cli.allocation_text"),
    ("text", "shafaf.cli.allocation_text", "json"),
])
def test_an_allocation_loads_only_its_law_and_its_formats_writer(fmt, writer, unused):
    loaded = modules_after("allocate", "--law", "iraq-gc-2023", "--lists", str(ANBAR),
                           "--governorate", "IQ-AN", "--format", fmt)
    assert {"shafaf.core.laws.iraq_gc_2023", "shafaf.core.report", writer} <= loaded
    assert loaded & {*NOT_FOR_AN_ALLOCATION, unused} == set()


def test_an_allocations_help_loads_no_rule_no_law_and_no_writer():
    loaded = modules_after("allocate", "--help")
    # The law codes (for --law's choices) come without any law or rule.
    assert {m for m in loaded if m.startswith("shafaf.core")} == {
        "shafaf.core", "shafaf.core.laws", "shafaf.core.laws.profile"}
    assert "shafaf.cli.csv_input" not in loaded
    assert loaded & {*NOT_FOR_AN_ALLOCATION, "json", "shafaf.cli.allocation_text"} == set()


def test_another_law_loads_that_law_alone():
    loaded = modules_after("allocate", "--law", "krg-2024", "--lists", str(ANBAR),
                           "--governorate", "IQ-DA", "--format", "json")
    assert "shafaf.core.allocation" in loaded
    assert {m for m in loaded if m.startswith("shafaf.core.laws.")} == {
        "shafaf.core.laws.profile", "shafaf.core.laws.krg_2024"}


def test_a_commands_help_loads_only_that_command():
    loaded = modules_after("allocate", "--help")
    assert heavy(loaded) == set()
    assert loaded & COMMAND_MODULES == {"shafaf.cli.allocate"}


def test_the_overall_help_loads_no_command():
    loaded = modules_after("--help")
    assert heavy(loaded) == set()
    assert not loaded & COMMAND_MODULES


def test_a_lottery_draw_loads_no_django():
    loaded = modules_after("lottery", "draw", "--help")
    assert heavy(loaded) == set()
    assert loaded & COMMAND_MODULES == {"shafaf.cli.lottery"}


def test_the_help_lists_every_command(shafaf):
    run = shafaf("--help")
    assert run.status == 0
    for name in ("demo", "allocate", "serve", "audit", "manage", "lottery", "import",
                 "ballots", "publish"):
        assert f"    {name} " in run.out


@pytest.mark.parametrize("name", sorted(cli_main.COMMANDS))
def test_the_listed_help_is_the_commands_own(name):
    """The table in main.py repeats each command's help line; it must not drift from
    the one the command's module gives."""
    subparsers = argparse.ArgumentParser().add_subparsers()
    cli_main.register(subparsers, name)
    [action] = [a for a in subparsers._choices_actions if a.dest == name]
    assert action.help == cli_main.COMMANDS[name].help


def test_a_command_still_parses_its_own_options(shafaf):
    run = shafaf("allocate", "--law", "iraq-gc-2023", "--lists", ANBAR,
                 "--governorate", "IQ-AN", "--format", "json")
    assert run.status == 0, run.err
    assert run.json()["seats"]
