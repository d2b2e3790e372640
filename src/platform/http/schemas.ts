import { z } from "zod";
import { errors } from "../errors.ts";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../passwords.ts";

/** Shapes shared by several modules' schemas. */
export const emailSchema = z.email().max(254);
export const nameSchema = z.string().trim().min(1).max(200);
export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH);
export const idSchema = z.uuid();
export const idParams = z.object({ id: idSchema });
/**
 * The dates a request may carry: PostgreSQL refuses year 0000, and no date Attest records
 * (a start date, an evidence date, a filter bound) is sensibly outside these years.
 */
const EARLIEST_DAY = "1900-01-01";
const LATEST_DAY = "2999-12-31";
const DATE_RANGE_MESSAGE = `must be between ${EARLIEST_DAY} and ${LATEST_DAY}`;
const EARLIEST_MS = Date.parse(`${EARLIEST_DAY}T00:00:00Z`);
const LATEST_MS = Date.parse(`${LATEST_DAY}T23:59:59.999Z`);

function dayInRange(day: string): boolean {
  return day >= EARLIEST_DAY && day <= LATEST_DAY;
}

function instantInRange(date: Date): boolean {
  const ms = date.getTime();
  return ms >= EARLIEST_MS && ms <= LATEST_MS;
}

/** A calendar date as YYYY-MM-DD (no 2023-02-29), within the years above. */
export const daySchema = z.iso
  .date({ error: "must be a date as YYYY-MM-DD", abort: true })
  .refine(dayInRange, DATE_RANGE_MESSAGE);

/** An ISO 8601 timestamp with an offset, kept as text, within the years above (cursors). */
export const timestampText = z.iso
  .datetime({ offset: true, error: "must be an ISO 8601 timestamp", abort: true })
  .refine((text) => instantInRange(new Date(text)), DATE_RANGE_MESSAGE);

/**
 * An ISO 8601 timestamp on the wire, a Date in code: requests decode it, responses encode it
 * (the zod type provider serializes responses with z.encode). Only decoding checks the range,
 * so a response never fails on a value stored before the range was enforced.
 */
export const timestamp = z.codec(z.iso.datetime({ offset: true }), z.date(), {
  decode: (text, ctx) => {
    const date = new Date(text);
    if (!instantInRange(date)) {
      ctx.issues.push({ code: "custom", message: DATE_RANGE_MESSAGE, input: text });
    }
    return date;
  },
  encode: (date) => date.toISOString(),
});
export const nullableTimestamp = timestamp.nullable();
export const limitSchema = z.coerce.number().int().min(1).max(200).default(50);

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** How deeply a body, query or params may nest arrays and objects; no route needs more than a few. */
export const MAX_INPUT_DEPTH = 64;

export type InputProblem = { field: string; message: string };

/** A UTF-16 surrogate not in a pair: JSON's `"\ud800"` parses to one, which no UTF-8 holds. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Why PostgreSQL could not store this text (in a column or in JSON), if it could not. */
function textProblem(text: string): string | undefined {
  if (text.includes("\u0000")) return "must not contain the NUL character";
  if (LONE_SURROGATE.test(text)) return "must be well-formed Unicode: it holds a lone surrogate";
  return undefined;
}

/**
 * The first problem in a parsed body, query or params that would otherwise fail deep inside the
 * server: nesting deeper than MAX_INPUT_DEPTH, or a string (or a key) holding U+0000 or a lone
 * surrogate, which PostgreSQL text and JSON cannot store. The field is the dotted path ("" for
 * the value itself). Walks with an explicit stack, so no input can exhaust the call stack.
 */
export function inputProblem(value: unknown): InputProblem | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: "", depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof item.value === "string") {
      const message = textProblem(item.value);
      if (message) return { field: item.path, message };
      continue;
    }
    if (item.value === null || typeof item.value !== "object") continue;
    if (item.depth >= MAX_INPUT_DEPTH) {
      return { field: item.path, message: `nests deeper than ${MAX_INPUT_DEPTH} levels` };
    }
    // Pushed in reverse, so the first key is looked at first.
    const entries = Object.entries(item.value);
    for (const [key] of entries) {
      const message = textProblem(key);
      if (message) return { field: item.path ? `${item.path}.${key}` : key, message };
    }
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i] as [string, unknown];
      stack.push({
        value: child,
        path: item.path ? `${item.path}.${key}` : key,
        depth: item.depth + 1,
      });
    }
  }
  return undefined;
}

/** Opaque pagination cursors: base64url JSON of the last item's sort key. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeCursor<T>(cursor: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (!cursor) return undefined;
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw errors.validation("cursor", "is not a cursor this list handed out");
  }
}
