import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { ROLES, type Role } from "../src/domain/permissions.ts";
import { solveChallenge } from "../src/modules/reporting/reporting.crypto.ts";
import { forgetPublicState } from "../src/modules/trust-center/trust-state.ts";
import {
  addPerson,
  type Client,
  createOrganization,
  formOf,
  type Person,
  type Reply,
  type TestApp,
  uniqueEmail,
} from "./helpers/app.ts";
import { makePdf } from "./helpers/pdf-text.ts";
import type { ReceivedMail } from "./helpers/smtp.ts";

/**
 * Test factories: each makes one resource through the public API (the owner's client, or the
 * anonymous /trust pages), with defaults for everything a test does not care about, and
 * answers the ids it made. A test states only what matters to it:
 *
 *   const acme = await organization(t, { name: "Acme" });
 *   const editor = await user(acme, "editor");
 *   const { id } = await policy(acme, { status: "published", title: "Backups" });
 *
 * The public intake (reports, access requests, subscriptions) reaches the installation's public
 * organization, the first one created: those factories make their organization the public one
 * first (see `makePublic`).
 */

/** An SMTP server's inbox (test/helpers/smtp.ts), for the factories that need a mailed link. */
export interface Mailbox {
  messages: ReceivedMail[];
}

export interface Org {
  t: TestApp;
  id: string;
  name: string;
  owner: Person;
  /** Where the app's mail arrives, when the test started an SMTP server. */
  mailbox?: Mailbox | undefined;
}

let sequence = 0;
/** A short marker unique within the run, for default names. */
function next(): string {
  sequence++;
  return `${sequence}-${randomUUID().slice(0, 6)}`;
}

/** Answers the body of a reply with one of the expected statuses, or throws with what came. */
function expectStatus(reply: Reply, what: string, ...statuses: number[]) {
  if (!statuses.includes(reply.status)) {
    throw new Error(`factory ${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
  }
  return reply.body;
}

async function send(client: Client, method: string, url: string, body?: unknown) {
  const payload = body ?? (method === "GET" || method === "DELETE" ? undefined : {});
  return expectStatus(await client.request(method, url, payload), `${method} ${url}`, 200, 201);
}

// --- organizations and people --------------------------------------------------------------

/** A new organization with its owner, signed in. */
export async function organization(
  t: TestApp,
  overrides: { name?: string; mailbox?: Mailbox } = {},
): Promise<Org> {
  const name = overrides.name ?? `Org ${next()}`;
  const owner = await createOrganization(t, name);
  return { t, id: owner.organizationId, name, owner, mailbox: overrides.mailbox };
}

/** A user of a role, invited by the owner and signed in (auditors get an end date). */
export function user(org: Org, role: Role = "member", overrides: { name?: string } = {}) {
  return addPerson(org.t, org.owner, role, overrides.name ?? `${role} ${next()} of ${org.name}`);
}

/** One signed-in user of every role; the owner is the organization's own. */
export async function usersOfEveryRole(org: Org): Promise<Record<Role, Person>> {
  const users = { owner: org.owner } as Record<Role, Person>;
  for (const role of ROLES) if (role !== "owner") users[role] = await user(org, role);
  return users;
}

/** An open invitation: the invited user's id and the token of the link. */
export async function invitation(org: Org, overrides: { role?: Role; name?: string } = {}) {
  const role = overrides.role ?? "member";
  const body = await send(org.owner.client, "POST", "/api/v1/users", {
    email: uniqueEmail("invited"),
    name: overrides.name ?? `Invited ${next()} of ${org.name}`,
    role,
    ...(role === "auditor"
      ? { accessExpiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString() }
      : {}),
  });
  const token = new URL(body.inviteUrl).pathname.split("/").at(-1) as string;
  return { id: body.user.id as string, token };
}

/** An API token of a user: its id and the secret. */
export async function apiToken(who: Person, overrides: { name?: string } = {}) {
  const body = await send(who.client, "POST", "/api/v1/tokens", {
    name: overrides.name ?? `token ${next()}`,
  });
  return { id: body.id as string, token: body.token as string };
}

/** A person of the people list (not necessarily a user). */
export async function person(
  org: Org,
  overrides: { name?: string; email?: string; jobRole?: string; startDate?: string } = {},
) {
  const name = overrides.name ?? `Person ${next()} of ${org.name}`;
  const body = await send(org.owner.client, "POST", "/api/v1/people", {
    name,
    email: overrides.email ?? uniqueEmail("person"),
    startDate: overrides.startDate ?? "2026-01-01",
    ...(overrides.jobRole ? { jobRole: overrides.jobRole } : {}),
  });
  return { id: body.id as string, name };
}

// --- policies and evidence -----------------------------------------------------------------

export type PolicyStatus = "draft" | "submitted" | "published";

/**
 * A policy of the organization's own text (from a template with `templateKey`, its draft then
 * replaced by that text, so nothing is left to fill in), taken to `status`; with `newDraft`, a
 * published policy also gets a second version as a draft. Answers the policy's id and its
 * versions' ids, newest first.
 */
export async function policy(
  org: Org,
  overrides: {
    title?: string;
    body?: string;
    visibility?: "internal" | "public";
    templateKey?: string;
    status?: PolicyStatus;
    newDraft?: string;
    /** Who approves: another owner or admin when the organization has one (four eyes). */
    approver?: Person;
  } = {},
) {
  const client = org.owner.client;
  let title = overrides.title ?? `Policy ${next()} of ${org.name}`;
  let current = await send(
    client,
    "POST",
    "/api/v1/policies",
    overrides.templateKey
      ? { templateKey: overrides.templateKey }
      : {
          title,
          body: overrides.body ?? `The rules of ${title}.`,
          ...(overrides.visibility ? { visibility: overrides.visibility } : {}),
        },
  );
  const id = current.id as string;
  if (overrides.templateKey) {
    title = current.title as string;
    current = await send(client, "PUT", `/api/v1/policies/${id}/draft`, {
      body: overrides.body ?? `# ${title}\n\nWhat ${org.name} does, in full.\n`,
    });
  }
  const status = overrides.status ?? "draft";
  if (status !== "draft") current = await send(client, "POST", `/api/v1/policies/${id}/submit`);
  if (status === "published") {
    const approver = overrides.approver?.client ?? client;
    current = await send(approver, "POST", `/api/v1/policies/${id}/approve`, {});
    if (overrides.newDraft !== undefined) {
      current = await send(client, "PUT", `/api/v1/policies/${id}/draft`, {
        body: overrides.newDraft,
      });
    }
  }
  const versions = (current.versions as { id: string; version: number }[]).map((v) => v.id);
  return { id, title, versionIds: versions, versionId: versions.at(-1) as string };
}

