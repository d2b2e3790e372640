// The people area's API data, named from the generated schema.
import type { Answer, QueryOf, RequestBody } from "../../ui/schema";

export type Person = Answer<"/api/v1/people/{id}">;
export type PeopleFilter = Pick<QueryOf<"/api/v1/people">, "activeOn" | "jobRole">;
export type NewPersonInput = RequestBody<"/api/v1/people", "post">;
export type UpdatePersonInput = RequestBody<"/api/v1/people/{id}", "patch">;
