import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withSystem, withTenant } from "../../../src/db/tenant.ts";
import {
  can,
  PERMISSIONS,
  type Permission,
  permissionsOf,
  ROLES,
  type Role,
} from "../../../src/domain/permissions.ts";
import {
  accessRequest,
  // issue 15: encryption
  dataStore,
  // issue 15: customers
  disposedCustomer,
  encryptionKey,
  evidence,
  invitation,
  notice,
  type Org,
  person,
  policy,
  report,
  // issue 15: continuity
  restoreTest,
  trustDocument,
} from "../../factories.ts";
import {
  addPerson,
  Client,
  createOrganization,
  createTestApp,
  type Person,
  type Reply,
  signedIn,
  type TestApp,
  uniqueEmail,
} from "../../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/**
 * The role table as it stands, written out by hand: changing src/domain/permissions.ts must
 * be a deliberate act that also changes this snapshot.
 */
const TABLE_SNAPSHOT: Record<Role, Permission[]> = {
  owner: [
    "controls.read",
    "controls.update",
    "users.read",
    "users.manage",
    "people.read",
    "people.manage",
    "systems.read",
    "systems.manage",
    "access.read",
    "access.manage",
    "access.self",
    "vulnerabilities.read",
    "vulnerabilities.manage",
    "vulnerabilities.approve",
    "incidents.declare",
    "incidents.lessons",
    "incidents.read",
    "incidents.manage",
    "incidents.approve",
    "encryption.read",
    "encryption.manage",
    "continuity.read",
    "continuity.manage",
    "customers.read",
    "customers.manage",
    "endpoints.read",
    "endpoints.manage",
    "policies.read",
    "policies.manage",
    "policies.approve",
    "policies.acknowledge",
    "organization.read",
    "organization.update",
    "audit.read",
    "evidence.read",
    "evidence.manage",
    "trust.read",
    "trust.manage",
    "notices.read",
    "notices.manage",
    "reports.handle",
    // issue 16: scim
    "scim.manage",
    "tokens.manage",
    "account.self",
    "sso.manage",
  ],
  admin: [
    "controls.read",
    "controls.update",
    "users.read",
    "users.manage",
    "people.read",
    "people.manage",
    "systems.read",
    "systems.manage",
    "access.read",
    "access.manage",
    "access.self",
    "vulnerabilities.read",
    "vulnerabilities.manage",
    "vulnerabilities.approve",
    "incidents.declare",
    "incidents.lessons",
    "incidents.read",
    "incidents.manage",
    "incidents.approve",
    "encryption.read",
    "encryption.manage",
    "continuity.read",
    "continuity.manage",
    "customers.read",
    "customers.manage",
    "endpoints.read",
    "endpoints.manage",
    "policies.read",
    "policies.manage",
    "policies.approve",
    "policies.acknowledge",
    "organization.read",
    "organization.update",
    "audit.read",
    "evidence.read",
    "evidence.manage",
    "trust.read",
    "trust.manage",
    "notices.read",
    "notices.manage",
    "reports.handle",
    "tokens.manage",
    "account.self",
  ],
  editor: [
    "controls.read",
    "users.read",
    "people.read",
    "systems.read",
    "access.read",
    "access.self",
    "vulnerabilities.read",
    "vulnerabilities.manage",
    "incidents.declare",
    "incidents.lessons",
    "incidents.read",
    "incidents.manage",
    "encryption.read",
    "encryption.manage",
    "continuity.read",
    "continuity.manage",
    "customers.read",
    "customers.manage",
    "endpoints.read",
    "endpoints.manage",
    "policies.read",
    "policies.manage",
    "policies.acknowledge",
    "organization.read",
    "evidence.read",
    "evidence.manage",
    "trust.read",
    "notices.read",
    "tokens.manage",
    "account.self",
  ],
  member: [
    "controls.read",
    "access.self",
    "incidents.declare",
    "incidents.lessons",
    "policies.read",
    "policies.acknowledge",
    "organization.read",
    "tokens.manage",
    "account.self",
  ],
  auditor: [
    "controls.read",
    "users.read",
    "people.read",
    "systems.read",
    "access.read",
    "vulnerabilities.read",
    "incidents.lessons",
    "incidents.read",
    "encryption.read",
    "continuity.read",
    "customers.read",
    "endpoints.read",
    "policies.read",
    "organization.read",
    "audit.read",
    "evidence.read",
    "trust.read",
    "notices.read",
    "tokens.manage",
    "account.self",
  ],
};

