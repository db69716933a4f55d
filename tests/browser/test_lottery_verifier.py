"""The lottery verifier in a real Chromium: static/shafaf/lottery.js gives every test
vector the results Python gives, and the page /lottery/verify/ checks a pasted or
chosen transcript in the reader's language, without a single request to the server."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from shafaf.core.lottery import NumberPool, Participant, draw
from shafaf.core.lottery_transcript import to_transcript, verify

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[1] / "data" / "lottery_vectors.json"
VECTORS: list[dict[str, Any]] = json.loads(DATA.read_text(encoding="utf-8"))["vectors"]
BRIEF = next(v for v in VECTORS if v["name"] == "brief-example")
URL = "/lottery/verify/"

# Runs in the page: the module the page itself loaded (so no new request), every
# vector drawn and every transcript verified.
RUN_VECTORS = """
async ({vectors, extra}) => {
  const lottery = await import("/static/shafaf/lottery.js");
  const digest = (assignments) => lottery.sha256Hex(
    assignments.map((a) => `${a.participant_id}:${a.number}\\n`).join(""));
  const out = [];
  for (const v of vectors) {
    const i = v.inputs;
    const drawn = await lottery.drawNumbers(i.participants, i.seed, i.ranges, i.excluded);
    out.push({
      name: v.name,
      participants_sha256: drawn.participants_sha256,
      seed_sha256: drawn.seed_sha256,
      pool_size: drawn.pool_size,
      assignments: drawn.assignments,
      assignments_sha256: await digest(drawn.assignments),
      transcript: v.transcript ? await lottery.verifyTranscript(v.transcript) : null,
      variants: await Promise.all((v.variants || []).map(
        (variant) => lottery.verifyTranscript(variant.transcript))),
    });
  }
  const more = await Promise.all(extra.map((t) => lottery.verifyTranscript(t)));
  return {vectors: out, extra: more};
}
"""


def python_result(transcript: Any) -> dict[str, Any] | None:
    """What Python's verify says, in the shape the vectors use."""
    mismatch = verify(transcript)
    if mismatch is None:
        return None
    result: dict[str, Any] = {"kind": mismatch.kind.value,
                              "participant_id": mismatch.participant_id}
    if mismatch.kind.value != "malformed":
        result |= {"expected": mismatch.expected, "found": mismatch.found}
    return result


def browser_result(result: dict[str, Any]) -> dict[str, Any] | None:
    if result["ok"]:
        return None
    m = result["mismatch"]
    shaped = {"kind": m["kind"], "participant_id": m["participant_id"]}
    if m["kind"] != "malformed":
        shaped |= {"expected": m["expected"], "found": m["found"]}
    return shaped


def national_transcripts() -> list[dict[str, Any]]:
    """The 2,000-participant vector as Python draws it, and edited copies."""
    vector = next(v for v in VECTORS if v["name"] == "national-2025")
    inputs = vector["inputs"]
    result = draw([Participant(participant_id=i) for i in inputs["participants"]],
                  seed=inputs["seed"],
                  pool=NumberPool(ranges=tuple(tuple(r) for r in inputs["ranges"]),
                                  excluded=frozenset(inputs["excluded"])))
    good = to_transcript(result, drawn_at=None, drawn_by=None)
    swapped = copy.deepcopy(good)
    last, first = swapped["assignments"][-1], swapped["assignments"][0]
    last["number"], first["number"] = first["number"], last["number"]
    dropped = copy.deepcopy(good)
    del dropped["assignments"][1234]
    ticket = copy.deepcopy(good)
    ticket["assignments"][1999]["ticket"] = "0" * 64
    return [good, swapped, dropped, ticket]


def record_requests(page: Any) -> list[str]:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return requests


def test_lottery_js_gives_every_vector_the_python_results(page: Any) -> None:
    page.goto(URL)
    requests = record_requests(page)
    extra = national_transcripts()
    got = page.evaluate(RUN_VECTORS, {"vectors": VECTORS, "extra": extra})

    assert [v["name"] for v in got["vectors"]] == [v["name"] for v in VECTORS]
    for vector, browser in zip(VECTORS, got["vectors"], strict=True):
        expected, name = vector["expected"], vector["name"]
        for field in ("participants_sha256", "seed_sha256", "pool_size",
                      "assignments_sha256"):
            assert browser[field] == expected[field], (name, field)
        if "assignments" in expected:
            assert browser["assignments"] == expected["assignments"], name
        if vector.get("transcript"):
            assert browser["transcript"]["ok"], (name, browser["transcript"])
        for variant, result in zip(vector.get("variants", []), browser["variants"],
                                   strict=True):
            assert browser_result(result) == variant["mismatch"], (name, variant["name"])
            assert browser_result(result) == python_result(variant["transcript"])
    for transcript, result in zip(extra, got["extra"], strict=True):
        assert browser_result(result) == python_result(transcript)
    assert got["extra"][0]["ok"], got["extra"][0]
    assert [r["mismatch"]["kind"] for r in got["extra"][1:]] == ["number", "participants",
                                                                 "ticket"]
    assert requests == [], f"the verifier asked the server for {requests}"


