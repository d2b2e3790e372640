import { randomUUID } from "node:crypto";
import { addDays, isoDay } from "../../../../src/domain/dates.ts";
import type { Person, TestApp } from "../../../helpers/app.ts";
import type { AreaBadRequests } from "./types.ts";
import type { WellMade, WellMadeContext } from "./well-made.ts";

/** Bad requests for the tests of the Incident Response Plan (issue 14): exercises and outcomes. */

const yesterday = () => isoDay(addDays(new Date(), -1));
const UNKNOWN = "4f0c9a8e-6a43-4b7e-9a55-0c6f2b1d9e10";

async function made(owner: Person, url: string, body: unknown): Promise<string> {
  const reply = await owner.client.post(url, body);
  if (reply.status !== 201)
    throw new Error(`${url}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.id as string;
}

/** A planned tabletop exercise with one attendee and an outcome calling for a change of the plan. */
async function exercise(owner: Person) {
  const exerciseId = await made(owner, "/api/v1/ir-exercises", {
    kind: "tabletop",
    title: `Tabletop ${randomUUID().slice(0, 8)}`,
    heldOn: yesterday(),
  });
  const personId = await made(owner, "/api/v1/people", {
    name: `Exercise attendee ${randomUUID().slice(0, 8)}`,
    email: `attendee-${randomUUID().slice(0, 8)}@example.test`,
    startDate: "2026-01-01",
  });
  const set = await owner.client.request("PUT", `/api/v1/ir-exercises/${exerciseId}/participants`, {
    participants: [{ personId, attended: true }],
  });
  if (set.status !== 200) throw new Error(`participants: ${set.status}`);
  const exerciseOutcomeId = await made(owner, `/api/v1/ir-exercises/${exerciseId}/outcomes`, {
    description: "Name a deputy incident lead",
    requiresPlanChange: true,
  });
  return { exerciseId, exerciseOutcomeId };
}

export const exercisesBadRequests: AreaBadRequests = {
  prepare: (_t: TestApp, owner: Person) => exercise(owner),
  requests: {
    "POST /api/v1/ir-exercises": {
      as: "owner",
      body: { kind: "drill", title: "Ransomware", heldOn: "2026-01-05" },
      fields: ["kind"],
    },
    "PATCH /api/v1/ir-exercises/:id": {
      as: "owner",
      url: (f) => `/api/v1/ir-exercises/${f.ids.exerciseId}`,
      body: { heldOn: "next Friday" },
      fields: ["heldOn"],
    },
    "PUT /api/v1/ir-exercises/:id/participants": {
      as: "owner",
      url: (f) => `/api/v1/ir-exercises/${f.ids.exerciseId}/participants`,
      body: { participants: [{ personId: "someone", attended: true }] },
      fields: ["participants.0.personId"],
    },
    "POST /api/v1/ir-exercises/:id/outcomes": {
      as: "owner",
      url: (f) => `/api/v1/ir-exercises/${f.ids.exerciseId}/outcomes`,
      body: { description: "", requiresPlanChange: true },
      fields: ["description"],
    },
    "POST /api/v1/ir-exercises/:id/complete": {
      as: "owner",
      url: (f) => `/api/v1/ir-exercises/${f.ids.exerciseId}/complete`,
      body: { summary: 42 },
      fields: ["summary"],
    },
    "POST /api/v1/ir-exercise-outcomes/:id/link": {
      as: "owner",
      url: (f) => `/api/v1/ir-exercise-outcomes/${f.ids.exerciseOutcomeId}/link`,
      body: { policyVersionId: "v2" },
      fields: ["policyVersionId"],
    },
    "POST /api/v1/ir-exercise-outcomes/:id/close": {
      as: "owner",
      url: (f) => `/api/v1/ir-exercise-outcomes/${f.ids.exerciseOutcomeId}/close`,
      body: { reason: "" },
      fields: ["reason"],
    },
  },
};

async function prepared(c: WellMadeContext) {
  return exercise(c.f.owner);
}

/** The same made well (the WELL_MADE table spreads these in). */
export const exercisesWellMade: Record<string, WellMade> = {
  "POST /api/v1/ir-exercises": {
    body: () => ({ kind: "tabletop", title: "Ransomware", heldOn: yesterday() }),
    status: 201,
  },
  "PATCH /api/v1/ir-exercises/:id": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/ir-exercises/${ids.exerciseId}`,
    body: { heldOn: yesterday() },
    status: 200,
  },
  "PUT /api/v1/ir-exercises/:id/participants": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/ir-exercises/${ids.exerciseId}/participants`,
    body: { participants: [] },
    status: 200,
  },
  "POST /api/v1/ir-exercises/:id/outcomes": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/ir-exercises/${ids.exerciseId}/outcomes`,
    body: { description: "Backups restored in time", requiresPlanChange: false },
    status: 201,
  },
  "POST /api/v1/ir-exercises/:id/complete": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/ir-exercises/${ids.exerciseId}/complete`,
    body: { summary: "The plan held." },
    status: 200,
  },
  // A well-formed version id that names nothing: the route's own 404.
  "POST /api/v1/ir-exercise-outcomes/:id/link": {
    url: () => `/api/v1/ir-exercise-outcomes/${UNKNOWN}/link`,
    body: { policyVersionId: UNKNOWN },
    status: 404,
  },
  "POST /api/v1/ir-exercise-outcomes/:id/close": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/ir-exercise-outcomes/${ids.exerciseOutcomeId}/close`,
    body: { reason: "The on-call rota covers it." },
    status: 200,
  },
};
