"""The demo's accreditation: each organisation's accredited observers with valid
badges, some awaiting, one refused with its failed check, one revoked."""

from shafaf.accounts.demo import ensure_demo_users
from shafaf.observation import accreditation, demo
from shafaf.observation.models import Observer, Organisation


def test_the_demo_organisations_have_observers_in_every_state(stations):
    ensure_demo_users()
    demo.load(stations)
    for organisation in Organisation.objects.filter(kind="local"):
        found = Observer.objects.filter(organisation=organisation)
        accredited = found.filter(status="accredited")
        assert accredited.count() >= 20
        assert found.filter(status="submitted").count() == 3
        refused = found.get(status="refused")
        assert refused.checks["age"]["outcome"] == "fail"
        assert refused.decision_reason
        revoked = found.get(status="revoked").badges.get()
        assert accreditation.badge_status(revoked) == "revoked"
        assert {accreditation.badge_status(b) for o in accredited for b in o.badges.all()} == {
            "valid"}
        assert len({o.governorate_id for o in accredited}) == organisation.governorates.count()
    assert demo.load(stations) is None  # once
