import { inflateRawSync } from "node:zlib";
import {
  accessKey,
  accessRequest,
  accessReview,
  accessTask,
  account,
  apiToken,
  // issue 15: encryption
  atRestConfirmation,
  dataStore,
  // issue 14: incidents core
  declare,
  // issue 15: customers
  disposedCustomer,
  encryptionKey,
  // issue 15: endpoints
  endpoint,
  evidence,
  findingWithAcceptance,
  grant,
  hostListing,
  incidentAttachment,
  incidentNote,
  inventoryReview,
  invitation,
  keyRotation,
  notice,
  type Org,
  // issue 13: pentests
  pentest,
  pentestFinding,
  pentestReport,
  person,
  policy,
  report,
  // issue 15: continuity
  restoreTestWithEvidence,
  roleRule,
  scanImport,
  // issue 16: scim
  scimClient,
  scimGroup,
  scimToken,
  scimUser,
  // issue 14: lessons
  sharedLessons,
  // issue 16: single sign-on
  ssoProvider,
  subscriber,
  system,
  systemAccessRequest,
  trustCenterOnline,
  trustDocument,
  user,
} from "../../factories.ts";
import type { Person, TestApp } from "../../helpers/app.ts";
import { pageTexts } from "../../helpers/pdf-text.ts";
import type { Fixture } from "./bad-requests/types.ts";
import { WELL_MADE } from "./bad-requests/well-made.ts";

/**
 * The tenant walk: one of every resource in an organization, made by the factories, and a walk
 * of every registered route (app.attestRoutes) that takes an id, API and public /trust alike.
 * A route is covered as soon as it is registered: its id parameter is looked up in the world
 * by the path segment before it ("notices/:id"), and a parameter no factory makes fails the
 * walk, saying which factory to add.
 */
export interface World {
  org: Org;
  /** Ids by the route parameter they fill, named by the segment before it: "people/:id". */
  ids: Record<string, string>;
  /** Names and titles the world gave its resources, to look for in another tenant's answers. */
  names: string[];
}

/**
 * Parameters that name nothing of a tenant's: the control catalog's keys are the same in every
 * organization, and an invitation link is itself the credential, answered before sign-in.
 */
export const SHARED_PARAMETERS = new Set(["controls/:key", "invitations/:token"]);

