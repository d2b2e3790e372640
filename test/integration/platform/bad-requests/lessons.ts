import { randomUUID } from "node:crypto";
import { isoDay } from "../../../../src/domain/dates.ts";
import { storedIncident } from "../../../factories/incidents-stored.ts";
import { actionItem, LESSONS_TEXT, putLessons } from "../../../factories/lessons.ts";
import { addPerson, type Person, type TestApp } from "../../../helpers/app.ts";
import type { AreaBadRequests } from "./types.ts";
import type { WellMade, WellMadeContext } from "./well-made.ts";

/** Bad requests for lessons learned and their action items (issue 14: lessons). */

const inAWeek = () => isoDay(new Date(Date.now() + 7 * 86_400_000));

/**
 * A resolved incident of the owner's organization with lessons learned written (and, with
 * `submittedBy`, submitted by that other manager) and an action item the owner holds.
 */
async function lessoned(t: TestApp, owner: Person, submittedBy?: Person) {
  const org = { t, id: owner.organizationId, name: "Lessons", owner };
  const { id } = await storedIncident(org, { resolvedHoursAgo: 6 });
  const author = submittedBy ?? owner;
  const written = await putLessons(author.client, id);
  if (written.status !== 200) throw new Error(`lessons: ${JSON.stringify(written.body)}`);
  if (submittedBy) await author.client.post(`/api/v1/incidents/${id}/lessons/submit`);
  const item = await actionItem(owner.client, id, owner.id);
  return { lessonsIncidentId: id, actionItemId: item.id as string };
}

export const lessonsBadRequests: AreaBadRequests = {
  prepare: (t: TestApp, owner: Person) => lessoned(t, owner),
  requests: {
    "PUT /api/v1/incidents/:id/lessons": {
      as: "owner",
      url: (f) => `/api/v1/incidents/${f.ids.lessonsIncidentId}/lessons`,
      body: { ...LESSONS_TEXT, whatHappened: 42 },
      fields: ["whatHappened"],
    },
    "POST /api/v1/incidents/:id/lessons/submit": {
      as: "owner",
      url: (f) => `/api/v1/incidents/${f.ids.lessonsIncidentId}/lessons/submit`,
      raw: "{not json",
      fields: ["body"],
    },
    "POST /api/v1/incidents/:id/lessons/approve": {
      as: "owner",
      url: (f) => `/api/v1/incidents/${f.ids.lessonsIncidentId}/lessons/approve`,
      raw: '{"unterminated": ',
      fields: ["body"],
    },
    "POST /api/v1/incidents/:id/lessons/action-items": {
      as: "owner",
      url: (f) => `/api/v1/incidents/${f.ids.lessonsIncidentId}/lessons/action-items`,
      body: { title: "Block public buckets", ownerId: randomUUID(), dueOn: "next week" },
      fields: ["dueOn"],
    },
    "PATCH /api/v1/action-items/:id": {
      as: "owner",
      url: (f) => `/api/v1/action-items/${f.ids.actionItemId}`,
      body: { ownerId: "the security team" },
      fields: ["ownerId"],
    },
    "POST /api/v1/action-items/:id/complete": {
      as: "owner",
      url: (f) => `/api/v1/action-items/${f.ids.actionItemId}/complete`,
      body: { note: ["done"] },
      fields: ["note"],
    },
  },
};

const prepared = (c: WellMadeContext) => lessoned(c.t, c.f.owner);

/** The same made well (the WELL_MADE table spreads these in). */
export const lessonsWellMade: Record<string, WellMade> = {
  "PUT /api/v1/incidents/:id/lessons": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/incidents/${ids.lessonsIncidentId}/lessons`,
    body: LESSONS_TEXT,
    status: 200,
  },
  "POST /api/v1/incidents/:id/lessons/submit": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/incidents/${ids.lessonsIncidentId}/lessons/submit`,
    status: 200,
  },
  "POST /api/v1/incidents/:id/lessons/approve": {
    prepare: async (c) =>
      lessoned(c.t, c.f.owner, await addPerson(c.t, c.f.owner, "editor", "Lessons Author")),
    url: (_f, ids) => `/api/v1/incidents/${ids.lessonsIncidentId}/lessons/approve`,
    status: 200,
  },
  "POST /api/v1/incidents/:id/lessons/action-items": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/incidents/${ids.lessonsIncidentId}/lessons/action-items`,
    body: (f) => ({ title: "Block public buckets", ownerId: f.owner.id, dueOn: inAWeek() }),
    status: 201,
  },
  "PATCH /api/v1/action-items/:id": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/action-items/${ids.actionItemId}`,
    body: (f) => ({ ownerId: f.owner.id }),
    status: 200,
  },
  "POST /api/v1/action-items/:id/complete": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/action-items/${ids.actionItemId}/complete`,
    body: { note: "Done." },
    status: 200,
  },
};
