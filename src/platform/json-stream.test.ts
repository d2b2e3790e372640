import { describe, expect, it } from "vitest";
import {
  formatPath,
  type JsonMatch,
  JsonScanner,
  type JsonSelector,
  JsonStreamError,
  readJsonValues,
} from "./json-stream.ts";

const RESULTS: JsonSelector[] = [{ path: ["runs", "*", "results", "*"] }, { path: ["version"] }];

function scanAll(
  text: string | Buffer,
  selectors: JsonSelector[],
  cuts: number[] = [],
): JsonMatch[] {
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  const scanner = new JsonScanner(selectors);
  const out: JsonMatch[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(...scanner.push(bytes.subarray(from, cut)));
    from = cut;
  }
  out.push(...scanner.end());
  return out;
}

function errorOf(text: string, selectors: JsonSelector[] = RESULTS): JsonStreamError {
  try {
    scanAll(text, selectors);
  } catch (error) {
    if (error instanceof JsonStreamError) return error;
    throw error;
  }
  throw new Error(`no error for ${text}`);
}

const DOC = `\uFEFF{
  "version": "2.1.0",
  "runs": [
    {"tool": {"driver": {"name": "t\\u00e9st"}}, "results": [
      {"ruleId": "r1", "message": {"text": "caf\u00e9 \u{1F600} \\"quoted\\" \\\\ \\n"}, "n": -12.5e+3},
      {"ruleId": "r2", "list": [true, false, null, 0, 1.25, -0, 3E2], "empty": {}, "e": []}
    ]},
    {"results": []},
    {"results": [{"x": "\u4E2D\u6587"}], "weird key \\" ": 1}
  ]
}
`;

