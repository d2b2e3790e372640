/**
 * SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2), parsed into a small tree. Pure:
 * the scim area translates the tree to SQL for the attributes it supports. Attribute names are
 * case-insensitive, so the tree holds them in lower case; a schema URN prefix is kept (lower
 * case) beside the name it qualifies.
 */

export const COMPARE_OPS = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];
export type Literal = string | number | boolean | null;

/** `[urn:…:]name[.sub]`, lower-cased. */
export interface AttrPath {
  schema: string | null;
  name: string;
  sub: string | null;
}

export type Filter =
  | { kind: "and" | "or"; left: Filter; right: Filter }
  | { kind: "not"; filter: Filter }
  | { kind: "compare"; path: AttrPath; op: CompareOp; value: Literal }
  | { kind: "present"; path: AttrPath }
  /** `emails[type eq "work"]`: the inner filter reads the sub-attributes of each value. */
  | { kind: "valuePath"; path: AttrPath; filter: Filter };

/** A PATCH path: an attribute, optionally narrowed to matching values, then a sub-attribute. */
export interface PatchPath {
  path: AttrPath;
  filter: Filter | null;
  /** The sub-attribute after a value filter: `emails[type eq "work"].value`. */
  sub: string | null;
}

/** A filter that does not parse; the message says where and why (SCIM's invalidFilter). */
export class ScimFilterError extends Error {}

type Token =
  | { type: "word"; text: string; at: number }
  | { type: "string"; value: string; at: number }
  | { type: "(" | ")" | "[" | "]"; at: number };

const MAX_FILTER_LENGTH = 4_000;
const MAX_DEPTH = 50;

