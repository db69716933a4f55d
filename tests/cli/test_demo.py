"""``shafaf demo``: the first thing a newcomer runs."""

import subprocess
import sys


def test_demo_reproduces_anbar_and_says_so(shafaf):
    run = shafaf("demo")
    assert run.status == 0
    assert "7 of 7 lists match the official seats." in run.out
    assert "تحالف الأنبار المتحد" in run.out
    assert "Quotient table" in run.out


def test_demo_runs_as_a_program():
    done = subprocess.run([sys.executable, "-m", "shafaf", "demo"], capture_output=True,
                          check=False)
    assert done.returncode == 0
    assert b"7 of 7 lists match" in done.stdout