/** One of every resource, in one organization. Makes the organization the public one. */
export async function buildWorld(org: Org, member: Person): Promise<World> {
  await trustCenterOnline(org);
  const someone = await person(org);
  const published = await policy(org, {
    status: "published",
    visibility: "public",
    newDraft: `Next version of the rules of ${org.name}.`,
  });
  const link = await evidence(org, { file: `Inventory of ${org.name}` });
  const news = await notice(org);
  const document = await trustDocument(org);
  const shown = await trustDocument(org, { access: "public" });
  const request = await accessRequest(org, { documentIds: [document.id] });
  const received = await report(org);
  const follower = await subscriber(org);
  const unconfirmed = await subscriber(org, { confirmed: false });
  // A notice mailed to subscribers carries the unsubscribe link.
  const mailed = await notice(org, { published: false });
  await org.owner.client.post(`/api/v1/notices/${mailed.id}/publish`, { notifySubscribers: true });
  const unsubscribeToken =
    follower.unsubscribeToken ?? (await unsubscribeTokenOf(org, follower.email));
  const token = await apiToken(org.owner);
  const invited = await invitation(org);
  const extra = await user(org, "editor");
  const askedForSystem = await systemAccessRequest(org);
  const accessWork = await accessTask(org);
  const listed = await system(org, { classification: null });
  const review = await inventoryReview(org);
  const granted = await grant(org, { personId: someone.id });
  const held = await account(org, { systemId: granted.systemId, personId: someone.id });
  const rule = await roleRule(org, { systemId: granted.systemId });
  const campaign = await accessReview(org, { name: `Access review of ${org.name}` });
  const key = await accessKey(org, { personId: someone.id, systemIds: [granted.systemId] });
  const keysListed = await hostListing(org, { systemId: granted.systemId });
  // issue 13: scan imports
  const scanned = await scanImport(org, { systemId: granted.systemId });
  // issue 13: findings
  const finding = await findingWithAcceptance(org);
  const ids: Record<string, string> = {
    "tokens/:id": token.id,
    "users/:id": member.id,
    "people/:id": someone.id,
    "policies/:id": published.id,
    // The published version (the oldest), which the public pages and the PDF show.
    "versions/:versionId": published.versionIds.at(-1) as string,
    "versions/:version": "1",
    "draft-version": published.versionIds[0] as string,
    "evidence/:id": link.id,
    "trust-documents/:id": document.id,
    // A gated document through an access link; a public one on the public site.
    "documents/:id": document.id,
    "/trust/documents/:id": shown.id,
    "trust-access-requests/:id": request.id,
    "access/:token": request.token as string,
    "notices/:id": news.id,
    "subscribers/:id": follower.id as string,
    "confirm/:token": unconfirmed.confirmToken,
    "unsubscribe/:token": unsubscribeToken,
    "reports/:id": received.id,
    "invitations/:token": invited.token,
    "access-requests/:id": askedForSystem.id,
    "access-tasks/:id": accessWork.id,
    "systems/:id": listed.id,
    "inventory-reviews/:id": review.id,
    "access-grants/:id": granted.id,
    "accounts/:id": held.id,
    "role-rules/:id": rule.id,
    "access-reviews/:id": campaign.id,
    "access-keys/:id": key.id,
    "key-listings/:id": keysListed.id,
    // issue 13: scan imports
    "finding-imports/:id": scanned.id,
    // issue 13: findings
    "findings/:id": finding.findingId,
    "risk-acceptances/:id": finding.acceptanceId,
  };
  // issue 13: pentests
  const engagement = await pentest(org, { name: `Pentest of ${org.name}` });
  await pentestReport(org, engagement.id);
  const pentestIssue = await pentestFinding(org, engagement.id, { systemId: listed.id });
  ids["pentests/:id"] = engagement.id;
  ids["findings/:findingId"] = pentestIssue.id;
  // the well-made bodies of the pentest writes name these (bad-requests/pentests.ts)
  ids.pentestSystemId = listed.id;
  ids.pentestFindingId = pentestIssue.id;
  // issue 14: exercises
  const tabletop = await org.owner.client.post("/api/v1/ir-exercises", {
    kind: "tabletop",
    title: `Tabletop of ${org.name}`,
    heldOn: "2026-01-05",
    facilitatorId: someone.id,
  });
  const tabletopOutcome = await org.owner.client.post(
    `/api/v1/ir-exercises/${tabletop.body.id}/outcomes`,
    { description: `Outcome of ${org.name}'s tabletop`, requiresPlanChange: true },
  );
  ids["ir-exercises/:id"] = tabletop.body.id;
  ids["ir-exercise-outcomes/:id"] = tabletopOutcome.body.id;
  ids.exerciseId = tabletop.body.id;
  ids.exerciseOutcomeId = tabletopOutcome.body.id;
  const names = [engagement.name];
  // issue 14: incidents core
  const incident = await declare(org, undefined, { title: `Incident of ${org.name}` });
  await incidentNote(org, incident.id, { body: `Note on the incident of ${org.name}` });
  await incidentAttachment(org, incident.id, { name: "incident-log.txt" });
  ids["incidents/:id"] = incident.id;
  names.push(incident.title);
  // issue 14: lessons — a resolved incident with shared lessons learned and an action item:
  // the lessons routes read and write through "incidents/:id", so the world's incident is this one.
  const lessonsTitle = `Lessons incident of ${org.name}`;
  const lessoned = await sharedLessons(org, undefined, lessonsTitle);
  ids["incidents/:id"] = lessoned.incidentId;
  ids["action-items/:id"] = lessoned.actionItemId;
  names.push(lessonsTitle);
  // issue 14: exercises
  names.push(tabletop.body.title);
  // issue 15: encryption
  const registered = await encryptionKey(org, { name: `Key of ${org.name}` });
  await keyRotation(org, registered.id, { notes: `Rotation of ${org.name}'s key` });
  const store = await dataStore(org, { name: `Store of ${org.name}` });
  await atRestConfirmation(org, store.id, { notes: `Confirmed for ${org.name}` });
  ids["keys/:id"] = registered.id;
  ids["stores/:id"] = store.id;
  // the well-made confirmation names evidence (bad-requests/encryption.ts)
  ids.encryptionEvidenceId = link.id;
  names.push(registered.name, store.name);
  // issue 15: continuity
  const backedUpName = `Backed-up store of ${org.name}`;
  const backedUp = await system(org, { name: backedUpName, backedUp: true });
  ids["restore-tests/:id"] = (await restoreTestWithEvidence(org, backedUp.id)).id;
  names.push(backedUpName);
  // issue 15: customers — a customer whose data was disposed of, with evidence
  const disposed = await disposedCustomer(org, { name: `Customer of ${org.name}` });
  ids["customers/:id"] = disposed.id;
  ids["disposals/:disposalId"] = disposed.disposalId;
  ids.customerSystemId = disposed.systemId;
  ids.customerPersonId = disposed.personId;
  names.push(disposed.name);
  // issue 15: endpoints — probed once (refused: a documentation address), so it has a history
  const exposed = await endpoint(org, { notes: `Endpoint of ${org.name}` });
  await org.owner.client.post(`/api/v1/endpoints/${exposed.id}/probe`);
  ids["endpoints/:id"] = exposed.id;
  names.push(`Endpoint of ${org.name}`);
  // issue 16: single sign-on — the organization's identity provider
  const provider = await ssoProvider(org);
  names.push(provider.provider.name);
  // issue 16: scim — a token, and a person and a group provisioned with it
  const idp = await scimClient(org);
  ids["scim-tokens/:id"] = (await scimToken(org, `SCIM of ${org.name}`)).id;
  const provisioned = await scimUser(idp);
  const group = await scimGroup(idp, {
    displayName: `Group of ${org.name}`,
    members: [{ value: provisioned.id }],
  });
  ids["scim-groups/:id"] = group.id;
  names.push(`SCIM of ${org.name}`, `Group of ${org.name}`);
  return {
    org,
    ids: { ...ids, "invited-user": invited.id, "editor-user": extra.id },
    names: [
      someone.name,
      published.title,
      link.title,
      news.title,
      mailed.title,
      document.title,
      shown.title,
      listed.name,
      campaign.name,
      key.name,
      // issue 13: findings
      finding.title,
      ...names,
    ],
  };
}

