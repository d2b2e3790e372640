import type { IncidentSeverity } from "../../src/db/tables/incidents.ts";
import type { Org } from "../factories.ts";
import { type Client, formOf, type Person } from "../helpers/app.ts";
import { factoryBody as body } from "./shared.ts";

/**
 * Incidents through the API (issue 14): declared now by someone, triaged, resolved, noted,
 * with files attached. For incidents of the past (backdated), see incidents-stored.ts.
 */

let sequence = 0;

/** An incident declared by `who` (default the owner); answers the API's Incident. */
export async function declare(org: Org, who?: Person, fields: Record<string, unknown> = {}) {
  sequence++;
  return body(
    await (who ?? org.owner).client.post("/api/v1/incidents", {
      title: `Incident ${sequence} of ${org.name}`,
      ...fields,
    }),
    "declare incident",
    201,
  );
}

/** A change of an incident by the owner (or `client`); answers the Incident. */
export async function changeIncident(
  org: Org,
  id: string,
  patch: Record<string, unknown>,
  client: Client = org.owner.client,
) {
  return body(await client.patch(`/api/v1/incidents/${id}`, patch), "change incident", 200);
}

/** Triage: severity (default medium) and owner (default the organization's owner) set. */
export async function triage(
  org: Org,
  id: string,
  overrides: { severity?: IncidentSeverity; ownerId?: string } = {},
) {
  return changeIncident(org, id, {
    severity: overrides.severity ?? "medium",
    ownerId: overrides.ownerId ?? org.owner.id,
    status: "triaged",
  });
}

/** Resolved (triaged first if it was not). */
export async function resolve(org: Org, id: string) {
  const current = body(await org.owner.client.get(`/api/v1/incidents/${id}`), "incident", 200);
  if (current.status === "reported") await triage(org, id);
  return changeIncident(org, id, { status: "resolved" });
}

/** A note (or action taken) on the incident's timeline; answers the entry. */
export async function incidentNote(
  org: Org,
  id: string,
  fields: { kind?: "note" | "action"; body?: string; occurredAt?: string } = {},
) {
  return body(
    await org.owner.client.post(`/api/v1/incidents/${id}/entries`, {
      kind: fields.kind ?? "note",
      body: fields.body ?? "Looked into it.",
      ...(fields.occurredAt ? { occurredAt: fields.occurredAt } : {}),
    }),
    "incident note",
    201,
  );
}

/** A text file attached to the incident's timeline; answers the entry. */
export async function incidentAttachment(
  org: Org,
  id: string,
  file: { name?: string; content?: string; body?: string } = {},
) {
  return body(
    await org.owner.client.postForm(
      `/api/v1/incidents/${id}/attachments`,
      formOf(file.body ? { body: file.body } : {}, {
        name: file.name ?? "log.txt",
        type: "text/plain",
        content: file.content ?? `What the logs said about ${id}.`,
      }),
    ),
    "incident attachment",
    201,
  );
}
