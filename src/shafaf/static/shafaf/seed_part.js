// A contributor's commitment to a part of a lottery's seed, made in their browser
// (docs/lottery.md, "Committed seed parts"). The part and the secret are typed into
// fields without a name, outside the form: they are never sent. Only the SHA-256
// commitment goes into the form's field. Without this script, a contributor computes
// the hash themselves (printf 'shafaf-seed-part/1\n%s\n%s' SECRET PART | sha256sum)
// and pastes it.

import { seedPartCommitment } from "./lottery.js";

function randomSecret() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

for (const root of document.querySelectorAll("[data-seed-part-committer]")) {
  const value = root.querySelector("[data-part-value]");
  const secret = root.querySelector("[data-part-nonce]");
  const compute = root.querySelector("[data-part-compute]");
  const form = root.querySelector("form[data-step=commit]");
  const field = form.querySelector("input[name='commit-commitment']");
  if (!secret.value) secret.value = randomSecret();

  async function fill() {
    const part = value.value.trim();
    const nonce = secret.value.trim();
    if (!part) { value.focus(); return false; }
    if (nonce.length < 16) { secret.focus(); return false; }
    field.value = await seedPartCommitment(part, nonce);
    return true;
  }

  compute.addEventListener("click", () => { fill(); });
  form.addEventListener("submit", async (event) => {
    if (field.value || !value.value.trim()) return;
    event.preventDefault();
    if (await fill()) form.submit();
  });
}
