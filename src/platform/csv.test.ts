import { describe, expect, it } from "vitest";
import {
  CsvError,
  CsvParser,
  decodeCsvText,
  headerKey,
  parseCsv,
  parseDay,
  parseFlag,
  readHeader,
} from "./csv.ts";

const fieldsOf = (text: string) => parseCsv(text).map((r) => r.fields);

describe("parseCsv", () => {
  it("should read plain fields and records on LF or CRLF", () => {
    expect(fieldsOf("a,b\n1,2\n")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(fieldsOf("a,b\r\n1,2\r\n3,4")).toEqual([
      ["a", "b"],
      ["1", "2"],
      ["3", "4"],
    ]);
  });

  it("should read quoted fields with commas, doubled quotes and line breaks", () => {
    const records = parseCsv('name,note\r\n"Doe, Jane","said ""hi""\r\nand left"\r\nnext,x\r\n');
    expect(records.map((r) => r.fields)).toEqual([
      ["name", "note"],
      ["Doe, Jane", 'said "hi"\r\nand left'],
      ["next", "x"],
    ]);
    // A record is named by the line it starts on.
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it("should keep empty fields, and an empty quoted field", () => {
    expect(fieldsOf('a,,""\n')).toEqual([["a", "", ""]]);
  });

  it("should drop a byte-order mark and blank lines", () => {
    expect(fieldsOf("\uFEFFa,b\n\n,\n1,2\n")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("should refuse an unterminated quote, naming the line it opened on", () => {
    expect(() => parseCsv('a\n"open\nstill open')).toThrow(CsvError);
    try {
      parseCsv('a\n"open\nstill open');
    } catch (error) {
      expect((error as CsvError).line).toBe(2);
    }
  });

  it("should refuse a quote inside an unquoted field and text after a closing quote", () => {
    expect(() => parseCsv('ab"c\n')).toThrow(/double quote inside an unquoted field/);
    expect(() => parseCsv('"ab"c\n')).toThrow(/after the closing double quote/);
  });
});

describe("CsvParser", () => {
  const text = '\uFEFFname,"note, with comma"\r\n"x ""y""","multi\r\nline"\r\nlast,one';

  it("should read the same records pushed one character at a time as in one push", () => {
    const whole = parseCsv(text);
    for (const size of [1, 2, 3, 7]) {
      const parser = new CsvParser();
      const records = [];
      for (let i = 0; i < text.length; i += size)
        records.push(...parser.push(text.slice(i, i + size)));
      records.push(...parser.end());
      expect(records).toEqual(whole);
    }
  });

  it("should split a CRLF across chunks as one line break", () => {
    const parser = new CsvParser();
    const records = [...parser.push("a,b\r"), ...parser.push("\n1,2\r"), ...parser.push("\n")];
    records.push(...parser.end());
    expect(records).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["1", "2"] },
    ]);
  });
});

describe("readHeader", () => {
  const spec = [
    { name: "name", required: true },
    { name: "start_date", required: true },
    { name: "manager_email", aliases: ["manager"] },
  ];

  it("should match names in any case and spacing, and aliases", () => {
    expect(headerKey(" Start Date ")).toBe("start_date");
    expect(headerKey("startDate")).toBe("start_date");
    const header = readHeader({ line: 1, fields: ["NAME", "start-date", "Manager"] }, spec);
    expect(header.problems).toEqual([]);
    expect(header.valuesOf({ line: 2, fields: [" Ann ", "2026-01-01", "b@x.test"] })).toEqual({
      name: "Ann",
      start_date: "2026-01-01",
      manager_email: "b@x.test",
    });
  });

  it("should name unknown, repeated and missing columns", () => {
    const header = readHeader({ line: 1, fields: ["name", "Name", "colour"] }, spec);
    expect(header.problems.map((p) => p.column)).toEqual(["Name", "colour", "start_date"]);
  });
});

describe("values", () => {
  it("should take only days that exist", () => {
    expect(parseDay("2024-02-29")).toBe("2024-02-29");
    expect(parseDay("2023-02-29")).toBeNull();
    expect(parseDay("2026-1-1")).toBeNull();
  });

  it("should read flags", () => {
    expect(parseFlag("Yes")).toBe(true);
    expect(parseFlag("0")).toBe(false);
    expect(parseFlag("")).toBe(false);
    expect(parseFlag("maybe")).toBeNull();
  });

  it("should refuse bytes that are not UTF-8 text", () => {
    expect(decodeCsvText(new TextEncoder().encode("a,b\n"))).toBe("a,b\n");
    expect(() => decodeCsvText(new Uint8Array([0x50, 0x4b, 0x00]))).toThrow(/NUL/);
    expect(() => decodeCsvText(new Uint8Array([0xff, 0xfe, 0x41]))).toThrow(/UTF-8/);
  });
});
