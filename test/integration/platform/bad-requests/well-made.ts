import { randomUUID } from "node:crypto";
import {
  addPerson,
  Client,
  currentTotp,
  PASSWORD,
  signedIn,
  type TestApp,
  uniqueEmail,
} from "../../../helpers/app.ts";
import { accessWellMade } from "./access.ts";
import { accessReviewsWellMade } from "./access-reviews.ts";
import { accessWorkflowWellMade } from "./access-workflow.ts";
// issue 15: continuity
import { continuityWellMade } from "./continuity.ts";
// issue 15: customers
import { customersWellMade } from "./customers.ts";
// issue 15: encryption
import { encryptionWellMade } from "./encryption.ts";
// issue 15: endpoints
import { endpointsWellMade } from "./endpoints.ts";
// issue 14: exercises
import { exercisesWellMade } from "./exercises.ts";
// issue 13: findings
import { findingsWellMade } from "./findings.ts";
import { hostListingsWellMade } from "./host-listings.ts";
// issue 14: incidents core
import { incidentsWellMade } from "./incidents.ts";
// issue 14: lessons
import { lessonsWellMade } from "./lessons.ts";
// issue 13: pentests
import { pentestsWellMade } from "./pentests.ts";
// issue 13: scan imports
import { scanImportsWellMade } from "./scan-imports.ts";
// issue 16: scim
import { scimWellMade } from "./scim.ts";
// issue 16: single sign-on
import { ssoWellMade } from "./sso.ts";
import { systemsWellMade } from "./systems.ts";
import type { Fixture } from "./types.ts";

/**
 * Every row of the bad-request table (input-validation.test.ts) made well: the same method and
 * route, sent by someone allowed to, with the offending field put right. Each must get past
 * validation: the status it names is a success, or a 404 from the route's own service for a
 * well-formed id that names nothing (never the router's "No route").
 */
export interface WellMade {
  /** Who sends it; "person" is a new member of the owner's organization, for account changes. */
  as?: "owner" | "anonymous" | "person";
  /** Creates what the request addresses, as the sender; the ids reach `url` and `body`. */
  prepare?: (c: WellMadeContext) => Promise<Record<string, string>>;
  url?: (f: Fixture, ids: Record<string, string>) => string;
  body?: Record<string, unknown> | ((f: Fixture, ids: Record<string, string>) => unknown);
  /** A multipart/form-data body instead of JSON. */
  form?: (ids: Record<string, string>) => FormData;
  status: number;
}

export interface WellMadeContext {
  t: TestApp;
  f: Fixture;
  client: Client;
}

const UNKNOWN = "4f0c9a8e-6a43-4b7e-9a55-0c6f2b1d9e10";
const PNG_1PX =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

