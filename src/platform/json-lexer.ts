/**
 * The JSON reader's parts below the scanner (json-scanner.ts): paths and errors, the number
 * grammar, and the skipper that follows a captured value's strings and brackets.
 */

/** One step of a path: an object member's key or an array element's index. */
export type PathKey = string | number;

/** A path to select: keys, indexes, and "*" for any member or element. */
export type PathPattern = readonly (string | number)[];

export interface JsonSelector {
  path: PathPattern;
  /** Only report that a value is there (value undefined), without capturing it. */
  presence?: boolean;
}

export interface JsonMatch {
  /** Index of the selector that matched. */
  selector: number;
  path: PathKey[];
  value: unknown;
}

export class JsonStreamError extends Error {
  constructor(
    readonly reason: string,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
    readonly path: string,
  ) {
    super(
      `${reason} at ${path || "the top level"} (line ${line}, column ${column}, byte ${offset})`,
    );
    this.name = "JsonStreamError";
  }

  /** "runs[0].results[3] (line 12, column 5)" — where, for a problem report. */
  get where(): string {
    return `${this.path || "top level"} (line ${this.line}, column ${this.column})`;
  }
}

/** `runs[0].results[12]`, `vulnerabilities["@scope/pkg"]`. */
export function formatPath(path: readonly PathKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

export enum N {
  Minus = 0,
  Zero = 1,
  Int = 2,
  Dot = 3,
  Frac = 4,
  E = 5,
  ESign = 6,
  Exp = 7,
}

export const NUMBER_END = -1;
export const NUMBER_BAD = -2;
export const NUMBER_LEADING_ZERO = -3;

/** The number state after byte c: a state, or NUMBER_END (c follows the number), or an error. */
export function numberStep(state: N, c: number): number {
  const digit = c >= 0x30 && c <= 0x39;
  switch (state) {
    case N.Minus:
      return digit ? (c === 0x30 ? N.Zero : N.Int) : NUMBER_BAD;
    case N.Zero:
    case N.Int:
      if (digit) return state === N.Int ? N.Int : NUMBER_LEADING_ZERO;
      if (c === 0x2e) return N.Dot;
      if (c === 0x65 || c === 0x45) return N.E;
      break;
    case N.Dot:
      return digit ? N.Frac : NUMBER_BAD;
    case N.Frac:
      if (digit) return N.Frac;
      if (c === 0x65 || c === 0x45) return N.E;
      break;
    case N.E:
      if (c === 0x2b || c === 0x2d) return N.ESign;
      return digit ? N.Exp : NUMBER_BAD;
    case N.ESign:
      return digit ? N.Exp : NUMBER_BAD;
    case N.Exp:
      if (digit) return N.Exp;
      break;
  }
  return c === 0x2c || c === 0x5d || c === 0x7d ? NUMBER_END : NUMBER_BAD;
}

export function numberCanEnd(state: N): boolean {
  return state === N.Zero || state === N.Int || state === N.Frac || state === N.Exp;
}

export function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

export function describe(c: number): string {
  if (c >= 0x20 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, "0")}`;
}

/**
 * Follows a captured object or array to its closing bracket, across chunks, minding only
 * strings (their closing quote found with the native indexOf) and brackets: JSON.parse
 * validates the value afterwards. Counts the line breaks between tokens for error positions.
 */
export class CaptureSkipper {
  private depth = 0;
  private inString = false;
  private escape = false;
  /** Line breaks seen by the last scan, and the index after the last one. */
  newlines = 0;
  lineStart = 0;

  start(): void {
    this.depth = 1;
    this.inString = false;
    this.escape = false;
  }

  /** Answers the index after the closing bracket, or -1 when the chunk ended first. */
  scan(buf: Buffer, from: number): number {
    const n = buf.length;
    let i = from;
    this.newlines = 0;
    if (this.inString) {
      if (this.escape) i++; // the byte escaped by the previous chunk's last backslash
      this.escape = false;
      i = this.skipString(buf, i);
    }
    let depth = this.depth;
    while (i < n) {
      const c = buf[i++] as number;
      if (c === 0x22) {
        this.inString = true;
        i = this.skipString(buf, i);
      } else if (c === 0x7b || c === 0x5b) {
        depth++;
      } else if (c === 0x7d || c === 0x5d) {
        if (--depth === 0) {
          this.depth = 0;
          return i;
        }
      } else if (c === 0x0a) {
        this.newlines++;
        this.lineStart = i;
      }
    }
    this.depth = depth;
    return -1;
  }

  /** From inside a string: the index after its closing quote, or n (still inside). */
  private skipString(buf: Buffer, from: number): number {
    const n = buf.length;
    let i = from;
    while (i < n) {
      const q = buf.indexOf(0x22, i);
      const stop = q < 0 ? n : q;
      let k = stop - 1;
      while (k >= i && buf[k] === 0x5c) k--;
      const escaped = (stop - 1 - k) % 2 === 1;
      if (q < 0) {
        this.escape = escaped;
        return n;
      }
      i = q + 1;
      if (!escaped) {
        this.inString = false;
        return i;
      }
    }
    return n;
  }
}
