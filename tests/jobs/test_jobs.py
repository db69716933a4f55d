"""Background jobs: queued by a page, run by a worker, their progress seen from
outside the job's transaction, their outcome (or refusal, with the rejects file) on
a page only the person who asked may open."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone, translation

from shafaf.access.roles import Role
from shafaf.accounts.models import User
from shafaf.jobs import actions, kinds, worker
from shafaf.jobs.models import Job, State
from shafaf.tabular import Problems
from tests.web.conftest import PASSWORD


def _counting(params, user_id, progress):
    for done in range(params["n"] + 1):
        progress(done, params["n"])
    return kinds.Outcome(lines=[f"counted to {params['n']}"], link="/staff/")


def _refusing(params, user_id, progress):
    problems = Problems("voters.csv")
    for row in range(2, 2 + params["rows"]):
        problems.add(row, "birth_date", "not a date")
    problems.raise_if_any()
    raise AssertionError("unreachable")


def _crashing(params, user_id, progress):
    raise RuntimeError("secret personal detail in an unexpected error")


kinds.register("test.count", _counting)
kinds.register("test.refuse", _refusing)
kinds.register("test.crash", _crashing)


@pytest.fixture
def clerk(db):
    return User.objects.create_user(username="clerk", password=PASSWORD, role=Role.ADMIN)


def test_a_queued_job_runs_to_its_outcome(clerk):
    job = actions.enqueue(actor=clerk, kind="test.count", params={"n": 7})
    assert job.state == State.QUEUED
    assert worker.run_pending() == 1
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.lines, job.link) == (
        State.DONE, 7, 7, ["counted to 7"], "/staff/")
    assert job.started is not None
    assert job.finished is not None
    assert job.percent == 100
    assert worker.run_pending() == 0  # nothing runs twice


def test_an_unknown_kind_cannot_be_queued(clerk):
    with pytest.raises(ValueError, match="no job kind"):
        actions.enqueue(actor=clerk, kind="test.nothing", params={})


def test_a_refused_file_fails_with_its_problems_and_the_whole_list_to_download(clerk):
    client = Client()
    client.force_login(clerk)
    with translation.override("en"):
        job = actions.enqueue(actor=clerk, kind="test.refuse", params={"rows": 3})
    worker.run_pending()
    job.refresh_from_db()
    assert job.state == State.FAILED
    assert job.lines[0].startswith("Problems in the file: 3")
    assert any("not a date" in line for line in job.lines)
    page = client.get(f"/staff/jobs/{job.pk}/").content.decode()
    assert "not a date" in page
    assert job.problems_file in page
    rejects = client.get(job.problems_file)
    assert rejects.status_code == 200
    assert b"".join(rejects.streaming_content).decode("utf-8-sig").count("not a date") == 3


def test_an_unexpected_error_fails_the_job_without_its_details(clerk):
    with translation.override("en"):
        job = actions.enqueue(actor=clerk, kind="test.crash", params={})
    worker.run_pending()
    job.refresh_from_db()
    assert job.state == State.FAILED
    assert job.lines == ["The job stopped on an unexpected error; nothing it was doing "
                         "was kept."]


def test_a_job_is_claimed_once(clerk):
    actions.enqueue(actor=clerk, kind="test.count", params={"n": 1})
    first, second = worker.claim(), worker.claim()
    assert first is not None
    assert first.state == State.RUNNING
    assert second is None


def test_a_job_cut_off_long_ago_is_given_up(clerk):
    job = actions.enqueue(actor=clerk, kind="test.count", params={"n": 1})
    worker.claim()
    Job.objects.filter(pk=job.pk).update(heartbeat=timezone.now() - timedelta(hours=1))
    recent = actions.enqueue(actor=clerk, kind="test.count", params={"n": 1})
    worker.claim()
    assert worker.give_up_on_cut_off_jobs() == 1
    job.refresh_from_db()
    recent.refresh_from_db()
    assert job.state == State.FAILED
    assert recent.state == State.RUNNING


def test_only_the_one_who_asked_sees_the_job(clerk):
    other = User.objects.create_user(username="other", password=PASSWORD, role=Role.ADMIN)
    job = actions.enqueue(actor=clerk, kind="test.count", params={"n": 3})
    mine, theirs = Client(), Client()
    mine.force_login(clerk)
    theirs.force_login(other)
    assert mine.get(f"/staff/jobs/{job.pk}.json").json() == {
        "state": "queued", "done": 0, "total": 0, "percent": None, "over": False}
    assert theirs.get(f"/staff/jobs/{job.pk}/").status_code == 404
    assert theirs.get(f"/staff/jobs/{job.pk}.json").status_code == 404
    worker.run_pending()
    page = mine.get(f"/staff/jobs/{job.pk}/").content.decode()
    assert "counted to 3" in page
    assert 'href="/staff/"' in page


@pytest.mark.postgresql
def test_progress_is_seen_while_the_job_holds_its_transaction(transactional_db):
    """The work runs in one transaction (an import's all or nothing); its figures still
    reach the page, through the worker's side connection."""
    asker = User.objects.create_user(username="asker", password=PASSWORD, role=Role.ADMIN)
    halfway, release = threading.Event(), threading.Event()

    def slow(params, user_id, progress):
        with transaction.atomic():
            User.objects.filter(pk=user_id).update(first_name="x")  # holds a row lock
            progress(50, 100)
            halfway.set()
            release.wait(30)
        return kinds.Outcome(lines=["over"])

    kinds.register("test.slow", slow)
    job = actions.enqueue(actor=asker, kind="test.slow", params={})
    def run() -> None:
        try:
            worker.run_pending()
        finally:
            connection.close()

    runner = threading.Thread(target=run)
    runner.start()
    try:
        assert halfway.wait(30)
        deadline = time.monotonic() + 30
        seen = Job.objects.get(pk=job.pk)
        while seen.done != 50 and time.monotonic() < deadline:
            time.sleep(0.2)
            seen = Job.objects.get(pk=job.pk)
        assert (seen.state, seen.done, seen.total) == (State.RUNNING, 50, 100)
    finally:
        release.set()
        runner.join(60)
    assert Job.objects.get(pk=job.pk).state == State.DONE


def test_shafaf_worker_once_runs_the_waiting_jobs(clerk, capsys):
    from shafaf.cli.main import main

    job = actions.enqueue(actor=clerk, kind="test.count", params={"n": 2})
    assert main(["worker", "--once"]) == 0
    job.refresh_from_db()
    assert job.state == State.DONE