/** Evidence of a control: a link, or with `file`, an uploaded text file of that content. */
export async function evidence(
  org: Org,
  overrides: {
    title?: string;
    controlKey?: string;
    url?: string;
    file?: string;
    evidenceDate?: string;
  } = {},
) {
  const title = overrides.title ?? `Evidence ${next()} of ${org.name}`;
  const fields = {
    controlKey: overrides.controlKey ?? "asset-inventory",
    title,
    evidenceDate: overrides.evidenceDate ?? new Date().toISOString().slice(0, 10),
  };
  if (overrides.file !== undefined) {
    const reply = await org.owner.client.postForm(
      "/api/v1/evidence",
      formOf(fields, { name: "evidence.txt", type: "text/plain", content: overrides.file }),
    );
    return { id: expectStatus(reply, "evidence upload", 201).id as string, title };
  }
  const body = await send(org.owner.client, "POST", "/api/v1/evidence/links", {
    ...fields,
    url: overrides.url ?? `https://evidence.example.test/${next()}`,
  });
  return { id: body.id as string, title };
}

// --- notices -------------------------------------------------------------------------------

/** A notice to external parties: a draft, or published (subscribers not mailed). */
export async function notice(
  org: Org,
  overrides: {
    title?: string;
    body?: string;
    severity?: "low" | "medium" | "high" | "critical";
    kind?: string;
    published?: boolean;
  } = {},
) {
  const title = overrides.title ?? `Notice ${next()} of ${org.name}`;
  const body = await send(org.owner.client, "POST", "/api/v1/notices", {
    title,
    body: overrides.body ?? `What happened to ${org.name}.`,
    severity: overrides.severity ?? "low",
    kind: overrides.kind ?? "maintenance",
  });
  const id = body.id as string;
  if (overrides.published ?? true) {
    await send(org.owner.client, "POST", `/api/v1/notices/${id}/publish`, {
      notifySubscribers: false,
    });
  }
  return { id, title };
}

/**
 * A confirmed subscriber to the organization's notices, through the public form and the mailed
 * link: its id and the tokens of its confirmation and unsubscribe links. Needs a mailbox.
 */
