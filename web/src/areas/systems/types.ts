// The systems area's API data, named from the generated schema.
import type { Answer, QueryOf, RequestBody } from "../../ui/schema";

export type System = Answer<"/api/v1/systems/{id}">;
export type SystemVersion = Answer<"/api/v1/systems/{id}/history">["items"][number];
export type SystemsFilter = Omit<QueryOf<"/api/v1/systems">, "cursor" | "limit">;
export type NewSystemInput = RequestBody<"/api/v1/systems", "post">;
export type UpdateSystemInput = RequestBody<"/api/v1/systems/{id}", "patch">;
export type InventoryChanges = Answer<"/api/v1/inventory-reviews/changes">;
export type InventoryReview = Answer<"/api/v1/inventory-reviews/{id}">;
export type SystemKind = System["kind"];
export type Classification = NonNullable<System["classification"]>;