describe("JsonScanner", () => {
  it("hands over the values at the selected paths, with their indexes", () => {
    const matches = scanAll(DOC, RESULTS);
    expect(matches.map((m) => [m.selector, formatPath(m.path)])).toEqual([
      [1, "version"],
      [0, "runs[0].results[0]"],
      [0, "runs[0].results[1]"],
      [0, "runs[2].results[0]"],
    ]);
    const parsed = JSON.parse(DOC.slice(1));
    expect(matches[1]?.value).toEqual(parsed.runs[0].results[0]);
    expect(matches[3]?.value).toEqual({ x: "中文" });
  });

  it("reads the same values whatever the chunk boundaries (every offset, and three-way splits)", () => {
    const bytes = Buffer.from(DOC);
    const whole = scanAll(bytes, RESULTS);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(scanAll(bytes, RESULTS, [cut])).toEqual(whole);
    }
    // bounded: a deterministic sample of pairs of cuts, every byte a chunk of its own once
    for (let a = 0; a < bytes.length; a += 7) {
      for (let b = a; b < bytes.length; b += 13) {
        expect(scanAll(bytes, RESULTS, [a, b])).toEqual(whole);
      }
    }
    const singles = Array.from({ length: bytes.length }, (_, i) => i);
    expect(scanAll(bytes, RESULTS, singles)).toEqual(whole);
  });

  it("matches members of an object with *, and keys with escapes", () => {
    const matches = scanAll('{"vulnerabilities": {"a\\u0062": 1, "@s/c": {"v": [2]}}}', [
      { path: ["vulnerabilities", "*"] },
    ]);
    expect(matches.map((m) => [m.path, m.value])).toEqual([
      [["vulnerabilities", "ab"], 1],
      [["vulnerabilities", "@s/c"], { v: [2] }],
    ]);
  });

  it("reports presence without capturing", () => {
    const matches = scanAll('{"a": [1, 2], "b": {"c": 1}}', [
      { path: ["a"], presence: true },
      { path: ["b", "c"] },
    ]);
    expect(matches).toEqual([
      { selector: 0, path: ["a"], value: undefined },
      { selector: 1, path: ["b", "c"], value: 1 },
    ]);
  });

  it("accepts any JSON value at the top level", () => {
    expect(scanAll(" 12 ", [{ path: [] }])[0]?.value).toBe(12);
    expect(scanAll("12", [{ path: [] }])[0]?.value).toBe(12);
    expect(scanAll('"x"', [{ path: [] }])[0]?.value).toBe("x");
    expect(scanAll("[null]", [{ path: [0] }])[0]?.value).toBe(null);
  });

  it.each([
    ['{"a": [1, 2,]}', "trailing comma", "a[2]"],
    ['{"a": 1,}', "trailing comma", ""],
    ['{"a": tru}', "invalid literal", "a"],
    ['{"a": nul', "unexpected end of file", "a"],
    ['{"a": "x', "unterminated string", "a"],
    ['{"a": "x\ty"}', "control character", "a"],
    ['{"a": 1} x', "after the end of the JSON value", ""],
    ['{"a": 1}{}', "after the end of the JSON value", ""],
    ['{"a": 01}', "leading zero", "a"],
    ['{"a": 1.}', "malformed number", "a"],
    ['{"a": -}', "malformed number", "a"],
    ['{"a": "\\x"}', "invalid escape", "a"],
    ['{"a": "\\u12G4"}', "invalid \\u escape", "a"],
    ['{"a" 1}', "expected ':'", "a"],
    ["{a: 1}", "member name", ""],
    ['{"a": 1 "b": 2}', "expected ',' or '}'", "a"],
    ['{"a": [1 2]}', "expected ',' or ']'", "a[0]"],
    ['{"a": }', "where a value was expected", "a"],
    ["", "empty document", ""],
    ["   ", "empty document", ""],
    ['{"runs": [{"results": [{"a": 1}, {"b": ', "unexpected end of file", "runs[0].results[1].b"],
  ])("rejects %j: %s", (text, reason, path) => {
    const error = errorOf(text);
    expect(error.reason).toContain(reason);
    expect(error.path).toBe(path);
  });

  it.each([
    '{"runs": [{"results": [\n  {"a": [1, 2,]}]}]}',
    '{"runs": [{"results": [{"a": 1},\n {"b": {"c": "x\ty"}}]}]}',
    '{"runs": [{"results": [{"a": tru}]}]}',
    '{"runs": [{"results": [{"a": "\\q"}]}]}',
    '{"runs": [{"results": [{"a": 01}]}]}',
    '{"runs": [{"results": [{"a" 1}]}]}',
    '{"runs": [{"results": [{"a": [}]}]}',
    '{"runs": [{"results": [{"a": {"b": [1]',
  ])("reports an error inside a captured value as it would elsewhere: %j", (text) => {
    const captured = errorOf(text, RESULTS);
    const skipped = errorOf(text, []);
    expect(captured.message).toBe(skipped.message);
    expect(captured.path.startsWith("runs[0].results[")).toBe(true);
  });

  it("names the line, column and byte offset of an error", () => {
    const error = errorOf('{\n  "runs": [\n    {"results": [1,, 2]}\n  ]\n}');
    expect(error).toMatchObject({ line: 3, column: 20, offset: 33, path: "runs[0].results[1]" });
    expect(error.message).toBe(
      "unexpected ',' where a value was expected at runs[0].results[1] (line 3, column 20, byte 33)",
    );
  });

  it("bounds the size of one captured value", () => {
    const scanner = new JsonScanner([{ path: ["a"] }], 10);
    scanner.push(Buffer.from('{"a": "0123'));
    expect(() => scanner.push(Buffer.from("456789abcdef"))).toThrow(/larger than 10 bytes/);
  });
});

describe("readJsonValues", () => {
  it("yields the matches of each chunk as the consumer asks", async () => {
    async function* chunks() {
      yield Buffer.from('{"runs": [{"results": [1, ');
      yield Buffer.from('2]}, {"results": [3]}]}');
    }
    const batches: unknown[][] = [];
    for await (const batch of readJsonValues(chunks(), RESULTS)) {
      batches.push(batch.map((m) => m.value));
    }
    expect(batches).toEqual([[1], [2, 3]]);
  });
});
