// The policies area's query hooks (keys in ui/queries.ts: other areas refresh them too).
import { useQuery } from "@tanstack/react-query";
import { keys } from "../../ui/queries";
import { policiesApi } from "./api";

export function usePolicies(enabled = true) {
  return useQuery({ queryKey: keys.policies, queryFn: policiesApi.policies, enabled });
}

/** The policies that apply to the signed-in person; the sidebar counts the pending ones. */
export function useMyPolicies(enabled = true) {
  return useQuery({ queryKey: keys.myPolicies, queryFn: policiesApi.myPolicies, enabled });
}
