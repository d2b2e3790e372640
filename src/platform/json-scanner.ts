import {
  CaptureSkipper,
  describe,
  formatPath,
  isHex,
  type JsonMatch,
  type JsonSelector,
  JsonStreamError,
  N,
  NUMBER_BAD,
  NUMBER_LEADING_ZERO,
  numberCanEnd,
  numberStep,
  type PathKey,
} from "./json-lexer.ts";

enum S {
  Value = 0,
  ValueOrClose = 1,
  KeyOrClose = 2,
  Key = 3,
  Colon = 4,
  AfterValue = 5,
  String = 6,
  Escape = 7,
  Unicode = 8,
  Number = 9,
  Literal = 10,
  End = 11,
}

const MAX_DEPTH = 1000;
const LITERALS = [Buffer.from("true"), Buffer.from("false"), Buffer.from("null")];
const EMPTY = Buffer.alloc(0);
/** A key kept undecoded (see keyChunks). */
const LAZY = "\u0000lazy";

/**
 * The incremental reader: `push` each chunk, `end` at the end; each answers the values it
 * completed. `maxValueBytes` bounds one captured value.
 */
export class JsonScanner {
  private state: S = S.Value;
  private depth = 0;
  /** 1 = object, 2 = array, per open container. */
  private readonly kinds = new Uint8Array(MAX_DEPTH + 1);
  private readonly path: PathKey[] = [];
  /** Where a key not yet decoded is (path[d] === LAZY): its chunk and offsets. */
  private readonly keyChunks: Buffer[] = [];
  private readonly keyStarts = new Uint32Array(MAX_DEPTH + 1);
  private readonly keyEnds = new Uint32Array(MAX_DEPTH + 1);
  /** masks[d]: selectors whose first d steps match path[0..d-1]. */
  private readonly masks = new Uint32Array(MAX_DEPTH + 2);
  private readonly lengthMasks: Uint32Array;
  private readonly presenceMask: number;
  private readonly selectors: readonly JsonSelector[];
  private readonly maxPatternLength: number;

  private base = 0;
  private line = 1;
  private lineStart = 0;
  private started = false;
  private head: Buffer = EMPTY;

  private stringIsKey = false;
  private keyStart = 0;
  private keyParts: Buffer[] = [];
  private keyEscaped = false;
  private unicodeLeft = 0;
  private numberState: N = N.Int;
  private literal: Buffer = EMPTY;
  private literalPos = 0;

  private captureDepth = -1;
  private captureSelector = 0;
  private captureStart = 0;
  private captureParts: Buffer[] = [];
  private captureBytes = 0;
  private out: JsonMatch[] = [];
  /**
   * Inside a captured object or array, only strings and brackets are followed (JSON.parse
   * validates the value); when JSON.parse refuses it, the value is scanned again to say where.
   */
  private fast = false;
  private readonly skipper = new CaptureSkipper();
  private captureOffset = 0;
  private captureLine = 1;
  private captureColumn = 1;

  constructor(
    selectors: readonly JsonSelector[],
    private readonly maxValueBytes = 64 * 1024 * 1024,
  ) {
    if (selectors.length > 32) throw new Error("at most 32 selectors");
    this.selectors = selectors;
    this.maxPatternLength = Math.max(0, ...selectors.map((s) => s.path.length));
    this.lengthMasks = new Uint32Array(this.maxPatternLength + 1);
    let presence = 0;
    selectors.forEach((s, index) => {
      const bit = (1 << index) >>> 0;
      this.lengthMasks[s.path.length] = (this.lengthMasks[s.path.length] as number) | bit;
      if (s.presence) presence |= bit;
    });
    this.presenceMask = presence >>> 0;
    this.masks[0] = selectors.length === 32 ? 0xffffffff : (1 << selectors.length) - 1;
  }

  /** Reads a chunk; answers the values completed in it. */
  push(chunk: Uint8Array): JsonMatch[] {
    let buf = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (!this.started) {
      // a byte-order mark may itself be split between chunks
      if (this.head.length > 0) buf = Buffer.concat([this.head, buf]);
      this.head = EMPTY;
      const bom = [0xef, 0xbb, 0xbf];
      let prefix = 0;
      while (prefix < 3 && prefix < buf.length && buf[prefix] === bom[prefix]) prefix++;
      if (prefix === buf.length && prefix < 3) {
        this.head = buf;
        return [];
      }
      this.started = buf.length > 0;
      if (prefix === 3) {
        buf = buf.subarray(3);
        this.base = 3;
        this.lineStart = 3;
      }
    }
    this.scan(buf);
    this.base += buf.length;
    const out = this.out;
    this.out = [];
    return out;
  }

