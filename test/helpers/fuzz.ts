/**
 * Generated requests for the fuzz walk: near-valid bodies and query strings built from the
 * route's OpenAPI schema, then spoilt with hostile values. Every choice comes from a seeded
 * generator, so a failing case replays from its seed.
 */

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}
export type Random = ReturnType<typeof seededRandom>;

/** A JSON schema as @fastify/swagger writes it (the parts the generator reads). */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

export function deepArrays(depth: number): string {
  return `${"[".repeat(depth)}${"]".repeat(depth)}`;
}

export function deepObjects(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

/** Dates PostgreSQL refuses or no calendar has, and dates at the edges of what JS can hold. */
export const BAD_DATES = [
  "0000-01-01",
  "0000-06-15T12:00:00Z",
  "0000-01-01T00:00:00.000Z",
  "2023-02-29",
  "2023-13-01",
  "1899-12-31",
  "9999-12-31",
  "9999-12-31T23:59:59Z",
  "+275760-09-13T00:00:00Z",
  "-000001-01-01T00:00:00Z",
  "1969-12-31T23:59:59.999-23:59",
];

const STRINGS = [
  "",
  " ",
  "a\u0000b",
  "\u0000",
  "x".repeat(5_000),
  "y".repeat(70_000),
  "💥🧨 ñandú Ǆ ﷽ \u202eevil\u202c",
  "\ud800 lone surrogate",
  "\u200b\ufeff",
  "<script>alert(1)</script>",
  "'; drop table users; --",
  "%00%ff",
  "../../../../etc/passwd",
  "null",
  "-1",
  "1e400",
  "__proto__",
];

const NUMBERS = [0, -1, -2_147_483_649, 2_147_483_648, 2 ** 53 + 2, 1e308, -1e308, 0.5, 1e-300];

/** One value that is wrong in some way for almost any field. */
export function hostileValue(random: Random, depth = 0): unknown {
  switch (random.int(0, 9)) {
    case 0:
    case 1:
      return random.pick(STRINGS);
    case 2:
      return random.pick(NUMBERS);
    case 3:
      return random.pick(BAD_DATES);
    case 4:
      return random.pick([true, false, null]);
    case 5:
      return depth > 2 ? [] : [hostileValue(random, depth + 1), hostileValue(random, depth + 1)];
    case 6:
      return depth > 2
        ? {}
        : {
            [random.pick(["a", "__proto__", "constructor", "id"])]: hostileValue(random, depth + 1),
          };
    case 7:
      return Array.from({ length: random.int(70, 90) }).reduce<unknown>((inner) => [inner], 1);
    case 8:
      return Array.from({ length: 2_000 }, (_, i) => i);
    default:
      return { toString: "x", valueOf: 1, length: -1 };
  }
}

export class SchemaValues {
  constructor(
    private readonly components: Record<string, JsonSchema>,
    private readonly ids: () => string[],
  ) {}

  resolve(schema: JsonSchema | undefined): JsonSchema {
    let current = schema ?? {};
    for (let hops = 0; current.$ref && hops < 10; hops++) {
      current = this.components[current.$ref.split("/").at(-1) ?? ""] ?? {};
    }
    return current;
  }

  /** A value the schema would probably accept, so a case reaches the service behind it. */
  plausible(random: Random, raw: JsonSchema | undefined, name = "", depth = 0): unknown {
    const schema = this.resolve(raw);
    const choices = schema.anyOf ?? schema.oneOf;
    if (choices?.length) return this.plausible(random, random.pick(choices), name, depth);
    if (schema.allOf?.length) return this.plausible(random, schema.allOf[0], name, depth);
    if (schema.enum?.length) return random.pick(schema.enum);
    if (schema.const !== undefined) return schema.const;
    if (schema.nullable && random.chance(0.15)) return null;
    const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? "object"];
    const type = random.pick(
      types.filter((t) => t !== "null").length ? types.filter((t) => t !== "null") : types,
    );
    switch (type) {
      case "string":
        return this.plausibleString(random, schema, name);
      case "integer":
      case "number":
        return random.int(
          schema.minimum ?? 0,
          Math.min(schema.maximum ?? 100, (schema.minimum ?? 0) + 100),
        );
      case "boolean":
        return random.chance(0.5);
      case "null":
        return null;
      case "array":
        if (depth > 4) return [];
        return Array.from({ length: random.int(0, 2) }, () =>
          this.plausible(random, schema.items, name, depth + 1),
        );
      default: {
        if (depth > 4) return {};
        const out: Record<string, unknown> = {};
        const required = new Set(schema.required ?? []);
        for (const [key, value] of Object.entries(schema.properties ?? {})) {
          if (required.has(key) || random.chance(0.6)) {
            out[key] = this.plausible(random, value, key, depth + 1);
          }
        }
        return out;
      }
    }
  }

  private plausibleString(random: Random, schema: JsonSchema, name: string): string {
    // Past days: many date fields refuse the future.
    const day = `20${random.int(10, 25)}-0${random.int(1, 9)}-1${random.int(0, 9)}`;
    switch (schema.format) {
      case "date":
        return day;
      case "date-time":
        return `${day}T12:00:00.000Z`;
      case "email":
        return `fuzz-${random.int(1, 1_000_000)}@example.test`;
      case "uuid":
        return random.chance(0.7) && this.ids().length
          ? random.pick(this.ids())
          : crypto.randomUUID();
      case "uri":
        return "https://example.test/evidence";
    }
    // Fields whose pattern a generic string never matches: what a client would send.
    if (/key$/i.test(name)) return random.pick(["bcdr-policy", "bcdr-policy", "access-review"]);
    if (/password/i.test(name)) return "correct horse battery staple";
    if (/criteri/i.test(name)) return random.pick(["CC6.1", "CC9.1", "A1.2"]);
    if (/colou?r/i.test(name)) return "#1a2b3c";
    if (/domain/i.test(name)) return "example.com";
    if (/code$/i.test(name)) return "123456";
    if (/url$/i.test(name)) return "https://example.test/page";
    if (name === "data") return "iVBORw0KGgo=";
    const length = random.int(schema.minLength ?? 1, Math.min(schema.maxLength ?? 24, 24));
    return "Fuzz text ".repeat(3).slice(0, Math.max(length, schema.minLength ?? 0));
  }

  /** The names of a schema's date-like properties, where year 0000 is worth sending. */
  dateFields(raw: JsonSchema | undefined): string[] {
    const schema = this.resolve(raw);
    return Object.entries(schema.properties ?? {})
      .filter(([key, value]) => {
        const resolved = this.resolve(value);
        const formats = [resolved, ...(resolved.anyOf ?? []), ...(resolved.oneOf ?? [])].map(
          (s) => this.resolve(s).format,
        );
        return (
          formats.some((f) => f === "date" || f === "date-time") ||
          /date|At$|^from$|^to$|asOf/.test(key)
        );
      })
      .map(([key]) => key);
  }
}
