// The people area's endpoints.
import { del, get, patch, post, seg } from "../../ui/http";
import type { Page } from "../../ui/pager";
import type { Answer } from "../../ui/schema";
import type {
  ImportPreview,
  ImportResult,
  NewPersonInput,
  OffboardInput,
  PeopleFilter,
  Person,
  UpdatePersonInput,
} from "./types";

/** A chosen file as the import's body: the CSV itself, as text/csv. */
const csvBody = (file: File) => new Blob([file], { type: "text/csv" });

export const peopleApi = {
  people: (filter: PeopleFilter, cursor?: string, limit = 100) =>
    get<Page<Person>>("/people", { ...filter, cursor, limit }),
  person: (id: string) => get<Person>(`/people/${seg(id)}`),
  jobRoles: () => get<Answer<"/api/v1/people/job-roles">>("/people/job-roles").then((r) => r.items),
  createPerson: (input: NewPersonInput) => post<Person>("/people", input),
  updatePerson: (id: string, input: UpdatePersonInput) =>
    patch<Person>(`/people/${seg(id)}`, input),
  offboard: (id: string, input: OffboardInput) =>
    post<Person>(`/people/${seg(id)}/offboard`, input),
  deletePerson: (id: string) => del(`/people/${seg(id)}`),
  previewImport: (file: File) => post<ImportPreview>("/people/imports/preview", csvBody(file)),
  commitImport: (file: File) => post<ImportResult>("/people/imports", csvBody(file)),
};
