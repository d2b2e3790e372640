// The signed-in session: a context filled by <RequireSession>, and hooks to read it.
import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext } from "react";
import { useNavigate } from "react-router";
import { api } from "./api";
import { requestHeadingFocus } from "./focus";
import { keys } from "./queries";
import type { Me, Permission } from "./schema";

export const SessionContext = createContext<Me | null>(null);

export function useSession(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error("useSession must be used inside <RequireSession>");
  return me;
}

/** can('users.manage') -> whether the signed-in user holds that permission. */
export function useCan(): (permission: Permission) => boolean {
  const { permissions } = useSession();
  return useCallback((permission: Permission) => permissions.includes(permission), [permissions]);
}

export function useSignOut(): () => Promise<void> {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(async () => {
    try {
      await api.logout();
    } finally {
      queryClient.clear();
      queryClient.setQueryData(keys.me, null);
      navigate("/login", { replace: true });
    }
  }, [queryClient, navigate]);
}

/** After login, setup or accepting an invitation: drop cached data and load /me again. */
export function useStartSession(): (next?: string) => Promise<void> {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(
    async (next = "/") => {
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.setup[0] });
      await queryClient.fetchQuery({ queryKey: keys.me, queryFn: api.me });
      // The form that had focus is gone: the page signed in to gets it on its heading.
      requestHeadingFocus();
      navigate(safeNext(next), { replace: true });
    },
    [queryClient, navigate],
  );
}

/** Only same-app paths are followed after sign-in, never another origin. */
export function safeNext(next: string | null | undefined): string {
  if (!next?.startsWith("/") || next.startsWith("//")) return "/";
  if (next.startsWith("/login") || next.startsWith("/setup")) return "/";
  return next;
}
