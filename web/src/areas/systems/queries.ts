// The systems area's query keys and hooks.
import { useQuery } from "@tanstack/react-query";
import { utcDay } from "../../ui/format";
import { systemsApi } from "./api";
import type { SystemsFilter } from "./types";

export const systemKeys = {
  all: ["systems"] as const,
  list: (filter: SystemsFilter) => ["systems", "list", filter] as const,
  system: (id: string) => ["systems", id] as const,
  history: (id: string) => ["systems", id, "history"] as const,
  changes: ["systems", "inventory-changes"] as const,
  reviews: ["systems", "inventory-reviews"] as const,
  owners: ["systems", "owners"] as const,
};

/** The people a system may be given to: active today. */
export function useActivePeople(enabled = true) {
  return useQuery({
    queryKey: systemKeys.owners,
    queryFn: () => systemsApi.activePeople(utcDay()),
    enabled,
    staleTime: 60_000,
  });
}