  /** The end of the input: throws when the document is incomplete. */
  end(): JsonMatch[] {
    if (!this.started && this.head.length > 0) {
      const head = this.head;
      this.head = EMPTY;
      this.started = true;
      this.scan(head);
      this.base += head.length;
    }
    if (this.fast) this.explainCapture(Buffer.concat(this.captureParts), this.captureDepth);
    if (this.state === S.Number && this.depth === 0) {
      if (!this.numberCanEnd()) this.fail("unterminated number", 0, EMPTY);
      this.endValue(EMPTY, 0);
    }
    if (this.state !== S.End) {
      const what =
        this.state === S.String || this.state === S.Escape || this.state === S.Unicode
          ? "unterminated string"
          : !this.started || (this.depth === 0 && this.state === S.Value)
            ? "empty document"
            : "unexpected end of file (truncated?)";
      this.fail(what, 0, EMPTY);
    }
    const out = this.out;
    this.out = [];
    return out;
  }

  private fail(reason: string, i: number, _buf: Buffer): never {
    const offset = this.base + i;
    throw new JsonStreamError(
      reason,
      offset,
      this.line,
      offset - this.lineStart + 1,
      formatPath(this.currentPath()),
    );
  }

  private numberCanEnd(): boolean {
    return numberCanEnd(this.numberState);
  }

  /** Sets path[d-1] and recomputes masks[d] (d = depth). */
  private enter(key: PathKey): void {
    const d = this.depth;
    this.path[d - 1] = key;
    if (d > this.maxPatternLength || this.captureDepth >= 0) {
      this.masks[d] = 0;
      return;
    }
    const parent = this.masks[d - 1] as number;
    if (parent === 0) {
      this.masks[d] = 0;
      return;
    }
    let mask = 0;
    for (let s = 0; s < this.selectors.length; s++) {
      const bit = (1 << s) >>> 0;
      if (!(parent & bit)) continue;
      const step = (this.selectors[s] as JsonSelector).path[d - 1];
      if (step === "*" || step === key) mask |= bit;
    }
    this.masks[d] = mask >>> 0;
  }

  /** A value starts at byte i: capture it when a selector matches its path. */
  private startValue(i: number): void {
    if (this.captureDepth >= 0) return;
    const d = this.depth;
    if (d > this.maxPatternLength) return;
    const hits = ((this.masks[d] as number) & (this.lengthMasks[d] as number)) >>> 0;
    if (hits === 0) return;
    const selector = 31 - Math.clz32(hits & -hits);
    if (this.presenceMask & ((1 << selector) >>> 0)) {
      this.out.push({ selector, path: this.path.slice(0, d), value: undefined });
      return;
    }
    this.captureDepth = d;
    this.captureSelector = selector;
    this.captureStart = i;
    this.captureParts = [];
    this.captureBytes = 0;
  }

  /** The value at the current depth ended just before byte `end` of buf. */
  private endValue(buf: Buffer, end: number): void {
    if (this.captureDepth === this.depth) {
      this.captureDepth = -1;
      const last = buf.subarray(this.captureStart, end);
      const parts = this.captureParts;
      const bytes = parts.length === 0 ? last : Buffer.concat([...parts, last]);
      this.captureParts = [];
      let value: unknown;
      try {
        value = JSON.parse(bytes.toString("utf8"));
      } catch {
        this.explainCapture(bytes, this.depth);
      }
      this.out.push({
        selector: this.captureSelector,
        path: this.path.slice(0, this.depth),
        value,
      });
    }
    this.state = this.depth === 0 ? S.End : S.AfterValue;
  }

  /** Follows a captured container to its end; answers the index to continue from. */
  private fastScan(buf: Buffer, from: number): number {
    const end = this.skipper.scan(buf, from);
    if (this.skipper.newlines > 0) {
      this.line += this.skipper.newlines;
      this.lineStart = this.base + this.skipper.lineStart;
    }
    if (end < 0) return buf.length;
    this.fast = false;
    this.depth = this.captureDepth;
    this.path.length = this.depth;
    this.endValue(buf, end);
    return end;
  }

  /** Scans a captured value JSON.parse refused, to throw its first error where it is. */
  private explainCapture(bytes: Buffer, depth: number): never {
    const outer = formatPath(this.path.slice(0, depth));
    try {
      const inner = new JsonScanner([], Number.MAX_SAFE_INTEGER);
      inner.push(bytes);
      inner.end();
    } catch (error) {
      if (!(error instanceof JsonStreamError)) throw error;
      const path = !error.path
        ? outer
        : !outer
          ? error.path
          : error.path.startsWith("[")
            ? `${outer}${error.path}`
            : `${outer}.${error.path}`;
      throw new JsonStreamError(
        error.reason,
        this.captureOffset + error.offset,
        this.captureLine + error.line - 1,
        error.line === 1 ? this.captureColumn + error.column - 1 : error.column,
        path,
      );
    }
    throw new JsonStreamError(
      "malformed value",
      this.captureOffset,
      this.captureLine,
      this.captureColumn,
      outer,
    );
  }

