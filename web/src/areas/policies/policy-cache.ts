// After a policy changes, everything derived from it may have changed too: the list, the
// control statuses and dashboard (re-evaluated by the server), and "my policies".
import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { keys } from "../../ui/queries";
import type { Policy } from "./types";

export function usePolicySaved(): (policy?: Policy) => void {
  const queryClient = useQueryClient();
  return useCallback(
    (policy?: Policy) => {
      if (policy) queryClient.setQueryData(keys.policy(policy.id), policy);
      void queryClient.invalidateQueries({ queryKey: keys.policies, exact: true });
      void queryClient.invalidateQueries({ queryKey: keys.controls });
      void queryClient.invalidateQueries({ queryKey: keys.dashboard });
      void queryClient.invalidateQueries({ queryKey: keys.myPolicies });
    },
    [queryClient],
  );
}
