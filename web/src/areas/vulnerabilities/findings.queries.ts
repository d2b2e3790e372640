// Findings' API and query hooks: the list, a finding, triage and risk acceptances.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { get, patch, post, seg } from "../../ui/http";
import type { Page } from "../../ui/pager";
import type { Answer, ItemOf } from "../../ui/schema";

export type Finding = ItemOf<"/api/v1/findings">;
export type FindingDetail = Answer<"/api/v1/findings/{id}">;
export type RiskAcceptance = ItemOf<"/api/v1/risk-acceptances">;
export type TriagePerson = ItemOf<"/api/v1/finding-assignees">;

/** The list's filters ("" or absent when not set); severity and status are comma lists. */
export interface FindingsFilter {
  systemId?: string;
  severity?: string;
  status?: string;
  sla?: "overdue" | "due_soon" | "";
  source?: "scan" | "pentest" | "";
  pentestId?: string;
  assigneeId?: string;
  q?: string;
}

export const SEVERITY_LABELS: Record<Finding["severity"], string> = {
  critical: "Critical",
  high: "High",
  medium: "Medium",
  low: "Low",
};

export const STATUS_LABELS: Record<Finding["status"], string> = {
  open: "Open",
  resolved: "Resolved",
  risk_accepted: "Risk accepted",
  false_positive: "False positive",
};

export const SLA_LABELS: Record<NonNullable<Finding["sla"]>, string> = {
  overdue: "Overdue",
  due_soon: "Due soon",
  within: "Within deadline",
};

export const ACCEPTANCE_LABELS: Record<RiskAcceptance["status"], string> = {
  pending: "Awaiting a decision",
  approved: "Approved",
  rejected: "Rejected",
  revoked: "Revoked",
  expired: "Expired",
};

const clean = (filter: FindingsFilter) =>
  Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== "" && v !== undefined));

export const findingKeys = {
  all: ["findings"] as const,
  list: (filter: FindingsFilter) => ["findings", "list", filter] as const,
  one: (id: string) => ["findings", "one", id] as const,
  acceptances: (query: Record<string, string>) => ["findings", "acceptances", query] as const,
  people: ["findings", "people"] as const,
};

export const findingsApi = {
  list: (filter: FindingsFilter, cursor?: string) =>
    get<Page<Finding>>("/findings", { ...clean(filter), cursor, limit: 50 }),
  one: (id: string) => get<FindingDetail>(`/findings/${seg(id)}`),
  people: () => get<{ items: TriagePerson[] }>("/finding-assignees"),
  assign: (id: string, assigneeId: string | null) =>
    patch<FindingDetail>(`/findings/${seg(id)}`, { assigneeId }),
  comment: (id: string, body: string) =>
    post<FindingDetail>(`/findings/${seg(id)}/comments`, { body }),
  falsePositive: (id: string, reason: string) =>
    post<FindingDetail>(`/findings/${seg(id)}/false-positive`, { reason }),
  reopen: (id: string, reason: string) =>
    post<FindingDetail>(`/findings/${seg(id)}/reopen`, { reason }),
  requestAcceptance: (
    id: string,
    input: { reason: string; expiresAt: string; approverId?: string },
  ) => post<RiskAcceptance>(`/findings/${seg(id)}/risk-acceptances`, input),
  acceptances: (query: Record<string, string>, cursor?: string) =>
    get<Page<RiskAcceptance>>("/risk-acceptances", { ...query, cursor, limit: 50 }),
  approve: (id: string, comment?: string) =>
    post<RiskAcceptance>(`/risk-acceptances/${seg(id)}/approve`, comment ? { comment } : {}),
  reject: (id: string, reason: string) =>
    post<RiskAcceptance>(`/risk-acceptances/${seg(id)}/reject`, { reason }),
  revoke: (id: string, reason: string) =>
    post<RiskAcceptance>(`/risk-acceptances/${seg(id)}/revoke`, { reason }),
};

export function useFindings(filter: FindingsFilter) {
  return useInfiniteQuery({
    queryKey: findingKeys.list(filter),
    queryFn: ({ pageParam }: { pageParam: string | undefined }) =>
      findingsApi.list(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: Page<Finding>) => last.nextCursor ?? undefined,
  });
}

export function useFinding(id: string) {
  return useQuery({ queryKey: findingKeys.one(id), queryFn: () => findingsApi.one(id) });
}

export function useTriagePeople() {
  return useQuery({ queryKey: findingKeys.people, queryFn: findingsApi.people, staleTime: 60_000 });
}

export function useAcceptances(query: Record<string, string>) {
  return useInfiniteQuery({
    queryKey: findingKeys.acceptances(query),
    queryFn: ({ pageParam }: { pageParam: string | undefined }) =>
      findingsApi.acceptances(query, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: Page<RiskAcceptance>) => last.nextCursor ?? undefined,
  });
}

/** A write to findings: the findings, acceptances and controls refetch after it. */
export function useFindingMutation<V, R>(
  run: (variables: V) => Promise<R>,
  onDone?: (r: R) => void,
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: findingKeys.all });
      void client.invalidateQueries({ queryKey: ["controls"] });
      void client.invalidateQueries({ queryKey: ["dashboard"] });
      onDone?.(result);
    },
  });
}
