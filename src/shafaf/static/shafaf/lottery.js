// Shafaf's public ballot-number lottery, algorithm shafaf-lottery/1, verified in the
// browser: an implementation independent of the server's (Python) one, written from
// the published rules (domain brief, section 4; docs/lottery.md).
//
//   participants_sha256  SHA-256 of the UTF-8 ids sorted by code point, joined by "\n"
//   seed_sha256          SHA-256 of the UTF-8 seed in Unicode normal form C (lowercase hex)
//   ticket               SHA-256 of UTF-8(seed_sha256 + "," + id)
//   numbers              ordered by ticket then id, the i-th participant takes the i-th
//                        number of the pool (union of the ranges minus the excluded,
//                        ascending)
//
// A transcript is checked in the order of the Python `verify`, with the same mismatch
// kinds. Schema shafaf-lottery-transcript/1: malformed, algorithm, participants_sha256,
// seed_sha256, participants, ticket, number. Schema /2 (or any transcript carrying a
// transcript_sha256) adds: the ceremony's commitments (commitment) and the seed rebuilt
// from the revealed parts and the beacon's value (seed), after participants_sha256; the
// pool's size (pool_size) after seed_sha256; and last transcript_sha256, the SHA-256 of
// the canonical JSON (keys sorted by code point, no spaces, UTF-8) of every other field.
//
// Plain ES module: no build step, no dependency, and no network. Hashes come from the
// Web Crypto API. Nothing here talks to any server, except to fetch, from this same
// site, a transcript the page's address names (?transcript=/lottery/<election>/
// transcript.json, as the lottery's public page links it); nothing is ever sent. The
// page's messages are read from the page itself (a json_script block), so no
// user-visible text lives in this file.

export const ALGORITHM = "shafaf-lottery/1";
export const SCHEMA = "shafaf-lottery-transcript/1";
export const SCHEMA_2 = "shafaf-lottery-transcript/2";
const HASH_FIELD = "transcript_sha256";

const encoder = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** SHA-256 of the UTF-8 bytes of `text`, as lowercase hex. */
export async function sha256Hex(text) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  let hex = "";
  for (const byte of digest) hex += HEX[byte];
  return hex;
}

// --- Committed seed parts ---------------------------------------------------------

export const COMMITMENT_TAG = "shafaf-seed-part/1";

/** A seed part's commitment: SHA-256 of "shafaf-seed-part/1\n" + nonce + "\n" + value. */
export function seedPartCommitment(value, nonce) {
  return sha256Hex(`${COMMITMENT_TAG}\n${nonce}\n${value}`);
}

// --- Code-point order -------------------------------------------------------------
//
// JavaScript compares strings by UTF-16 code unit; the algorithm (and Python) by code
// point. The two differ only where a surrogate (an astral character such as 𝔸 or an
// emoji, U+10000 and up) meets a BMP character from U+E000 to U+FFFF: as code units
// the surrogate (D800-DFFF) sorts first, as code points it sorts last. Remapping the
// two blocks at the first differing unit gives code-point order.

function unitRank(unit) {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000; // after every BMP unit
  if (unit >= 0xe000) return unit - 0x800; // moves down to D800-F7FF
  return unit;
}

/** Negative, zero or positive as `a` sorts before, with or after `b` by code point. */
export function compareCodePoints(a, b) {
  if (a === b) return 0;
  const shorter = Math.min(a.length, b.length);
  for (let i = 0; i < shorter; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x < 0xd800 && y < 0xd800 ? x - y : unitRank(x) - unitRank(y);
  }
  return a.length - b.length;
}

function byCodePoint(strings) {
  return [...strings].sort(compareCodePoints);
}

// --- Hashes and tickets -----------------------------------------------------------

/** SHA-256 of the ids sorted by code point and joined by newlines. */
export function participantsSha256(ids) {
  return sha256Hex(byCodePoint(ids).join("\n"));
}

/** SHA-256 of the seed in Unicode normal form C. */
export function seedSha256(seed) {
  return sha256Hex(seed.normalize("NFC"));
}

/** A participant's ticket: SHA-256 of seed_sha256 + "," + id. */
export function ticket(seedHash, participantId) {
  return sha256Hex(`${seedHash},${participantId}`);
}

// --- The draw ---------------------------------------------------------------------

