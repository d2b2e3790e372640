import { describe, expect, it } from "vitest";
import { diffLines } from "./line-diff.ts";

describe("line diff", () => {
  it("should mark added, removed and unchanged lines", () => {
    expect(diffLines("a\nb\nc", "a\nx\nc\nd")).toEqual([
      { op: "same", text: "a" },
      { op: "removed", text: "b" },
      { op: "added", text: "x" },
      { op: "same", text: "c" },
      { op: "added", text: "d" },
    ]);
  });

  it("should find nothing to change in equal texts", () => {
    expect(diffLines("one\ntwo", "one\ntwo").every((l) => l.op === "same")).toBe(true);
  });

  it("should keep the longest common run", () => {
    const ops = diffLines("x\na\nb\nc", "a\nb\nc\ny").map((l) => `${l.op[0]}${l.text}`);
    expect(ops).toEqual(["rx", "sa", "sb", "sc", "ay"]);
  });
});
