"""Structured SMS: the grammar, and the gateway's webhook end to end (valid, malformed,
unknown observer, a gateway retry, the secret)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from shafaf.core import observation_sms as grammar
from shafaf.observation import standard_forms
from shafaf.observation.models import Submission
from shafaf.observation.sms import phone_key

SECRET = "gateway-secret-of-test"  # noqa: S105
URL = "/api/observation/sms"


@pytest.fixture
def gateway(settings, observer):
    settings.SHAFAF_SMS_SECRET = SECRET
    return Client()


def _send(client: Client, sender: str, text: str, **more: str):
    return client.post(URL, {"from": sender, "text": text, **more},
                       HTTP_X_SHAFAF_SMS_SECRET=SECRET)


def _opening() -> list[dict]:
    return next(f for f in standard_forms.definitions() if f["code"] == "opening")["questions"]


def test_the_grammar_reads_each_kind_of_answer_and_arabic_indic_digits():
    text = grammar.normalise("op ki0001-01 A٠٧١٥ B0700 C1 D0 E1 G٣ H13 I the box had no seal")
    prefix, station, tokens = grammar.head(text)
    answers = grammar.read_answers(text, tokens, _opening())
    assert (prefix, station) == ("OP", "KI0001-01")
    assert answers == {"arrived_at": "07:15", "opened_at": "07:00", "opened_on_time": True,
                       "materials_complete": False, "device_working": True,
                       "staff_present": 3, "missing": ["ballots", "ink"],
                       "notes": "the box had no seal"}


@pytest.mark.parametrize(("text", "code", "letter"), [
    ("", "empty", ""), ("OP", "no_station", ""), ("OP 12345", "bad_station", ""),
    ("OP KI0001-01 Z1", "unknown_letter", "Z"), ("OP KI0001-01 C2", "not_yes_no", "C"),
    ("OP KI0001-01 A2500", "not_a_time", "A"), ("OP KI0001-01 G1x", "not_a_number", "G"),
    ("OP KI0001-01 H9", "not_a_choice", "H"), ("OP KI0001-01 C1 C0", "twice", "C"),
    ("OP KI0001-01 C", "no_value", "C"), ("OP KI0001-01 " + "C1 " * 200, "too_long", ""),
])
def test_the_grammar_names_what_is_wrong(text, code, letter):
    def read() -> None:
        normal = grammar.normalise(text)
        _, _, tokens = grammar.head(normal)
        grammar.read_answers(normal, tokens, _opening())

    with pytest.raises(grammar.SmsProblem) as problem:
        read()
    assert (problem.value.code, problem.value.letter) == (code, letter)


@pytest.mark.parametrize("number", ["+9647700000009", "009647700000009", "07700000009",
                                    "7700000009", "+964 770 000 0009", "٠٧٧٠٠٠٠٠٠٠٩"])
def test_a_number_is_known_however_it_is_written(number):
    assert phone_key(number) == "7700000009"


def test_a_valid_message_is_stored_once_even_when_the_gateway_retries(gateway, observer):
    text = "OP KI0001-01 A0650 B0702 C0 D1 E1"
    first = _send(gateway, "07700000009", text, id="gw-1")
    again = _send(gateway, "+9647700000009", text, id="gw-1")
    assert first.status_code == again.status_code == 200
    assert "OP KI0001-01 ✓" in first.content.decode() == again.content.decode()
    report = Submission.objects.get()
    assert (report.channel, report.observer, report.station.code) == ("sms", observer,
                                                                       "KI0001-01")
    assert report.answers["opened_at"] == "07:02"
    assert report.answers["opened_on_time"] is False
    # No gateway id: the sender, the text and the day make the same UUID.
    _send(gateway, "07700000009", "CL KI0001-02 A1801 B312")
    _send(gateway, "07700000009", "CL KI0001-02 A1801 B312")
    assert Submission.objects.count() == 2


def test_json_from_the_gateway_and_an_english_reply(gateway, observer):
    response = gateway.post(URL, json.dumps({"from": "07700000009", "lang": "en",
                                             "text": "IN KI0001-01 A3 B3 C1015 D money"}),
                            content_type="application/json", HTTP_X_SHAFAF_SMS_SECRET=SECRET)
    assert response.status_code == 200, response.content
    assert response.content.decode() == "Received IN KI0001-01 ✓"
    assert Submission.objects.get().answers == {
        "category": "vote_buying", "severity": "critical", "occurred_at": "10:15",
        "description": "money"}


def test_malformed_messages_are_answered_with_what_is_wrong(gateway, observer):
    cases = {"OP KI0001-01 A0650 B0702 C7 D1 E1": "C", "XX KI0001-01 A1": "XX",
             "OP KI0001-01 A0650": "C (opened_on_time)", "OP KI0002-01 A0650 B0702 C0 D1 E1":
             "KI0002-01"}
    for text, named in cases.items():
        response = _send(gateway, "07700000009", text, lang="en")
        assert response.status_code == 422, text
        assert named in response.content.decode(), response.content.decode()
    assert not Submission.objects.exists()


def test_an_unknown_number_or_gateway_records_nothing(gateway, observer, settings):
    response = _send(gateway, "07811111111", "OP KI0001-01 A0650 B0702 C0 D1 E1")
    assert response.status_code == 403
    assert "مراقب" in response.content.decode()  # the reply is Arabic by default
    assert Client().post(URL, {"from": "07700000009", "text": "OP KI0001-01"}
                         ).status_code == 403
    assert Client().post(URL, {"from": "07700000009", "text": "OP KI0001-01",
                               "secret": "guess"}).status_code == 403
    settings.SHAFAF_SMS_SECRET = ""
    assert _send(gateway, "07700000009", "OP KI0001-01").status_code == 403
    assert not Submission.objects.exists()


def test_hostile_bodies_are_refused_not_crashed(gateway):
    assert gateway.get(URL).status_code == 405
    huge = gateway.post(URL, {"from": "0770", "text": "x" * 10_000},
                        HTTP_X_SHAFAF_SMS_SECRET=SECRET)
    assert huge.status_code == 413
    broken = gateway.post(URL, "{not json", content_type="application/json",
                          HTTP_X_SHAFAF_SMS_SECRET=SECRET)
    assert broken.status_code == 400
    assert _send(gateway, "", "OP").status_code == 400