/** A draw that cannot be made as asked. `reason` is one of "id" (an id empty, on more
 * than one line or with surrounding spaces), "duplicate", "empty" (no participants) or
 * "pool" (fewer numbers than participants); `found` and `expected` carry the data. */
export class LotteryError extends Error {
  constructor(reason, { found = "", expected = "" } = {}) {
    super(`${reason}: ${found}`);
    this.name = "LotteryError";
    this.reason = reason;
    this.found = found;
    this.expected = expected;
  }
}

// Python's str.isspace(), which str.strip() removes: differs from JavaScript's trim()
// (U+001C-U+001F and U+0085 are spaces there, U+FEFF is not).
const PYTHON_SPACE = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

function checkIds(ids) {
  const seen = new Set();
  for (const id of ids) {
    if (!id || id.includes("\n") || PYTHON_SPACE.test(id[0]) || PYTHON_SPACE.test(id[id.length - 1])) {
      throw new LotteryError("id", { found: id });
    }
    if (seen.has(id)) throw new LotteryError("duplicate", { found: id });
    seen.add(id);
  }
  if (!ids.length) throw new LotteryError("empty");
}

/** The first `count` numbers of the pool, and its size, without listing the whole pool
 * (a range such as 1-1000000000 costs nothing). */
export function poolNumbers(ranges, excluded, count = Infinity) {
  const spans = ranges.filter(([low, high]) => low <= high).map(([low, high]) => [low, high])
    .sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const [low, high] of spans) {
    const last = merged[merged.length - 1];
    if (last && low <= last[1] + 1) last[1] = Math.max(last[1], high);
    else merged.push([low, high]);
  }
  const left = [...new Set(excluded)].sort((a, b) => a - b);
  let size = 0;
  let e = 0;
  for (const [low, high] of merged) {
    size += high - low + 1;
    while (e < left.length && left[e] < low) e++;
    while (e < left.length && left[e] <= high) { size--; e++; }
  }
  const numbers = [];
  e = 0;
  for (const [low, high] of merged) {
    for (let n = low; n <= high && numbers.length < count; n++) {
      while (e < left.length && left[e] < n) e++;
      if (e < left.length && left[e] === n) continue;
      numbers.push(n);
    }
    if (numbers.length >= count) break;
  }
  return { numbers, size };
}

async function drawIds(ids, seedHash, ranges, excluded) {
  checkIds(ids);
  const { numbers, size } = poolNumbers(ranges, excluded, ids.length);
  if (size < ids.length) {
    throw new LotteryError("pool", { found: String(size), expected: String(ids.length) });
  }
  const tickets = await Promise.all(ids.map((id) => ticket(seedHash, id)));
  const order = ids.map((id, i) => ({ id, ticket: tickets[i] }));
  order.sort((a, b) => (a.ticket < b.ticket ? -1 : a.ticket > b.ticket ? 1
    : compareCodePoints(a.id, b.id)));
  return order.map((entry, i) => ({ participant_id: entry.id, number: numbers[i],
                                    ticket: entry.ticket }));
}

/**
 * Draw the numbers. `participants` are ids or {participant_id, name} objects; `ranges`
 * inclusive [low, high] pairs; `excluded` numbers. Resolves to {algorithm,
 * participants_sha256, seed_sha256, pool_size, assignments} with the assignments
 * ({participant_id, number, ticket}) in ticket order; rejects with a LotteryError.
 */
export async function drawNumbers(participants, seed, ranges, excluded = []) {
  const ids = participants.map((p) => (typeof p === "string" ? p : p.participant_id));
  const seedHash = await seedSha256(seed);
  const assignments = await drawIds(ids, seedHash, ranges, excluded);
  return {
    algorithm: ALGORITHM,
    participants_sha256: await participantsSha256(ids),
    seed_sha256: seedHash,
    pool_size: poolNumbers(ranges, excluded, 0).size,
    assignments,
  };
}

// --- Reading a transcript as Python's verify does -----------------------------------
//
// Python's verify reads each field with str() or int() inside one try block; whatever
// fails there is "malformed". These helpers follow the same rules for what JSON can
// hold: an id may be a string or a whole number; a number may be a number or a string
// of digits, including Arabic-Indic ones ("٢٠١", as Python's int() accepts). Values
// Python would render with repr() (lists, objects, fractional numbers as ids) are
// reported as malformed here: no transcript written by Shafaf holds them.

