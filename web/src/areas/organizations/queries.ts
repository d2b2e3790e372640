// The organizations area's query hooks (keys in ui/queries.ts: other areas refresh them too).
import { useQuery } from "@tanstack/react-query";
import { keys } from "../../ui/queries";
import { organizationsApi } from "./api";

export function useOrganization() {
  return useQuery({ queryKey: keys.organization, queryFn: organizationsApi.organization });
}