type Caller = Role | "anonymous";
type Outcome = "allowed" | 401 | 403;

/** What the role table says a caller gets from a route, before anything else is checked. */
function expectedOutcome(access: string | undefined, caller: Caller): Outcome {
  if (access === "public") return "allowed";
  if (caller === "anonymous") return 401;
  if (access === "signed-in") return "allowed";
  return can(caller, access as Permission) ? "allowed" : 403;
}

/**
 * The route's path with its parameters filled in: with the ids of records that exist when
 * given (by the segment before the parameter, "people/:id"), else a key of the catalog, a
 * made-up token or a well-formed id that names nothing.
 */
function concreteUrl(url: string, existing: Record<string, string> = {}): string {
  return url.replace(/([^/]+)\/:(\w+)/g, (_, segment: string, name: string) => {
    const id = existing[`${segment}/:${name}`];
    if (id) return `${segment}/${id}`;
    if (name === "key") return `${segment}/bcdr-policy`;
    if (name === "token") return `${segment}/${randomBytes(30).toString("base64url")}`;
    return `${segment}/${randomUUID()}`;
  });
}

/**
 * The reviewed table of route → permission. The walk takes each route's expected outcome from
 * here, not from what the route declares, so a route whose access changes fails until the
 * snapshot is updated, which makes the change show in review.
 */
const SNAPSHOT_FILE = fileURLToPath(new URL("./route-permissions.snapshot.txt", import.meta.url));
const UPDATE_HINT =
  "Review the change of access; if it is intended, update the snapshot with UPDATE_ROUTE_SNAPSHOT=1 npx vitest run --project pglite test/integration/platform/roles.test.ts and commit it with the route.";

function routeTable(): string[] {
  return apiRoutes().map((route) => `${route.method} ${route.url} ${route.access}`);
}

function readSnapshot(): Map<string, string> {
  const table = new Map<string, string>();
  if (!fs.existsSync(SNAPSHOT_FILE)) return table;
  for (const line of fs.readFileSync(SNAPSHOT_FILE, "utf8").split("\n")) {
    if (!line.trim() || line.startsWith("#")) continue;
    const [method, url, access] = line.trim().split(/\s+/);
    table.set(`${method} ${url}`, access as string);
  }
  return table;
}

const snapshot = readSnapshot();

/** The permission the reviewed snapshot gives a route. */
function pinnedAccess(route: { method: string; url: string }): string | undefined {
  return snapshot.get(`${route.method} ${route.url}`);
}

function apiRoutes() {
  return t.app.attestRoutes.filter((route) => route.url.startsWith("/api/v1/"));
}

function describeReply(reply: Reply): string {
  const code = reply.body && typeof reply.body === "object" ? ` ${reply.body.code}` : "";
  return `${reply.status}${code}`;
}

/**
 * What an allowed caller may get: the handler's answer (2xx), or, for the minimal request the
 * walk sends, a validation problem, a conflict, or a 404 for an id that names nothing. Never a
 * refusal, never a server error.
 */
function reachedHandler(status: number): boolean {
  return (status >= 200 && status < 400) || [400, 404, 409, 413, 415, 422].includes(status);
}

/** Compares a reply with the expected outcome; returns a line describing a mismatch, or null. */
function mismatch(route: string, expected: Outcome, reply: Reply): string | null {
  if (expected === "allowed") {
    return reachedHandler(reply.status)
      ? null
      : `${route}: expected to reach the handler, got ${describeReply(reply)}`;
  }
  const code = expected === 401 ? "unauthenticated" : "forbidden";
  return reply.status === expected && reply.body?.code === code
    ? null
    : `${route}: expected ${expected} ${code}, got ${describeReply(reply)}`;
}

