// The reporting form's anti-spam check, run in the reporter's browser: before the form is sent,
// fetch a challenge from the server (no cookie is sent or set) and find a counter such that
// SHA-256(challenge + ":" + counter) starts with the requested number of zero bits. The work
// costs a second or so once, and a great deal for anyone sending reports by the thousand;
// nothing about the reporter is involved, so the check keeps them anonymous. WebCrypto does the
// hashing; on a page served over plain http, where browsers withhold WebCrypto, the same
// SHA-256 runs in JavaScript below.
(() => {
  const form = document.querySelector("form[data-pow-url]");
  if (!form) return;
  const status = form.querySelector(".report-pow-status");
  const challengeField = form.elements.namedItem("powChallenge");
  const counterField = form.elements.namedItem("powCounter");
  const button = form.querySelector("button[type=submit]");
  const encoder = new TextEncoder();
  const BATCH = 256;
  const MAX_TRIES = 2 ** 31;
  let solving = false;

  function say(text) {
    if (status) status.textContent = text;
  }

  function zeroBits(bytes) {
    let count = 0;
    for (const byte of bytes) {
      if (byte === 0) {
        count += 8;
        continue;
      }
      return count + Math.clz32(byte) - 24;
    }
    return count;
  }

  const K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ]);
  const W = new Uint32Array(64);

  function rotr(x, n) {
    return (x >>> n) | (x << (32 - n));
  }

  /** SHA-256 of bytes (FIPS 180-4), for browsers without WebCrypto. */
  function sha256(bytes) {
    const blocks = Math.ceil((bytes.length + 9) / 64);
    const padded = new Uint8Array(blocks * 64);
    padded.set(bytes);
    padded[bytes.length] = 0x80;
    const view = new DataView(padded.buffer);
    const bitLength = bytes.length * 8;
    view.setUint32(padded.length - 8, Math.floor(bitLength / 2 ** 32));
    view.setUint32(padded.length - 4, bitLength >>> 0);
    const H = [
      0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
      0x5be0cd19,
    ];
    for (let offset = 0; offset < padded.length; offset += 64) {
      for (let i = 0; i < 16; i++) W[i] = view.getUint32(offset + i * 4);
      for (let i = 16; i < 64; i++) {
        const s0 = rotr(W[i - 15], 7) ^ rotr(W[i - 15], 18) ^ (W[i - 15] >>> 3);
        const s1 = rotr(W[i - 2], 17) ^ rotr(W[i - 2], 19) ^ (W[i - 2] >>> 10);
        W[i] = W[i - 16] + s0 + W[i - 7] + s1;
      }
      let [a, b, c, d, e, f, g, h] = H;
      for (let i = 0; i < 64; i++) {
        const t1 =
          (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
        const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        h = g;
        g = f;
        f = e;
        e = (d + t1) | 0;
        d = c;
        c = b;
        b = a;
        a = (t1 + t2) | 0;
      }
      H[0] = (H[0] + a) | 0;
      H[1] = (H[1] + b) | 0;
      H[2] = (H[2] + c) | 0;
      H[3] = (H[3] + d) | 0;
      H[4] = (H[4] + e) | 0;
      H[5] = (H[5] + f) | 0;
      H[6] = (H[6] + g) | 0;
      H[7] = (H[7] + h) | 0;
    }
    const out = new Uint8Array(32);
    const outView = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) outView.setUint32(i * 4, H[i] >>> 0);
    return out;
  }

  async function solveInScript(challenge, bits) {
    for (let counter = 0; counter < MAX_TRIES; counter++) {
      if (zeroBits(sha256(encoder.encode(`${challenge}:${counter}`))) >= bits)
        return String(counter);
      // Let the page breathe (the status line, the spinner) now and then.
      if (counter % 4096 === 4095) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    throw new Error("no solution within the bound");
  }

  async function solve(challenge, bits) {
    if (!window.crypto?.subtle) return solveInScript(challenge, bits);
    for (let start = 0; start < MAX_TRIES; start += BATCH) {
      const tries = [];
      for (let counter = start; counter < start + BATCH; counter++) {
        tries.push(crypto.subtle.digest("SHA-256", encoder.encode(`${challenge}:${counter}`)));
      }
      const digests = await Promise.all(tries);
      for (let i = 0; i < digests.length; i++) {
        if (zeroBits(new Uint8Array(digests[i])) >= bits) return String(start + i);
      }
    }
    throw new Error("no solution within the bound");
  }

  // Coming back to the page (history), a spent challenge must not be sent again.
  window.addEventListener("pageshow", () => {
    challengeField.value = "";
    counterField.value = "";
    solving = false;
    if (button) button.disabled = false;
  });

  form.addEventListener("submit", async (event) => {
    if (challengeField.value !== "" && counterField.value !== "") return;
    event.preventDefault();
    if (solving || !form.reportValidity()) return;
    solving = true;
    if (button) button.disabled = true;
    say("Running a short anti-spam check in your browser…");
    try {
      const response = await fetch(form.dataset.powUrl, {
        headers: { accept: "application/json" },
        cache: "no-store",
        credentials: "omit",
      });
      if (!response.ok) throw new Error(`challenge: HTTP ${response.status}`);
      const { challenge, bits } = await response.json();
      const counter = await solve(challenge, bits);
      challengeField.value = challenge;
      counterField.value = counter;
      say("Sending…");
      form.submit();
    } catch {
      say("The anti-spam check could not finish; please try again in a moment.");
      solving = false;
      if (button) button.disabled = false;
    }
  });
})();
