// The users area's endpoints.
import { get, patch, post, seg } from "../../ui/http";
import { fetchAll, type Page } from "../../ui/pager";
import type { Answer } from "../../ui/schema";
import type { InviteUserInput, UpdateUserInput, User } from "./types";

export const usersApi = {
  users: (cursor?: string) => get<Page<User>>("/users", { cursor }),
  allUsers: () => fetchAll<User>("/users"),
  inviteUser: (input: InviteUserInput) => post<Answer<"/api/v1/users", "post">>("/users", input),
  updateUser: (id: string, input: UpdateUserInput) => patch<User>(`/users/${seg(id)}`, input),
  deactivateUser: (id: string) => post<User>(`/users/${seg(id)}/deactivate`),
  reactivateUser: (id: string) =>
    post<Answer<"/api/v1/users/{id}/reactivate", "post">>(`/users/${seg(id)}/reactivate`),
};