  private endKey(buf: Buffer, end: number): void {
    const d = this.depth;
    this.state = S.Colon;
    const needed =
      this.captureDepth < 0 && d <= this.maxPatternLength && (this.masks[d - 1] as number) !== 0;
    if (!needed && this.keyParts.length === 0 && !this.keyEscaped) {
      // decoded only if an error needs the path: most keys are never looked at
      this.keyChunks[d - 1] = buf;
      this.keyStarts[d - 1] = this.keyStart;
      this.keyEnds[d - 1] = end;
      this.path[d - 1] = LAZY;
      this.masks[d] = 0;
      return;
    }
    const last = buf.subarray(this.keyStart, end);
    const raw = this.keyParts.length === 0 ? last : Buffer.concat([...this.keyParts, last]);
    this.keyParts = [];
    const key = this.keyEscaped
      ? (JSON.parse(`"${raw.toString("utf8")}"`) as string)
      : raw.toString("utf8");
    this.enter(key);
  }

  /** The path so far, its lazily kept keys decoded. */
  private currentPath(): PathKey[] {
    // expecting a member name: the previous member is over, the path is the object's
    const length = this.state === S.Key ? this.depth - 1 : this.depth;
    return this.path.slice(0, length).map((key, d) => {
      if (key !== LAZY) return key;
      const chunk = this.keyChunks[d] as Buffer;
      return chunk.toString("utf8", this.keyStarts[d], this.keyEnds[d]);
    });
  }

  private open(kind: 1 | 2, i: number, buf: Buffer): void {
    if (this.depth >= MAX_DEPTH) this.fail("nested too deeply", i, buf);
    this.startValue(i);
    if (this.captureDepth === this.depth) {
      this.fast = true;
      this.skipper.start();
      this.captureOffset = this.base + i;
      this.captureLine = this.line;
      this.captureColumn = this.base + i - this.lineStart + 1;
    }
    this.kinds[this.depth] = kind;
    this.depth++;
    this.state = kind === 1 ? S.KeyOrClose : S.ValueOrClose;
  }

  private close(i: number, buf: Buffer): void {
    this.depth--;
    this.path.length = this.depth;
    this.endValue(buf, i + 1);
  }

