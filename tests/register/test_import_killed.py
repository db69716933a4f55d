"""A voter import killed midway (the server restarted, the operator's Ctrl-C, the
out-of-memory killer) leaves nothing behind: one transaction holds it all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from shafaf.elections import actions as elections
from shafaf.elections.models import District, Governorate, PollingCentre, SubDistrict
from shafaf.register.models import Voter
from tests.register.test_voter_import import HEADER


@pytest.mark.postgresql
def test_a_killed_import_leaves_the_register_as_it_was(transactional_db, tmp_path):
    elections.load_governorates(actor=None)
    election = elections.create_council_election_2023(actor=None)
    governorate = Governorate.objects.get(code="IQ-KI")
    district = District.objects.create(governorate=governorate, code="KI-D", name_ar="قضاء")
    sub = SubDistrict.objects.create(district=district, code="KI-S", name_ar="ناحية")
    PollingCentre.objects.create(election=election, code="KI0001", sub_district=sub,
                                 governorate=governorate, name_ar="مدرسة")
    path = tmp_path / "register.csv"
    path.write_text(HEADER + "".join(
        f"{300_000_000 + i},علي,حسن,كاظم,,زينب,M,1980-01-01,KI0001,\n"
        for i in range(400_000)), encoding="utf-8")
    settings = connection.settings_dict
    url = (f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT'] or 5432}/"
           f"{settings['NAME']}")
    env = {**os.environ, "DATABASE_URL": url}
    process = subprocess.Popen(
        [sys.executable, "-m", "shafaf", "import", "voters", str(path), "--election",
         "gc-2023"], env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert process.stderr is not None
    started, staging = time.monotonic(), False
    for line in process.stderr:  # the first progress line: rows are being staged
        staging = "100,000 read" in line
        if staging or time.monotonic() - started > 60:
            break
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stderr.close()
    assert staging, "killed before the import was under way"
    assert process.returncode == -signal.SIGKILL
    assert not Voter.objects.exists()
    # Nothing is left locked either: the next import goes through.
    small = tmp_path / "small.csv"
    small.write_text(HEADER + "100000001,أحمد,علي,حسين,,فاطمة,M,1980-05-01,KI0001,\n",
                     encoding="utf-8")
    from shafaf.register.actions import import_voters

    with small.open("rb") as content:
        assert import_voters(actor=None, election=election, name="small.csv",
                             content=content).created == 1
