"""The PVT sample verifier in a real Chromium: static/shafaf/pvt_sample.js draws every
shared test vector as Python does, and the public page /pvt/verify/ redoes a draw from
a chosen frame file, in Arabic first, without a single request to the server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from shafaf.core.pvt_sample import draw, frame_of, to_json

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[1] / "data" / "pvt_sample_vectors.json"
VECTORS: list[dict[str, Any]] = json.loads(DATA.read_text(encoding="utf-8"))["vectors"]
BY_NAME = {v["name"]: v for v in VECTORS}
URL = "/pvt/verify/"

# Runs in the page, with the module the page itself loaded (so no new request): each
# vector's frame read from its bytes, hashed, drawn, and its published form verified.
RUN_VECTORS = """
async (vectors) => {
  const pvt = await import("/static/shafaf/pvt_sample.js");
  const encoder = new TextEncoder();
  const out = [];
  for (const v of vectors) {
    const bytes = encoder.encode(v.frame_csv);
    const frame = pvt.readFrame(bytes);
    const frameHash = await pvt.frameSha256(bytes);
    const sample = await pvt.drawSample(frame.stations, v.seed, v.size);
    const published = JSON.parse(pvt.publishedJson(sample, frameHash));
    const checked = await pvt.verifySample(pvt.publishedJson(sample, frameHash),
                                           frame.stations, v.seed, frameHash);
    const ids = frame.stations.map((s) => s.station_id);
    const fast = pvt.tickets(sample.seed_sha256, ids);
    const reference = await pvt.webCryptoTickets(sample.seed_sha256, ids);
    out.push({name: v.name, problems: frame.problems, published,
              tickets_agree: fast.length === ids.length && fast.every((t, i) => t === reference[i]),
              strata_order: sample.strata.map(([name]) => name),
              verified: checked.mismatch});
  }
  return out;
}
"""


def record_requests(page: Any) -> list[str]:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return requests


def test_the_page_script_draws_every_vector_as_python_does(page: Any) -> None:
    page.goto(URL)
    requests = record_requests(page)
    got = page.evaluate(RUN_VECTORS, VECTORS)
    for vector, result in zip(VECTORS, got, strict=True):
        assert result["problems"] == [], vector["name"]
        assert result["published"] == {"algorithm": "shafaf-sample/1", **vector["expected"]}, \
            vector["name"]
        assert result["strata_order"] == list(vector["expected"]["strata"]), vector["name"]
        assert result["verified"] is None, vector["name"]
        assert result["tickets_agree"], vector["name"]
    assert requests == [], f"the verifier asked the server for {requests}"


# Each edit of the national vector's published draw, and what Python's verify says of it:
# the script must name the same first difference.
EDITS = {
    "algorithm": lambda d: d.update(algorithm="shafaf-sample/0"),
    "frame": lambda d: d.update(frame_sha256="f" * 64),
    "seed": lambda d: d.update(seed_sha256="0" * 64),
    "sum": lambda d: d["strata"].update({"بغداد": d["strata"]["بغداد"] + 1}),
    "strata": lambda d: d["strata"].update({"بغداد": d["strata"]["بغداد"] + 1,
                                            "البصرة": d["strata"]["البصرة"] - 1}),
    "station": lambda d: d["stations"].__setitem__(7, "00-0000"),
    "order": lambda d: d["stations"].__setitem__(slice(0, 2), d["stations"][1::-1]),
    "form": lambda d: d.update(strata=[]),
}


def test_the_page_script_names_the_first_difference_as_python_does(page: Any) -> None:
    from shafaf.core.pvt_sample import verify

    vector = BY_NAME["national-200"]
    rows = [tuple(line.split(",")) for line in vector["frame_csv"].splitlines()[1:]]
    frame = frame_of(rows)
    edited = {}
    for name, edit in EDITS.items():
        published = json.loads(json.dumps(to_json(draw(frame, seed=vector["seed"],
                                                       size=vector["size"]),
                                                  frame_hash=vector["expected"]["frame_sha256"])))
        edit(published)
        mismatch = verify(published, frame=frame, seed=vector["seed"],
                          frame_hash=vector["expected"]["frame_sha256"])
        assert mismatch is not None
        edited[name] = (published, {"kind": mismatch.kind.value, "where": mismatch.where,
                                    "expected": mismatch.expected, "found": mismatch.found})
    page.goto(URL)
    got = page.evaluate("""
      async ({vector, drafts}) => {
        const pvt = await import("/static/shafaf/pvt_sample.js");
        const bytes = new TextEncoder().encode(vector.frame_csv);
        const frame = pvt.readFrame(bytes);
        const hash = await pvt.frameSha256(bytes);
        const out = {};
        for (const [name, published] of Object.entries(drafts)) {
          const checked = await pvt.verifySample(published, frame.stations, vector.seed, hash);
          out[name] = checked.mismatch;
        }
        return out;
      }""", {"vector": vector, "drafts": {k: v[0] for k, v in edited.items()}})
    for name, (_, python) in edited.items():
        if python["kind"] == "malformed":
            assert got[name]["kind"] == "malformed", name
            assert got[name]["where"] == python["where"], name
        else:
            assert got[name] == python, name


def choose_frame(page: Any, text: str | bytes, name: str = "frame.csv") -> None:
    page.locator("#pvt-frame").set_input_files(files=[{
        "name": name, "mimeType": "text/csv",
        "buffer": text if isinstance(text, bytes) else text.encode("utf-8")}])


def test_page_draws_and_checks_a_published_draw_in_arabic(page: Any) -> None:
    page.goto(URL)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("التحقق من عيّنة الجدولة الموازية للأصوات")
    requests = record_requests(page)
    verifier = page.locator("[data-pvt-verifier]")

    vector = BY_NAME["small"]
    choose_frame(page, vector["frame_csv"])
    page.get_by_label("البذرة").fill(vector["seed"])
    page.get_by_label("حجم العيّنة (عدد المحطات المسحوبة)").fill(str(vector["size"]))
    page.get_by_role("button", name="اسحب وتحقّق").click()
    expect(verifier).to_have_attribute("data-state", "drawn")
    result = page.locator("[data-result]")
    expect(result.locator("[data-field=frame_sha256]")).to_have_text(
        vector["expected"]["frame_sha256"])
    expect(result.locator("[data-field=seed_sha256]")).to_have_text(
        vector["expected"]["seed_sha256"])
    strata = result.locator("[data-table=strata] tbody tr")
    expect(strata).to_have_count(3)
    assert [strata.nth(i).locator("td").all_inner_texts() for i in range(3)] == [
        ["البصرة", "2", "1"], ["بغداد", "2", "1"], ["نينوى", "1", "1"]]
    stations = result.locator("[data-table=stations] tbody tr")
    expect(stations).to_have_count(3)
    assert [stations.nth(i).locator("td").nth(1).inner_text() for i in range(3)] == \
        vector["expected"]["stations"]
    assert json.loads(result.locator("[data-field=json]").inner_text()) == {
        "algorithm": "shafaf-sample/1", **vector["expected"]}

    # The published draw, pasted: it matches; then one station changed: the place named.
    published = json.loads(json.dumps({"algorithm": "shafaf-sample/1", **vector["expected"]}))
    page.locator("#pvt-draw").fill(json.dumps(published, ensure_ascii=False))
    page.get_by_role("button", name="اسحب وتحقّق").click()
    expect(verifier).to_have_attribute("data-state", "match")
    expect(page.locator("[data-match] h2")).to_have_text("مطابق")

    published["stations"][1] = "104"
    page.locator("#pvt-draw").fill(json.dumps(published, ensure_ascii=False))
    page.get_by_role("button", name="اسحب وتحقّق").click()
    expect(verifier).to_have_attribute("data-state", "mismatch")
    mismatch = page.locator("[data-mismatch]")
    expect(mismatch).to_have_attribute("data-kind", "stations")
    expect(mismatch.locator("[data-field=what]")).to_have_text(
        "المحطة في الموضع 2 من القائمة ليست المحطة التي يعطيها السحب.")
    expect(mismatch.locator("[data-field=expected]")).to_have_text(
        vector["expected"]["stations"][1])
    expect(mismatch.locator("[data-field=found]")).to_have_text("104")
    assert requests == [], f"the verifier asked the server for {requests}"


def test_page_names_the_bad_rows_of_a_frame_file(page: Any) -> None:
    page.goto(URL)
    page.locator("form.languages button[value=en]").click()
    expect(page.locator("h1")).to_have_text("Verify the sample of a parallel vote tabulation")
    choose_frame(page, "station_id,stratum\n1,A\n1,B\n,C\n2,\n3,A,x\n")
    page.get_by_label("Seed").fill("s")
    page.get_by_label("Sample size (stations to draw)").fill("1")
    page.get_by_role("button", name="Draw and check").click()
    expect(page.locator("[data-pvt-verifier]")).to_have_attribute("data-state", "bad_input")
    expect(page.locator("[data-status]")).to_have_text(
        "The frame file has 4 problem(s); nothing was drawn.")
    expect(page.locator("[data-problems] li")).to_have_text([
        "Row 3: Station 1 is already in the frame (row 2).",
        "Row 4: The station id is empty.",
        "Row 5: The stratum is empty.",
        "Row 6: 3 fields where the header has 2.",
    ])
    expect(page.locator("[data-result]")).to_be_hidden()

    choose_frame(page, "id,governorate\n1,A\n")
    page.get_by_role("button", name="Draw and check").click()
    expect(page.locator("[data-status]")).to_have_text(
        "The frame file needs the columns station_id and stratum; its header has: id, "
        "governorate")

    choose_frame(page, "station_id,stratum\n1,A\n2,B\n")
    page.get_by_label("Sample size (stations to draw)").fill("3")
    page.get_by_role("button", name="Draw and check").click()
    expect(page.locator("[data-status]")).to_have_text(
        "The sample size must be a whole number from 1 to the frame's 2 stations.")