describe("the role table", () => {
  it("should match the hand-written snapshot, role by role and permission by permission", () => {
    expect([...ROLES]).toEqual(["owner", "admin", "editor", "member", "auditor"]);
    const snapshotPermissions = new Set(Object.values(TABLE_SNAPSHOT).flat());
    expect(Object.keys(PERMISSIONS).sort()).toEqual([...snapshotPermissions].sort());
    for (const role of ROLES) {
      expect({ role, permissions: permissionsOf(role).sort() }).toEqual({
        role,
        permissions: [...TABLE_SNAPSHOT[role]].sort(),
      });
    }
    for (const permission of Object.keys(PERMISSIONS) as Permission[]) {
      const holders = ROLES.filter((role) => TABLE_SNAPSHOT[role].includes(permission));
      expect({ permission, holders: [...PERMISSIONS[permission]].sort() }).toEqual({
        permission,
        holders: holders.sort(),
      });
    }
  });

  it("should give every API route the permission of the reviewed snapshot", () => {
    if (process.env.UPDATE_ROUTE_SNAPSHOT) {
      const header = [
        "# Route -> permission of every API route, as reviewed. roles.test.ts walks every route",
        "# with every role against this file. Change it only with the route, after review.",
      ];
      fs.writeFileSync(SNAPSHOT_FILE, `${[...header, ...routeTable().sort()].join("\n")}\n`);
      return;
    }
    const now = new Map(apiRoutes().map((r) => [`${r.method} ${r.url}`, String(r.access)]));
    const differences: string[] = [];
    for (const [route, access] of now) {
      const pinned = snapshot.get(route);
      if (pinned === undefined)
        differences.push(`new route ${route} (${access}) is not in the snapshot`);
      else if (pinned !== access)
        differences.push(`${route} declares ${access}, the snapshot says ${pinned}`);
    }
    for (const route of snapshot.keys()) {
      if (!now.has(route)) differences.push(`${route} is in the snapshot but no longer registered`);
    }
    expect(differences, `${differences.join("\n")}\n${UPDATE_HINT}`).toEqual([]);
  });

  it("should list a non-trivial set of API routes, each declaring a known access rule", () => {
    const routes = apiRoutes();
    const names = routes.map((route) => `${route.method} ${route.url}`);
    expect(names).toEqual(
      expect.arrayContaining([
        "GET /api/v1/controls",
        "PATCH /api/v1/controls/:key",
        "POST /api/v1/users",
        "PATCH /api/v1/users/:id",
        "GET /api/v1/audit-events",
        "GET /api/v1/audit-events/actions",
        "GET /api/v1/audit-events/export.csv",
        "GET /api/v1/audit-events/export.jsonl",
        "POST /api/v1/auth/login",
        "GET /api/v1/me",
      ]),
    );
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const known = new Set<string>(["public", "signed-in", ...Object.keys(PERMISSIONS)]);
    for (const route of routes) {
      expect({
        route: `${route.method} ${route.url}`,
        known: known.has(route.access ?? ""),
      }).toEqual({ route: `${route.method} ${route.url}`, known: true });
    }
  });

  it("should use every permission of the table on some route, so the walk covers all of it", () => {
    // The own-account routes (password, MFA) are "signed-in" rather than "account.self", so
    // that a person held to MFA enrolment can still enrol.
    const used = new Set(apiRoutes().map((route) => route.access));
    for (const permission of Object.keys(PERMISSIONS)) {
      if (permission !== "account.self") expect(used).toContain(permission);
    }
  });
});

