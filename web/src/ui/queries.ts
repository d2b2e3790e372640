// Query keys and the shared data hooks, so every page caches the same data the same way.
import { useQuery } from "@tanstack/react-query";
import { api } from "./api";
import type { QueryOf } from "./schema";

export const keys = {
  setup: ["setup"] as const,
  me: ["me"] as const,
  dashboard: ["dashboard"] as const,
  controls: ["controls"] as const,
  control: (key: string) => ["controls", key] as const,
  controlAsOf: (key: string, asOf: string) => ["controls", key, { asOf }] as const,
  controlHistory: (key: string, from: string, to: string) =>
    ["controls", key, "history", { from, to }] as const,
  evidence: (controlKey: string) => ["evidence", controlKey] as const,
  policies: ["policies"] as const,
  policyTemplates: ["policies", "templates"] as const,
  policy: (id: string) => ["policies", id] as const,
  policyDiff: (id: string, from: string, to: string) =>
    ["policies", id, "diff", { from, to }] as const,
  myPolicies: ["my-policies"] as const,
  people: ["people"] as const,
  peopleList: (filter: QueryOf<"/api/v1/people">) => ["people", "list", filter] as const,
  person: (id: string) => ["people", id] as const,
  jobRoles: ["people", "job-roles"] as const,
  users: ["users"] as const,
  allUsers: ["users", "all"] as const,
  organization: ["organization"] as const,
  tokens: ["tokens"] as const,
  invitation: (token: string) => ["invitation", token] as const,
};

export function useSetupStatus() {
  return useQuery({ queryKey: keys.setup, queryFn: api.setupStatus, staleTime: Infinity });
}

export function useMeQuery() {
  return useQuery({ queryKey: keys.me, queryFn: api.me, staleTime: 60_000 });
}
