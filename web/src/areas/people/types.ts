// The people area's API data, named from the generated schema.
import type { Answer, QueryOf, RequestBody } from "../../ui/schema";

export type Person = Answer<"/api/v1/people/{id}">;
export type PeopleFilter = Pick<
  QueryOf<"/api/v1/people">,
  "q" | "status" | "activeOn" | "jobRole" | "managerId" | "employmentType"
>;
export type NewPersonInput = RequestBody<"/api/v1/people", "post">;
export type UpdatePersonInput = RequestBody<"/api/v1/people/{id}", "patch">;
export type OffboardInput = RequestBody<"/api/v1/people/{id}/offboard", "post">;
export type ImportPreview = Answer<"/api/v1/people/imports/preview", "post">;
export type ImportResult = Answer<"/api/v1/people/imports", "post">;
export type EmploymentType = Person["employmentType"];

export const EMPLOYMENT_TYPES: { value: EmploymentType; label: string }[] = [
  { value: "employee", label: "Employee" },
  { value: "contractor", label: "Contractor" },
];

export function employmentLabel(type: EmploymentType): string {
  return EMPLOYMENT_TYPES.find((t) => t.value === type)?.label ?? type;
}