describe("the role table walk", () => {
  let people: Record<Role, Person>;
  const tokens: Partial<Record<Role, string>> = {};
  /** Records that exist, by the route parameter they fill: reads with them reach the handler. */
  let existing: Record<string, string> = {};

  beforeAll(async () => {
    const owner = await createOrganization(t, "Walk Co");
    people = {
      owner,
      admin: await addPerson(t, owner, "admin"),
      editor: await addPerson(t, owner, "editor"),
      member: await addPerson(t, owner, "member"),
      auditor: await addPerson(t, owner, "auditor"),
    };
    // Only designated handlers read reports: designate the walk's owner and admin.
    const designated = await owner.client.request("PUT", "/api/v1/reporting/handlers", {
      userIds: [owner.id, people.admin.id],
    });
    expect(designated.status).toBe(200);
    // One of each record a read addresses, so that an allowed read gets its answer.
    const org: Org = { t, id: owner.organizationId, name: "Walk Co", owner };
    const published = await policy(org, { status: "published", approver: people.admin });
    const document = await trustDocument(org);
    // issue 15: customers
    const disposed = await disposedCustomer(org);
    existing = {
      "users/:id": people.member.id,
      "people/:id": (await person(org)).id,
      "policies/:id": published.id,
      "versions/:versionId": published.versionId,
      "evidence/:id": (await evidence(org)).id,
      "trust-documents/:id": document.id,
      "trust-access-requests/:id": (await accessRequest(org, { documentIds: [document.id] })).id,
      "notices/:id": (await notice(org)).id,
      "reports/:id": (await report(org)).id,
      "invitations/:token": (await invitation(org)).token,
      // issue 15: encryption
      "keys/:id": (await encryptionKey(org)).id,
      "stores/:id": (await dataStore(org)).id,
      // issue 15: continuity
      "restore-tests/:id": (await restoreTest(org)).id,
      // issue 15: customers
      "customers/:id": disposed.id,
      "disposals/:disposalId": disposed.disposalId,
    };
    for (const role of ROLES) {
      const created = await people[role].client.post("/api/v1/tokens", { name: `walk ${role}` });
      expect(created.status).toBe(201);
      tokens[role] = created.body.token;
    }
  }, 180_000);

  async function clientFor(caller: Caller, via: "session" | "token"): Promise<Client> {
    if (caller === "anonymous") return new Client(t.app);
    if (via === "token") {
      const client = new Client(t.app);
      client.bearer = tokens[caller];
      return client;
    }
    // A fresh session per request: logout and MFA enrolment change the session they run in.
    return signedIn(t, people[caller].organizationId, people[caller].id);
  }

  async function walk(caller: Caller, via: "session" | "token") {
    const problems: string[] = [];
    let checked = 0;
    for (const route of apiRoutes()) {
      const client = await clientFor(caller, via);
      // Reads address records that exist; writes, ids that name nothing (the walk changes nothing).
      const url = concreteUrl(route.url, route.method === "GET" ? existing : {});
      const reply = await client.request(
        route.method,
        url,
        route.method === "GET" ? undefined : {},
      );
      const pinned = pinnedAccess(route);
      const expected = expectedOutcome(pinned, caller);
      const problem = pinned
        ? mismatch(`${route.method} ${route.url} (${pinned})`, expected, reply)
        : `${route.method} ${route.url}: not in the reviewed snapshot. ${UPDATE_HINT}`;
      if (problem) problems.push(problem);
      checked++;
    }
    return { problems, checked };
  }

  it("should answer 401 to a caller with no session on every route that is not public", async () => {
    const { problems, checked } = await walk("anonymous", "session");
    expect(problems).toEqual([]);
    expect(checked).toBe(apiRoutes().length);
  });

  it("should answer 401 to a made-up bearer token on every route that is not public", async () => {
    const client = new Client(t.app);
    client.bearer = `attest_${randomBytes(32).toString("base64url")}`;
    const problems: string[] = [];
    for (const route of apiRoutes()) {
      const reply = await client.request(
        route.method,
        concreteUrl(route.url),
        route.method === "GET" ? undefined : {},
      );
      // A bearer header that does not resolve is refused even on public routes.
      if (reply.status !== 401 || reply.body.code !== "unauthenticated") {
        problems.push(`${route.method} ${route.url}: got ${describeReply(reply)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  for (const role of ROLES) {
    it(`should let the ${role} through exactly the routes the table grants, with a session`, async () => {
      const { problems, checked } = await walk(role, "session");
      expect(problems).toEqual([]);
      expect(checked).toBe(apiRoutes().length);
    }, 120_000);

    it(`should let the ${role} through exactly the routes the table grants, with an API token`, async () => {
      const { problems, checked } = await walk(role, "token");
      expect(problems).toEqual([]);
      expect(checked).toBe(apiRoutes().length);
    }, 120_000);
  }

  it("should refuse with 403 before looking at the body, so a refused caller learns nothing from validation", async () => {
    const member = await signedIn(t, people.member.organizationId, people.member.id);
    const reply = await member.post("/api/v1/users", { email: "not an email", role: "emperor" });
    expect(reply.status).toBe(403);
    expect(reply.body.code).toBe("forbidden");
    expect(reply.body.errors).toBeUndefined();
    const anonymous = await new Client(t.app).request("PATCH", "/api/v1/users/not-a-uuid", {
      role: 42,
    });
    expect(anonymous.status).toBe(401);
  });
});

/** Audit events of one organization, read straight from the database. */
async function auditActions(organizationId: string) {
  return withTenant(t.deps.db, organizationId, (tx) =>
    tx
      .selectFrom("audit_events")
      .select(["action", "target_id", "before", "after", "actor_id"])
      .orderBy("seq")
      .execute(),
  );
}

async function userRow(organizationId: string, id: string) {
  return withTenant(t.deps.db, organizationId, (tx) =>
    tx.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirstOrThrow(),
  );
}

async function activeOwners(organizationId: string) {
  const rows = await withTenant(t.deps.db, organizationId, (tx) =>
    tx
      .selectFrom("users")
      .select("id")
      .where("role", "=", "owner")
      .where("status", "=", "active")
      .execute(),
  );
  return rows.map((row) => row.id);
}

function inFuture(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}

describe("owner-only rules", () => {
  it("should refuse an admin who invites an owner, and write nothing", async () => {
    const owner = await createOrganization(t, "Invite Rules Co");
    const admin = await addPerson(t, owner, "admin");
    const eventsBefore = await auditActions(owner.organizationId);
    const email = uniqueEmail("would-be-owner");

    const refused = await admin.client.post("/api/v1/users", {
      email,
      name: "Would-be Owner",
      role: "owner",
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("forbidden");

    const taken = await withSystem(t.deps.db, (tx) =>
      tx.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst(),
    );
    expect(taken).toBeUndefined();
    expect(await auditActions(owner.organizationId)).toEqual(eventsBefore);

    // The same invitation from the owner goes through.
    const allowed = await owner.client.post("/api/v1/users", {
      email,
      name: "Would-be Owner",
      role: "owner",
    });
    expect(allowed.status).toBe(201);
    expect(allowed.body.user).toMatchObject({ role: "owner", status: "invited" });
  });

  it("should refuse an admin who changes, renames or deactivates an owner, or promotes anyone to owner", async () => {
    const owner = await createOrganization(t, "Admin Limits Co");
    const admin = await addPerson(t, owner, "admin");
    const member = await addPerson(t, owner, "member");
    const eventsBefore = await auditActions(owner.organizationId);
    const ownerBefore = await userRow(owner.organizationId, owner.id);
    const memberBefore = await userRow(owner.organizationId, member.id);

    const attempts: [string, string, unknown][] = [
      ["PATCH", `/api/v1/users/${owner.id}`, { role: "member" }],
      ["PATCH", `/api/v1/users/${owner.id}`, { role: "admin" }],
      ["PATCH", `/api/v1/users/${owner.id}`, { name: "Renamed by an admin" }],
      ["POST", `/api/v1/users/${owner.id}/deactivate`, {}],
      ["PATCH", `/api/v1/users/${member.id}`, { role: "owner" }],
      ["PATCH", `/api/v1/users/${admin.id}`, { role: "owner" }],
    ];
    for (const [method, url, body] of attempts) {
      const reply = await admin.client.request(method, url, body);
      expect({ method, url, body, status: reply.status, code: reply.body.code }).toEqual({
        method,
        url,
        body,
        status: 403,
        code: "forbidden",
      });
    }

    expect(await userRow(owner.organizationId, owner.id)).toEqual(ownerBefore);
    expect(await userRow(owner.organizationId, member.id)).toEqual(memberBefore);
    expect(await auditActions(owner.organizationId)).toEqual(eventsBefore);
    expect((await owner.client.get("/api/v1/me")).status).toBe(200);
  });

  it("should let an admin manage people below owner", async () => {
    const owner = await createOrganization(t, "Admin Powers Co");
    const admin = await addPerson(t, owner, "admin");
    const member = await addPerson(t, owner, "member");
    const promoted = await admin.client.patch(`/api/v1/users/${member.id}`, { role: "editor" });
    expect(promoted.status).toBe(200);
    expect(promoted.body.role).toBe("editor");
    const deactivated = await admin.client.post(`/api/v1/users/${member.id}/deactivate`);
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.status).toBe("deactivated");
  });

  it("should refuse anyone who changes their own role or deactivates themselves", async () => {
    const owner = await createOrganization(t, "Self Rules Co");
    const secondOwner = await addPerson(t, owner, "admin");
    expect(
      (await owner.client.patch(`/api/v1/users/${secondOwner.id}`, { role: "owner" })).status,
    ).toBe(200);
    const admin = await addPerson(t, owner, "admin");
    const eventsBefore = await auditActions(owner.organizationId);

    const current: [Person, Role][] = [
      [owner, "owner"],
      [secondOwner, "owner"],
      [admin, "admin"],
    ];
    for (const [person, currentRole] of current) {
      for (const role of ROLES.filter((r) => r !== currentRole)) {
        const reply = await person.client.patch(`/api/v1/users/${person.id}`, {
          role,
          accessExpiresAt: inFuture(30),
        });
        expect({ who: currentRole, role, status: reply.status, code: reply.body.code }).toEqual({
          who: currentRole,
          role,
          status: 403,
          code: "forbidden",
        });
      }
      const deactivate = await person.client.post(`/api/v1/users/${person.id}/deactivate`);
      expect(deactivate.status).toBe(403);
      expect(deactivate.body.code).toBe("forbidden");
    }

    expect((await userRow(owner.organizationId, owner.id)).role).toBe("owner");
    expect((await userRow(owner.organizationId, admin.id)).role).toBe("admin");
    expect((await userRow(owner.organizationId, admin.id)).status).toBe("active");
    const actions = (await auditActions(owner.organizationId)).slice(eventsBefore.length);
    expect(actions.map((e) => e.action)).not.toContain("user.role_changed");
    expect(actions.map((e) => e.action)).not.toContain("user.deactivated");
  });

  it("should let an owner demote another owner while one active owner remains, and not the last", async () => {
    const owner = await createOrganization(t, "Two Owners Co");
    const other = await addPerson(t, owner, "admin");
    expect((await owner.client.patch(`/api/v1/users/${other.id}`, { role: "owner" })).status).toBe(
      200,
    );
    expect((await activeOwners(owner.organizationId)).sort()).toEqual([owner.id, other.id].sort());

    const demoted = await other.client.patch(`/api/v1/users/${owner.id}`, { role: "admin" });
    expect(demoted.status).toBe(200);
    expect(await activeOwners(owner.organizationId)).toEqual([other.id]);

    // The demoted owner is an admin now, at once: they cannot touch the remaining owner.
    const back = await owner.client.patch(`/api/v1/users/${other.id}`, { role: "admin" });
    expect(back.status).toBe(403);
    // And the remaining owner cannot demote or deactivate themselves.
    expect((await other.client.patch(`/api/v1/users/${other.id}`, { role: "admin" })).status).toBe(
      403,
    );
    expect((await other.client.post(`/api/v1/users/${other.id}/deactivate`)).status).toBe(403);
    expect(await activeOwners(owner.organizationId)).toEqual([other.id]);
  });

  /**
   * Two owners who demote (or deactivate) each other at the same moment must not leave the
   * organization without an owner. On PostgreSQL the test holds both users' rows locked until
   * both requests are inside their transactions, so the requests really overlap; PGlite has a
   * single connection and runs them one after the other.
   */
  async function race(
    organizationId: string,
    lockedUserIds: string[],
    requests: (() => Promise<Reply>)[],
  ): Promise<Reply[]> {
    if (t.deps.engine !== "postgres") return Promise.all(requests.map((send) => send()));
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = withSystem(t.deps.db, async (tx) => {
      await tx
        .selectFrom("users")
        .select("id")
        .where("id", "in", lockedUserIds)
        .where("organization_id", "=", organizationId)
        .forUpdate()
        .execute();
      locked();
      await released;
    });
    await lockTaken;
    const replies = Promise.all(requests.map((send) => send()));
    const deadline = Date.now() + 10_000;
    for (;;) {
      const waiting = await sql<{ count: number }>`
        select count(*)::int as count from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'
          and pid <> pg_backend_pid()`.execute(t.deps.db);
      if ((waiting.rows[0]?.count ?? 0) >= requests.length || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    release();
    await holder;
    return replies;
  }

  it("should keep one active owner when two owners demote each other at the same time", async () => {
    const first = await createOrganization(t, "Race Co");
    const second = await addPerson(t, first, "admin");
    expect((await first.client.patch(`/api/v1/users/${second.id}`, { role: "owner" })).status).toBe(
      200,
    );
    const replies = await race(
      first.organizationId,
      [first.id, second.id],
      [
        () => first.client.patch(`/api/v1/users/${second.id}`, { role: "admin" }),
        () => second.client.patch(`/api/v1/users/${first.id}`, { role: "admin" }),
      ],
    );
    expect(await activeOwners(first.organizationId)).toHaveLength(1);
    const statuses = replies.map((reply) => reply.status).sort();
    expect(statuses[0]).toBe(200);
    // The loser is refused: as the last owner (409), or because they are no owner any more.
    expect([403, 409]).toContain(statuses[1]);
    expect(await activeOwners(first.organizationId)).toHaveLength(1);
    const changes = (await auditActions(first.organizationId)).filter(
      (e) => e.action === "user.role_changed" && (e.after as { role: string }).role === "admin",
    );
    expect(changes).toHaveLength(1);
  });

  it("should keep one active owner when two owners deactivate each other at the same time", async () => {
    const first = await createOrganization(t, "Race Deactivation Co");
    const second = await addPerson(t, first, "admin");
    expect((await first.client.patch(`/api/v1/users/${second.id}`, { role: "owner" })).status).toBe(
      200,
    );
    const replies = await race(
      first.organizationId,
      [first.id, second.id],
      [
        () => first.client.post(`/api/v1/users/${second.id}/deactivate`),
        () => second.client.post(`/api/v1/users/${first.id}/deactivate`),
      ],
    );
    expect(await activeOwners(first.organizationId)).toHaveLength(1);
    const statuses = replies.map((reply) => reply.status).sort();
    expect(statuses[0]).toBe(200);
    // The loser is refused as the last owner (409), or was signed out by the deactivation.
    expect([401, 409]).toContain(statuses[1]);
  });
});

describe("auditors", () => {
  it("should require an access end date in the future for an auditor", async () => {
    const owner = await createOrganization(t, "Auditor Dates Co");
    const eventsBefore = await auditActions(owner.organizationId);
    const email = uniqueEmail("auditor");

    const missing = await owner.client.post("/api/v1/users", {
      email,
      name: "Audrey Auditor",
      role: "auditor",
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([
      { field: "accessExpiresAt", message: expect.any(String) },
    ]);
    const past = await owner.client.post("/api/v1/users", {
      email,
      name: "Audrey Auditor",
      role: "auditor",
      accessExpiresAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(past.status).toBe(400);
    expect(past.body.errors[0].field).toBe("accessExpiresAt");
    expect(await auditActions(owner.organizationId)).toEqual(eventsBefore);

    const member = await addPerson(t, owner, "member");
    const noDate = await owner.client.patch(`/api/v1/users/${member.id}`, { role: "auditor" });
    expect(noDate.status).toBe(400);
    expect(noDate.body.errors[0].field).toBe("accessExpiresAt");
    expect((await userRow(owner.organizationId, member.id)).role).toBe("member");

    const withDate = await owner.client.patch(`/api/v1/users/${member.id}`, {
      role: "auditor",
      accessExpiresAt: inFuture(14),
    });
    expect(withDate.status).toBe(200);
    expect(withDate.body.role).toBe("auditor");
    expect(withDate.body.accessExpiresAt).not.toBeNull();

    const cleared = await owner.client.patch(`/api/v1/users/${member.id}`, {
      accessExpiresAt: null,
    });
    expect(cleared.status).toBe(400);
    expect(cleared.body.errors[0].field).toBe("accessExpiresAt");
    expect((await userRow(owner.organizationId, member.id)).access_expires_at).not.toBeNull();
  });
});

describe("read-only roles", () => {
  it("should refuse every write of the auditor, the member and the editor outside their own account, and change nothing", async () => {
    const owner = await createOrganization(t, "Read Only Co");
    const target = await addPerson(t, owner, "member", "Target Person");
    const readers = [
      await addPerson(t, owner, "auditor"),
      await addPerson(t, owner, "member"),
      await addPerson(t, owner, "editor"),
    ];
    const eventsBefore = await auditActions(owner.organizationId);
    const controlBefore = (await owner.client.get("/api/v1/controls/bcdr-policy")).body;
    const usersBefore = (await owner.client.get("/api/v1/users?limit=200")).body;
    const organizationBefore = (await owner.client.get("/api/v1/organization")).body;

    const writes: [string, string, unknown, Permission][] = [
      [
        "POST",
        "/api/v1/users",
        { email: uniqueEmail("sneaky"), name: "Sneaky", role: "member" },
        "users.manage",
      ],
      ["PATCH", `/api/v1/users/${target.id}`, { role: "admin" }, "users.manage"],
      ["PATCH", `/api/v1/users/${target.id}`, { name: "Renamed" }, "users.manage"],
      ["POST", `/api/v1/users/${target.id}/deactivate`, {}, "users.manage"],
      ["PATCH", "/api/v1/controls/bcdr-policy", { ownerId: target.id }, "controls.update"],
      ["PATCH", "/api/v1/controls/bcdr-policy", { criteria: ["CC1.1"] }, "controls.update"],
      ["PATCH", "/api/v1/organization", { requireMfa: true }, "organization.update"],
      ["PATCH", "/api/v1/organization", { name: "Taken Over" }, "organization.update"],
    ];
    for (const reader of readers) {
      for (const [method, url, body, permission] of writes) {
        expect(can(reader.role, permission)).toBe(false);
        const reply = await reader.client.request(method, url, body);
        expect({
          role: reader.role,
          method,
          url,
          status: reply.status,
          code: reply.body.code,
        }).toEqual({ role: reader.role, method, url, status: 403, code: "forbidden" });
      }
    }

    expect((await owner.client.get("/api/v1/controls/bcdr-policy")).body).toEqual(controlBefore);
    expect((await owner.client.get("/api/v1/users?limit=200")).body).toEqual(usersBefore);
    expect((await owner.client.get("/api/v1/organization")).body).toEqual(organizationBefore);
    expect(await auditActions(owner.organizationId)).toEqual(eventsBefore);
  });
});

describe("role changes", () => {
  it("should write one user.role_changed event with before and after for every role change, and none otherwise", async () => {
    const owner = await createOrganization(t, "Role Log Co");
    const admin = await addPerson(t, owner, "admin");
    const member = await addPerson(t, owner, "member", "Mia Member");
    const editor = await addPerson(t, owner, "editor");
    const start = (await auditActions(owner.organizationId)).length;

    const changes: { actor: Person; target: Person; body: Record<string, unknown> }[] = [
      { actor: owner, target: member, body: { role: "editor" } },
      { actor: admin, target: member, body: { role: "member" } },
      { actor: admin, target: editor, body: { role: "auditor", accessExpiresAt: inFuture(30) } },
      { actor: owner, target: admin, body: { role: "owner" } },
      { actor: admin, target: owner, body: { role: "admin" } },
    ];
    const expected: unknown[] = [];
    for (const { actor, target, body } of changes) {
      const before = await userRow(owner.organizationId, target.id);
      const reply = await actor.client.patch(`/api/v1/users/${target.id}`, body);
      expect({ body, status: reply.status }).toEqual({ body, status: 200 });
      expected.push({
        action: "user.role_changed",
        target_id: target.id,
        actor_id: actor.id,
        before: expect.objectContaining({ role: before.role, email: target.email }),
        after: expect.objectContaining({ role: body.role, email: target.email }),
      });
    }
    // A rename and a refused change are not role changes.
    expect(
      (await owner.client.patch(`/api/v1/users/${member.id}`, { name: "Mia M." })).status,
    ).toBe(200);
    expect(
      (await editor.client.patch(`/api/v1/users/${member.id}`, { role: "admin" })).status,
    ).toBe(403);

    const events = (await auditActions(owner.organizationId)).slice(start);
    expect(events.filter((e) => e.action === "user.role_changed")).toEqual(expected);
    expect(events.filter((e) => e.action === "user.updated")).toEqual([
      expect.objectContaining({
        target_id: member.id,
        before: expect.objectContaining({ name: "Mia Member", role: "member" }),
        after: expect.objectContaining({ name: "Mia M.", role: "member" }),
      }),
    ]);

    // The same events through the API, newest first.
    const listed = await owner.client.get("/api/v1/audit-events?action=user.role_changed");
    expect(listed.body.items).toHaveLength(changes.length);
    expect(listed.body.items[0]).toMatchObject({
      actor: { id: admin.id },
      targetId: owner.id,
      before: { role: "owner" },
      after: { role: "admin" },
    });
  });

  it("should apply a role change to the person's open session and API tokens at once", async () => {
    const owner = await createOrganization(t, "Live Roles Co");
    const admin = await addPerson(t, owner, "admin");
    const token = (await admin.client.post("/api/v1/tokens", { name: "admin script" })).body.token;
    const script = new Client(t.app);
    script.bearer = token;
    expect((await admin.client.get("/api/v1/audit-events")).status).toBe(200);
    expect((await script.get("/api/v1/audit-events")).status).toBe(200);

    expect((await owner.client.patch(`/api/v1/users/${admin.id}`, { role: "member" })).status).toBe(
      200,
    );
    for (const client of [admin.client, script]) {
      const audit = await client.get("/api/v1/audit-events");
      expect(audit.status).toBe(403);
      expect(audit.body.code).toBe("forbidden");
      const invite = await client.post("/api/v1/users", {
        email: uniqueEmail("late"),
        name: "Too Late",
        role: "member",
      });
      expect(invite.status).toBe(403);
      expect((await client.get("/api/v1/me")).body.user.role).toBe("member");
    }
  });
});
