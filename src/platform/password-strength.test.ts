import { describe, expect, it } from "vitest";
import { assertStrongPassword, passwordWeakness } from "./password-strength.ts";

const grace = {
  email: "grace.hopper@navy.example",
  name: "Grace Hopper",
  organizationName: "Navy Labs",
};

describe("password strength", () => {
  it("should say why a common or repeated password is weak, with a hint", () => {
    expect(passwordWeakness("aaaaaaaaaaaa")).toMatch(/^repeats characters; try three or four/);
    expect(passwordWeakness("password1234")).toMatch(/^is too common; /);
    expect(passwordWeakness("abcdefghijkl")).toMatch(/^is a predictable sequence; /);
  });

  it("should name the detail of the person or organization a password is made of", () => {
    expect(passwordWeakness("grace.hopper@navy.example", grace)).toMatch(
      /^contains your email address; /,
    );
    expect(passwordWeakness("gracehopper2024", grace)).toMatch(/^contains your/);
    expect(passwordWeakness("navylabs2026!", grace)).toMatch(/^contains the organization's name/);
    // Without the context the same password is not recognised as personal.
    expect(passwordWeakness("navylabs2026!")).toBeNull();
  });

  it("should accept passphrases and random passwords, including the test and demo defaults", () => {
    expect(passwordWeakness("correct horse battery staple", grace)).toBeNull();
    expect(passwordWeakness("attest demo password", grace)).toBeNull();
    expect(passwordWeakness("plum kettle orbit saxophone", grace)).toBeNull();
    expect(passwordWeakness("zq8-Lm3r-Vx2p", grace)).toBeNull();
  });

  it("should judge a long l33t-heavy password by its start, so the check stays bounded", () => {
    expect(passwordWeakness("p@ssw0rd".repeat(32))).toMatch(/^repeats characters/);
    expect(passwordWeakness("a".repeat(256))).toMatch(/^repeats characters/);
  });

  it("should refuse with a validation error naming the field", () => {
    expect(() => assertStrongPassword("newPassword", "password1234")).toThrow(
      expect.objectContaining({
        code: "validation_failed",
        fieldErrors: [{ field: "newPassword", message: expect.stringMatching(/^is too common/) }],
      }),
    );
  });
});
