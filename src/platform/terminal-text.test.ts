import { describe, expect, it } from "vitest";
import { printable } from "./terminal-text.ts";

describe("printable", () => {
  it("should escape control characters and bidirectional overrides, and leave other text alone", () => {
    expect(printable("Acme Cloud Ltd — Zürich 東京")).toBe("Acme Cloud Ltd — Zürich 東京");
    expect(printable("Evil\u001b[2J\u001b]0;owned\u0007 Co")).toBe(
      "Evil\\x1b[2J\\x1b]0;owned\\x07 Co",
    );
    expect(printable("line\nbreak\ttab\rreturn\u007f\u009b")).toBe(
      "line\\x0abreak\\x09tab\\x0dreturn\\x7f\\x9b",
    );
    expect(printable("abc\u202edcba")).toBe("abc\\u202edcba");
    // A backslash is doubled, so "\x1b" typed as text stays distinguishable from the escape.
    expect(printable("a\\x1b")).toBe("a\\\\x1b");
  });
});
