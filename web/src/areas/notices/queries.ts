// The notices API and its query hooks. Writes send the session's CSRF token, as api.ts does.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { apiRequest } from "../../ui/http";
import { fetchAll } from "../../ui/pager";
import type { Answer } from "../../ui/schema";
import { useSession } from "../../ui/session";
import type { Notice, NoticeFilter, NoticeInput, NoticeSummary, Subscriber } from "./types";

export const noticeKeys = {
  all: ["notices"] as const,
  list: (filter: NoticeFilter) => ["notices", "list", filter] as const,
  one: (id: string) => ["notices", id] as const,
  subscribers: ["notices", "subscribers"] as const,
  preview: (body: string) => ["notices", "preview", body] as const,
};

function call<T>(csrf: string | null, method: string, path: string, body?: unknown): Promise<T> {
  return apiRequest<T>(method, path, body, csrf);
}

const seg = encodeURIComponent;

function noticesApi(csrf: string | null) {
  return {
    list: (filter: NoticeFilter) =>
      fetchAll<NoticeSummary>(
        "/notices",
        { limit: 200, status: filter.status, severity: filter.severity },
        20,
      ),
    get: (id: string) => call<Notice>(csrf, "GET", `/notices/${seg(id)}`),
    create: (input: NoticeInput) => call<Notice>(csrf, "POST", "/notices", input),
    update: (id: string, input: Partial<NoticeInput>) =>
      call<Notice>(csrf, "PATCH", `/notices/${seg(id)}`, input),
    remove: (id: string) => call<void>(csrf, "DELETE", `/notices/${seg(id)}`),
    publish: (id: string, notifySubscribers: boolean) =>
      call<Notice>(csrf, "POST", `/notices/${seg(id)}/publish`, { notifySubscribers }),
    postUpdate: (id: string, body: string, notifySubscribers: boolean) =>
      call<Notice>(csrf, "POST", `/notices/${seg(id)}/updates`, { body, notifySubscribers }),
    resolve: (id: string, note: string, notifySubscribers: boolean) =>
      call<Notice>(csrf, "POST", `/notices/${seg(id)}/resolve`, {
        ...(note.trim() ? { note } : {}),
        notifySubscribers,
      }),
    preview: (body: string) =>
      call<Answer<"/api/v1/notices/preview", "post">>(csrf, "POST", "/notices/preview", {
        body,
      }),
    subscribers: () => fetchAll<Subscriber>("/notices/subscribers", { limit: 200 }),
    removeSubscriber: (id: string) => call<void>(csrf, "DELETE", `/notices/subscribers/${seg(id)}`),
  };
}

export function useNoticesApi() {
  const { csrfToken } = useSession();
  return useMemo(() => noticesApi(csrfToken), [csrfToken]);
}

export function useNotices(filter: NoticeFilter) {
  const api = useNoticesApi();
  return useQuery({ queryKey: noticeKeys.list(filter), queryFn: () => api.list(filter) });
}

export function useNotice(id: string) {
  const api = useNoticesApi();
  return useQuery({
    queryKey: noticeKeys.one(id),
    queryFn: () => api.get(id),
    // Mail to subscribers goes out after the answer: follow it until it is sent.
    refetchInterval: (query) => ((query.state.data?.deliveries.pending ?? 0) > 0 ? 3000 : false),
  });
}

export function useSubscribers(enabled: boolean) {
  const api = useNoticesApi();
  return useQuery({ queryKey: noticeKeys.subscribers, queryFn: api.subscribers, enabled });
}

/** A write on one notice: the answer replaces the cached notice, and lists refetch. */
export function useNoticeMutation<V>(run: (variables: V) => Promise<Notice | undefined>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (notice) => {
      if (notice) client.setQueryData(noticeKeys.one(notice.id), notice);
      void client.invalidateQueries({ queryKey: ["notices", "list"] });
    },
  });
}
