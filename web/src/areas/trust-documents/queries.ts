// The trust center documents API and its query hooks. Writes send the session's CSRF token.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { apiRequest } from "../../ui/http";
import { fetchAll, type Page } from "../../ui/pager";
import { useSession } from "../../ui/session";
import type {
  AccessEvent,
  AccessRequest,
  Decision,
  DocumentChanges,
  DocumentSettings,
  PolicyDocumentInput,
  RequestStatus,
  SettingsInput,
  TrustDocument,
} from "./types";

export const trustDocumentKeys = {
  documents: ["trust-documents"] as const,
  settings: ["trust-documents", "settings"] as const,
  requests: ["trust-access-requests"] as const,
  requestList: (status: RequestStatus | "") => ["trust-access-requests", "list", status] as const,
  events: (id: string) => ["trust-access-requests", id, "events"] as const,
};

function call<T>(csrf: string | null, method: string, path: string, body?: unknown): Promise<T> {
  return apiRequest<T>(method, path, body, csrf);
}

const seg = encodeURIComponent;

function trustDocumentsApi(csrf: string | null) {
  return {
    documents: () =>
      call<Page<TrustDocument>>(csrf, "GET", "/trust-documents").then((page) => page.items),
    upload: (form: FormData) => call<TrustDocument>(csrf, "POST", "/trust-documents/upload", form),
    addPolicy: (input: PolicyDocumentInput) =>
      call<TrustDocument>(csrf, "POST", "/trust-documents", input),
    update: (id: string, changes: DocumentChanges) =>
      call<TrustDocument>(csrf, "PATCH", `/trust-documents/${seg(id)}`, changes),
    remove: (id: string) => call<void>(csrf, "DELETE", `/trust-documents/${seg(id)}`),
    downloadUrl: (id: string) => `/api/v1/trust-documents/${seg(id)}/download`,
    settings: () => call<DocumentSettings>(csrf, "GET", "/trust-documents/settings"),
    saveSettings: (input: SettingsInput) =>
      call<DocumentSettings>(csrf, "PUT", "/trust-documents/settings", input),
    requests: (status: RequestStatus | "", cursor: string | null) => {
      const query = new URLSearchParams({ limit: "50" });
      if (status) query.set("status", status);
      if (cursor) query.set("cursor", cursor);
      return call<Page<AccessRequest>>(csrf, "GET", `/trust-access-requests?${query}`);
    },
    approve: (id: string, note: string) =>
      call<Decision>(csrf, "POST", `/trust-access-requests/${seg(id)}/approve`, noteBody(note)),
    deny: (id: string, note: string) =>
      call<Decision>(csrf, "POST", `/trust-access-requests/${seg(id)}/deny`, noteBody(note)),
    revoke: (id: string) =>
      call<AccessRequest>(csrf, "POST", `/trust-access-requests/${seg(id)}/revoke`, {}),
    events: (id: string) =>
      fetchAll<AccessEvent>(`/trust-access-requests/${seg(id)}/events`, { limit: 200 }, 20),
  };
}

function noteBody(note: string) {
  return note.trim() ? { note: note.trim() } : {};
}

export function useTrustDocumentsApi() {
  const { csrfToken } = useSession();
  return useMemo(() => trustDocumentsApi(csrfToken), [csrfToken]);
}

export function useTrustDocuments() {
  const api = useTrustDocumentsApi();
  return useQuery({ queryKey: trustDocumentKeys.documents, queryFn: api.documents });
}

export function useDocumentSettings() {
  const api = useTrustDocumentsApi();
  return useQuery({ queryKey: trustDocumentKeys.settings, queryFn: api.settings });
}

export function useAccessRequests(status: RequestStatus | "") {
  const api = useTrustDocumentsApi();
  return useInfiniteQuery({
    queryKey: trustDocumentKeys.requestList(status),
    queryFn: ({ pageParam }) => api.requests(status, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useAccessEvents(id: string | null) {
  const api = useTrustDocumentsApi();
  return useQuery({
    queryKey: trustDocumentKeys.events(id ?? ""),
    queryFn: () => api.events(id as string),
    enabled: id !== null,
  });
}

/** A write on documents: the list refetches. */
export function useDocumentMutation<V, R>(run: (variables: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => client.invalidateQueries({ queryKey: trustDocumentKeys.documents }),
  });
}

/** A decision on a request: the request lists refetch. */
export function useRequestMutation<V, R>(run: (variables: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => client.invalidateQueries({ queryKey: trustDocumentKeys.requests }),
  });
}
