// The users area's query hooks (keys in ui/queries.ts: other areas refresh them too).
import { useQuery } from "@tanstack/react-query";
import { keys } from "../../ui/queries";
import { usersApi } from "./api";

export function useAllUsers(enabled = true) {
  return useQuery({ queryKey: keys.allUsers, queryFn: usersApi.allUsers, enabled });
}
