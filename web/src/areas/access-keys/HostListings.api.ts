// The host listings' endpoints and query hooks: authorized_keys collected from hosts.
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { get, seg } from "../../ui/http";
import { fetchAll, type Page } from "../../ui/pager";
import type { Answer, ItemOf } from "../../ui/schema";

export type HostListingSummary = ItemOf<"/api/v1/key-listings">;
export type HostListingDetail = Answer<"/api/v1/key-listings/{id}">;
export type HostKeyEntry = HostListingDetail["entries"]["items"][number];

export interface HostListingsFilter {
  systemId?: string | undefined;
  host?: string | undefined;
}

export const hostListingKeys = {
  all: ["key-listings"] as const,
  list: (filter: HostListingsFilter) => ["key-listings", "list", filter] as const,
  listing: (id: string) => ["key-listings", id] as const,
};

export function useHostListings(filter: HostListingsFilter) {
  return useInfiniteQuery({
    queryKey: hostListingKeys.list(filter),
    queryFn: ({ pageParam }: { pageParam: string | undefined }) =>
      get<Page<HostListingSummary>>("/key-listings", {
        systemId: filter.systemId,
        host: filter.host,
        cursor: pageParam,
        limit: 50,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: Page<HostListingSummary>) => last.nextCursor ?? undefined,
  });
}

/** A listing, its entries a page at a time (the listing's fields come with every page). */
export function useHostListing(id: string) {
  return useInfiniteQuery({
    queryKey: hostListingKeys.listing(id),
    queryFn: ({ pageParam }: { pageParam: string | undefined }) =>
      get<HostListingDetail>(`/key-listings/${seg(id)}`, { cursor: pageParam, limit: 200 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: HostListingDetail) => last.entries.nextCursor ?? undefined,
  });
}

/** The systems to filter by. */
export function useSystemOptions() {
  return useQuery({
    queryKey: ["systems", "options"],
    queryFn: () => fetchAll<{ id: string; name: string }>("/systems", { limit: 200 }, 20),
    staleTime: 60_000,
  });
}
