"""The register's staff import page: the upload is stored, a job imports it with a
progress bar, its page shows the summary, or the problems with a file of all of them;
an upload beyond the bound is refused before it is read."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shafaf.access.roles import Role
from shafaf.accounts.models import User
from shafaf.elections.models import Governorate, RegistrationCentre
from shafaf.jobs import worker
from shafaf.jobs.models import Job, State
from shafaf.register import import_jobs
from shafaf.register.models import Voter
from tests.register.test_voter_import import GOOD, election  # noqa: F401 (a fixture)

PASSWORD = "a-long-passphrase-9"  # noqa: S105


@pytest.fixture
def admin(election):  # noqa: F811
    return User.objects.create_user(username="admin", password=PASSWORD, role=Role.ADMIN)


def client_for(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def upload(client: Client, election, name: str, content: bytes,  # noqa: F811
           what: str = "voters"):
    return client.post("/staff/register/import/", {
        "what": what, "election": election.pk, "file": SimpleUploadedFile(name, content)})


def test_the_hub_links_to_the_import_for_those_who_may_import(admin):
    assert "/staff/register/import/" in client_for(admin).get("/staff/register/").content.decode()
    officer = User.objects.create_user(username="officer", password=PASSWORD,
                                       role=Role.REGISTER_OFFICER,
                                       governorate=Governorate.objects.get(code="IQ-KI"))
    assert "/staff/register/import/" not in client_for(officer).get(
        "/staff/register/").content.decode()


def test_a_good_register_is_imported_by_a_job_with_its_summary(admin, election):  # noqa: F811
    client = client_for(admin)
    response = upload(client, election, "register.csv", GOOD.encode())
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == f"/staff/jobs/{job.pk}/"
    assert list(import_jobs.uploads().iterdir())  # stored until the job runs
    worker.run_pending()
    job.refresh_from_db()
    assert job.state == State.DONE
    assert "voters: 3 created, 0 updated, 0 unchanged" in job.lines[0]
    assert Voter.objects.count() == 3
    assert not list(import_jobs.uploads().iterdir())  # and deleted after
    page = client.get(f"/staff/jobs/{job.pk}/").content.decode()
    assert "3 created" in page


def test_a_bad_register_shows_its_problems_and_every_reject_to_download(admin,
                                                                       election):  # noqa: F811
    client = client_for(admin)
    bad = GOOD + "".join(f"{200000000 + i},علي,علي,حسين,,فاطمة,Q,1980-01-01,KI0001,\n"
                         for i in range(1200))
    upload(client, election, "register.csv", bad.encode())
    worker.run_pending()
    job = Job.objects.get()
    assert job.state == State.FAILED
    page = client.get(f"/staff/jobs/{job.pk}/").content.decode()
    assert "Q is not F or M" in page
    rejects = client.get(job.problems_file)
    assert rejects.status_code == 200
    text = b"".join(rejects.streaming_content).decode("utf-8-sig")
    assert text.count("Q is not F or M") == 1200
    assert not Voter.objects.exists()


def test_registration_centres_and_their_links_are_imported_from_the_page(
        admin, election):  # noqa: F811
    from tests.cli.test_registration_centres import CENTRES, LINKS

    client = client_for(admin)
    upload(client, election, "centres.csv", CENTRES.encode(), what="registration_centres")
    upload(client, election, "links.csv", LINKS.encode(), what="registration_links")
    worker.run_pending()
    assert [job.state for job in Job.objects.order_by("pk")] == [State.DONE, State.DONE]
    assert RegistrationCentre.objects.count() == 2
    assert election.polling_centres.filter(registration_centre__isnull=False).count() == 2


def test_an_upload_beyond_the_bound_is_refused_and_nothing_is_queued(admin, election,  # noqa: F811
                                                                    settings):
    settings.REGISTER_UPLOAD_BYTES = 100
    client = client_for(admin)
    response = upload(client, election, "register.csv", GOOD.encode() * 1000)
    assert response.status_code == 413
    assert "larger than" in response.content.decode()
    # A body that does not say its length is counted as it is stored.
    with pytest.raises(import_jobs.UploadTooLarge):
        import_jobs.store(iter([b"x" * 60, b"x" * 60]), 100)
    assert not Job.objects.exists()
    assert not list(import_jobs.uploads().iterdir())


def test_the_form_says_what_is_missing(admin):
    response = client_for(admin).post("/staff/register/import/", {"what": "voters"})
    assert response.status_code == 400
    assert "Choose the election." in response.content.decode()
    assert not Job.objects.exists()
