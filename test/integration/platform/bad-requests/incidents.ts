import type { Person, TestApp } from "../../../helpers/app.ts";
import type { AreaBadRequests } from "./types.ts";
import type { WellMade, WellMadeContext } from "./well-made.ts";

/** Bad requests for the incidents core (issue 14): declaring, triage, timeline, attachments. */

async function incident(owner: Person): Promise<{ incidentId: string }> {
  const reply = await owner.client.post("/api/v1/incidents", { title: "Suspicious login" });
  if (reply.status !== 201)
    throw new Error(`incident: ${reply.status} ${JSON.stringify(reply.body)}`);
  return { incidentId: reply.body.id as string };
}

export const incidentsBadRequests: AreaBadRequests = {
  prepare: (_t: TestApp, owner: Person) => incident(owner),
  requests: {
    "POST /api/v1/incidents": {
      as: "owner",
      body: { title: "Lost laptop", severity: "urgent" },
      fields: ["severity"],
    },
    "PATCH /api/v1/incidents/:id": {
      as: "owner",
      url: (f) => `/api/v1/incidents/${f.ids.incidentId}`,
      body: { ownerId: "someone" },
      fields: ["ownerId"],
    },
    "POST /api/v1/incidents/:id/entries": {
      as: "owner",
      url: (f) => `/api/v1/incidents/${f.ids.incidentId}/entries`,
      body: { kind: "comment", body: "Looked into it." },
      fields: ["kind"],
    },
    "POST /api/v1/incidents/:id/attachments": {
      as: "owner",
      url: (f) => `/api/v1/incidents/${f.ids.incidentId}/attachments`,
      body: { body: "Not a file upload" },
      status: 415,
      fields: ["body"],
    },
  },
};

async function prepared(c: WellMadeContext) {
  return incident(c.f.owner);
}

/** The same made well (the WELL_MADE table spreads these in). */
export const incidentsWellMade: Record<string, WellMade> = {
  "POST /api/v1/incidents": { body: { title: "Lost laptop", severity: "low" }, status: 201 },
  "PATCH /api/v1/incidents/:id": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/incidents/${ids.incidentId}`,
    body: (f) => ({ ownerId: f.owner.id }),
    status: 200,
  },
  "POST /api/v1/incidents/:id/entries": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/incidents/${ids.incidentId}/entries`,
    body: { kind: "note", body: "Looked into it." },
    status: 201,
  },
  "POST /api/v1/incidents/:id/attachments": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/incidents/${ids.incidentId}/attachments`,
    form: () => {
      const form = new FormData();
      form.append("body", "The login's log");
      form.append("file", new Blob(["well made"], { type: "text/plain" }), "login.txt");
      return form;
    },
    status: 201,
  },
};
