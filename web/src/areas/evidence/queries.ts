// The evidence library API and its query hook: pages newest first, filtered on the server.
import { useInfiniteQuery } from "@tanstack/react-query";
import { apiRequest } from "../../ui/http";
import type { LibraryFilter, LibraryPage } from "./types";

const LIBRARY_PAGE_SIZE = 25;

const evidenceLibraryKeys = {
  all: ["evidence", "library"] as const,
  list: (filter: LibraryFilter) => ["evidence", "library", filter] as const,
};

function libraryPage(filter: LibraryFilter, cursor: string | undefined): Promise<LibraryPage> {
  const query = new URLSearchParams({ limit: String(LIBRARY_PAGE_SIZE) });
  if (filter.q.trim()) query.set("q", filter.q.trim());
  if (filter.control) query.set("controlKey", filter.control);
  if (filter.validity) query.set("validity", filter.validity);
  if (filter.kind) query.set("kind", filter.kind);
  if (cursor) query.set("cursor", cursor);
  return apiRequest<LibraryPage>("GET", `/evidence?${query}`);
}

export function useEvidenceLibrary(filter: LibraryFilter) {
  return useInfiniteQuery({
    queryKey: evidenceLibraryKeys.list(filter),
    queryFn: ({ pageParam }) => libraryPage(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
