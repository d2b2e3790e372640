import { type SelectQueryBuilder, sql } from "kysely";
import type { z } from "zod";
import { decodeCursor, encodeCursor } from "./http/schemas.ts";

/**
 * Lists paged newest first by (created_at, id): the cursor a page hands out names its last
 * row, and the next page holds the rows strictly older than it.
 */
export interface Position {
  createdAt: Date;
  id: string;
}

/** One page of rows newest first, after `page.after`; `next` is set when more rows follow. */
export async function pageNewestFirst<
  DB,
  TB extends keyof DB,
  O extends { created_at: Date; id: string },
>(
  query: SelectQueryBuilder<DB, TB, O>,
  columns: { createdAt: string; id: string },
  page: { after?: Position | undefined; limit: number },
): Promise<{ items: O[]; next: Position | null }> {
  const createdAt = sql.ref(columns.createdAt);
  const id = sql.ref(columns.id);
  const after = page.after;
  const rows = await (after
    ? query.where((eb) =>
        eb.or([
          eb(createdAt, "<", after.createdAt),
          eb.and([eb(createdAt, "=", after.createdAt), eb(id, "<", after.id)]),
        ]),
      )
    : query
  )
    .orderBy(createdAt, "desc")
    .orderBy(id, "desc")
    .limit(page.limit + 1)
    .execute();
  const items = rows.slice(0, page.limit);
  const last = rows.length > page.limit ? items.at(-1) : undefined;
  return { items, next: last ? { createdAt: last.created_at, id: last.id } : null };
}

/** Where the page a cursor names starts (its `createdAt` read back as a Date). */
export function cursorPosition<T extends { createdAt: string }>(
  cursor: string | undefined,
  schema: z.ZodType<T>,
): (Omit<T, "createdAt"> & { createdAt: Date }) | undefined {
  const after = decodeCursor(cursor, schema);
  return after ? { ...after, createdAt: new Date(after.createdAt) } : undefined;
}

/** A page as the API answers it: its items and the cursor of the next page (null at the end). */
export function pageAnswer<T, P extends { createdAt: Date }>(page: {
  items: T[];
  next: P | null;
}): { items: T[]; nextCursor: string | null } {
  return {
    items: page.items,
    nextCursor: page.next
      ? encodeCursor({ ...page.next, createdAt: page.next.createdAt.toISOString() })
      : null,
  };
}
