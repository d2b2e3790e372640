import { describe, expect, it } from "vitest";
import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  otpauthUrl,
  totpCode,
  verifyTotp,
} from "./totp.ts";

// RFC 6238 appendix B: the SHA-1 secret is the ASCII string "12345678901234567890".
const RFC_SECRET = base32Encode(Buffer.from("12345678901234567890"));

describe("TOTP", () => {
  it("should produce the RFC 6238 test vectors (last six digits)", () => {
    expect(totpCode(RFC_SECRET, new Date(59_000))).toBe("287082");
    expect(totpCode(RFC_SECRET, new Date(1_111_111_109_000))).toBe("081804");
    expect(totpCode(RFC_SECRET, new Date(1_234_567_890_000))).toBe("005924");
    expect(totpCode(RFC_SECRET, new Date(2_000_000_000_000))).toBe("279037");
  });

  it("should accept the current step and one either side, and nothing further", () => {
    const secret = generateTotpSecret();
    const now = new Date(1_700_000_000_000);
    const step = Math.floor(now.getTime() / 30_000);
    expect(verifyTotp(secret, totpCode(secret, now), now)).toBe(step);
    expect(verifyTotp(secret, totpCode(secret, now, -1), now)).toBe(step - 1);
    expect(verifyTotp(secret, totpCode(secret, now, 1), now)).toBe(step + 1);
    const far = totpCode(secret, now, 3);
    const near = [-1, 0, 1].map((o) => totpCode(secret, now, o));
    if (!near.includes(far)) expect(verifyTotp(secret, far, now)).toBeNull();
  });

  it("should refuse anything that is not six digits", () => {
    const secret = generateTotpSecret();
    for (const code of ["", "12345", "1234567", "abcdef", "12 456"]) {
      expect(verifyTotp(secret, code, new Date())).toBeNull();
    }
  });

  it("should round-trip base32 and build an otpauth URL", () => {
    const bytes = Buffer.from("any bytes at all, even odd lengths!");
    expect(base32Decode(base32Encode(bytes))).toEqual(bytes);
    expect(generateTotpSecret()).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(otpauthUrl("JBSWY3DPEHPK3PXP", "ada@acme.test", "Attest (Acme)"));
    expect(url.protocol).toBe("otpauth:");
    expect(url.searchParams.get("secret")).toBe("JBSWY3DPEHPK3PXP");
    expect(url.searchParams.get("issuer")).toBe("Attest (Acme)");
  });
});
