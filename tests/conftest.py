from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests of concurrent writers (marked postgresql) are left out of a run on SQLite,
    which takes one writer at a time; the CI runs the suite on both databases."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    left_out = [item for item in items if item.get_closest_marker("postgresql")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql")]


@pytest.fixture(autouse=True)
def _append_only_audit(request):
    """Every test that touches the database sees the audit triggers in place; a test
    that commits has them lifted only for pytest-django's flush afterwards."""
    committing = {"transactional_db", "live_server"} & set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        committing = {"transactional_db"}
    if not committing and not marker and "db" not in request.fixturenames:
        yield
        return
    from tests.audit_triggers import set_triggers

    request.getfixturevalue("transactional_db" if committing else "db")
    set_triggers(True)
    yield
    if committing:
        set_triggers(False)