VECTORS_2: list[dict[str, Any]] = json.loads(
    (DATA.parent / "lottery_vectors_2.json").read_text(encoding="utf-8"))["vectors"]

RUN_VECTORS_2 = """
async (vectors) => {
  const lottery = await import("/static/shafaf/lottery.js");
  const out = [];
  for (const v of vectors) {
    out.push({
      canonical: lottery.canonicalJson(Object.fromEntries(Object.entries(v.transcript)
        .filter(([key]) => key !== "transcript_sha256"))),
      transcript: await lottery.verifyTranscript(JSON.stringify(v.transcript)),
      variants: await Promise.all(v.variants.map(
        (variant) => lottery.verifyTranscript(JSON.stringify(variant.transcript)))),
    });
  }
  const commitment = await lottery.seedPartCommitment("4", "0123456789abcdef");
  return {vectors: out, commitment};
}
"""


def test_lottery_js_checks_transcripts_2_as_python_does(page: Any) -> None:
    """The shared /2 vectors: the same canonical JSON, the same hash, and for every
    edited copy (a name, drawn_at, drawn_by, an exclusion, a reveal, the beacon) the
    same mismatch as Python's verify."""
    page.goto(URL)
    requests = record_requests(page)
    got = page.evaluate(RUN_VECTORS_2, VECTORS_2)
    for vector, browser in zip(VECTORS_2, got["vectors"], strict=True):
        assert browser["canonical"] == vector["canonical_json"], vector["name"]
        assert browser["transcript"]["ok"], (vector["name"], browser["transcript"])
        assert browser["transcript"]["draw"]["transcript_sha256"] == (
            vector["transcript"]["transcript_sha256"])
        for variant, result in zip(vector["variants"], browser["variants"], strict=True):
            assert browser_result(result) == variant["mismatch"], (vector["name"],
                                                                   variant["name"])
    # printf 'shafaf-seed-part/1\n%s\n%s' 0123456789abcdef 4 | sha256sum
    assert got["commitment"] == (
        "821107d3489c43e491e7f49af34d95b4b2fd451e2b971e71cd17e108209ec9d3")
    assert requests == []


def test_page_names_a_changed_name_in_a_transcript_2(page: Any) -> None:
    ceremony = next(v for v in VECTORS_2 if v["name"] == "ceremony")
    page.goto(URL)
    verify_on_page(page, ceremony["transcript"], "تحقق")
    expect(page.locator("[data-match]")).to_be_visible()
    expect(page.locator("[data-match] [data-field=transcript_sha256]")).to_have_text(
        ceremony["transcript"]["transcript_sha256"])
    changed = next(x for x in ceremony["variants"] if x["name"] == "name-changed")
    verify_on_page(page, changed["transcript"], "تحقق")
    expect(page.locator("[data-mismatch]")).to_have_attribute("data-kind",
                                                              "transcript_sha256")


def verify_on_page(page: Any, transcript: Any, button: str) -> None:
    text = transcript if isinstance(transcript, str) else json.dumps(transcript,
                                                                     ensure_ascii=False)
    page.fill("#lottery-transcript", text)
    page.get_by_role("button", name=button, exact=True).click()


