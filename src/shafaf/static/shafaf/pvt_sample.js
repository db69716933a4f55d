// The public sample of a parallel vote tabulation, algorithm shafaf-sample/1, redone in
// the browser: written from the published rules (docs/pvt-sample.md), independently of
// the server's Python, and checked against the same test vectors.
//
//   frame_sha256  SHA-256 of the frame file's bytes, exactly as published
//   seed_sha256   SHA-256 of the UTF-8 seed in Unicode normal form C (lowercase hex)
//   ticket        SHA-256 of UTF-8(seed_sha256 + "," + station_id)
//   shares        size × N_s / K per stratum, by largest remainder; equal remainders by
//                 stratum name (code point order)
//   stations      each stratum's n_s smallest (ticket, station_id); listed stratum by
//                 stratum (by name), each in ticket order
//
// Plain ES module: no build step, no dependency, and no network; hashes come from the
// Web Crypto API. The frame, the seed and the published draw never leave the page. The
// page's messages are read from the page itself (a json_script block), so no
// user-visible text lives in this file.

import { compareCodePoints, seedSha256, sha256Hex } from "./lottery.js";

export const ALGORITHM = "shafaf-sample/1";

const encoder = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hex(buffer) {
  let out = "";
  for (const byte of new Uint8Array(buffer)) out += HEX[byte];
  return out;
}

/** SHA-256 of the frame file's bytes (an ArrayBuffer or Uint8Array), as lowercase hex. */
export async function frameSha256(bytes) {
  return hex(await crypto.subtle.digest("SHA-256", bytes));
}

export { seedSha256 };

// --- Tickets ----------------------------------------------------------------------
//
// A national frame has some 35,000 stations: one Web Crypto digest each costs a promise
// and a trip out of JavaScript, and together they take over half a second. The tickets
// are therefore hashed here by a plain SHA-256 (FIPS 180-4) that starts every ticket
// from the state after its first 64 bytes, which are the same for every station (the
// seed's 64 hex digits): one compression per station. Web Crypto stays the reference:
// every drawn station's ticket is hashed again by it and must agree (selfCheck), and the
// tests compare every ticket of the shared vectors.

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const INITIAL = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
// Int32Array, not Uint32Array: its values stay small integers for the engine, where
// unsigned ones above 2^31 would make every step floating point.
const W = new Int32Array(64);

