"""The worker: claims queued jobs one at a time and runs them.

A job's work usually runs in one transaction (an import is all or nothing), so the
progress it reports cannot be written in that transaction: nobody would see it before
the end. A side thread, with its own database connection, writes the figures to the
job's row once a second. (On SQLite, whose single writer is busy with the job, those
writes wait a moment and are skipped: the bar then jumps to the end.)
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import ExitStack
from datetime import timedelta

from django.db import OperationalError, close_old_connections, connection, transaction
from django.utils import timezone, translation

from shafaf.jobs.kinds import Outcome, work_of
from shafaf.jobs.models import Job, State
from shafaf.refusals import explain, explains, problem_files

log = logging.getLogger(__name__)
PROGRESS_EVERY = 1.0  # seconds between two writes of a running job's figures
ALIVE_EVERY = 30.0  # seconds between two signs of life of a job whose figures stand still
# A running job with no sign of life for this long was cut off (its worker killed, the
# machine restarted): its transaction was rolled back, and the job is marked failed.
GIVEN_UP_AFTER = timedelta(minutes=10)


def claim() -> Job | None:
    """The oldest queued job, now marked running, or None. Two workers never claim the
    same job: the state changes only where it is still queued."""
    with transaction.atomic():
        queued = Job.objects.filter(state=State.QUEUED).order_by("created", "pk")
        if connection.features.has_select_for_update_skip_locked:
            queued = queued.select_for_update(skip_locked=True)
        job = queued.first()
        if job is None:
            return None
        now = timezone.now()
        taken = Job.objects.filter(pk=job.pk, state=State.QUEUED).update(
            state=State.RUNNING, started=now, heartbeat=now)
    if not taken:
        return None
    job.refresh_from_db()
    return job


class _Figures:
    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.done = 0
        self.total = 0
        self.stop = threading.Event()

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def write_while_running(self) -> None:
        written, alive = (-1, -1), time.monotonic()
        try:
            while not self.stop.wait(PROGRESS_EVERY):
                figures = (self.done, self.total)
                if figures == written and time.monotonic() - alive < ALIVE_EVERY:
                    continue
                alive = time.monotonic()
                try:
                    Job.objects.filter(pk=self.job_id).update(
                        done=figures[0], total=figures[1], heartbeat=timezone.now())
                    written = figures
                except OperationalError:  # SQLite's writer is the job itself
                    pass
        finally:
            connection.close()


def run(job: Job) -> Job:
    """Run a claimed job to its end: done with its outcome, or failed with the
    refusal's words (an unexpected error is logged, and the job says only that it
    failed: no traceback reaches a page)."""
    work = work_of(job.kind)
    figures = _Figures(job.pk)
    writer = threading.Thread(target=figures.write_while_running, daemon=True)
    writer.start()
    state, lines, link, problems_url = State.FAILED, [], "", ""
    try:
        with translation.override(job.language):
            if work is None:
                lines = [f"unknown job kind {job.kind}"]
            else:
                recorded: problem_files.Recorded | None = None
                try:
                    with ExitStack() as stack:
                        if job.created_by_id is not None:
                            recorded = stack.enter_context(
                                problem_files.recorded(job.created_by_id))
                        outcome: Outcome = work(job.params, job.created_by_id, figures)
                    state, lines, link = State.DONE, outcome.lines, outcome.link
                except Exception as error:
                    if not explains(error):
                        raise
                    lines = [str(line) for line in explain(error).lines]
                    problems_url = (recorded.url if recorded is not None else None) or ""
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        with translation.override(job.language):
            lines = [str(translation.gettext("The job stopped on an unexpected error; "
                                             "nothing it was doing was kept."))]
    finally:
        figures.stop.set()
        writer.join()
    Job.objects.filter(pk=job.pk).update(
        state=state, lines=lines[:200], link=link, problems_file=problems_url,
        done=figures.done, total=figures.total, finished=timezone.now(),
        heartbeat=timezone.now())
    job.refresh_from_db()
    return job


def run_pending(limit: int | None = None) -> int:
    """Run queued jobs until none is left (or ``limit``); how many ran."""
    ran = 0
    while limit is None or ran < limit:
        job = claim()
        if job is None:
            break
        run(job)
        ran += 1
    return ran


def give_up_on_cut_off_jobs() -> int:
    """Mark failed the running jobs that have shown no sign of life for
    :data:`GIVEN_UP_AFTER`; how many."""
    cut_off = Job.objects.filter(state=State.RUNNING,
                                 heartbeat__lt=timezone.now() - GIVEN_UP_AFTER)
    given_up = 0
    for job in cut_off:
        with translation.override(job.language):
            line = str(translation.gettext("The job was cut off before it finished (the "
                                           "server stopped); nothing it was doing was "
                                           "kept. Start it again."))
        given_up += Job.objects.filter(pk=job.pk, state=State.RUNNING).update(
            state=State.FAILED, lines=[line], finished=timezone.now())
    return given_up


def loop(*, poll: float = 1.0, stop: threading.Event | None = None) -> None:
    """Run jobs as they come, until ``stop`` is set (``shafaf worker``)."""
    stop = stop or threading.Event()
    give_up_on_cut_off_jobs()
    while not stop.is_set():
        close_old_connections()
        if not run_pending(limit=1):
            stop.wait(poll)
        time.sleep(0)
