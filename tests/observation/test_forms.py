"""Forms as data: the standard forms as shipped, and a coordinator's own versions built
with the question builder (validated, immutable, audited, the fixed ids kept)."""

from __future__ import annotations

from django.test import Client

from shafaf.access.roles import Role
from shafaf.audit.models import AuditEvent
from shafaf.core import observation_forms
from shafaf.observation import standard_forms
from shafaf.observation.models import FormDefinition
from tests.web.conftest import PASSWORD


def _client(users, role: Role) -> Client:
    client = Client()
    assert client.login(username=users[role].username, password=PASSWORD)
    return client


def test_the_standard_forms_are_installed_by_the_migration_with_their_fixed_ids(db):
    forms = {f.code: f for f in FormDefinition.objects.filter(organisation__isnull=True)}
    assert set(forms) == {"opening", "voting", "closing", "counting", "incident"}
    used = set()
    for code, fixed in standard_forms.FIXED_IDS.items():
        form = forms[code]
        assert form.version == 1
        assert form.name_ar
        assert form.name_ckb
        assert form.name_en
        assert observation_forms.definition_problems(form.questions) == []
        assert set(fixed) <= {q["id"] for q in form.questions}
        for q in form.questions:
            assert set(q["label"]) == {"ar", "ckb", "en"}, q["id"]
            used.add(q["type"])
    # Counting's version 2 (migration 0004_posted) is version 1 and each list's votes,
    # appended: an SMS's letters mean the same in both.
    counting = FormDefinition.objects.get(code="counting", version=2,
                                          organisation__isnull=True)
    assert counting.questions[:-1] == forms["counting"].questions
    assert counting.questions[-1]["id"] == "list_votes"
    used.add(counting.questions[-1]["type"])
    assert used == set(observation_forms.TYPES)
    incident = {q["id"]: q for q in forms["incident"].questions}
    assert [c["value"] for c in incident["severity"]["choices"]] == ["minor", "serious",
                                                                      "critical"]
    assert standard_forms.install(FormDefinition) == 0  # twice: nothing more


def _rows(questions: list[dict], extra: int = 0) -> dict[str, str]:
    """The builder's POST for these rows (as the page's formset names them)."""
    data = {"form-TOTAL_FORMS": str(len(questions) + extra), "form-INITIAL_FORMS": "0",
            "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000"}
    for n, q in enumerate(questions):
        for key, value in q.items():
            data[f"form-{n}-{key}"] = value
        data.setdefault(f"form-{n}-ORDER", str(n + 1))
    return data


def test_a_coordinator_saves_a_new_version_with_a_choice_question(users, organisation):
    client = _client(users, Role.CSO_COORDINATOR)
    page = client.get("/staff/observation/forms/opening/new-version/")
    assert page.status_code == 200
    assert "arrived_at" in page.content.decode()  # the current questions are the rows
    standard = FormDefinition.objects.get(code="opening", organisation__isnull=True)
    rows = [{"qid": q["id"], "type": q["type"], "label_ar": q["label"]["ar"],
             "required": "on" if q.get("required") else "",
             "choices": "\n".join(c["value"] for c in q.get("choices", ()))}
            for q in standard.questions]
    rows.insert(0, {"qid": "queue", "type": "choice", "label_ar": "الطابور",
                    "label_en": "Queue", "ORDER": "0",
                    "choices": "none | لا يوجد | نییە | none\nlong | طويل"})
    response = client.post("/staff/observation/forms/opening/new-version/",
                           {"name_ar": "افتتاح المنظمة", **_rows(rows)})
    assert response.status_code == 302, response.content.decode()[:3000]
    own = FormDefinition.objects.get(code="opening", organisation=organisation)
    assert own.version == 2
    assert own.questions[0]["id"] == "queue"
    assert own.questions[0]["choices"][0] == {
        "value": "none", "label": {"ar": "لا يوجد", "ckb": "نییە", "en": "none"}}
    assert AuditEvent.objects.filter(action="observation.form_version_saved").count() == 1
    # Saving again makes version 3; version 2 is unchanged.
    rows[0]["label_ar"] = "طول الطابور"
    client.post("/staff/observation/forms/opening/new-version/",
                {"name_ar": "افتتاح المنظمة", **_rows(rows)})
    assert FormDefinition.objects.get(pk=own.pk).questions[0]["label"]["ar"] == "الطابور"
    assert FormDefinition.objects.filter(organisation=organisation).count() == 2


def test_the_builder_refuses_a_bad_version_and_names_the_problem(users, organisation):
    client = _client(users, Role.CSO_COORDINATOR)
    # The fixed ids of a standard form cannot be dropped.
    response = client.post("/staff/observation/forms/opening/new-version/", {
        "name_ar": "x", **_rows([{"qid": "queue", "type": "yes_no", "label_ar": "س"}])})
    assert response.status_code == 422
    assert "arrived_at" in response.content.decode()
    # A choice question without choices; two questions with one id.
    response = client.post("/staff/observation/forms/new/", {
        "code": "queue_check", "name_ar": "x", **_rows([
            {"qid": "queue", "type": "choice", "label_ar": "س"},
            {"qid": "queue", "type": "number", "label_ar": "س", "min": "5", "max": "1"}])})
    assert response.status_code == 422
    text = response.content.decode()
    assert "choice" in text
    assert "two questions have this id" in text
    assert not FormDefinition.objects.filter(organisation=organisation).exists()


def test_a_new_form_code_and_deleting_a_row(users, organisation):
    client = _client(users, Role.CSO_COORDINATOR)
    response = client.post("/staff/observation/forms/new/", {
        "code": "queue_check", "name_ar": "الطابور", **_rows([
            {"qid": "queue", "type": "number", "label_ar": "س", "min": "0", "max": "500"},
            {"qid": "gone", "type": "text", "label_ar": "س", "DELETE": "on"},
            {"qid": "at", "type": "time", "label_ar": "متى", "ORDER": "0"}], extra=2)})
    assert response.status_code == 302
    made = FormDefinition.objects.get(code="queue_check")
    assert [q["id"] for q in made.questions] == ["at", "queue"]
    assert made.questions[1]["max"] == 500
    assert made.version == 1
    # A code already taken is not a new form.
    again = client.post("/staff/observation/forms/new/", {
        "code": "opening", "name_ar": "x", **_rows([
            {"qid": "q", "type": "yes_no", "label_ar": "س"}])})
    assert again.status_code == 422


def test_the_list_shows_standard_and_own_versions_to_their_readers(users, organisation):
    FormDefinition.objects.create(code="queue_check", version=1, organisation=organisation,
                                  name_ar="طابور المنظمة", questions=[
                                      {"id": "q", "type": "yes_no", "label": {"ar": "س"}}])
    page = _client(users, Role.CSO_COORDINATOR).get("/staff/observation/forms/")
    text = page.content.decode()
    assert "طابور المنظمة" in text
    assert 'data-code="incident"' in text
    assert _client(users, Role.ADMIN).get("/staff/observation/forms/").status_code == 200
    assert _client(users, Role.OBSERVER).get("/staff/observation/forms/").status_code == 403