class Malformed extends Error {
  constructor(reason, found) {
    super(found);
    this.reason = reason;
    this.found = found;
  }
}

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

function item(container, key, path) {
  const where = `${path}${typeof key === "number" ? `[${key}]` : `.${key}`}`;
  if (isObject(container) && typeof key === "string") {
    if (!Object.prototype.hasOwnProperty.call(container, key)) throw new Malformed("form", where);
    return container[key];
  }
  if (typeof key === "number" && (Array.isArray(container) || typeof container === "string")) {
    const items = typeof container === "string" ? Array.from(container) : container;
    if (key >= items.length) throw new Malformed("form", where);
    return items[key];
  }
  throw new Malformed("form", where);
}

function iterate(value, path) {
  if (Array.isArray(value)) return value;
  if (typeof value === "string") return Array.from(value);
  if (isObject(value)) return Object.keys(value);
  throw new Malformed("form", path);
}

function pyStr(value, path) {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "True" : "False";
  if (value === null) return "None";
  if (Number.isSafeInteger(value)) return String(value);
  throw new Malformed("form", path);
}

const DIGITS = /^[+-]?\p{Nd}+(?:_\p{Nd}+)*$/u;
const DECIMAL = /\p{Nd}/u;

function digitValue(codePoint) {
  // Unicode encodes every decimal digit in runs 0-9 of consecutive code points; runs
  // may follow one another (mathematical digits), so count from the block's start.
  let start = codePoint;
  while (start > 0 && DECIMAL.test(String.fromCodePoint(start - 1))) start--;
  return (codePoint - start) % 10;
}

function pyInt(value, path) {
  if (typeof value === "number" && Number.isFinite(value)) return Math.trunc(value) + 0;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string") {
    let text = value;
    while (text && PYTHON_SPACE.test(text[0])) text = text.slice(1);
    while (text && PYTHON_SPACE.test(text[text.length - 1])) text = text.slice(0, -1);
    if (DIGITS.test(text)) {
      let n = 0;
      for (const char of text.replace(/^[+-]/, "").replaceAll("_", "")) {
        const code = char.codePointAt(0);
        n = n * 10 + (code >= 0x30 && code <= 0x39 ? code - 0x30 : digitValue(code));
      }
      return text[0] === "-" ? -n || 0 : n;
    }
  }
  throw new Malformed("form", path);
}