  /** A value's first byte, at i: answers the index to continue from. */
  private value(c: number, i: number, buf: Buffer): number {
    switch (c) {
      case 0x7b:
        this.open(1, i, buf);
        return i + 1;
      case 0x5b:
        this.open(2, i, buf);
        return i + 1;
      case 0x22:
        this.startValue(i);
        this.stringIsKey = false;
        this.state = S.String;
        return i + 1;
      case 0x74:
      case 0x66:
      case 0x6e:
        this.startValue(i);
        this.literal = LITERALS[c === 0x74 ? 0 : c === 0x66 ? 1 : 2] as Buffer;
        this.literalPos = 1;
        this.state = S.Literal;
        return i + 1;
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
          this.startValue(i);
          this.numberState = c === 0x2d ? N.Minus : c === 0x30 ? N.Zero : N.Int;
          this.state = S.Number;
          return i + 1;
        }
        if (c === 0x5d && this.depth > 0 && this.kinds[this.depth - 1] === 2) {
          this.fail("trailing comma", i, buf);
        }
        return this.fail(`unexpected ${describe(c)} where a value was expected`, i, buf);
    }
  }

  private scan(buf: Buffer): void {
    const n = buf.length;
    let i = 0;
    const inKey =
      this.stringIsKey &&
      (this.state === S.String || this.state === S.Escape || this.state === S.Unicode);
    if (inKey) this.keyStart = 0;
    while (i < n) {
      if (this.fast) {
        i = this.fastScan(buf, i);
        continue;
      }
      const state = this.state;
      if (state === S.String) {
        // the hot loop: most of a scanner file is strings
        let c = 0;
        while (i < n) {
          c = buf[i] as number;
          if (c === 0x22 || c === 0x5c || c < 0x20) break;
          i++;
        }
        if (i >= n) break;
        if (c === 0x22) {
          if (this.stringIsKey) this.endKey(buf, i);
          else this.endValue(buf, i + 1);
          i++;
        } else if (c === 0x5c) {
          if (this.stringIsKey) this.keyEscaped = true;
          this.state = S.Escape;
          i++;
        } else {
          this.fail(`control character ${describe(c)} in a string (must be escaped)`, i, buf);
        }
        continue;
      }
      const c = buf[i] as number;
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        if (state === S.Number) {
          if (!this.numberCanEnd()) this.fail("malformed number", i, buf);
          this.endValue(buf, i);
          continue;
        }
        if (state === S.Literal) this.fail("invalid literal", i, buf);
        if (state === S.Escape || state === S.Unicode) this.fail("invalid escape", i, buf);
        if (c === 0x0a) {
          this.line++;
          this.lineStart = this.base + i + 1;
        }
        i++;
        continue;
      }
      switch (state) {
        case S.Value:
          i = this.value(c, i, buf);
          break;
        case S.ValueOrClose:
          if (c === 0x5d) {
            this.close(i, buf);
            i++;
          } else {
            this.enter(0);
            i = this.value(c, i, buf);
          }
          break;
        case S.KeyOrClose:
        case S.Key:
          if (c === 0x22) {
            this.stringIsKey = true;
            this.keyEscaped = false;
            this.keyStart = i + 1;
            this.keyParts = [];
            this.state = S.String;
            i++;
          } else if (c === 0x7d && state === S.KeyOrClose) {
            this.close(i, buf);
            i++;
          } else if (c === 0x7d) {
            this.fail("trailing comma", i, buf);
          } else {
            this.fail(
              `unexpected ${describe(c)} where a member name (in double quotes) was expected`,
              i,
              buf,
            );
          }
          break;
        case S.Colon:
          if (c !== 0x3a)
            this.fail(`expected ':' after the member name, found ${describe(c)}`, i, buf);
          this.state = S.Value;
          i++;
          break;
        case S.AfterValue: {
          const kind = this.kinds[this.depth - 1];
          if (c === 0x2c) {
            if (kind === 1) this.state = S.Key;
            else {
              this.enter((this.path[this.depth - 1] as number) + 1);
              this.state = S.Value;
            }
            i++;
          } else if (c === 0x7d && kind === 1) {
            this.close(i, buf);
            i++;
          } else if (c === 0x5d && kind === 2) {
            this.close(i, buf);
            i++;
          } else {
            this.fail(`expected ',' or '${kind === 1 ? "}" : "]"}', found ${describe(c)}`, i, buf);
          }
          break;
        }
        case S.Escape:
          if (c === 0x75) {
            this.unicodeLeft = 4;
            this.state = S.Unicode;
          } else if (
            c === 0x22 ||
            c === 0x5c ||
            c === 0x2f ||
            c === 0x62 ||
            c === 0x66 ||
            c === 0x6e ||
            c === 0x72 ||
            c === 0x74
          ) {
            this.state = S.String;
          } else {
            this.fail(`invalid escape \\${String.fromCharCode(c)}`, i, buf);
          }
          i++;
          break;
        case S.Unicode:
          if (!isHex(c)) this.fail("invalid \\u escape (four hex digits expected)", i, buf);
          if (--this.unicodeLeft === 0) this.state = S.String;
          i++;
          break;
        case S.Literal:
          if (c !== this.literal[this.literalPos]) this.fail("invalid literal", i, buf);
          i++;
          if (++this.literalPos === this.literal.length) this.endValue(buf, i);
          break;
        case S.Number:
          i = this.number(c, i, buf);
          break;
        case S.End:
          this.fail(`unexpected ${describe(c)} after the end of the JSON value`, i, buf);
      }
    }
    if (
      this.stringIsKey &&
      (this.state === S.String || this.state === S.Escape || this.state === S.Unicode)
    ) {
      this.keyParts.push(buf.subarray(this.keyStart));
    }
    if (this.captureDepth >= 0) {
      const part = buf.subarray(this.captureStart);
      this.captureParts.push(part);
      this.captureBytes += part.length;
      this.captureStart = 0;
      if (this.captureBytes > this.maxValueBytes) {
        this.fail(`value larger than ${this.maxValueBytes} bytes`, n, buf);
      }
    }
  }

  private number(c: number, i: number, buf: Buffer): number {
    const next = numberStep(this.numberState, c);
    if (next >= 0) {
      this.numberState = next;
      return i + 1;
    }
    if (next === NUMBER_LEADING_ZERO) this.fail("malformed number (leading zero)", i, buf);
    if (next === NUMBER_BAD) this.fail("malformed number", i, buf);
    this.endValue(buf, i);
    return i; // the delimiter is read again as what follows the value
  }
}
