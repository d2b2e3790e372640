// The people area's endpoints.
import { get, patch, post, seg } from "../../ui/http";
import type { Page } from "../../ui/pager";
import type { Answer } from "../../ui/schema";
import type { NewPersonInput, PeopleFilter, Person, UpdatePersonInput } from "./types";

export const peopleApi = {
  people: (filter: PeopleFilter, cursor?: string) =>
    get<Page<Person>>("/people", { ...filter, cursor, limit: 100 }),
  person: (id: string) => get<Person>(`/people/${seg(id)}`),
  jobRoles: () => get<Answer<"/api/v1/people/job-roles">>("/people/job-roles").then((r) => r.items),
  createPerson: (input: NewPersonInput) => post<Person>("/people", input),
  updatePerson: (id: string, input: UpdatePersonInput) =>
    patch<Person>(`/people/${seg(id)}`, input),
};
