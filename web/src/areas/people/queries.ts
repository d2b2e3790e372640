// The people area's query hooks (keys in ui/queries.ts: other areas refresh them too).
import { useQuery } from "@tanstack/react-query";
import { keys } from "../../ui/queries";
import { peopleApi } from "./api";

export function useJobRoles(enabled = true) {
  return useQuery({
    queryKey: keys.jobRoles,
    queryFn: peopleApi.jobRoles,
    enabled,
    staleTime: 60_000,
  });
}
