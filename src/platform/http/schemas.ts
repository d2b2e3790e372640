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
 * An ISO 8601 timestamp on the wire, a Date in code: requests decode it, responses encode it
 * (the zod type provider serializes responses with z.encode).
 */
export const timestamp = z.codec(z.iso.datetime({ offset: true }), z.date(), {
  decode: (text) => new Date(text),
  encode: (date) => date.toISOString(),
});
export const nullableTimestamp = timestamp.nullable();
export const limitSchema = z.coerce.number().int().min(1).max(200).default(50);

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/**
 * The dotted path of the first string in a parsed body, query or params that holds U+0000,
 * which PostgreSQL text cannot store; "" when the value itself is such a string.
 */
export function fieldHoldingNul(value: unknown, path = ""): string | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? path : undefined;
  if (value === null || typeof value !== "object") return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = fieldHoldingNul(item, path ? `${path}.${key}` : key);
    if (found !== undefined) return found;
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
