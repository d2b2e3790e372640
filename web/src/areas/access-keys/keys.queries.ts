// The key registry's API and query hooks: SSH keys, cloud access keys and API keys per person.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { get, patch, post, seg } from "../../ui/http";
import type { Page } from "../../ui/pager";
import type { Answer, ItemOf, RequestBody } from "../../ui/schema";

export type AccessKey = ItemOf<"/api/v1/access-keys">;
export type AccessKeyDetail = Answer<"/api/v1/access-keys/{id}">;
export type NewAccessKey = RequestBody<"/api/v1/access-keys", "post">;
export type AccessKeyChanges = RequestBody<"/api/v1/access-keys/{id}", "patch">;

/** The list's filters ("" or absent when not set). */
export interface KeysFilter {
  personId?: string;
  systemId?: string;
  kind?: AccessKey["kind"] | "";
  status?: AccessKey["status"] | "";
  fingerprint?: string;
}

export const KIND_LABELS: Record<AccessKey["kind"], string> = {
  ssh: "SSH key",
  cloud: "Cloud access key",
  api: "API key",
};

export const accessKeyKeys = {
  all: ["access-keys"] as const,
  list: (filter: KeysFilter) => ["access-keys", "list", filter] as const,
  one: (id: string) => ["access-keys", "one", id] as const,
};

export const accessKeysApi = {
  list: (filter: KeysFilter, cursor?: string) =>
    get<Page<AccessKey>>("/access-keys", { ...filter, cursor, limit: 50 }),
  one: (id: string) => get<AccessKeyDetail>(`/access-keys/${seg(id)}`),
  register: (input: NewAccessKey) => post<AccessKeyDetail>("/access-keys", input),
  change: (id: string, changes: AccessKeyChanges) =>
    patch<AccessKeyDetail>(`/access-keys/${seg(id)}`, changes),
  revoke: (id: string, reason: string) =>
    post<AccessKeyDetail>(`/access-keys/${seg(id)}/revoke`, { reason }),
};

export function useAccessKeys(filter: KeysFilter) {
  return useInfiniteQuery({
    queryKey: accessKeyKeys.list(filter),
    queryFn: ({ pageParam }: { pageParam: string | undefined }) =>
      accessKeysApi.list(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: Page<AccessKey>) => last.nextCursor ?? undefined,
  });
}

export function useAccessKey(id: string) {
  return useQuery({ queryKey: accessKeyKeys.one(id), queryFn: () => accessKeysApi.one(id) });
}

/** A write to the registry: the keys, and the access lists and controls, refetch after it. */
export function useKeyMutation<V, R>(run: (variables: V) => Promise<R>, onDone?: (r: R) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: accessKeyKeys.all });
      void client.invalidateQueries({ queryKey: ["access"] });
      onDone?.(result);
    },
  });
}
