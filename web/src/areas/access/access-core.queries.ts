// The grants, accounts and role rules API and its query hooks (the access area's core).
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { apiRequest, get, patch, post, seg } from "../../ui/http";
import type { Page } from "../../ui/pager";
import type { ItemOf, RequestBody } from "../../ui/schema";

export type Grant = ItemOf<"/api/v1/access-grants">;
export type Account = ItemOf<"/api/v1/accounts">;
export type RoleRule = ItemOf<"/api/v1/role-rules">;
export type NewRoleRule = RequestBody<"/api/v1/role-rules", "post">;
export type AccountChanges = RequestBody<"/api/v1/accounts/{id}", "patch">;

/** The grants list's filters ("" or absent when not set). */
export interface GrantsFilter {
  systemId?: string;
  personId?: string;
  state?: "active" | "pending" | "revoked" | "all";
  admin?: "true" | "false" | "";
  basis?: Grant["basis"] | "";
  flagged?: "true" | "";
}

export interface AccountsFilter {
  systemId?: string;
  personId?: string;
  status?: Account["status"] | "";
}

export interface RoleRulesFilter {
  jobRole?: string;
  systemId?: string;
}

export const accessCoreKeys = {
  all: ["access"] as const,
  grants: (filter: GrantsFilter) => ["access", "grants", filter] as const,
  accounts: (filter: AccountsFilter) => ["access", "accounts", filter] as const,
  roleRules: (filter: RoleRulesFilter) => ["access", "role-rules", filter] as const,
};

export const accessCoreApi = {
  grants: (filter: GrantsFilter, cursor?: string) =>
    get<Page<Grant>>("/access-grants", { ...filter, cursor, limit: 50 }),
  revoke: (id: string, reason: string) =>
    post<Grant>(`/access-grants/${seg(id)}/revoke`, { reason }),
  approveException: (id: string, reason: string, expiresAt: string) =>
    post<Grant>(`/access-grants/${seg(id)}/exception`, { reason, expiresAt }),
  accounts: (filter: AccountsFilter, cursor?: string) =>
    get<Page<Account>>("/accounts", { ...filter, cursor, limit: 50 }),
  updateAccount: (id: string, changes: AccountChanges) =>
    patch<Account>(`/accounts/${seg(id)}`, changes),
  removeAccount: (id: string) => post<Account>(`/accounts/${seg(id)}/remove`, {}),
  roleRules: (filter: RoleRulesFilter, cursor?: string) =>
    get<Page<RoleRule>>("/role-rules", { ...filter, cursor, limit: 100 }),
  createRoleRule: (input: NewRoleRule) => post<RoleRule>("/role-rules", input),
  // DELETE answers the removed rule (kept as history).
  removeRoleRule: (id: string) => apiRequest<RoleRule>("DELETE", `/role-rules/${seg(id)}`),
};

function paged<T>(key: readonly unknown[], load: (cursor?: string) => Promise<Page<T>>) {
  return {
    queryKey: key,
    queryFn: ({ pageParam }: { pageParam: string | undefined }) => load(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: Page<T>) => last.nextCursor ?? undefined,
  };
}

export function useGrants(filter: GrantsFilter) {
  return useInfiniteQuery(
    paged(accessCoreKeys.grants(filter), (cursor) => accessCoreApi.grants(filter, cursor)),
  );
}

export function useAccounts(filter: AccountsFilter) {
  return useInfiniteQuery(
    paged(accessCoreKeys.accounts(filter), (cursor) => accessCoreApi.accounts(filter, cursor)),
  );
}

export function useRoleRules(filter: RoleRulesFilter) {
  return useInfiniteQuery(
    paged(accessCoreKeys.roleRules(filter), (cursor) => accessCoreApi.roleRules(filter, cursor)),
  );
}

/** A write of the access area: every access list refetches after it. */
export function useAccessMutation<V, R>(run: (variables: V) => Promise<R>, onDone?: () => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: accessCoreKeys.all });
      onDone?.();
    },
  });
}
