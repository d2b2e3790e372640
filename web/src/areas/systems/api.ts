// The systems area's endpoints.
import { del, get, patch, post, seg } from "../../ui/http";
import { fetchAll, type Page } from "../../ui/pager";
import type {
  InventoryChanges,
  InventoryReview,
  NewSystemInput,
  System,
  SystemsFilter,
  SystemVersion,
  UpdateSystemInput,
} from "./types";

function filterQuery(filter: SystemsFilter) {
  const query: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined && value !== "") query[key] = String(value);
  }
  return query;
}

export const systemsApi = {
  systems: (filter: SystemsFilter, cursor?: string) =>
    get<Page<System>>("/systems", { ...filterQuery(filter), cursor, limit: 100 }),
  system: (id: string) => get<System>(`/systems/${seg(id)}`),
  history: (id: string) =>
    get<{ items: SystemVersion[] }>(`/systems/${seg(id)}/history`).then((r) => r.items),
  createSystem: (input: NewSystemInput) => post<System>("/systems", input),
  updateSystem: (id: string, input: UpdateSystemInput) =>
    patch<System>(`/systems/${seg(id)}`, input),
  archiveSystem: (id: string) => post<System>(`/systems/${seg(id)}/archive`),
  restoreSystem: (id: string) => post<System>(`/systems/${seg(id)}/restore`),
  deleteSystem: (id: string) => del(`/systems/${seg(id)}`),
  inventoryChanges: () => get<InventoryChanges>("/inventory-reviews/changes"),
  inventoryReviews: () => fetchAll<InventoryReview>("/inventory-reviews", { limit: 200 }, 5),
  signOff: (comment: string) => post<InventoryReview>("/inventory-reviews", { comment }),
  /** The people who may own a system: those active today. */
  activePeople: (day: string) =>
    fetchAll<{ id: string; name: string; email: string }>(
      "/people",
      { activeOn: day, limit: 200 },
      100,
    ),
};
