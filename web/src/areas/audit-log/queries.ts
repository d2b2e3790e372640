// The audit trail API: events (with their sentences and targets), the actions in the trail for
// the filter, and the export URLs. GET only; the exports download through plain links.
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { apiRequest } from "../../ui/http";
import type { Page } from "../../ui/pager";
import type { Answer, ItemOf, Permission } from "../../ui/schema";

export type AuditEvent = ItemOf<"/api/v1/audit-events">;

/** The list's filters as the API takes them (times as ISO timestamps). */
export interface AuditQuery {
  action?: string | undefined;
  actorId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const BASE = "/api/v1/audit-events";

function search(query: AuditQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

const auditKeys = {
  events: (query: AuditQuery) => ["audit-events", "list", query] as const,
  actions: ["audit-events", "actions"] as const,
};

export function useAuditEvents(query: AuditQuery) {
  return useInfiniteQuery({
    queryKey: auditKeys.events(query),
    queryFn: ({ pageParam }) =>
      apiRequest<Page<AuditEvent>>(
        "GET",
        `/audit-events${search(query, pageParam ? { cursor: pageParam, limit: "50" } : { limit: "50" })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useAuditActions() {
  return useQuery({
    queryKey: auditKeys.actions,
    queryFn: () =>
      apiRequest<Answer<"/api/v1/audit-events/actions">>("GET", "/audit-events/actions").then(
        (r) => r.items,
      ),
  });
}

/** Where the filtered export downloads from (the session cookie goes along). */
export function auditExportUrl(format: "csv" | "jsonl", query: AuditQuery): string {
  return `${BASE}/export.${format}${search(query)}`;
}

/** The permission a target's page needs: a link shows only to those who may open it. */
export function pagePermission(path: string): Permission | null {
  const rules: [string, Permission][] = [
    ["/policies/", "policies.read"],
    ["/people/", "people.read"],
    ["/controls/", "controls.read"],
    ["/notices/", "notices.read"],
    ["/reports", "reports.handle"],
    ["/trust-center", "trust.read"],
    ["/settings/organization", "organization.update"],
    ["/settings/users", "users.read"],
  ];
  return rules.find(([prefix]) => path.startsWith(prefix))?.[1] ?? null;
}
