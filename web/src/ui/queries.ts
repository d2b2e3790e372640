// Query keys and the shared data hooks, so every page caches the same data the same way.
import { useQuery } from "@tanstack/react-query";
import { api } from "./api";
import type { PeopleFilter } from "./types";

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
  peopleList: (filter: PeopleFilter) => ["people", "list", filter] as const,
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

export function useControls() {
  return useQuery({ queryKey: keys.controls, queryFn: api.controls });
}

export function useAllUsers(enabled = true) {
  return useQuery({ queryKey: keys.allUsers, queryFn: api.allUsers, enabled });
}

export function useOrganization() {
  return useQuery({ queryKey: keys.organization, queryFn: api.organization });
}

export function usePolicies(enabled = true) {
  return useQuery({ queryKey: keys.policies, queryFn: api.policies, enabled });
}

/** The policies that apply to the signed-in person; the sidebar counts the pending ones. */
export function useMyPolicies(enabled = true) {
  return useQuery({ queryKey: keys.myPolicies, queryFn: api.myPolicies, enabled });
}

export function useJobRoles(enabled = true) {
  return useQuery({ queryKey: keys.jobRoles, queryFn: api.jobRoles, enabled, staleTime: 60_000 });
}
