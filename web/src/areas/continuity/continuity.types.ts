// The continuity area's data (restore tests, the backed-up systems' standing), named from the
// generated schema (web/src/api/schema.d.ts).
import type { Answer, ItemOf, RequestBody } from "../../ui/schema";

export type RestoreTest = Answer<"/api/v1/continuity/restore-tests/{id}">;
export type RestoreTestSummary = ItemOf<"/api/v1/continuity/restore-tests">;
export type NewRestoreTest = RequestBody<"/api/v1/continuity/restore-tests", "post">;
export type BackedUpSystem = Answer<"/api/v1/continuity/systems">["items"][number];
export type RestoreResult = RestoreTestSummary["result"];