function tokenize(input: string): Token[] {
  if (input.length > MAX_FILTER_LENGTH) {
    throw new ScimFilterError(`the filter is longer than ${MAX_FILTER_LENGTH} characters`);
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else if (c === "(" || c === ")" || c === "[" || c === "]") {
      tokens.push({ type: c, at: i });
      i++;
    } else if (c === '"') {
      const start = i;
      i++;
      let escaped = false;
      while (i < input.length && (escaped || input[i] !== '"')) {
        escaped = !escaped && input[i] === "\\";
        i++;
      }
      if (i >= input.length) throw new ScimFilterError(`unterminated string at ${start + 1}`);
      i++;
      try {
        tokens.push({ type: "string", value: JSON.parse(input.slice(start, i)), at: start });
      } catch {
        throw new ScimFilterError(`invalid string at ${start + 1}`);
      }
    } else {
      const start = i;
      while (i < input.length && !/[\s()[\]"]/.test(input[i] as string)) i++;
      tokens.push({ type: "word", text: input.slice(start, i), at: start });
    }
  }
  return tokens;
}

const ATTR_NAME = /^[A-Za-z$][\w$-]*$/;

/** Parses `[urn:…:]name[.sub]`; throws on anything else. */
export function parseAttrPath(text: string): AttrPath {
  const colon = text.lastIndexOf(":");
  const schema = colon >= 0 ? text.slice(0, colon).toLowerCase() : null;
  const rest = colon >= 0 ? text.slice(colon + 1) : text;
  if (schema !== null && !schema.startsWith("urn:")) {
    throw new ScimFilterError(`"${text}" is not an attribute path`);
  }
  const parts = rest.split(".");
  if (parts.length > 2 || !parts.every((part) => ATTR_NAME.test(part))) {
    throw new ScimFilterError(`"${text}" is not an attribute path`);
  }
  return {
    schema,
    name: (parts[0] as string).toLowerCase(),
    sub: parts[1]?.toLowerCase() ?? null,
  };
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parse(): Filter {
    if (this.tokens.length === 0) throw new ScimFilterError("the filter is empty");
    const filter = this.or();
    const extra = this.tokens[this.i];
    if (extra) throw new ScimFilterError(`unexpected ${this.describe(extra)}`);
    return filter;
  }

  private or(): Filter {
    let left = this.and();
    while (this.keyword("or")) left = { kind: "or", left, right: this.and() };
    return left;
  }

  private and(): Filter {
    let left = this.unary();
    while (this.keyword("and")) left = { kind: "and", left, right: this.unary() };
    return left;
  }

  private unary(): Filter {
    if (++this.depth > MAX_DEPTH) throw new ScimFilterError("the filter is nested too deeply");
    try {
      const token = this.tokens[this.i];
      if (token?.type === "word" && token.text.toLowerCase() === "not") {
        const next = this.tokens[this.i + 1];
        if (next?.type !== "(") throw new ScimFilterError(`"not" must be followed by "("`);
        this.i++;
        return { kind: "not", filter: this.group() };
      }
      if (token?.type === "(") return this.group();
      return this.attributeExpression();
    } finally {
      this.depth--;
    }
  }

  private group(): Filter {
    this.expect("(");
    const inner = this.or();
    this.expect(")");
    return inner;
  }

  private attributeExpression(): Filter {
    const token = this.next("an attribute");
    if (token.type !== "word")
      throw new ScimFilterError(`expected an attribute, got ${this.describe(token)}`);
    const path = parseAttrPath(token.text);
    if (this.tokens[this.i]?.type === "[") {
      if (path.sub !== null)
        throw new ScimFilterError(`"${token.text}" cannot take a value filter`);
      this.i++;
      const inner = this.or();
      this.expect("]");
      // `emails[type eq "work"].value eq "…"` (as Entra matches on it): the value whose
      // sub-attribute compares, within the values the brackets select.
      const after = this.tokens[this.i];
      if (after?.type === "word" && /^\.[A-Za-z$][\w$-]*$/.test(after.text)) {
        this.i++;
        const sub = { schema: null, name: after.text.slice(1).toLowerCase(), sub: null };
        const condition = this.comparison(sub);
        return { kind: "valuePath", path, filter: { kind: "and", left: inner, right: condition } };
      }
      return { kind: "valuePath", path, filter: inner };
    }
    return this.comparison(path);
  }

  private comparison(path: AttrPath): Filter {
    const opToken = this.next("an operator");
    const op = opToken.type === "word" ? opToken.text.toLowerCase() : "";
    if (op === "pr") return { kind: "present", path };
    if (!(COMPARE_OPS as readonly string[]).includes(op)) {
      throw new ScimFilterError(`unknown operator ${this.describe(opToken)}`);
    }
    return { kind: "compare", path, op: op as CompareOp, value: this.literal() };
  }

  private literal(): Literal {
    const token = this.next("a value");
    if (token.type === "string") return token.value;
    if (token.type === "word") {
      const word = token.text.toLowerCase();
      if (word === "true") return true;
      if (word === "false") return false;
      if (word === "null") return null;
      if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(token.text)) return Number(token.text);
    }
    throw new ScimFilterError(`expected a value, got ${this.describe(token)}`);
  }

  private keyword(word: string): boolean {
    const token = this.tokens[this.i];
    if (token?.type === "word" && token.text.toLowerCase() === word) {
      this.i++;
      return true;
    }
    return false;
  }

  private expect(type: "(" | ")" | "]") {
    const token = this.next(`"${type}"`);
    if (token.type !== type)
      throw new ScimFilterError(`expected "${type}", got ${this.describe(token)}`);
  }

  private next(what: string): Token {
    const token = this.tokens[this.i++];
    if (!token) throw new ScimFilterError(`expected ${what} at the end of "${this.source}"`);
    return token;
  }

  private describe(token: Token): string {
    const text =
      token.type === "word"
        ? token.text
        : token.type === "string"
          ? `"${token.value}"`
          : token.type;
    return `"${text}" at ${token.at + 1}`;
  }
}

/** Parses a filter (RFC 7644 §3.4.2.2); throws ScimFilterError saying what is wrong. */
export function parseFilter(input: string): Filter {
  return new Parser(tokenize(input), input).parse();
}

/**
 * Parses a PATCH path: `attr`, `attr.sub`, `urn:…:attr`, `attr[filter]`, `attr[filter].sub`.
 * Throws ScimFilterError (SCIM's invalidPath) on anything else.
 */
export function parsePatchPath(input: string): PatchPath {
  const open = input.indexOf("[");
  if (open < 0) return { path: parseAttrPath(input.trim()), filter: null, sub: null };
  const close = input.lastIndexOf("]");
  if (close < open) throw new ScimFilterError(`"${input}" has an unclosed "["`);
  const path = parseAttrPath(input.slice(0, open).trim());
  if (path.sub !== null) throw new ScimFilterError(`"${input}" cannot take a value filter`);
  const filter = parseFilter(input.slice(open + 1, close));
  const after = input.slice(close + 1).trim();
  if (after !== "" && !/^\.[A-Za-z$][\w$-]*$/.test(after)) {
    throw new ScimFilterError(`"${input}" has an invalid sub-attribute after "]"`);
  }
  return { path, filter, sub: after ? after.slice(1).toLowerCase() : null };
}

/** The attribute path as written back in a message: `[urn:…:]name[.sub]`. */
export function attrPathText(path: AttrPath): string {
  return `${path.schema ? `${path.schema}:` : ""}${path.name}${path.sub ? `.${path.sub}` : ""}`;
}
