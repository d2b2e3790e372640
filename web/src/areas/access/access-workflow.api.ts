// Access requests, access tasks and role-change proposals: the endpoints and their types.
import { get, post, seg } from "../../ui/http";
import type { Page } from "../../ui/pager";
import type { Answer, ItemOf, QueryOf, RequestBody } from "../../ui/schema";

export type SystemAccessRequest = Answer<"/api/v1/access-requests/{id}">;
export type AccessTask = Answer<"/api/v1/access-tasks/{id}">;
export type AccessProposal = Answer<"/api/v1/people/{id}/access-proposal">;
export type RequestFilter = Omit<QueryOf<"/api/v1/access-requests">, "cursor" | "limit">;
export type TaskFilter = Omit<QueryOf<"/api/v1/access-tasks">, "cursor" | "limit">;
export type NewSystemAccessRequest = RequestBody<"/api/v1/access-requests", "post">;
export type TaskItem = ItemOf<"/api/v1/access-tasks">;

/** The systems one may ask for access to, for the request form. */
export type SystemChoice = ItemOf<"/api/v1/access-requests/system-choices">;

export const accessWorkflowApi = {
  requests: (filter: RequestFilter, cursor?: string) =>
    get<Page<SystemAccessRequest>>("/access-requests", { ...filter, cursor, limit: 50 }),
  request: (id: string) => get<SystemAccessRequest>(`/access-requests/${seg(id)}`),
  ask: (input: NewSystemAccessRequest) => post<SystemAccessRequest>("/access-requests", input),
  approve: (id: string, comment: string) =>
    post<SystemAccessRequest>(
      `/access-requests/${seg(id)}/approve`,
      comment.trim() ? { comment } : {},
    ),
  deny: (id: string, comment: string) =>
    post<SystemAccessRequest>(`/access-requests/${seg(id)}/deny`, { comment }),
  cancelRequest: (id: string) => post<SystemAccessRequest>(`/access-requests/${seg(id)}/cancel`),
  tasks: (filter: TaskFilter, cursor?: string) =>
    get<Page<AccessTask>>("/access-tasks", { ...filter, cursor, limit: 50 }),
  complete: (id: string) => post<AccessTask>(`/access-tasks/${seg(id)}/complete`, {}),
  cancelTask: (id: string, reason: string) =>
    post<AccessTask>(`/access-tasks/${seg(id)}/cancel`, { reason }),
  proposal: (personId: string) => get<AccessProposal>(`/people/${seg(personId)}/access-proposal`),
  applyProposal: (personId: string, add: string[], remove: string[]) =>
    post<{ tasks: AccessTask[] }>(`/people/${seg(personId)}/access-proposal`, { add, remove }),
  systems: () =>
    get<{ items: SystemChoice[] }>("/access-requests/system-choices").then((r) => r.items),
};