function pyName(value) {
  // Never verified (no hash covers names): shown as given, whatever its type.
  if (value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function read(transcript) {
  const participants = iterate(item(transcript, "participants", "$"), "$.participants")
    .map((p, i) => {
      const path = `$.participants[${i}]`;
      const id = pyStr(item(p, "participant_id", path), `${path}.participant_id`);
      return { participant_id: id, name: pyName(p.name) };
    });
  const pool = item(transcript, "pool", "$");
  const ranges = iterate(item(pool, "ranges", "$.pool"), "$.pool.ranges").map((r, i) => {
    const path = `$.pool.ranges[${i}]`;
    return [pyInt(item(r, 0, path), `${path}[0]`), pyInt(item(r, 1, path), `${path}[1]`)];
  });
  const excluded = iterate(item(pool, "excluded", "$.pool"), "$.pool.excluded")
    .map((n, i) => pyInt(n, `$.pool.excluded[${i}]`));
  const seed = pyStr(item(transcript, "seed", "$"), "$.seed");
  const stated = iterate(item(transcript, "assignments", "$"), "$.assignments").map((a, i) => {
    const path = `$.assignments[${i}]`;
    return {
      participant_id: pyStr(item(a, "participant_id", path), `${path}.participant_id`),
      number: pyInt(item(a, "number", path), `${path}.number`),
      ticket: pyStr(item(a, "ticket", path), `${path}.ticket`),
    };
  });
  return {
    participants, ranges, excluded, seed, stated,
    algorithm: pyStr(item(transcript, "algorithm", "$"), "$.algorithm"),
    participantsHash: pyStr(item(transcript, "participants_sha256", "$"), "$.participants_sha256"),
    seedHash: pyStr(item(transcript, "seed_sha256", "$"), "$.seed_sha256"),
  };
}

// A lone surrogate cannot be encoded as UTF-8 (Python refuses; TextEncoder would
// silently write U+FFFD): such a string cannot be hashed as the algorithm says.
const wellFormed = (text) => !/\p{Cs}/u.test(text);

// --- Transcript /2: canonical JSON and the ceremony ------------------------------

/** The canonical JSON of a value, as Python's json.dumps(sort_keys=True,
 * separators=(",", ":"), ensure_ascii=False): keys sorted by code point. */
export function canonicalJson(value) {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort(compareCodePoints);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
}

/** SHA-256 of the canonical JSON of the transcript without its own hash. */
export function transcriptSha256(transcript) {
  const body = {};
  for (const key of Object.keys(transcript)) if (key !== HASH_FIELD) body[key] = transcript[key];
  return sha256Hex(canonicalJson(body));
}

// Where a /2 transcript holds what its canonical JSON cannot carry the same way in
// every language: a fraction, a number beyond 2**53 - 1, a lone surrogate.
function notCanonical(value, path = "$") {
  if (value === null || typeof value === "boolean") return null;
  if (typeof value === "number") return Number.isSafeInteger(value) ? null : path;
  if (typeof value === "string") return wellFormed(value) ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = notCanonical(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const found = (wellFormed(key) ? null : path) || notCanonical(value[key], `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

// Python's bool() of a JSON value.
const pyBool = (value) => !(value === null || value === false || value === 0 || value === ""
  || (Array.isArray(value) && !value.length) || (isObject(value) && !Object.keys(value).length));

// Each revealed part matches its commitment, and the seed is the one the revealed parts,
// in the order committed, and the beacon's value give (Python's _check_ceremony).
async function checkCeremony(ceremony, seed) {
  if (ceremony === null) return null;
  const revealed = [];
  const parts = iterate(item(ceremony, "seed_parts", "$.ceremony"), "$.ceremony.seed_parts");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const path = `$.ceremony.seed_parts[${i}]`;
    if (pyInt(item(part, "position", path), `${path}.position`) !== i + 1) {
      throw new Malformed("form", `${path}.position`);
    }
    const value = item(part, "value", path);
    const nonce = item(part, "nonce", path);
    if (pyBool(item(part, "withheld", path)) !== (value === null)) {
      throw new Malformed("form", `${path}.withheld`);
    }
    if (value === null) continue;
    const text = pyStr(value, `${path}.value`);
    const expected = await seedPartCommitment(text, pyStr(nonce, `${path}.nonce`));
    const stated = pyStr(item(part, "commitment", path), `${path}.commitment`);
    if (expected !== stated) return { kind: "commitment", expected, found: stated };
    revealed.push(text);
  }
  const beacon = pyStr(item(ceremony, "beacon_value", "$.ceremony"), "$.ceremony.beacon_value");
  const joined = revealed.join("-");
  const rebuilt = beacon ? `${joined}|beacon:${beacon}` : joined;
  if (rebuilt !== seed) return { kind: "seed", expected: rebuilt, found: seed };
  return null;
}

// --- Verification -------------------------------------------------------------------

function mismatch(kind, { participant_id = null, expected = "", found = "", reason } = {}) {
  const result = { kind, participant_id, expected, found };
  if (reason) result.reason = reason;
  return { ok: false, mismatch: result };
}

function arraysEqual(a, b) {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/**
 * Verify a transcript (an object, or its JSON text). Resolves to {ok: true, draw} when
 * the transcript is exactly the draw its inputs give, else to {ok: false, mismatch:
 * {kind, participant_id, expected, found}} naming the first thing that does not match,
 * in the order and with the kinds of Python's verify. A malformed mismatch also has a
 * `reason` ("json", "form" with the JSON path in `found`, "id", "duplicate", "empty",
 * "pool") and, like Python's, no participant_id.
 */
export async function verifyTranscript(transcript) {
  let data = transcript;
  if (typeof data === "string") {
    try {
      data = JSON.parse(data);
    } catch (error) {
      return mismatch("malformed", { reason: "json", found: error.message });
    }
  }
  let parsed;
  let second = false;
  let ceremonyCheck = null;
  let statedHash = "";
  let statedSize = 0;
  try {
    if (!isObject(data)) throw new Malformed("form", "$");
    // A transcript carrying a /2 hash is read as /2 whatever its schema says.
    second = data.schema === SCHEMA_2 || Object.prototype.hasOwnProperty.call(data, HASH_FIELD);
    if (second) {
      const where = notCanonical(data);
      if (where) throw new Malformed("form", where);
    }
    parsed = read(data);
    if (second) {
      statedHash = pyStr(item(data, HASH_FIELD, "$"), `$.${HASH_FIELD}`);
      statedSize = pyInt(item(item(data, "pool", "$"), "size", "$.pool"), "$.pool.size");
      ceremonyCheck = await checkCeremony(item(data, "ceremony", "$"), parsed.seed);
    }
  } catch (error) {
    if (error instanceof Malformed) return mismatch("malformed", { reason: error.reason, found: error.found });
    throw error;
  }
  const { participants, ranges, excluded, seed, stated, algorithm } = parsed;

  if (algorithm !== ALGORITHM) return mismatch("algorithm", { expected: ALGORITHM, found: algorithm });

  const ids = participants.map((p) => p.participant_id);
  const badId = ids.findIndex((id) => !wellFormed(id));
  if (badId >= 0) {
    return mismatch("malformed", { reason: "form", found: `$.participants[${badId}].participant_id` });
  }
  const participantsHash = await participantsSha256(ids);
  if (participantsHash !== parsed.participantsHash) {
    return mismatch("participants_sha256", { expected: participantsHash, found: parsed.participantsHash });
  }

  if (ceremonyCheck) return mismatch(ceremonyCheck.kind, ceremonyCheck);

  if (!wellFormed(seed)) return mismatch("malformed", { reason: "form", found: "$.seed" });
  const seedHash = await seedSha256(seed);
  if (seedHash !== parsed.seedHash) {
    return mismatch("seed_sha256", { expected: seedHash, found: parsed.seedHash });
  }
  const poolSize = poolNumbers(ranges, excluded, 0).size;
  if (second && statedSize !== poolSize) {
    return mismatch("pool_size", { expected: String(poolSize), found: String(statedSize) });
  }

  let redone;
  try {
    redone = await drawIds(ids, seedHash, ranges, excluded);
  } catch (error) {
    if (error instanceof LotteryError) {
      return mismatch("malformed", { reason: error.reason, expected: error.expected, found: error.found });
    }
    throw error;
  }

  const assigned = byCodePoint(stated.map((a) => a.participant_id));
  if (!arraysEqual(assigned, byCodePoint(ids))) {
    const known = new Set(ids);
    const given = new Set(assigned);
    let odd = byCodePoint([...given].filter((id) => !known.has(id)));
    if (!odd.length) odd = byCodePoint([...known].filter((id) => !given.has(id)));
    return mismatch("participants", { participant_id: odd.length ? odd[0] : null,
                                      expected: String(ids.length), found: String(assigned.length) });
  }

  const truth = new Map(redone.map((a) => [a.participant_id, a]));
  for (const { participant_id, number, ticket: stub } of stated) {
    const right = truth.get(participant_id);
    if (stub !== right.ticket) {
      return mismatch("ticket", { participant_id, expected: right.ticket, found: stub });
    }
    if (number !== right.number) {
      return mismatch("number", { participant_id, expected: String(right.number), found: String(number) });
    }
  }

  // Last: whatever the checks above do not redo (names, times, who drew, an exclusion
  // beyond the numbers used) is held by the hash alone.
  let hash = null;
  if (second) {
    hash = await transcriptSha256(data);
    if (hash !== statedHash) return mismatch("transcript_sha256", { expected: hash, found: statedHash });
  }

  const names = new Map(participants.map((p) => [p.participant_id, p.name]));
  return {
    ok: true,
    draw: {
      transcript_sha256: hash,
      participants: ids.length,
      pool_size: poolNumbers(ranges, excluded, 0).size,
      participants_sha256: participantsHash,
      seed,
      seed_sha256: seedHash,
      assignments: redone.map((a) => ({ ...a, name: names.get(a.participant_id) })),
    },
  };
}

// --- The page /lottery/verify/ -------------------------------------------------------
//
// The page (portal/lottery_verify.html) marks its verifier with data-lottery-verifier
// and names the json_script block holding its translated messages. Everything happens
// here, in the browser: the transcript is read from the text box or the chosen file
// (neither has a form name, so the form can send nothing), and never leaves the page.

function show(element, visible) {
  if (element) element.hidden = !visible;
}

function fill(root, field, text) {
  for (const element of root.querySelectorAll(`[data-field="${field}"]`)) element.textContent = text;
}

/** Attach the verifier to its element on the page. */
export function mountVerifier(root) {
  const messages = JSON.parse(document.getElementById(root.dataset.messages).textContent);
  const form = root.querySelector("form");
  const text = root.querySelector("textarea");
  const file = root.querySelector("input[type=file]");
  const status = root.querySelector("[data-status]");
  const matched = root.querySelector("[data-match]");
  const mismatched = root.querySelector("[data-mismatch]");
  const rows = matched.querySelector("tbody");
  let run = 0;

  function say(message) {
    status.textContent = message;
    show(status, Boolean(message));
  }

  async function check(source) {
    const current = ++run;
    show(matched, false);
    show(mismatched, false);
    root.dataset.state = "busy";
    if (!source.trim()) {
      say(messages.empty_input);
      root.dataset.state = "idle";
      return;
    }
    say(messages.verifying);
    const result = await verifyTranscript(source);
    if (current !== run) return; // a newer transcript was given meanwhile
    say("");
    if (result.ok) {
      const { draw } = result;
      fill(matched, "participants", String(draw.participants));
      fill(matched, "pool_size", String(draw.pool_size));
      fill(matched, "participants_sha256", draw.participants_sha256);
      fill(matched, "seed", draw.seed);
      fill(matched, "seed_sha256", draw.seed_sha256);
      fill(matched, "transcript_sha256", draw.transcript_sha256 || messages.no_transcript_hash);
      const fragment = document.createDocumentFragment();
      for (const a of [...draw.assignments].sort((x, y) => x.number - y.number)) {
        const row = document.createElement("tr");
        const number = document.createElement("td");
        number.textContent = String(a.number);
        const id = document.createElement("td");
        id.dir = "auto";
        id.textContent = a.participant_id;
        const name = document.createElement("td");
        name.dir = "auto";
        name.textContent = a.name;
        row.append(number, id, name);
        fragment.append(row);
      }
      rows.replaceChildren(fragment);
      show(matched, true);
      root.dataset.state = "match";
    } else {
      const m = result.mismatch;
      const reason = m.reason ? messages.reasons[m.reason] : "";
      fill(mismatched, "what", [messages.kinds[m.kind], reason].filter(Boolean).join(" "));
      mismatched.dataset.kind = m.kind;
      fill(mismatched, "participant_id", m.participant_id ?? "");
      fill(mismatched, "expected", m.expected);
      fill(mismatched, "found", m.found);
      for (const [field, value] of [["participant", m.participant_id], ["expected", m.expected],
                                    ["found", m.found]]) {
        for (const element of mismatched.querySelectorAll(`[data-row="${field}"]`)) {
          show(element, Boolean(value));
        }
      }
      show(mismatched, true);
      root.dataset.state = "mismatch";
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    check(text.value);
  });
  file.addEventListener("change", async () => {
    const chosen = file.files && file.files[0];
    if (!chosen) return;
    text.value = await chosen.text();
    check(text.value);
  });
  root.dataset.state = "idle";

  // A transcript named in the address: fetched from this site only, then checked
  // exactly like a pasted one (the reader sees it in the text box).
  const named = new URLSearchParams(window.location.search).get("transcript");
  if (named) load(named);

  async function load(address) {
    let url;
    try {
      url = new URL(address, window.location.href);
    } catch {
      url = null;
    }
    if (!url || url.origin !== window.location.origin) {
      say(messages.load_failed);
      return;
    }
    const current = ++run;
    say(messages.verifying);
    let body;
    try {
      const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) throw new Error(String(response.status));
      body = await response.text();
    } catch {
      if (current === run) say(messages.load_failed);
      return;
    }
    if (current !== run) return; // the reader gave another transcript meanwhile
    text.value = body;
    check(body);
  }
}

if (typeof document !== "undefined") {
  for (const root of document.querySelectorAll("[data-lottery-verifier]")) mountVerifier(root);
}
