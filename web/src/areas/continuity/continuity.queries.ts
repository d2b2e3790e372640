// Query keys and hooks of the continuity area; every write reads restore tests, the systems'
// standing and the controls again.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { continuityApi, type RestoreTestsFilter } from "./continuity.api";

export const continuityKeys = {
  all: ["continuity"] as const,
  systems: ["continuity", "systems"] as const,
  list: (filter: RestoreTestsFilter) => ["continuity", "restore-tests", filter] as const,
  one: (id: string) => ["continuity", "restore-test", id] as const,
  inventory: ["continuity", "inventory"] as const,
};

export function useBackedUpSystems() {
  return useQuery({ queryKey: continuityKeys.systems, queryFn: continuityApi.systems });
}

export function useRestoreTests(filter: RestoreTestsFilter) {
  return useInfiniteQuery({
    queryKey: continuityKeys.list(filter),
    queryFn: ({ pageParam }) => continuityApi.restoreTests(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: { nextCursor: string | null }) => last.nextCursor ?? undefined,
  });
}

export function useRestoreTest(id: string) {
  return useQuery({
    queryKey: continuityKeys.one(id),
    queryFn: () => continuityApi.restoreTest(id),
  });
}

export function useInventory() {
  return useQuery({
    queryKey: continuityKeys.inventory,
    queryFn: continuityApi.inventory,
    staleTime: 60_000,
  });
}

/** A write of the continuity area: afterwards its data and the controls are read again. */
export function useContinuityMutation<A, R>(write: (args: A) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: continuityKeys.all });
      await client.invalidateQueries({ queryKey: ["controls"] });
      await client.invalidateQueries({ queryKey: ["dashboard"] });
      await client.invalidateQueries({ queryKey: ["evidence"] });
    },
  });
}