/** One SHA-256 compression of the 64 bytes at `offset` into the state `h`. */
function compress(h, bytes, offset) {
  for (let i = 0; i < 16; i++) {
    const j = offset + 4 * i;
    W[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
  }
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15];
    const y = W[i - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
  }
  let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (k + s1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

/** SHA-256 of prefix + each suffix, all UTF-8, the prefix's whole blocks compressed
 * once: eight 32-bit words per suffix, one after another (words 8n to 8n+7 the n-th's),
 * which compare in the order of the hex digests. */
export function sha256WithPrefix(prefix, suffixes) {
  const head = encoder.encode(prefix);
  const whole = head.length - (head.length % 64);
  const mid = Int32Array.from(INITIAL);
  for (let offset = 0; offset < whole; offset += 64) compress(mid, head, offset);
  const tail = head.subarray(whole);
  const state = new Int32Array(8);
  let block = new Uint8Array(128);
  const out = new Uint32Array(suffixes.length * 8);
  for (let n = 0; n < suffixes.length; n++) {
    const suffix = suffixes[n];
    if (tail.length + suffix.length * 3 + 9 > block.length) {
      block = new Uint8Array(Math.ceil((tail.length + suffix.length * 3 + 9) / 64) * 64);
    }
    block.set(tail);
    const length = tail.length + encoder.encodeInto(suffix, block.subarray(tail.length)).written;
    const size = Math.ceil((length + 9) / 64) * 64;
    block.fill(0, length, size);
    block[length] = 0x80;
    const bits = (whole + length) * 8;
    const high = Math.floor(bits / 0x100000000);
    const low = bits >>> 0;
    for (let i = 0; i < 4; i++) {
      block[size - 8 + i] = (high >>> (24 - 8 * i)) & 0xff;
      block[size - 4 + i] = (low >>> (24 - 8 * i)) & 0xff;
    }
    state.set(mid);
    for (let offset = 0; offset < size; offset += 64) compress(state, block, offset);
    out.set(state, n * 8);
  }
  return out;
}

/** The n-th digest of `words` as lowercase hex. */
function hexAt(words, n) {
  let hexed = "";
  for (let i = n * 8; i < n * 8 + 8; i++) {
    const word = words[i];
    hexed += HEX[word >>> 24] + HEX[(word >>> 16) & 0xff] + HEX[(word >>> 8) & 0xff] + HEX[word & 0xff];
  }
  return hexed;
}

/** Negative, zero or positive as digest i sorts before, with or after digest j. */
function compareDigests(words, i, j) {
  for (let k = 0; k < 8; k++) {
    const x = words[i * 8 + k];
    const y = words[j * 8 + k];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Every station's ticket, SHA-256 of seed_sha256 + "," + id, in the order of `ids`. */
export function tickets(seedHash, ids) {
  const words = sha256WithPrefix(`${seedHash},`, ids);
  return ids.map((_, n) => hexAt(words, n));
}

/** The same tickets by Web Crypto, one digest each: the reference. */
export async function webCryptoTickets(seedHash, ids) {
  const digests = await Promise.all(ids.map(
    (id) => crypto.subtle.digest("SHA-256", encoder.encode(`${seedHash},${id}`))));
  return digests.map(hex);
}

async function selfCheck(seedHash, drawn) {
  const reference = await webCryptoTickets(seedHash, drawn.map((s) => s.station_id));
  drawn.forEach((s, i) => {
    if (s.ticket !== reference[i]) throw new Error(`SHA-256 disagrees with Web Crypto for ${s.station_id}`);
  });
}

// --- Reading the frame ------------------------------------------------------------
//
// As the server's reader does: UTF-8 with an optional byte-order mark, CSV with quoted
// fields ("" inside quotes is a quote), records ending at CRLF, CR or LF; the header
// names the columns in any order (case, spaces, hyphens and underscores do not count),
// extra columns are ignored; values lose the spaces around them; blank rows are skipped
// but counted. Row numbers are the spreadsheet's: the header is row 1.

// Python's str.isspace(), which str.strip() removes.
const SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const STRIP = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, "g");
const strip = (text) => text.replace(STRIP, "");
const LINE_BREAK = /[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

const PLAIN = /[^",\r\n]+/y;

function* records(text) {
  if (!text.includes('"')) {
    // no quoted field: lines and commas (the common frame, read several times faster)
    const lines = text.split(/\r\n|\r|\n/);
    if (lines[lines.length - 1] === "") lines.pop();
    for (const line of lines) yield line.split(",");
    return;
  }
  let field = "";
  let row = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '"' && field === "") {
      // a quoted field, up to its closing quote; what follows it joins the field
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close < 0) throw new FrameError("csv");
        field += text.slice(i, close);
        if (text[close + 1] === '"') {
          field += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      continue;
    }
    if (c === ",") {
      row.push(field);
      field = "";
      i++;
    } else if (c === "\r" || c === "\n") {
      row.push(field);
      yield row;
      row = [];
      field = "";
      i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
    } else if (c === '"') {
      field += c; // a quote inside an unquoted field is itself
      i++;
    } else {
      PLAIN.lastIndex = i;
      PLAIN.test(text);
      field += text.slice(i, PLAIN.lastIndex);
      i = PLAIN.lastIndex;
    }
  }
  if (field !== "" || row.length) {
    row.push(field);
    yield row;
  }
}

/** A frame file that cannot be read at all: "utf8", "csv" (an unclosed quote), "empty"
 * (no header), "columns" (station_id or stratum missing) or "no_stations". */
export class FrameError extends Error {
  constructor(reason, detail = "") {
    super(`${reason}: ${detail}`);
    this.name = "FrameError";
    this.reason = reason;
    this.detail = detail;
  }
}

const headerKey = (text) => strip(text).toLowerCase().replace(/[\s\-_()[\]]+/g, "_")
  .replace(/^_+|_+$/g, "");

/** The frame's stations and its problems (each {row, reason, id?, first?}: reasons
 * "fields", "empty_id", "id_lines", "duplicate", "empty_stratum", "stratum_lines"). */
export function readFrame(bytes) {
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new FrameError("utf8");
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const grid = records(text);
  const first = grid.next();
  if (first.done || !strip(first.value.join(""))) throw new FrameError("empty");
  const header = first.value.map(headerKey);
  while (header.length && !header[header.length - 1]) header.pop();
  const idAt = header.indexOf("station_id");
  const stratumAt = header.indexOf("stratum");
  if (idAt < 0 || stratumAt < 0) throw new FrameError("columns", header.join(", "));
  const stations = [];
  const problems = [];
  const seen = new Map();
  let row = 1;
  for (const cells of grid) {
    row++;
    if (!strip(cells.join(""))) continue;
    while (cells.length > header.length && !strip(cells[cells.length - 1])) cells.pop();
    if (cells.length !== header.length) {
      problems.push({ row, reason: "fields", found: cells.length, expected: header.length });
      continue;
    }
    const id = strip(cells[idAt]);
    const stratum = strip(cells[stratumAt]);
    if (!id) problems.push({ row, reason: "empty_id" });
    else if (LINE_BREAK.test(id)) problems.push({ row, reason: "id_lines" });
    else if (seen.has(id)) problems.push({ row, reason: "duplicate", id, first: seen.get(id) });
    else if (!stratum) problems.push({ row, reason: "empty_stratum" });
    else if (LINE_BREAK.test(stratum)) problems.push({ row, reason: "stratum_lines" });
    else {
      seen.set(id, row);
      stations.push({ station_id: id, stratum });
    }
  }
  if (!stations.length && !problems.length) throw new FrameError("no_stations");
  return { stations, problems };
}

// --- The draw ---------------------------------------------------------------------

/** A draw that cannot be made: reason "size" (not between 1 and the frame's size). */
export class SampleError extends Error {
  constructor(reason, { found = "", expected = "" } = {}) {
    super(`${reason}: ${found}`);
    this.name = "SampleError";
    this.reason = reason;
    this.found = found;
    this.expected = expected;
  }
}

/** The shares of `size` as [[stratum, n], …] by stratum name; `sizes` is a Map of
 * stratum → stations. Remainders are compared exactly, as whole numbers
 * (size × N_s mod K): K and the size are at most a few million, far below 2^53. */
export function allocate(sizes, size) {
  let total = 0;
  for (const count of sizes.values()) total += count;
  if (!Number.isInteger(size) || size < 1 || size > total) {
    throw new SampleError("size", { found: String(size), expected: `1-${total}` });
  }
  const names = [...sizes.keys()].sort(compareCodePoints);
  const shares = new Map(names.map((name) => [name, Math.floor(size * sizes.get(name) / total)]));
  let left = size;
  for (const n of shares.values()) left -= n;
  const byRemainder = [...names].sort((a, b) =>
    (size * sizes.get(b)) % total - (size * sizes.get(a)) % total || compareCodePoints(a, b));
  for (const name of byRemainder.slice(0, left)) shares.set(name, shares.get(name) + 1);
  return names.map((name) => [name, shares.get(name)]);
}

/** The sample of `size` stations ({station_id, stratum}, checked by readFrame) that
 * `seed` gives: {seed_sha256, strata: [[name, n]], stations: [{station_id, stratum,
 * ticket}]}. */
export async function drawSample(stations, seed, size) {
  const members = new Map(); // stratum → its stations' places in the frame
  stations.forEach((s, n) => {
    if (!members.has(s.stratum)) members.set(s.stratum, []);
    members.get(s.stratum).push(n);
  });
  const strata = allocate(new Map([...members].map(([name, places]) => [name, places.length])), size);
  const seedHash = await seedSha256(seed);
  const ids = stations.map((s) => s.station_id);
  const words = sha256WithPrefix(`${seedHash},`, ids);
  const chosen = [];
  for (const [name, share] of strata) {
    if (!share) continue;
    const ranked = members.get(name).sort((i, j) =>
      compareDigests(words, i, j) || compareCodePoints(ids[i], ids[j]));
    for (const n of ranked.slice(0, share)) {
      chosen.push({ station_id: ids[n], stratum: name, ticket: hexAt(words, n) });
    }
  }
  await selfCheck(seedHash, chosen);
  return { seed_sha256: seedHash, strata, stations: chosen };
}

/** The published form: {"algorithm", "frame_sha256"?, "seed_sha256", "strata",
 * "stations"}, as a JSON text (strata in name order: an object's own key order would put
 * numeric names first). */
export function publishedJson(sample, frameHash = null) {
  const strata = sample.strata.map(([name, n]) => `${JSON.stringify(name)}:${n}`).join(",");
  const head = { algorithm: ALGORITHM };
  if (frameHash) head.frame_sha256 = frameHash;
  head.seed_sha256 = sample.seed_sha256;
  return `${JSON.stringify(head).slice(0, -1)},"strata":{${strata}},"stations":${
    JSON.stringify(sample.stations.map((s) => s.station_id))}}`;
}

// --- Verifying a published draw ---------------------------------------------------

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

function mismatch(kind, where = "", expected = "", found = "") {
  return { kind, where, expected, found };
}

/** Redo a published draw (a JSON text or a parsed value): null when it is exactly the
 * draw the frame and the seed give, else the first difference {kind, where, expected,
 * found}, in the order of the Python verify: malformed, algorithm, frame_sha256 (when
 * both are known), seed_sha256 (when published), size, strata (by name), stations (by
 * place, from 1). Also returns the redone draw when it could be made. */
export async function verifySample(published, stations, seed, frameHash = null) {
  if (typeof published === "string") {
    try {
      published = JSON.parse(published);
    } catch {
      return { mismatch: mismatch("malformed", "json"), sample: null };
    }
  }
  const fail = (m) => ({ mismatch: m, sample: null });
  if (!isObject(published)) return fail(mismatch("malformed", "$"));
  const { strata, stations: listed } = published;
  if (!isObject(strata) || !Object.values(strata).every(Number.isInteger)) {
    return fail(mismatch("malformed", "strata"));
  }
  if (!Array.isArray(listed) || !listed.every((s) => typeof s === "string")) {
    return fail(mismatch("malformed", "stations"));
  }
  for (const field of ["frame_sha256", "seed_sha256"]) {
    if (Object.hasOwn(published, field) && typeof published[field] !== "string") {
      return fail(mismatch("malformed", field));
    }
  }
  if (published.algorithm !== ALGORITHM) {
    return fail(mismatch("algorithm", "", ALGORITHM, String(published.algorithm ?? "")));
  }
  if (Object.hasOwn(published, "frame_sha256") && frameHash && published.frame_sha256 !== frameHash) {
    return fail(mismatch("frame_sha256", "", frameHash, published.frame_sha256));
  }
  const seedHash = await seedSha256(seed);
  if (Object.hasOwn(published, "seed_sha256") && published.seed_sha256 !== seedHash) {
    return fail(mismatch("seed_sha256", "", seedHash, published.seed_sha256));
  }
  const total = Object.values(strata).reduce((a, b) => a + b, 0);
  if (total !== listed.length) return fail(mismatch("size", "", String(listed.length), String(total)));
  if (listed.length < 1 || listed.length > stations.length) {
    return fail(mismatch("size", "", `1 to ${stations.length}`, String(listed.length)));
  }
  const sample = await drawSample(stations, seed, listed.length);
  const want = new Map(sample.strata);
  const names = [...new Set([...want.keys(), ...Object.keys(strata)])].sort(compareCodePoints);
  for (const name of names) {
    const expected = want.has(name) ? String(want.get(name)) : "";
    const found = Object.hasOwn(strata, name) ? String(strata[name]) : "";
    if (expected !== found) return { mismatch: mismatch("strata", name, expected, found), sample };
  }
  for (let i = 0; i < listed.length; i++) {
    if (sample.stations[i].station_id !== listed[i]) {
      return { mismatch: mismatch("stations", String(i + 1), sample.stations[i].station_id, listed[i]), sample };
    }
  }
  return { mismatch: null, sample };
}

// --- The page ---------------------------------------------------------------------
//
// The page (portal/pvt_verify.html) marks its verifier with data-pvt-verifier and names
// the json_script block holding its translated messages. Its inputs have no form names,
// so the form can send nothing: everything happens here.

function show(element, visible) {
  if (element) element.hidden = !visible;
}

function fill(root, field, text) {
  for (const element of root.querySelectorAll(`[data-field="${field}"]`)) element.textContent = text;
}

function cell(text, dir = "auto") {
  const td = document.createElement("td");
  td.dir = dir;
  td.textContent = text;
  return td;
}

function format(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
}

/** Attach the verifier to its element on the page. */
export function mountVerifier(root) {
  const messages = JSON.parse(document.getElementById(root.dataset.messages).textContent);
  const form = root.querySelector("form");
  const frameInput = root.querySelector("[data-input=frame]");
  const seedInput = root.querySelector("[data-input=seed]");
  const sizeInput = root.querySelector("[data-input=size]");
  const drawText = root.querySelector("[data-input=draw]");
  const drawFile = root.querySelector("[data-input=draw-file]");
  const status = root.querySelector("[data-status]");
  const problems = root.querySelector("[data-problems]");
  const result = root.querySelector("[data-result]");
  const matched = root.querySelector("[data-match]");
  const mismatched = root.querySelector("[data-mismatch]");
  let run = 0;

  function say(message) {
    status.textContent = message;
    show(status, Boolean(message));
  }

  function reset() {
    for (const part of [problems, result, matched, mismatched]) show(part, false);
  }

  function showProblems(list) {
    const items = list.slice(0, 50).map((p) => {
      const li = document.createElement("li");
      li.textContent = format(messages.row, { row: p.row }) + " " +
        format(messages.problems[p.reason], p);
      return li;
    });
    if (list.length > 50) {
      const li = document.createElement("li");
      li.textContent = format(messages.more_problems, { count: list.length - 50 });
      items.push(li);
    }
    problems.querySelector("ul").replaceChildren(...items);
    show(problems, true);
  }

  function showSample(sample, frame, frameHash) {
    fill(result, "frame_sha256", frameHash);
    fill(result, "seed_sha256", sample.seed_sha256);
    fill(result, "frame_size", String(frame.length));
    fill(result, "size", String(sample.stations.length));
    const counts = new Map();
    for (const s of frame) counts.set(s.stratum, (counts.get(s.stratum) || 0) + 1);
    result.querySelector("[data-table=strata] tbody").replaceChildren(...sample.strata.map(([name, n]) => {
      const tr = document.createElement("tr");
      tr.append(cell(name), cell(String(counts.get(name)), "ltr"), cell(String(n), "ltr"));
      return tr;
    }));
    result.querySelector("[data-table=stations] tbody").replaceChildren(...sample.stations.map((s, i) => {
      const tr = document.createElement("tr");
      const t = cell(s.ticket.slice(0, 16) + "…", "ltr");
      t.className = "hash";
      tr.append(cell(String(i + 1), "ltr"), cell(s.station_id), cell(s.stratum), t);
      return tr;
    }));
    const json = result.querySelector("[data-field=json]");
    if (json) json.textContent = publishedJson(sample, frameHash);
    show(result, true);
  }

  async function check() {
    const current = ++run;
    reset();
    root.dataset.state = "busy";
    const chosen = frameInput.files && frameInput.files[0];
    if (!chosen) {
      say(messages.no_frame);
      root.dataset.state = "idle";
      return;
    }
    say(messages.working);
    const started = performance.now();
    const bytes = new Uint8Array(await chosen.arrayBuffer());
    let frame;
    try {
      frame = readFrame(bytes);
    } catch (error) {
      if (current !== run) return;
      say(format(messages.frame_errors[error.reason] || messages.frame_errors.csv, { header: error.detail }));
      root.dataset.state = "bad_input";
      return;
    }
    if (frame.problems.length) {
      if (current !== run) return;
      say(format(messages.frame_rejected, { count: frame.problems.length }));
      showProblems(frame.problems);
      root.dataset.state = "bad_input";
      return;
    }
    const frameHash = await frameSha256(bytes);
    const seed = seedInput.value;
    const publishedText = drawText.value.trim();
    let sample;
    let outcome = null;
    try {
      if (publishedText) {
        outcome = await verifySample(publishedText, frame.stations, seed, frameHash);
        sample = outcome.sample;
      } else {
        const size = Number(sizeInput.value);
        sample = await drawSample(frame.stations, seed, size);
      }
    } catch (error) {
      if (current !== run) return;
      say(error instanceof SampleError ? format(messages.bad_size, { frame: frame.stations.length })
        : messages.failed);
      root.dataset.state = "bad_input";
      return;
    }
    if (current !== run) return;
    root.dataset.ms = String(Math.round(performance.now() - started));
    say("");
    if (sample) showSample(sample, frame.stations, frameHash);
    if (!outcome) {
      root.dataset.state = "drawn";
      return;
    }
    if (!outcome.mismatch) {
      show(matched, true);
      root.dataset.state = "match";
      return;
    }
    const m = outcome.mismatch;
    fill(mismatched, "what", format(messages.kinds[m.kind], { where: m.where }));
    mismatched.dataset.kind = m.kind;
    fill(mismatched, "expected", m.expected);
    fill(mismatched, "found", m.found);
    for (const field of ["expected", "found"]) {
      for (const element of mismatched.querySelectorAll(`[data-row="${field}"]`)) show(element, Boolean(m[field]));
    }
    show(mismatched, true);
    root.dataset.state = "mismatch";
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    check();
  });
  drawFile.addEventListener("change", async () => {
    const file = drawFile.files && drawFile.files[0];
    if (file) drawText.value = await file.text();
  });
  root.dataset.state = "idle";
}

if (typeof document !== "undefined") {
  for (const root of document.querySelectorAll("[data-pvt-verifier]")) mountVerifier(root);
}