def test_page_verifies_a_pasted_transcript_in_arabic(page: Any) -> None:
    # The browser asks for Arabic: the page is Arabic, right to left.
    page.goto(URL)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("التحقق من قرعة الأرقام على ورقة الاقتراع")
    expect(page.locator("header nav").get_by_role("link", name="التحقق من القرعة")).to_be_visible()
    requests = record_requests(page)

    verify_on_page(page, BRIEF["transcript"], "تحقق")
    match = page.locator("[data-match]")
    expect(match).to_be_visible()
    expect(page.locator("[data-mismatch]")).to_be_hidden()
    expect(match.locator("h2")).to_have_text("مطابق")
    expect(match.locator("[data-field=participants]")).to_have_text("3")
    expect(match.locator("[data-field=pool_size]")).to_have_text("9")
    expect(match.locator("[data-field=participants_sha256]")).to_have_text(
        BRIEF["expected"]["participants_sha256"])
    expect(match.locator("[data-field=seed_sha256]")).to_have_text(
        BRIEF["expected"]["seed_sha256"])
    rows = match.locator("tbody tr")
    expect(rows).to_have_count(3)
    assert [rows.nth(i).locator("td").all_inner_texts() for i in range(3)] == [
        ["1", "B", "تحالف باء"], ["2", "A", "حزب ألف"], ["3", "C", "مرشح جيم"]]

    swapped = next(v for v in BRIEF["variants"] if v["name"] == "numbers-swapped")
    verify_on_page(page, swapped["transcript"], "تحقق")
    mismatch = page.locator("[data-mismatch]")
    expect(mismatch).to_be_visible()
    expect(match).to_be_hidden()
    expect(mismatch).to_have_attribute("data-kind", "number")
    expect(mismatch.locator("h2")).to_have_text("غير مطابق")
    expect(mismatch.locator("[data-field=what]")).to_have_text(
        "أحد الأرقام ليس الرقم الذي تعطيه التذاكر.")
    expect(mismatch.locator("[data-field=participant_id]")).to_have_text("B")
    expect(mismatch.locator("[data-field=expected]")).to_have_text("1")
    expect(mismatch.locator("[data-field=found]")).to_have_text("2")

    verify_on_page(page, "{not json", "تحقق")
    expect(mismatch).to_have_attribute("data-kind", "malformed")
    expect(mismatch.locator("[data-field=what]")).to_have_text(
        "المحضر ليس بالصيغة المتوقعة. النص ليس JSON صالحًا.")
    expect(mismatch.locator("dd[data-row=participant]")).to_be_hidden()
    assert requests == [], f"the verifier asked the server for {requests}"


def test_page_in_english_names_the_participant_of_a_tampered_transcript(page: Any) -> None:
    page.goto(URL)
    page.locator("form.languages button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("h1")).to_have_text("Verify a ballot-number lottery")
    requests = record_requests(page)

    arabic = next(v for v in VECTORS if v["name"] == "arabic")
    tampered = next(v for v in arabic["variants"] if v["name"] == "ticket-edited")
    verify_on_page(page, tampered["transcript"], "Verify")
    mismatch = page.locator("[data-mismatch]")
    expect(mismatch).to_be_visible()
    expect(mismatch.locator("h2")).to_have_text("Mismatch")
    expect(mismatch.locator("[data-field=what]")).to_have_text(
        "A ticket is not the hash of the seed and the participant.")
    expect(mismatch.locator("[data-field=participant_id]")).to_have_text(
        tampered["mismatch"]["participant_id"])
    expect(mismatch.locator("[data-field=expected]")).to_have_text(
        tampered["mismatch"]["expected"])

    dropped = next(v for v in BRIEF["variants"] if v["name"] == "assignment-dropped")
    verify_on_page(page, dropped["transcript"], "Verify")
    expect(mismatch).to_have_attribute("data-kind", "participants")
    expect(mismatch.locator("[data-field=what]")).to_have_text(
        "The assignments are not exactly one for each participant.")
    expect(mismatch.locator("[data-field=participant_id]")).to_have_text("C")
    assert requests == [], f"the verifier asked the server for {requests}"


def test_page_verifies_a_chosen_file(page: Any) -> None:
    page.goto(URL)
    page.locator("form.languages button[value=ckb]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ckb")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    requests = record_requests(page)

    kurdish = next(v for v in VECTORS if v["name"] == "kurdish")
    body = json.dumps(kurdish["transcript"], ensure_ascii=False).encode("utf-8")
    page.set_input_files("#lottery-file", files=[
        {"name": "transcript.json", "mimeType": "application/json", "buffer": body}])
    match = page.locator("[data-match]")
    expect(match).to_be_visible()
    expect(match.locator("h2")).to_have_text("گونجاوە")
    rows = match.locator("tbody tr")
    expect(rows).to_have_count(len(kurdish["expected"]["assignments"]))
    first = kurdish["expected"]["assignments"][0]
    expect(rows.first.locator("td").nth(1)).to_have_text(first["participant_id"])
    expect(rows.first.locator("td").first).to_have_text(str(first["number"]))
    assert requests == [], f"the verifier asked the server for {requests}"
