import type { AreaBadRequests } from "./types.ts";

/**
 * Bad requests for the people routes under /api/v1. POST and PATCH /people are in the core
 * table too; these rows replace them with the fields the access issue added.
 */
export const peopleBadRequests: AreaBadRequests = {
  prepare: async (_t, owner) => {
    const created = await owner.client.post("/api/v1/people", {
      name: "Bad Request Person",
      email: "bad-request-person@example.test",
      startDate: "2026-01-01",
    });
    if (created.status !== 201) throw new Error(`person: ${JSON.stringify(created.body)}`);
    return { personId: created.body.id };
  },
  requests: {
    "POST /api/v1/people": {
      as: "owner",
      body: {
        name: "Pat",
        email: "pat@example.test",
        startDate: "2026-01-01",
        employmentType: "intern",
      },
      fields: ["employmentType"],
    },
    "PATCH /api/v1/people/:id": {
      as: "owner",
      url: (f) => `/api/v1/people/${f.ids.personId}`,
      body: { managerId: "not-a-person" },
      fields: ["managerId"],
    },
    "POST /api/v1/people/:id/offboard": {
      as: "owner",
      url: (f) => `/api/v1/people/${f.ids.personId}/offboard`,
      body: { endDate: "next week" },
      fields: ["endDate"],
    },
    "DELETE /api/v1/people/:id": {
      as: "owner",
      url: () => "/api/v1/people/not-a-person",
      fields: ["id"],
    },
    "POST /api/v1/people/imports/preview": { as: "owner", body: { csv: 42 }, fields: ["body"] },
    "POST /api/v1/people/imports": { as: "owner", body: { file: "a,b" }, fields: ["body"] },
  },
};
