import { describe, expect, it } from "vitest";
import { daySchema, inputProblem, MAX_INPUT_DEPTH, timestamp, timestampText } from "./schemas.ts";

function nested(depth: number): unknown {
  let value: unknown = "leaf";
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe("inputProblem", () => {
  it("should name where a value nests too deep, however deep, without exhausting the stack", () => {
    expect(inputProblem({ a: nested(100_000) })).toEqual({
      field: `a${".0".repeat(MAX_INPUT_DEPTH - 1)}`,
      message: `nests deeper than ${MAX_INPUT_DEPTH} levels`,
    });
  });

  it("should take exactly the allowed depth and refuse one level more", () => {
    expect(inputProblem(nested(MAX_INPUT_DEPTH))).toBeUndefined();
    expect(inputProblem(nested(MAX_INPUT_DEPTH + 1))?.field).toBe(
      Array(MAX_INPUT_DEPTH).fill("0").join("."),
    );
  });

  it("should name the first string holding NUL, in key order", () => {
    expect(inputProblem({ a: "fine", b: { c: ["x", "y\u0000"] }, d: "\u0000" })).toEqual({
      field: "b.c.1",
      message: "must not contain the NUL character",
    });
    expect(inputProblem("\u0000")?.field).toBe("");
    expect(inputProblem({ a: [1, true, null, "ok"] })).toBeUndefined();
  });

  it("should name a string or a key holding a lone surrogate, and take a well-formed pair", () => {
    const lone = JSON.parse('{"name": "\\ud800 lone", "ok": "\\ud83d\\ude00"}');
    expect(inputProblem(lone)).toEqual({
      field: "name",
      message: "must be well-formed Unicode: it holds a lone surrogate",
    });
    expect(inputProblem({ ok: "😀 \ud83d\ude00", tail: "\udc00" })?.field).toBe("tail");
    expect(inputProblem({ a: { "\udfff": 1 } })?.field).toBe("a.\udfff");
    expect(inputProblem({ a: { "b\u0000": 1 } })?.message).toBe(
      "must not contain the NUL character",
    );
    expect(inputProblem({ fine: "😀", ключ: "значение" })).toBeUndefined();
  });
});

describe("dates and timestamps", () => {
  it("should take calendar days from 1900-01-01 to 2999-12-31 only", () => {
    for (const day of ["1900-01-01", "2024-02-29", "2999-12-31"]) {
      expect({ day, ok: daySchema.safeParse(day).success }).toEqual({ day, ok: true });
    }
    for (const day of ["0000-01-01", "1899-12-31", "3000-01-01", "2023-02-29", "2026-1-1"]) {
      expect({ day, ok: daySchema.safeParse(day).success }).toEqual({ day, ok: false });
    }
  });

  it("should decode timestamps in the range only, and still encode any stored date", () => {
    expect(timestamp.safeDecode("1900-01-01T00:00:00Z").success).toBe(true);
    expect(timestamp.safeDecode("0000-01-01T00:00:00Z").success).toBe(false);
    expect(timestamp.safeDecode("1900-01-01T00:30:00+01:00").success).toBe(false);
    expect(timestamp.safeDecode("3000-01-01T00:00:00Z").success).toBe(false);
    expect(timestampText.safeParse("0000-01-01T00:00:00Z").success).toBe(false);
    expect(timestamp.encode(new Date("0001-01-01T00:00:00Z"))).toBe("0001-01-01T00:00:00.000Z");
  });
});
