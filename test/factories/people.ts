import type { Org } from "../factories.ts";
import { uniqueEmail } from "../helpers/app.ts";

/**
 * People with the fields of the access issue: a manager, an employment type, an end date.
 * Answers the person as the API shows them (id, number, reference…).
 */
export async function listedPerson(
  org: Org,
  overrides: {
    name?: string;
    email?: string;
    jobRole?: string;
    employmentType?: "employee" | "contractor";
    managerId?: string;
    startDate?: string;
    endDate?: string;
  } = {},
) {
  const reply = await org.owner.client.post("/api/v1/people", {
    name: overrides.name ?? `Listed ${uniqueEmail("n").split("@")[0]}`,
    email: overrides.email ?? uniqueEmail("listed"),
    startDate: overrides.startDate ?? "2026-01-01",
    ...Object.fromEntries(
      Object.entries(overrides).filter(([k]) => !["name", "email", "startDate"].includes(k)),
    ),
  });
  if (reply.status !== 201) throw new Error(`factory person: ${JSON.stringify(reply.body)}`);
  return reply.body as {
    id: string;
    number: number;
    reference: string;
    name: string;
    email: string;
  };
}

/** Imports a people CSV (header and rows) through the commit route; answers the counts. */
export async function importedPeople(org: Org, rows: string[]) {
  const csv = ["name,email,job_role,employment_type,start_date,end_date,manager_email", ...rows];
  const reply = await org.owner.client.request(
    "POST",
    "/api/v1/people/imports",
    `${csv.join("\n")}\n`,
    {
      "content-type": "text/csv",
    },
  );
  if (reply.status !== 200) throw new Error(`factory import: ${JSON.stringify(reply.body)}`);
  return reply.body as { rows: number; created: number; updated: number; unchanged: number };
}
