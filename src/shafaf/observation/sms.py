"""``POST /api/observation/sms``: structured SMS reports through any SMS gateway
(docs/observation-reports.md, "Reports by SMS").

The gateway posts the sender's number (``from``), the message (``text``) and, if it has
one, its own message id (``id``), form-encoded or as JSON, with the shared secret
``SHAFAF_SMS_SECRET`` in the ``X-Shafaf-Sms-Secret`` header or a ``secret``
parameter; without the setting the webhook refuses everything (403). The body of the
answer, plain text in Arabic unless ``lang`` says otherwise, is the reply to send back
to the observer: it confirms the report or names what is wrong. A report is stored
through :func:`shafaf.observation.submissions.submit` under a UUID derived from the
gateway's message id (or from the sender, the text and the day), so a gateway that
sends the same message again finds the first record.
"""

from __future__ import annotations

import hmac
import json
import re
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from shafaf.core import observation_sms as grammar
from shafaf.core.observation_sms import SmsProblem
from shafaf.observation import standard_forms
from shafaf.observation.models import Channel, Observer, ObserverStatus
from shafaf.observation.submissions import Refused, current_form, submit

MAX_BODY = 4096
NAMESPACE = uuid.UUID("6f1d2c9a-5b8e-4c1f-9a7d-3e2b1c0d5a47")
HEADER = "HTTP_X_SHAFAF_SMS_SECRET"
LANGUAGES = ("ar", "ckb", "en")


def phone_key(number: str) -> str:
    """A number as Iraq's national significant number: +964 770 000 0001,
    00964..., 0770... and 770... all give 7700000001."""
    digits = re.sub(r"\D", "", grammar.normalise(number))
    if digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("964"):
        digits = digits[3:]
    return digits.lstrip("0")


def _reply(status: int, text: str) -> HttpResponse:
    response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def _fields(request: HttpRequest, body: bytes) -> dict[str, str] | None:
    if request.content_type == "application/json":
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(data, dict):
            return None
        return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}
    try:
        form = (request.POST if request.content_type == "multipart/form-data"
                else QueryDict(body, encoding="utf-8"))
    except ValueError:  # a malformed multipart body
        return None
    return {k: form.get(k, "") for k in form}