async function created(c: WellMadeContext, url: string, body: unknown): Promise<string> {
  const reply = await c.f.owner.client.post(url, body);
  if (reply.status !== 201)
    throw new Error(`${url}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.id as string;
}

async function ok(client: Client, method: string, url: string, body?: unknown) {
  const reply = await client.request(method, url, body ?? (method === "DELETE" ? undefined : {}));
  if (reply.status >= 300) throw new Error(`${url}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply;
}

/** A policy of the owner's own (no template, so nothing is left to fill in). */
function draftPolicy(c: WellMadeContext) {
  return created(c, "/api/v1/policies", {
    title: `Well-made policy ${randomUUID().slice(0, 8)}`,
    body: "We keep things tidy.",
    visibility: "internal",
  });
}

async function submittedPolicy(c: WellMadeContext) {
  const id = await draftPolicy(c);
  await ok(c.f.owner.client, "POST", `/api/v1/policies/${id}/submit`);
  return id;
}

async function publishedPolicy(c: WellMadeContext) {
  const id = await submittedPolicy(c);
  const approved = await ok(c.f.owner.client, "POST", `/api/v1/policies/${id}/approve`);
  return { policyId: id, versionId: approved.body.versions[0].id as string };
}

function notice(c: WellMadeContext) {
  return created(c, "/api/v1/notices", {
    title: "Scheduled maintenance",
    body: "The API is read-only on Saturday.",
    severity: "low",
    kind: "maintenance",
  });
}

async function publishedNotice(c: WellMadeContext) {
  const id = await notice(c);
  await ok(c.f.owner.client, "POST", `/api/v1/notices/${id}/publish`, { notifySubscribers: false });
  return id;
}

/** A well-formed id that names nothing: the route's service answers 404. */
function unknownId(path: (id: string) => string, body?: Record<string, unknown>): WellMade {
  return { url: () => path(UNKNOWN), ...(body ? { body } : {}), status: 404 };
}

function textFile(fields: Record<string, string>, name: string, type = "text/plain") {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append("file", new Blob(["well made"], { type }), name);
  return form;
}

export const WELL_MADE: Record<string, WellMade> = {
  ...accessWorkflowWellMade,
  ...accessReviewsWellMade,
  // The installation is set up already: a well-formed setup is refused as a conflict.
  "POST /api/v1/setup": {
    body: {
      organizationName: "Evil",
      name: "Mallory",
      email: uniqueEmail("setup"),
      password: PASSWORD,
    },
    status: 409,
  },
  "POST /api/v1/auth/login": {
    body: (f) => ({ email: f.owner.email, password: PASSWORD }),
    status: 200,
  },
  "POST /api/v1/auth/logout": { body: {}, status: 204 },
  "POST /api/v1/me/password": {
    as: "person",
    body: { currentPassword: PASSWORD, newPassword: "a much longer passphrase of 2026" },
    status: 200,
  },
  "POST /api/v1/me/mfa/enroll": { as: "person", body: { password: PASSWORD }, status: 200 },
  "POST /api/v1/me/mfa/confirm": {
    as: "person",
    prepare: async ({ client }) => {
      const enrolled = await ok(client, "POST", "/api/v1/me/mfa/enroll", { password: PASSWORD });
      return { secret: enrolled.body.secret };
    },
    body: (_f, ids) => ({ code: currentTotp(ids.secret as string) }),
    status: 200,
  },
  "POST /api/v1/me/mfa/disable": {
    as: "person",
    prepare: async ({ client }) => {
      const enrolled = await ok(client, "POST", "/api/v1/me/mfa/enroll", { password: PASSWORD });
      await ok(client, "POST", "/api/v1/me/mfa/confirm", {
        code: currentTotp(enrolled.body.secret),
      });
      return {};
    },
    body: { password: PASSWORD },
    status: 204,
  },
  "POST /api/v1/tokens": { body: { name: "ci token" }, status: 201 },
  "DELETE /api/v1/tokens/:id": {
    prepare: async (c) => ({ id: await created(c, "/api/v1/tokens", { name: "to revoke" }) }),
    url: (_f, ids) => `/api/v1/tokens/${ids.id}`,
    status: 204,
  },
  "POST /api/v1/users": {
    body: () => ({ email: uniqueEmail("good"), name: "Good Role", role: "editor" }),
    status: 201,
  },
  "PATCH /api/v1/users/:id": {
    url: (f) => `/api/v1/users/${f.member.id}`,
    body: { name: "Renamed" },
    status: 200,
  },
  "DELETE /api/v1/users/:id/sign-in-lock": {
    url: (f) => `/api/v1/users/${f.member.id}/sign-in-lock`,
    status: 204,
  },
  "POST /api/v1/users/:id/deactivate": {
    prepare: async (c) => {
      const invited = await c.f.owner.client.post("/api/v1/users", {
        email: uniqueEmail("leaver"),
        name: "Leaver",
        role: "member",
      });
      return { id: invited.body.user.id };
    },
    url: (_f, ids) => `/api/v1/users/${ids.id}/deactivate`,
    status: 200,
  },
  "POST /api/v1/users/:id/reactivate": {
    prepare: async (c) => {
      const invited = await c.f.owner.client.post("/api/v1/users", {
        email: uniqueEmail("returner"),
        name: "Returner",
        role: "member",
      });
      await c.f.owner.client.post(`/api/v1/users/${invited.body.user.id}/deactivate`);
      return { id: invited.body.user.id };
    },
    url: (_f, ids) => `/api/v1/users/${ids.id}/reactivate`,
    status: 200,
  },
  "POST /api/v1/invitations/:token/accept": {
    prepare: async (c) => {
      const invited = await c.f.owner.client.post("/api/v1/users", {
        email: uniqueEmail("joiner"),
        name: "Joiner",
        role: "editor",
      });
      return { token: new URL(invited.body.inviteUrl).pathname.split("/").at(-1) ?? "" };
    },
    url: (_f, ids) => `/api/v1/invitations/${ids.token}/accept`,
    body: { name: "Invited Person", password: PASSWORD },
    status: 200,
  },
  "PATCH /api/v1/organization": { body: { name: "Renamed Co", requireMfa: false }, status: 200 },
  "PATCH /api/v1/controls/:key": {
    url: () => "/api/v1/controls/bcdr-policy",
    body: { criteria: ["CC6.1", "A1.2"] },
    status: 200,
  },
  "POST /api/v1/people": {
    body: () => ({ name: "Pat Person", email: uniqueEmail("pat"), startDate: "2026-01-01" }),
    status: 201,
  },
  "PATCH /api/v1/people/:id": {
    prepare: async (c) => ({
      id: await created(c, "/api/v1/people", {
        name: "Sam Start",
        email: uniqueEmail("sam"),
        startDate: "2025-06-01",
      }),
    }),
    url: (_f, ids) => `/api/v1/people/${ids.id}`,
    body: { startDate: "2025-07-01" },
    status: 200,
  },
  "POST /api/v1/people/:id/offboard": {
    prepare: async (c) => ({
      id: await created(c, "/api/v1/people", {
        name: "Olive Offboard",
        email: uniqueEmail("olive"),
        startDate: "2025-06-01",
      }),
    }),
    url: (_f, ids) => `/api/v1/people/${ids.id}/offboard`,
    body: { endDate: "2026-06-30", reason: "moved on" },
    status: 200,
  },
  "DELETE /api/v1/people/:id": {
    prepare: async (c) => ({
      id: await created(c, "/api/v1/people", {
        name: "Mis Take",
        email: uniqueEmail("mistake"),
        startDate: "2025-06-01",
      }),
    }),
    url: (_f, ids) => `/api/v1/people/${ids.id}`,
    status: 204,
  },
  "POST /api/v1/people/imports/preview": {
    body: { csv: "name,email,start_date\nImp Orted,imported@example.test,2026-01-01\n" },
    status: 200,
  },
  "POST /api/v1/people/imports": {
    body: () => ({ csv: `name,email,start_date\nImp Orted,${uniqueEmail("imp")},2026-01-01\n` }),
    status: 200,
  },
  "POST /api/v1/policies/preview": { body: { body: "# Well made" }, status: 200 },
  "POST /api/v1/policies": {
    body: () => ({
      title: `Untitled ${randomUUID().slice(0, 8)}`,
      body: "text",
      visibility: "internal",
    }),
    status: 201,
  },
  "PATCH /api/v1/policies/:id": {
    prepare: async (c) => ({ id: await draftPolicy(c) }),
    url: (_f, ids) => `/api/v1/policies/${ids.id}`,
    body: { visibility: "public" },
    status: 200,
  },
  "PUT /api/v1/policies/:id/draft": {
    prepare: async (c) => ({ id: await draftPolicy(c) }),
    url: (_f, ids) => `/api/v1/policies/${ids.id}/draft`,
    body: { body: "We keep things tidier." },
    status: 200,
  },
  "POST /api/v1/policies/:id/submit": {
    prepare: async (c) => ({ id: await draftPolicy(c) }),
    url: (_f, ids) => `/api/v1/policies/${ids.id}/submit`,
    status: 200,
  },
  "POST /api/v1/policies/:id/reject": {
    prepare: async (c) => ({ id: await submittedPolicy(c) }),
    url: (_f, ids) => `/api/v1/policies/${ids.id}/reject`,
    body: { reason: "Say who keeps it tidy." },
    status: 200,
  },
  "POST /api/v1/policies/:id/approve": {
    prepare: async (c) => ({ id: await submittedPolicy(c) }),
    url: (_f, ids) => `/api/v1/policies/${ids.id}/approve`,
    body: { comment: "Looks right" },
    status: 200,
  },
  "POST /api/v1/policies/:id/review": {
    prepare: async (c) => ({ id: (await publishedPolicy(c)).policyId }),
    url: (_f, ids) => `/api/v1/policies/${ids.id}/review`,
    body: { comment: "Still right" },
    status: 200,
  },
  "POST /api/v1/policies/:id/retire": {
    prepare: async (c) => ({ id: (await publishedPolicy(c)).policyId }),
    url: (_f, ids) => `/api/v1/policies/${ids.id}/retire`,
    status: 200,
  },
  "POST /api/v1/policies/:id/acknowledge": {
    prepare: async (c) => {
      const { policyId, versionId } = await publishedPolicy(c);
      return { id: policyId, versionId };
    },
    url: (_f, ids) => `/api/v1/policies/${ids.id}/acknowledge`,
    body: (_f, ids) => ({ versionId: ids.versionId }),
    status: 200,
  },
  "POST /api/v1/evidence/links": {
    body: {
      controlKey: "bcdr-policy",
      title: "Runbook",
      evidenceDate: "2026-01-01",
      url: "https://files.example.test/runbook",
    },
    status: 201,
  },
  "POST /api/v1/evidence": {
    form: () =>
      textFile(
        { controlKey: "bcdr-policy", title: "Runbook", evidenceDate: "2026-01-01" },
        "runbook.txt",
      ),
    status: 201,
  },
  "DELETE /api/v1/evidence/:id": {
    prepare: async (c) => ({
      id: await created(c, "/api/v1/evidence/links", {
        controlKey: "bcdr-policy",
        title: "Old runbook",
        evidenceDate: "2026-01-01",
        url: "https://files.example.test/old-runbook",
      }),
    }),
    url: (_f, ids) => `/api/v1/evidence/${ids.id}`,
    status: 204,
  },

  // Trust center.
  "PATCH /api/v1/trust-center": { body: { tagline: "Fine", primaryColor: "#0b5394" }, status: 200 },
  "POST /api/v1/trust-center/publish": { body: {}, status: 200 },
  "POST /api/v1/trust-center/offline": {
    prepare: async (c) => {
      await ok(c.f.owner.client, "POST", "/api/v1/trust-center/publish");
      return {};
    },
    body: {},
    status: 200,
  },
  "PUT /api/v1/trust-center/logo": {
    body: { contentType: "image/png", data: PNG_1PX },
    status: 200,
  },
  "DELETE /api/v1/trust-center/logo": {
    prepare: async (c) => {
      await ok(c.f.owner.client, "PUT", "/api/v1/trust-center/logo", {
        contentType: "image/png",
        data: PNG_1PX,
      });
      return {};
    },
    status: 200,
  },

  // Trust documents.
  "POST /api/v1/trust-documents/upload": {
    form: () => textFile({ title: "Security overview", access: "public" }, "overview.txt"),
    status: 201,
  },
  "POST /api/v1/trust-documents": {
    prepare: async (c) => ({ policyId: (await publishedPolicy(c)).policyId }),
    body: (_f, ids) => ({ title: "Policy document", access: "gated", policyId: ids.policyId }),
    status: 201,
  },
  "PUT /api/v1/trust-documents/settings": {
    body: { ndaText: "", autoApproveDomains: ["example.test"], linkDays: 7 },
    status: 200,
  },
  "PATCH /api/v1/trust-documents/:id": unknownId((id) => `/api/v1/trust-documents/${id}`, {
    position: 1,
  }),
  "DELETE /api/v1/trust-documents/:id": unknownId((id) => `/api/v1/trust-documents/${id}`),
  "POST /api/v1/trust-access-requests/:id/approve": unknownId(
    (id) => `/api/v1/trust-access-requests/${id}/approve`,
    { note: "Welcome" },
  ),
  "POST /api/v1/trust-access-requests/:id/deny": unknownId(
    (id) => `/api/v1/trust-access-requests/${id}/deny`,
    { note: "Not now" },
  ),
  "POST /api/v1/trust-access-requests/:id/revoke": unknownId(
    (id) => `/api/v1/trust-access-requests/${id}/revoke`,
  ),

  // Notices.
  "POST /api/v1/notices/preview": { body: { body: "All systems normal." }, status: 200 },
  "POST /api/v1/notices": {
    body: { title: "Outage", body: "Down.", severity: "high", kind: "incident" },
    status: 201,
  },
  "PATCH /api/v1/notices/:id": {
    prepare: async (c) => ({ id: await notice(c) }),
    url: (_f, ids) => `/api/v1/notices/${ids.id}`,
    body: { affectedServices: ["API"] },
    status: 200,
  },
  "DELETE /api/v1/notices/:id": {
    prepare: async (c) => ({ id: await notice(c) }),
    url: (_f, ids) => `/api/v1/notices/${ids.id}`,
    status: 204,
  },
  "POST /api/v1/notices/:id/publish": {
    prepare: async (c) => ({ id: await notice(c) }),
    url: (_f, ids) => `/api/v1/notices/${ids.id}/publish`,
    body: { notifySubscribers: false },
    status: 200,
  },
  "POST /api/v1/notices/:id/updates": {
    prepare: async (c) => ({ id: await publishedNotice(c) }),
    url: (_f, ids) => `/api/v1/notices/${ids.id}/updates`,
    body: { body: "Still read-only." },
    status: 200,
  },
  "POST /api/v1/notices/:id/resolve": {
    prepare: async (c) => ({ id: await publishedNotice(c) }),
    url: (_f, ids) => `/api/v1/notices/${ids.id}/resolve`,
    body: { note: "Done." },
    status: 200,
  },
  "DELETE /api/v1/notices/subscribers/:id": unknownId((id) => `/api/v1/notices/subscribers/${id}`),

  // Reporting.
  "PATCH /api/v1/reporting/settings": {
    body: { categories: ["security", "privacy"] },
    status: 200,
  },
  "PUT /api/v1/reporting/handlers": {
    body: (f) => ({ userIds: [f.owner.id] }),
    status: 200,
  },
  "POST /api/v1/reports/:id/messages": unknownId((id) => `/api/v1/reports/${id}/messages`, {
    body: "Thank you.",
  }),
  "POST /api/v1/reports/:id/state": unknownId((id) => `/api/v1/reports/${id}/state`, {
    state: "acknowledged",
  }),

  ...systemsWellMade,
  "POST /api/v1/systems/:id/access-imports/preview": unknownId(
    (id) => `/api/v1/systems/${id}/access-imports/preview`,
    { csv: "username\nalice\n" },
  ),
  "POST /api/v1/systems/:id/access-imports": unknownId(
    (id) => `/api/v1/systems/${id}/access-imports`,
    { csv: "username\nalice\n", removeMissing: false },
  ),
  ...accessWellMade,
  ...hostListingsWellMade,
  // issue 13: scan imports
  ...scanImportsWellMade,
  // issue 13: findings
  ...findingsWellMade,
  // issue 13: pentests
  ...pentestsWellMade,
  // issue 14: incidents core
  ...incidentsWellMade,
  // issue 15: customers
  ...customersWellMade,
  // issue 15: endpoints
  ...endpointsWellMade,
  // issue 16: single sign-on
  ...ssoWellMade,
  // issue 16: scim
  ...scimWellMade,
  // issue 14: lessons
  ...lessonsWellMade,
  // issue 14: notices and export
  "POST /api/v1/incidents/:id/notices": unknownId((id) => `/api/v1/incidents/${id}/notices`, {
    title: "Security notice",
  }),
  // issue 14: exercises
  ...exercisesWellMade,
  // issue 15: encryption
  ...encryptionWellMade,
  // issue 15: continuity
  ...continuityWellMade,
};

/** The client a well-made request is sent with. */
export async function senderOf(t: TestApp, f: Fixture, as: WellMade["as"]): Promise<Client> {
  if (as === "anonymous") return new Client(t.app);
  if (as === "person") return (await addPerson(t, f.owner, "member", "Well Made")).client;
  return signedIn(t, f.owner.organizationId, f.owner.id);
}
