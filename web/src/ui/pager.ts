// The one pager: the API answers lists a page at a time, `{ items, nextCursor }`.
import { apiRequest, type Query, withQuery } from "./http";

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Follows nextCursor until the list is complete, for lists short enough to show whole (controls,
 * notices, subscribers…); stops after `maxPages` pages.
 */
export async function fetchAll<T>(path: string, query: Query = {}, maxPages = 50): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const result: Page<T> = await apiRequest<Page<T>>("GET", withQuery(path, { ...query, cursor }));
    items.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return items;
}