async function unsubscribeTokenOf(org: Org, email: string): Promise<string> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const raw = (org.mailbox?.messages ?? [])
      .filter((m) => m.to.includes(email))
      .map((m) => m.raw)
      .join("\n");
    const found = /\/trust\/subscriptions\/unsubscribe\/([A-Za-z0-9_-]+)/.exec(raw)?.[1];
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no unsubscribe link mailed to ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The routes of the walk: the API and the public /trust pages. */
export function walkedRoutes(t: TestApp) {
  return t.app.attestRoutes.filter(
    (route) =>
      (route.url.startsWith("/api/v1/") ||
        route.url === "/trust" ||
        route.url.startsWith("/trust/")) &&
      !route.url.includes("*"),
  );
}

/**
 * The parameters of a route, each named by the segment before it ("notices/:id") and by the
 * route's path up to it ("/trust/notices/:id"), which wins where one segment means two things.
 */
export function parametersOf(url: string): { key: string; prefix: string }[] {
  return [...url.matchAll(/([^/]+)\/:(\w+)/g)].map((m) => ({
    key: `${m[1]}/:${m[2]}`,
    prefix: url.slice(0, (m.index ?? 0) + m[0].length),
  }));
}

function idFor(world: World, parameter: { key: string; prefix: string }): string | undefined {
  return world.ids[parameter.prefix] ?? world.ids[parameter.key];
}

/** The route's URL with the world's ids, or the parameters no factory makes. */
export function fill(url: string, world: World): { url: string } | { missing: string[] } {
  const parameters = parametersOf(url);
  const missing = parameters.filter((p) => idFor(world, p) === undefined).map((p) => p.key);
  if (missing.length > 0) return { missing };
  let filled = url;
  for (const parameter of parameters.reverse()) {
    const at = parameter.prefix.lastIndexOf("/:");
    filled = `${filled.slice(0, at + 1)}${idFor(world, parameter)}${filled.slice(parameter.prefix.length)}`;
  }
  return { url: `${filled}${QUERIES[url]?.(world) ?? ""}` };
}

/** The query a read needs besides its ids. */
const QUERIES: Record<string, (world: World) => string> = {
  // issue 13: pentests
  "/api/v1/pentests/:id/report": () => "?fileName=report.json",
  "/api/v1/policies/:id/diff": (w) =>
    `?from=${w.ids["versions/:versionId"]}&to=${w.ids["draft-version"]}`,
};

/** A body the route's validation accepts (the well-made table), so the request reaches its service. */
export function wellMadeBody(method: string, url: string, world: World, fixture: Fixture): unknown {
  if (method === "GET" || method === "DELETE") return undefined;
  const body = WELL_MADE[`${method} ${url}`]?.body;
  if (typeof body === "function") {
    return body(fixture, { ...world.ids, versionId: world.ids["versions/:versionId"] as string });
  }
  return body ?? {};
}

