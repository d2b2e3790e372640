// Query keys and the shared data hooks, so every page caches the same data the same way.
import { useQuery } from "@tanstack/react-query";
import { api } from "./api";
import type { AuditFilters } from "./types";

export const keys = {
  setup: ["setup"] as const,
  me: ["me"] as const,
  controls: ["controls"] as const,
  control: (key: string) => ["controls", key] as const,
  users: ["users"] as const,
  allUsers: ["users", "all"] as const,
  organization: ["organization"] as const,
  tokens: ["tokens"] as const,
  audit: (filters: AuditFilters) => ["audit-events", filters] as const,
  invitation: (token: string) => ["invitation", token] as const,
};

export function useSetupStatus() {
  return useQuery({ queryKey: keys.setup, queryFn: api.setupStatus, staleTime: Infinity });
}

export function useMeQuery() {
  return useQuery({ queryKey: keys.me, queryFn: api.me, staleTime: 60_000 });
}

export function useControls() {
  return useQuery({ queryKey: keys.controls, queryFn: api.controls });
}

export function useAllUsers(enabled = true) {
  return useQuery({ queryKey: keys.allUsers, queryFn: api.allUsers, enabled });
}

export function useOrganization() {
  return useQuery({ queryKey: keys.organization, queryFn: api.organization });
}
