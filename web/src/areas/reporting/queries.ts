// The confidential reporting API and its query hooks. Writes send the session's CSRF token.
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { ApiError, apiRequest } from "../../ui/http";
import { fetchAll } from "../../ui/pager";
import { useSession } from "../../ui/session";
import type {
  ChannelChanges,
  Report,
  ReportFilter,
  ReportingChannel,
  ReportMessage,
  ReportState,
  ReportSummary,
} from "./types";

export const reportKeys = {
  all: ["reports"] as const,
  list: (filter: ReportFilter) => ["reports", "list", filter] as const,
  one: (id: string) => ["reports", id] as const,
  channel: ["reporting", "channel"] as const,
};

function call<T>(csrf: string | null, method: string, path: string, body?: unknown): Promise<T> {
  return apiRequest<T>(method, path, body, csrf);
}

const seg = encodeURIComponent;

function reportingApi(csrf: string | null) {
  return {
    list: (filter: ReportFilter) =>
      fetchAll<ReportSummary>("/reports", { limit: 200, state: filter }, 20),
    get: (id: string) => call<Report>(csrf, "GET", `/reports/${seg(id)}`),
    reply: (id: string, body: string) =>
      call<ReportMessage>(csrf, "POST", `/reports/${seg(id)}/messages`, { body }),
    changeState: (id: string, state: Exclude<ReportState, "received">, outcome?: string) =>
      call<ReportSummary>(csrf, "POST", `/reports/${seg(id)}/state`, {
        state,
        ...(outcome === undefined ? {} : { outcome }),
      }),
    channel: () => call<ReportingChannel>(csrf, "GET", "/reporting/settings"),
    updateChannel: (changes: ChannelChanges) =>
      call<ReportingChannel>(csrf, "PATCH", "/reporting/settings", changes),
    designate: (userIds: string[]) =>
      call<ReportingChannel>(csrf, "PUT", "/reporting/handlers", { userIds }),
  };
}

export function useReportingApi() {
  const { csrfToken } = useSession();
  return useMemo(() => reportingApi(csrfToken), [csrfToken]);
}

export function useReportingChannel() {
  const api = useReportingApi();
  return useQuery({ queryKey: reportKeys.channel, queryFn: api.channel });
}

export function useReports(filter: ReportFilter, enabled = true) {
  const api = useReportingApi();
  return useQuery({ queryKey: reportKeys.list(filter), queryFn: () => api.list(filter), enabled });
}

/** One report, decrypted: every fetch is an audited read, so it is not refetched on focus. */
export function useReport(id: string, enabled = true) {
  const api = useReportingApi();
  return useQuery({
    queryKey: reportKeys.one(id),
    queryFn: () => api.get(id),
    enabled,
    refetchOnWindowFocus: false,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
}