export async function subscriber(
  org: Org,
  overrides: { email?: string; confirmed?: boolean } = {},
) {
  const mailbox = needMailbox(org, "subscriber");
  await makePublic(org);
  await trustCenterOnline(org);
  const email = overrides.email ?? uniqueEmail("subscriber");
  const sent = await anonymous(org, "POST", "/trust/subscriptions", { email });
  expectStatus(sent, "POST /trust/subscriptions", 200, 201, 202);
  const mail = await mailTo(mailbox, email);
  const confirmToken = tokenIn(mail.body, /\/trust\/subscriptions\/confirm\/([A-Za-z0-9_-]+)/);
  if (overrides.confirmed === false) return { id: undefined, email, confirmToken };
  const confirmed = await anonymous(org, "POST", `/trust/subscriptions/confirm/${confirmToken}`);
  expectStatus(confirmed, "confirm subscription", 200, 303);
  const list = await send(org.owner.client, "GET", "/api/v1/notices/subscribers?limit=200");
  const found = list.items.find((s: { email: string }) => s.email === email);
  if (!found) throw new Error(`factory subscriber: ${email} is not listed`);
  // Every mail to a confirmed subscriber carries its unsubscribe link.
  const unsubscribeToken = /\/trust\/subscriptions\/unsubscribe\/([A-Za-z0-9_-]+)/.exec(
    mailbox.messages
      .filter((m) => m.to.includes(email))
      .map((m) => m.raw)
      .join("\n"),
  )?.[1];
  return { id: found.id as string, email, confirmToken, unsubscribeToken };
}

// --- the trust center ----------------------------------------------------------------------

/** Publishes the organization's trust center, if it is not online already. */
export async function trustCenterOnline(org: Org) {
  const reply = await org.owner.client.post("/api/v1/trust-center/publish");
  expectStatus(reply, "publish the trust center", 200, 409);
}

/** A document of the trust center: a one-page PDF, gated behind an access request by default. */
export async function trustDocument(
  org: Org,
  overrides: { title?: string; access?: "public" | "gated" } = {},
) {
  const title = overrides.title ?? `Document ${next()} of ${org.name}`;
  const pdf = await makePdf([`${title}, page one`]);
  const reply = await org.owner.client.postForm(
    "/api/v1/trust-documents/upload",
    formOf(
      { title, access: overrides.access ?? "gated", description: `${title}, for customers` },
      { name: "document.pdf", content: pdf, type: "application/pdf" },
    ),
  );
  const body = expectStatus(reply, "trust document upload", 201);
  return { id: body.id as string, title };
}

/**
 * An access request for gated documents, sent through the public form, and approved unless
 * `approved` is false. Answers its id and, once approved, the token of the access link.
 */
export async function accessRequest(
  org: Org,
  overrides: { documentIds?: string[]; email?: string; name?: string; approved?: boolean } = {},
) {
  await makePublic(org);
  await trustCenterOnline(org);
  await send(org.owner.client, "PUT", "/api/v1/trust-documents/settings", {
    ndaText: "",
    autoApproveDomains: [],
    linkDays: 7,
  });
  const documentIds = overrides.documentIds ?? [(await trustDocument(org)).id];
  const email = overrides.email ?? uniqueEmail("requester");
  const sent = await anonymous(org, "POST", "/trust/access-requests", {
    name: overrides.name ?? `Requester ${next()}`,
    company: `Customer of ${org.name}`,
    email,
    reason: "Vendor security review",
    documents: documentIds,
  });
  expectStatus(sent, "POST /trust/access-requests", 201);
  const list = await send(org.owner.client, "GET", "/api/v1/trust-access-requests?limit=200");
  const found = list.items.find((r: { email: string }) => r.email === email);
  if (!found) throw new Error(`factory access request: ${email} is not listed`);
  const id = found.id as string;
  let token: string | undefined;
  if (overrides.approved ?? true) {
    const decision = await send(
      org.owner.client,
      "POST",
      `/api/v1/trust-access-requests/${id}/approve`,
      {},
    );
    const link =
      (decision.accessUrl as string | null) ??
      (org.mailbox ? (await mailTo(org.mailbox, email)).body : "");
    token = tokenIn(link, /\/trust\/access\/([A-Za-z0-9_-]+)/);
  }
  return { id, email, documentIds, token };
}

// --- reporting -----------------------------------------------------------------------------

let reportAddress = 0;

/**
 * A confidential report, sent through the public form with its proof of work solved. Answers
 * its id (read by the owner, a handler while none are designated), reference and follow-up key.
 */
