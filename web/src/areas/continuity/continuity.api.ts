// Continuity: the endpoints (restore tests, the backed-up systems).
import { apiRequest, get, post, seg } from "../../ui/http";
import type { Page } from "../../ui/pager";
import type {
  BackedUpSystem,
  NewRestoreTest,
  RestoreTest,
  RestoreTestSummary,
} from "./continuity.types";

const one = (id: string) => `/continuity/restore-tests/${seg(id)}`;

export interface RestoreTestsFilter {
  result: string;
  systemId: string;
}

export const continuityApi = {
  systems: () => get<{ items: BackedUpSystem[] }>("/continuity/systems"),
  restoreTests: (filter: RestoreTestsFilter, cursor?: string) =>
    get<Page<RestoreTestSummary>>("/continuity/restore-tests", {
      ...(filter.result ? { result: filter.result } : {}),
      ...(filter.systemId ? { systemId: filter.systemId } : {}),
      cursor,
      limit: 50,
    }),
  restoreTest: (id: string) => get<RestoreTest>(one(id)),
  record: (input: NewRestoreTest) => post<RestoreTest>("/continuity/restore-tests", input),
  withdraw: (id: string, reason: string) => post<RestoreTest>(`${one(id)}/withdraw`, { reason }),
  attach: (id: string, file: File) => {
    const form = new FormData();
    form.append("file", file);
    return apiRequest<RestoreTest>("POST", `${one(id)}/evidence`, form);
  },
  /** The inventory's systems (not archived), to choose the one restored and the target. */
  inventory: () =>
    get<Page<{ id: string; name: string; production: boolean; backedUp: boolean }>>("/systems", {
      limit: 200,
    }),
};
