import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root, and its source folder. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SRC = path.join(ROOT, "src");

/** A path relative to the repository, with forward slashes: how the tests print and list files. */
export function relative(file: string): string {
  return path.relative(ROOT, file).split(path.sep).join("/");
}

/** The TypeScript source files under a folder (tests excluded), sorted. */
export function sourceFiles(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  const found: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...sourceFiles(full));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) found.push(full);
  }
  return found.sort();
}

/** A template literal found in source: its tag (e.g. "sql") and its text with `${…}` as "?". */
export interface Template {
  tag: string;
  text: string;
  offset: number;
}

/** Source with its comments blanked out (offsets and lines kept), and its template literals. */
export interface Lexed {
  code: string;
  templates: Template[];
}

/**
 * A small lexer for TypeScript: enough to tell comments, strings, template literals (nested
 * through `${…}`) and regular-expression literals apart, so that what the architecture tests
 * look for is found in code and SQL only, never in a comment or a message.
 */
export function lex(source: string): Lexed {
  const out = source.split("");
  const templates: Template[] = [];
  let i = 0;

  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };

  // A `/` starts a regular expression where an expression may begin.
  const regexMayStart = (at: number) => {
    let k = at - 1;
    while (k >= 0 && /\s/.test(source[k] ?? "")) k--;
    if (k < 0) return true;
    const before = source[k] ?? "";
    if ("(,=:[!&|?{};+-*%<>~^".includes(before)) return true;
    const word = /[A-Za-z_$]+$/.exec(source.slice(Math.max(0, k - 10), k + 1))?.[0];
    return (
      word !== undefined && ["return", "typeof", "case", "do", "else", "in", "of"].includes(word)
    );
  };

  const skipString = (quote: string) => {
    i++;
    while (i < source.length && source[i] !== quote) {
      if (source[i] === "\\") i++;
      i++;
    }
    i++;
  };

  const skipRegex = () => {
    i++;
    let inClass = false;
    while (i < source.length) {
      const c = source[i];
      if (c === "\\") i++;
      else if (c === "[") inClass = true;
      else if (c === "]") inClass = false;
      else if (c === "/" && !inClass) break;
      else if (c === "\n") break;
      i++;
    }
    i++;
  };

  // Reads a template literal from its backtick; returns its static text.
  const readTemplate = (): string => {
    i++;
    let text = "";
    while (i < source.length && source[i] !== "`") {
      if (source[i] === "\\") {
        text += source[i + 1] ?? "";
        i += 2;
      } else if (source[i] === "$" && source[i + 1] === "{") {
        i += 2;
        readCode("}");
        i++;
        text += "?";
      } else {
        text += source[i];
        i++;
      }
    }
    i++;
    return text;
  };

  // Reads code up to an unmatched `until` (or the end).
  function readCode(until: string | null) {
    let depth = 0;
    while (i < source.length) {
      const c = source[i] ?? "";
      const next = source[i + 1];
      if (c === "/" && next === "/") {
        const end = source.indexOf("\n", i);
        const stop = end === -1 ? source.length : end;
        blank(i, stop);
        i = stop;
      } else if (c === "/" && next === "*") {
        const end = source.indexOf("*/", i + 2);
        const stop = end === -1 ? source.length : end + 2;
        blank(i, stop);
        i = stop;
      } else if (c === "/" && regexMayStart(i)) {
        skipRegex();
      } else if (c === '"' || c === "'") {
        skipString(c);
      } else if (c === "`") {
        const before = source.slice(Math.max(0, i - 60), i);
        const tag = /([A-Za-z_$][\w$.]*)\s*(?:<[^`;]*>)?\s*$/.exec(before)?.[1] ?? "";
        const offset = i;
        templates.push({ tag, text: readTemplate(), offset });
      } else {
        if (c === "{") depth++;
        if (c === "}") {
          if (depth === 0 && until === "}") return;
          depth--;
        }
        i++;
      }
    }
  }

  readCode(null);
  return { code: out.join(""), templates };
}

/** The line (1-based) of an offset in a source. */
export function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let k = 0; k < offset && k < source.length; k++) if (source[k] === "\n") line++;
  return line;
}