@csrf_exempt
def webhook(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        response = _reply(405, "POST the gateway's message here.")
        response["Allow"] = "POST"
        return response
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY:
        return _reply(413, f"A message is at most {MAX_BODY} bytes.")
    # The WSGI stream ends at the declared length: the body read is bounded too.
    # (A multipart body is parsed by Django, perhaps already by a middleware.)
    body = b"" if request.content_type == "multipart/form-data" else request.body[:MAX_BODY]
    fields = _fields(request, body)
    if fields is None:
        return _reply(400, "Send from and text, form-encoded or as a JSON object.")
    secret = str(getattr(settings, "SHAFAF_SMS_SECRET", "") or "")
    given = request.META.get(HEADER) or fields.get("secret") or request.GET.get("secret", "")
    if not secret or not hmac.compare_digest(secret.encode(), str(given).encode()):
        return _reply(403, "This gateway is not known (SHAFAF_SMS_SECRET).")
    sender, text = fields.get("from", ""), fields.get("text", "")
    if not sender or len(sender) > 32 or not text:
        return _reply(400, "Send from (the sender's number) and text.")
    language = fields.get("lang", "ar")
    with translation.override(language if language in LANGUAGES else "ar"):
        status, reply = _answer(sender, text, fields.get("id", "")[:200])
    return _reply(status, reply)


def _answer(sender: str, text: str, message_id: str) -> tuple[int, str]:
    key = phone_key(sender)
    observer = _observer(key) if len(key) >= 7 else None
    if observer is None:
        return 403, _("This number is not an accredited observer's. Nothing was recorded.")
    text = grammar.normalise(text)
    try:
        prefix, station, tokens = grammar.head(text)
    except SmsProblem as problem:
        return 422, _worded(problem)
    code = standard_forms.sms_prefixes().get(prefix)
    form = current_form(observer, code) if code else None
    if form is None:
        return 422, _("Unknown form %(prefix)s: begin with OP, VT, CL, CT or IN.") % {
            "prefix": prefix[:12]}
    try:
        answers = grammar.read_answers(text, tokens, form.questions)
    except SmsProblem as problem:
        return 422, _worded(problem)
    day = datetime.now(UTC).date().isoformat()
    seed = f"gateway:{message_id}" if message_id else f"{key}|{text}|{day}"
    try:
        submit(observer, client_id=uuid.uuid5(NAMESPACE, seed), form_code=form.code,
               station_code=station, answers=answers, channel=Channel.SMS,
               version=form.version)
    except Refused as refused:
        if refused.problems:
            letters = {str(q["id"]): letter
                       for letter, q in zip(grammar.LETTERS, form.questions, strict=False)}
            named = "; ".join(
                f"{letters.get(p.question, '?')} ({p.question}): {_problem(p.code)}"
                for p in refused.problems[:5])
            return 422, _("Not recorded: %(problems)s") % {"problems": named}
        if refused.status == 403 and "station" in refused.message:
            return 422, _("Station %(station)s is not one of yours. Nothing was recorded.") % {
                "station": station}
        return refused.status, _("Not recorded: %(reason)s") % {"reason": refused.message}
    return 200, _("Received %(prefix)s %(station)s ✓") % {"prefix": prefix,
                                                           "station": station}


def _observer(key: str) -> Observer | None:
    """The accredited observer who sends from this number (the newest, if two
    organisations put forward the same person)."""
    accredited = Observer.objects.filter(status=ObserverStatus.ACCREDITED).order_by("-pk")
    # The usual ways of writing the number first (the phone index answers), then any
    # other spelling (spaces, dashes) among the numbers that end alike.
    written = [f"+964{key}", f"0{key}", key, f"00964{key}", f"964{key}"]
    found = accredited.filter(phone__in=written).first()
    if found is not None:
        return found
    candidates = accredited.filter(phone__endswith=key[-4:])[:50]
    return next((o for o in candidates if phone_key(o.phone) == key), None)


def _problem(code: str) -> str:
    words = {
        "required": _("an answer is needed"),
        "wrong_type": _("the wrong kind of value"),
        "out_of_range": _("outside the allowed range"),
        "too_long": _("too long"),
        "unknown_question": _("no such question"),
        "unknown_choice": _("not one of the choices"),
        "duplicate_choice": _("a choice is given twice"),
    }
    return words.get(code, code)


def _worded(problem: SmsProblem) -> str:
    words = {
        "too_long": _("The message is too long."),
        "empty": _("The message is empty: begin with the form (OP, VT, CL, CT, IN)."),
        "no_station": _("After the form, give the station's code, like KI00001-03."),
        "bad_station": _("%(value)s is not a station code like KI00001-03."),
        "unknown_letter": _("The form has no question %(letter)s."),
        "twice": _("Question %(letter)s is answered twice."),
        "no_value": _("Question %(letter)s has no value."),
        "not_yes_no": _("Question %(letter)s (%(question)s): answer 1 for yes or 0 for no, "
                        "not %(value)s."),
        "not_a_number": _("Question %(letter)s (%(question)s): %(value)s is not a whole "
                          "number."),
        "not_by_sms": _("Question %(letter)s (%(question)s) is answered in the phone app, "
                        "not by SMS."),
        "not_a_time": _("Question %(letter)s (%(question)s): write the time as HHMM, like "
                        "0715, not %(value)s."),
        "not_a_choice": _("Question %(letter)s (%(question)s): %(value)s is not a choice's "
                          "number."),
    }
    message = words.get(problem.code, problem.code)
    return _("Not recorded: %(problem)s") % {"problem": message % {
        "letter": problem.letter, "question": problem.question, "value": problem.value}}
