"""The duplicate review queue in Arabic, in Chromium: a Kirkuk register officer opens
a suspected duplicate from the register's hub, sees the differing values marked,
keeps one record, and the group leaves the queue."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from shafaf.elections.models import PollingCentre
from shafaf.register.models import DuplicateGroup, DuplicateMember, Voter
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def duplicate(stations):
    centre = PollingCentre.objects.get(election=stations, code="KI0001")
    now = timezone.now()
    voters = [Voter.objects.create(
        voter_number=number, first_name=first, father_name="حسين", grandfather_name="علي",
        family_name=family, mother_name="فاطمة حسن", sex="M", birth_date=born,
        governorate_id=centre.governorate_id, centre=centre, sort_key=number, created=now,
        updated=now)
        for number, first, family, born in (
            ("900000101", "عبد الله", "الجبوري", date(1980, 3, 2)),
            ("900000102", "عبدالله", "جبوري", date(1980, 2, 3)))]
    group = DuplicateGroup.objects.create(election=stations, key="k", probability=0.9991,
                                          found=now, governorate_id=centre.governorate_id)
    DuplicateMember.objects.bulk_create(DuplicateMember(group=group, voter=v) for v in voters)
    return group


def test_an_officer_keeps_one_record_and_the_group_leaves_the_queue(duplicate, page):
    log_in(page, "register_officer")
    page.goto("/staff/register/")
    page.get_by_role("link", name="التكرارات المشتبه بها").click()
    page.wait_for_url("**/staff/register/duplicates/")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("table.duplicates tbody tr").count() == 1
    page.locator("table.duplicates a").first.click()
    page.wait_for_url(f"**/staff/register/duplicates/{duplicate.pk}/")
    # The records side by side, the values that differ marked: first name, family
    # name, birth date; not the mother's name, which is the same.
    marked = page.locator("table.duplicate-records mark").all_inner_texts()
    assert {"عبد الله", "عبدالله", "الجبوري", "جبوري", "1980-03-02", "1980-02-03"} <= set(marked)
    assert "فاطمة حسن" not in marked
    page.get_by_label("900000101").check()
    sure = page.get_by_label("راجعت هذه السجلات", exact=False)
    assert sure.get_attribute("required") is not None  # no removal without it
    sure.check()
    page.get_by_role("button", name="أبقِ على هذا السجل واحذف الباقي").click()
    page.wait_for_url("**/staff/register/duplicates/")
    assert "لا توجد مجموعة مفتوحة" in page.locator("main").inner_text()
    assert "تم التأكيد" in page.locator("body").inner_text()