export interface Answer {
  status: number;
  text: string;
}

/**
 * A request as the caller makes it (signed in with the client's cookie, or anonymous), with
 * the answer as text: a ZIP's entries and a PDF's pages are unpacked, so a search of the text
 * sees what the files hold.
 */
export async function ask(
  t: TestApp,
  caller: Person | null,
  method: string,
  url: string,
  body?: unknown,
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (caller?.client.cookie) headers.cookie = caller.client.cookie;
  if (caller?.client.csrfToken && method !== "GET")
    headers["x-csrf-token"] = caller.client.csrfToken;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await t.app.inject({
    method: method as "GET",
    url,
    headers,
    remoteAddress: `198.19.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`,
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return {
    status: response.statusCode,
    text: await textOf(response.rawPayload, String(response.headers["content-type"] ?? "")),
  };
}

async function textOf(bytes: Buffer, type: string): Promise<string> {
  if (type.startsWith("application/pdf")) return (await pageTexts(bytes)).join("\n");
  if (type.startsWith("application/zip")) {
    const parts: string[] = [];
    for (const entry of unzip(bytes)) {
      parts.push(entry.name);
      parts.push(
        entry.name.endsWith(".pdf")
          ? (await pageTexts(entry.data)).join("\n")
          : entry.data.toString("utf8"),
      );
    }
    return parts.join("\n");
  }
  return bytes.toString("utf8");
}

/** The entries of a ZIP archive, read through its central directory (stored or deflated). */
function unzip(zip: Buffer): { name: string; data: Buffer }[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("not a ZIP archive");
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: { name: string; data: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + size);
    entries.push({ name, data: method === 8 ? inflateRawSync(raw) : raw });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The markers found in a text, case-insensitively. */
export function leaked(text: string, markers: string[]): string[] {
  const lower = text.toLowerCase();
  return markers.filter((marker) => lower.includes(marker.toLowerCase()));
}

/** Markers of a world: its organization's id and name, every id and every name it made. */
export function markersOf(world: World): string[] {
  return [
    world.org.id,
    world.org.name,
    ...Object.values(world.ids).filter((v) => v.length > 8),
    ...world.names,
  ];
}

/**
 * Every route that takes an id, asked by A's owner (API) or an anonymous visitor of A's public
 * site (/trust) with B's ids: each must answer 404 and show nothing of B. With A's own ids, each
 * read must answer (the check bites). Answers the problems found, one line each.
 */
export async function tenantWalk(
  t: TestApp,
  a: World,
  b: World,
  bMarkers: string[],
): Promise<string[]> {
  const problems: string[] = [];
  const fixture = { owner: a.org.owner, member: a.org.owner, ids: a.ids } as unknown as Fixture;
  for (const route of walkedRoutes(t)) {
    const parameters = parametersOf(route.url);
    if (parameters.length === 0 || parameters.every((p) => SHARED_PARAMETERS.has(p.key))) continue;
    const name = `${route.method} ${route.url}`;
    const theirs = fill(route.url, b);
    const ours = fill(route.url, a);
    if ("missing" in theirs || "missing" in ours) {
      const missing =
        "missing" in theirs ? theirs.missing : (ours as { missing: string[] }).missing;
      problems.push(
        `${name}: no factory makes ${missing.join(", ")}; add one to test/factories.ts and give its id to buildWorld in test/integration/platform/tenant-walk.ts`,
      );
      continue;
    }
    const caller = route.url.startsWith("/api/v1/") ? a.org.owner : null;
    const body = wellMadeBody(route.method, route.url, b, fixture);
    const answer = await ask(t, caller, route.method, theirs.url, body);
    if (answer.status !== 404)
      problems.push(
        `${name} with B's ids: expected 404, got ${answer.status} ${answer.text.slice(0, 300)}`,
      );
    // A "not found" may name the id it was asked for: that is A's own input, not B's data.
    const asked = `${theirs.url} ${JSON.stringify(body ?? "")}`;
    const found = leaked(answer.text, bMarkers).filter((marker) => !asked.includes(marker));
    if (found.length > 0) problems.push(`${name} with B's ids shows B's ${found.join(", ")}`);
    if (route.method === "GET") {
      const own = await ask(t, caller, "GET", ours.url);
      if (own.status >= 400)
        problems.push(`${name} with A's own ids: expected an answer, got ${own.status}`);
      const mixed = leaked(own.text, bMarkers);
      if (mixed.length > 0) problems.push(`${name} with A's own ids shows B's ${mixed.join(", ")}`);
    }
  }
  return problems;
}
