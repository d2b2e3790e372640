import { randomUUID } from "node:crypto";
import { addDays, isoDay } from "../../../../src/domain/dates.ts";
import type { Person, TestApp } from "../../../helpers/app.ts";
import type { AreaBadRequests } from "./types.ts";
import type { WellMade, WellMadeContext } from "./well-made.ts";

/** Bad requests for restore tests (issue 15): recording, withdrawing, attaching evidence. */

const UNKNOWN = "4f0c9a8e-6a43-4b7e-9a55-0c6f2b1d9e10";

async function made(owner: Person, url: string, body: unknown): Promise<string> {
  const reply = await owner.client.post(url, body);
  if (reply.status !== 201)
    throw new Error(`${url}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.id as string;
}

function testBody(ids: Record<string, string>) {
  const yesterday = addDays(new Date(), -1);
  return {
    systemId: ids.restoreSystemId,
    performedOn: isoDay(yesterday),
    backupTakenAt: addDays(yesterday, -1).toISOString(),
    restoredInto: "Staging, a scratch database",
    restoredIntoProduction: false,
    performedById: ids.restorePersonId,
    checks: [{ name: "Row counts per table", passed: true }],
  };
}

/** A backed-up system, a person, and a restore test of the system by that person. */
async function restoreTest(owner: Person) {
  const restorePersonId = await made(owner, "/api/v1/people", {
    name: `Restorer ${randomUUID().slice(0, 8)}`,
    email: `restorer-${randomUUID().slice(0, 8)}@example.test`,
    startDate: "2026-01-01",
  });
  const restoreSystemId = await made(owner, "/api/v1/systems", {
    name: `Backed-up ${randomUUID().slice(0, 8)}`,
    kind: "data_store",
    classification: "internal",
    backedUp: true,
  });
  const ids = { restorePersonId, restoreSystemId };
  const restoreTestId = await made(owner, "/api/v1/continuity/restore-tests", testBody(ids));
  return { ...ids, restoreTestId };
}

export const continuityBadRequests: AreaBadRequests = {
  prepare: (_t: TestApp, owner: Person) => restoreTest(owner),
  requests: {
    "POST /api/v1/continuity/restore-tests": {
      as: "owner",
      body: {
        systemId: UNKNOWN,
        performedOn: "2026-02-30",
        backupTakenAt: "2026-02-01T00:00:00Z",
        restoredInto: "Staging",
        restoredIntoProduction: false,
        performedById: UNKNOWN,
        checks: [],
      },
      fields: ["performedOn"],
    },
    "POST /api/v1/continuity/restore-tests/:id/withdraw": {
      as: "owner",
      url: (f) => `/api/v1/continuity/restore-tests/${f.ids.restoreTestId}/withdraw`,
      body: { reason: "" },
      fields: ["reason"],
    },
    "POST /api/v1/continuity/restore-tests/:id/evidence": {
      as: "owner",
      url: (f) => `/api/v1/continuity/restore-tests/${f.ids.restoreTestId}/evidence`,
      body: { body: "Not a file upload" },
      status: 415,
      fields: ["body"],
    },
  },
};

async function prepared(c: WellMadeContext) {
  return restoreTest(c.f.owner);
}

/** The same made well (the WELL_MADE table spreads these in). */
export const continuityWellMade: Record<string, WellMade> = {
  "POST /api/v1/continuity/restore-tests": {
    prepare: prepared,
    body: (_f, ids) => testBody(ids),
    status: 201,
  },
  "POST /api/v1/continuity/restore-tests/:id/withdraw": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/continuity/restore-tests/${ids.restoreTestId}/withdraw`,
    body: { reason: "Recorded against the wrong system." },
    status: 200,
  },
  "POST /api/v1/continuity/restore-tests/:id/evidence": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/continuity/restore-tests/${ids.restoreTestId}/evidence`,
    form: () => {
      const form = new FormData();
      form.append("file", new Blob(["restored, 42 rows"], { type: "text/plain" }), "restore.txt");
      return form;
    },
    status: 201,
  },
};