export async function report(
  org: Org,
  overrides: { category?: string; subject?: string; details?: string } = {},
) {
  await makePublic(org);
  reportAddress++;
  const ip = `203.0.113.${(reportAddress % 250) + 1}`;
  const challenge = await org.t.app.inject({
    method: "GET",
    url: "/trust/reports/challenge",
    remoteAddress: ip,
  });
  if (challenge.statusCode !== 200) throw new Error(`factory report: ${challenge.body}`);
  const issued = JSON.parse(challenge.body) as { challenge: string; bits: number };
  const subject = overrides.subject ?? `Report ${next()} to ${org.name}`;
  const sent = await anonymous(
    org,
    "POST",
    "/trust/reports",
    {
      category: overrides.category ?? "security",
      subject,
      details: overrides.details ?? `Something is wrong at ${org.name}.`,
      powChallenge: issued.challenge,
      powCounter: solveChallenge(issued.challenge, issued.bits),
    },
    ip,
  );
  const submitted = expectStatus(sent, "POST /trust/reports", 201);
  const list = await send(org.owner.client, "GET", "/api/v1/reports?limit=200");
  const found = list.items.find((r: { reference: string }) => r.reference === submitted.reference);
  if (!found) throw new Error(`factory report: ${submitted.reference} is not listed`);
  return {
    id: found.id as string,
    subject,
    reference: submitted.reference as string,
    followUpKey: submitted.followUpKey as string,
  };
}

// --- the public organization ---------------------------------------------------------------

/**
 * Makes the organization the installation's public one (the first created), whose trust
 * center /trust serves: moves its creation time before every other organization's.
 */
export async function makePublic(org: Org) {
  const db = org.t.deps.db;
  const first = await sql<{ id: string }>`
    select id from organizations order by created_at, id limit 1`.execute(db);
  if (first.rows[0]?.id === org.id) return;
  await sql`
    update organizations
    set created_at = (select min(created_at) from organizations) - interval '1 second'
    where id = ${org.id}`.execute(db);
  forgetPublicState(db);
}

let visitorAddress = 0;

/** A request to the public pages, as a script with no account sends it, from its own address. */
export async function anonymous(
  org: Org,
  method: "GET" | "POST",
  url: string,
  json?: unknown,
  ip?: string,
): Promise<Reply> {
  visitorAddress++;
  const response = await org.t.app.inject({
    method,
    url,
    remoteAddress:
      ip ?? `198.18.${Math.floor(visitorAddress / 250) % 250}.${(visitorAddress % 250) + 1}`,
    ...(json === undefined
      ? {}
      : { payload: JSON.stringify(json), headers: { "content-type": "application/json" } }),
  });
  const type = String(response.headers["content-type"] ?? "");
  return {
    status: response.statusCode,
    body: type.includes("json") ? JSON.parse(response.body) : response.body,
    headers: response.headers,
  };
}

// --- mail ----------------------------------------------------------------------------------

function needMailbox(org: Org, what: string): Mailbox {
  if (!org.mailbox) {
    throw new Error(`factory ${what}: give organization() the mailbox of an SMTP server`);
  }
  return org.mailbox;
}

/** The `count`-th mail to an address, waited for (mail leaves after the transaction). */
async function mailTo(mailbox: Mailbox, address: string, count = 1): Promise<ReceivedMail> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const mails = mailbox.messages.filter((m) => m.to.includes(address));
    const mail = mails[count - 1];
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no mail number ${count} to ${address}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function tokenIn(text: string, pattern: RegExp): string {
  const match = pattern.exec(text);
  if (!match?.[1]) throw new Error(`no link matching ${pattern} in ${text.slice(0, 500)}`);
  return match[1];
}

export * from "./factories/access.ts";
export * from "./factories/access-import.ts";
export * from "./factories/access-keys.ts";
export * from "./factories/access-reviews.ts";
export * from "./factories/access-workflow.ts";
// issue 15: continuity
export * from "./factories/continuity.ts";
// issue 15: customers
export * from "./factories/customers.ts";
// issue 15: encryption
export * from "./factories/encryption.ts";
// issue 15: endpoints
export * from "./factories/endpoints.ts";
// issue 13: findings
export * from "./factories/findings.ts";
export * from "./factories/host-listings.ts";
// issue 14: incidents core
export * from "./factories/incidents.ts";
export * from "./factories/incidents-stored.ts";
// issue 14: lessons
export * from "./factories/lessons.ts";
// issue 13: pentests
export * from "./factories/pentests.ts";
export * from "./factories/people.ts";
// issue 13: scan imports
export * from "./factories/scan-imports.ts";
// issue 16: scim
export * from "./factories/scim.ts";
export * from "./factories/shared.ts";
// issue 16: single sign-on
export * from "./factories/sso.ts";
export * from "./factories/systems.ts";
