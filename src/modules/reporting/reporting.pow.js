// The reporting form's anti-spam check, run in the reporter's browser: before the form is sent,
// fetch a challenge from the server (no cookie is sent or set) and find a counter such that
// SHA-256(challenge + ":" + counter) starts with the requested number of zero bits. The work
// costs a second or so once, and a great deal for anyone sending reports by the thousand;
// nothing about the reporter is involved, so the check keeps them anonymous.
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

  async function solve(challenge, bits) {
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
    if (!window.crypto?.subtle) {
      say("This browser cannot run the anti-spam check here: it needs the page over https.");
      return;
    }
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
