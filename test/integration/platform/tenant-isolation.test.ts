import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TENANT_TABLES } from "../../../src/db/migrations/20261125090000_foundation.ts";
import { withSystem, withTenant } from "../../../src/db/tenant.ts";
import type { Org } from "../../factories.ts";
import {
  addPerson,
  Client,
  createOrganization,
  createTestApp,
  enableTwoFactor,
  type Person,
  type TestApp,
} from "../../helpers/app.ts";
import { startSmtpServer } from "../../helpers/smtp.ts";
import {
  ask,
  buildWorld,
  leaked,
  markersOf,
  tenantWalk,
  type World,
  walkedRoutes,
} from "./tenant-walk.ts";

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
beforeAll(async () => {
  // Mail, for the subscriptions and access links the tenant walk makes; an easy proof of work.
  smtp = await startSmtpServer();
  t = await createTestApp({
    smtpUrl: smtp.url,
    mailFrom: "Attest <attest@acme.test>",
    publicUrl: "https://attest.acme.test",
    reportPowBits: 4,
  });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

interface Tenant {
  name: string;
  owner: Person;
  auditor: Person;
  member: Person;
  /** An API token of the owner, and its id. */
  token: string;
  tokenId: string;
  /** An API token of the auditor. */
  auditorTokenId: string;
}

/**
 * An organization with people, API tokens, MFA recovery codes, an edited control, evidence and
 * events.
 */
async function buildTenant(name: string, initial: string): Promise<Tenant> {
  const owner = await createOrganization(t, name);
  const auditor = await addPerson(t, owner, "auditor", `${initial}-auditor Person of ${name}`);
  const member = await addPerson(t, owner, "member", `${initial}-member Person of ${name}`);
  const token = await owner.client.post("/api/v1/tokens", { name: `${initial}-owner-token` });
  expect(token.status).toBe(201);
  const auditorToken = await auditor.client.post("/api/v1/tokens", {
    name: `${initial}-auditor-token`,
  });
  expect(auditorToken.status).toBe(201);
  const control = await owner.client.patch("/api/v1/controls/bcdr-policy", {
    ownerId: member.id,
    criteria: initial === "alpha" ? ["CC1.1"] : ["PI1.5"],
  });
  expect(control.status).toBe(200);
  // MFA for the member leaves recovery codes behind.
  await enableTwoFactor(member);
  const evidence = await owner.client.post("/api/v1/evidence/links", {
    controlKey: "asset-inventory",
    title: `${initial} evidence of ${name}`,
    url: `https://${initial}.example.com/evidence`,
    evidenceDate: new Date().toISOString().slice(0, 10),
  });
  expect(evidence.status).toBe(201);
  return {
    name,
    owner,
    auditor,
    member,
    token: token.body.token,
    tokenId: token.body.id,
    auditorTokenId: auditorToken.body.id,
  };
}

let a: Tenant;
let b: Tenant;
/** Strings that identify B: none may appear in anything A is shown. */
let bMarkers: string[];

beforeAll(async () => {
  a = await buildTenant("Alpha Analytics", "alpha");
  b = await buildTenant("Bravo Biotech", "bravo");
  const bEvents = await b.owner.client.get("/api/v1/audit-events?limit=200");
  expect(bEvents.body.items.length).toBeGreaterThan(5);
  bMarkers = [
    b.owner.organizationId,
    b.name,
    "bravo",
    "PI1.5",
    b.tokenId,
    b.auditorTokenId,
    ...[b.owner, b.auditor, b.member].flatMap((p) => [p.id, p.email]),
    ...bEvents.body.items.flatMap((e: { id: string; hash: string }) => [e.id, e.hash]),
  ];
}, 120_000);

function expectNothingOf(json: unknown, markers: string[], where: string) {
  const text = JSON.stringify(json).toLowerCase();
  const leaked = markers.filter((marker) => text.includes(marker.toLowerCase()));
  expect({ where, leaked }).toEqual({ where, leaked: [] });
}

describe("isolation through the API", () => {
  const lists = [
    "/api/v1/users?limit=200",
    "/api/v1/controls",
    "/api/v1/audit-events?limit=200",
    "/api/v1/tokens",
    "/api/v1/organization",
    "/api/v1/me",
  ];

  it("should show A's owner and A's auditor nothing of B in any list", async () => {
    for (const viewer of [a.owner, a.auditor]) {
      for (const url of lists) {
        const reply = await viewer.client.get(url);
        expect({ url, status: reply.status }).toEqual({ url, status: 200 });
        expectNothingOf(reply.body, bMarkers, `${viewer.role} ${url}`);
      }
      // The lists are not empty: A's own data is there.
      const users = (await viewer.client.get("/api/v1/users?limit=200")).body.items;
      expect(users.map((u: { id: string }) => u.id).sort()).toEqual(
        [a.owner.id, a.auditor.id, a.member.id].sort(),
      );
      const control = (await viewer.client.get("/api/v1/controls/bcdr-policy")).body;
      expect(control.owner).toEqual({ id: a.member.id, name: expect.stringContaining("alpha") });
      expect(control.criteria).toEqual(["CC1.1"]);
    }
  });

  it("should show A nothing of B on any API read that takes no id, whatever module it belongs to", async () => {
    const reads = t.app.attestRoutes
      .filter((r) => r.method === "GET" && r.url.startsWith("/api/v1/") && !r.url.includes(":"))
      .map((r) => r.url);
    expect(reads).toEqual(expect.arrayContaining(lists.map((url) => url.split("?")[0])));
    for (const viewer of [a.owner, a.auditor, a.member]) {
      for (const url of reads) {
        const reply = await viewer.client.get(url);
        expect({ url, role: viewer.role, ok: reply.status < 500 }).toEqual({
          url,
          role: viewer.role,
          ok: true,
        });
        expectNothingOf(reply.body, bMarkers, `${viewer.role} ${url}`);
      }
    }
  });

  it("should not let filters on the audit trail reach B's events", async () => {
    // Unfiltered, the export holds A's whole trail and nothing of B. (First: the exports below
    // are audited in A's trail with the filters A typed, which name B's ids.)
    const whole = await a.auditor.client.get("/api/v1/audit-events/export.jsonl");
    const seqs = (whole.body as string)
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line))
      .map((event: { organizationId: string; seq: number }) => {
        expect(event.organizationId).toBe(a.owner.organizationId);
        return event.seq;
      });
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expectNothingOf(whole.body, bMarkers, "export.jsonl");
    for (const query of [
      `actorId=${b.owner.id}`,
      `targetId=${b.member.id}`,
      `targetId=${b.owner.organizationId}`,
      "action=organization.created",
      "targetType=api_token",
    ]) {
      const reply = await a.owner.client.get(`/api/v1/audit-events?limit=200&${query}`);
      expect(reply.status).toBe(200);
      expectNothingOf(reply.body, bMarkers, query);
      for (const file of ["export.csv", "export.jsonl"]) {
        const exported = await a.owner.client.get(`/api/v1/audit-events/${file}?${query}`);
        expect(exported.status).toBe(200);
        expectNothingOf(exported.body, bMarkers, `${file}?${query}`);
      }
    }
  });

  it("should not let filters on the evidence library reach B's evidence", async () => {
    for (const query of [
      `uploadedBy=${b.owner.id}`,
      "q=bravo",
      "controlKey=asset-inventory",
      "kind=link&validity=valid",
    ]) {
      const reply = await a.owner.client.get(`/api/v1/evidence?limit=200&${query}`);
      expect(reply.status).toBe(200);
      expectNothingOf(reply.body, bMarkers, query);
    }
    // A's own evidence is there.
    const own = await a.auditor.client.get("/api/v1/evidence?q=alpha");
    expect(own.body.items.map((item: { title: string }) => item.title)).toEqual([
      `alpha evidence of ${a.name}`,
    ]);
  });

  it("should answer 404 to every read or write of a B id made by A, and change nothing", async () => {
    const bBefore = await bFingerprint();
    const attempts: [string, string, unknown][] = [
      ["GET", `/api/v1/users/${b.member.id}`, undefined],
      ["GET", `/api/v1/users/${b.owner.id}`, undefined],
      ["PATCH", `/api/v1/users/${b.member.id}`, { name: "Hijacked" }],
      ["PATCH", `/api/v1/users/${b.member.id}`, { role: "admin" }],
      ["POST", `/api/v1/users/${b.member.id}/deactivate`, {}],
      ["POST", `/api/v1/users/${b.owner.id}/deactivate`, {}],
      ["DELETE", `/api/v1/users/${b.member.id}/sign-in-lock`, undefined],
      ["DELETE", `/api/v1/tokens/${b.tokenId}`, undefined],
      ["DELETE", `/api/v1/tokens/${b.auditorTokenId}`, undefined],
    ];
    for (const [method, url, body] of attempts) {
      const reply = await a.owner.client.request(method, url, body);
      expect({ method, url, status: reply.status, code: reply.body.code }).toEqual({
        method,
        url,
        status: 404,
        code: "not_found",
      });
      expectNothingOf(reply.body, bMarkers, `${method} ${url}`);
    }
    // A cannot hand one of A's controls to a person of B either.
    const control = await a.owner.client.patch("/api/v1/controls/bcdr-policy", {
      ownerId: b.member.id,
    });
    expect(control.status).toBe(400);
    expect(control.body.errors[0].field).toBe("ownerId");

    expect(await bFingerprint()).toEqual(bBefore);
    // B's people and tokens still work.
    expect((await b.member.client.get("/api/v1/me")).body.user.name).toContain("bravo");
    const script = new Client(t.app);
    script.bearer = b.token;
    expect((await script.get("/api/v1/me")).status).toBe(200);
  });

  it("should give B's API token B's organization only, whoever sends it", async () => {
    const script = new Client(t.app);
    script.bearer = b.token;
    const me = await script.get("/api/v1/me");
    expect(me.body.organization).toMatchObject({ id: b.owner.organizationId, name: b.name });
    const aMarkers = [a.owner.organizationId, a.name, a.owner.id, a.member.id, a.owner.email];
    for (const url of lists) {
      const reply = await script.get(url);
      expect(reply.status).toBe(200);
      expectNothingOf(reply.body, aMarkers, `B's token ${url}`);
    }
    expect((await script.get(`/api/v1/users/${a.member.id}`)).status).toBe(404);

    // Sent along with A's session cookie, the token still speaks for B and only B.
    const mixed = new Client(t.app);
    mixed.cookie = a.owner.client.cookie;
    mixed.bearer = b.token;
    const mixedMe = await mixed.get("/api/v1/me");
    expect(mixedMe.body.organization.id).toBe(b.owner.organizationId);
    expectNothingOf((await mixed.get("/api/v1/users?limit=200")).body, aMarkers, "mixed");

    // A's events do not record B's token use, and the token does not list under A.
    expectNothingOf((await a.owner.client.get("/api/v1/tokens")).body, [b.tokenId], "A tokens");
  });
});

/** All of B's rows in every organization-scoped table, read past row-level security. */
async function bFingerprint() {
  const tables = await orgScopedTables();
  return withSystem(t.deps.db, async (tx) => {
    const out: Record<string, unknown[]> = {};
    for (const table of tables) {
      const rows = await sql<{ row: unknown }>`
        select to_jsonb(x) - 'last_seen_at' - 'last_used_at' as row from ${sql.table(table)} x
        where organization_id = ${b.owner.organizationId}
        order by (to_jsonb(x))::text`.execute(tx);
      out[table] = rows.rows.map((r) => r.row);
    }
    const org = await tx
      .selectFrom("organizations")
      .selectAll()
      .where("id", "=", b.owner.organizationId)
      .execute();
    out.organizations = org;
    return out;
  });
}

/** Every table of the schema with an organization_id column: the tenant tables. */
async function orgScopedTables(): Promise<string[]> {
  const result = await sql<{ table_name: string }>`
    select c.table_name from information_schema.columns c
    join information_schema.tables t
      on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and c.column_name = 'organization_id'
      and t.table_type = 'BASE TABLE'
    order by c.table_name`.execute(t.deps.db);
  return result.rows.map((row) => row.table_name);
}

/** The column that names a row's organization: its own id for organizations. */
function orgColumn(table: string) {
  return table === "organizations" ? "id" : "organization_id";
}

async function countAll(table: string, organizationId: string): Promise<number> {
  const result = await withSystem(t.deps.db, (tx) =>
    sql<{ count: number }>`
      select count(*)::int as count from ${sql.table(table)}
      where ${sql.ref(orgColumn(table))} = ${organizationId}`.execute(tx),
  );
  return result.rows[0]?.count ?? 0;
}

function errorOf(promise: Promise<unknown>): Promise<{ code?: string; message: string } | null> {
  return promise.then(
    () => null,
    (error: { code?: string; message: string }) => ({ code: error.code, message: error.message }),
  );
}

describe("isolation in the database", () => {
  const tables = ["organizations", ...TENANT_TABLES] as const;

  it("should hold rows of both organizations in every tenant table, so the checks below bite", async () => {
    for (const table of tables) {
      expect({ table, a: (await countAll(table, a.owner.organizationId)) > 0 }).toEqual({
        table,
        a: true,
      });
      expect({ table, b: (await countAll(table, b.owner.organizationId)) > 0 }).toEqual({
        table,
        b: true,
      });
    }
  });

  it("should return only A's rows to an unfiltered select inside A's tenant transaction", async () => {
    for (const table of await orgScopedTables().then((found) => [
      "organizations",
      ...new Set([...TENANT_TABLES, ...found]),
    ])) {
      const rows = (await withTenant(t.deps.db, a.owner.organizationId, (tx) =>
        sql`select * from ${sql.table(table)}`.execute(tx),
      )) as { rows: Record<string, unknown>[] };
      const owners = new Set(rows.rows.map((row) => row[orgColumn(table)]));
      if (rows.rows.length > 0) {
        expect({ table, owners: [...owners] }).toEqual({
          table,
          owners: [a.owner.organizationId],
        });
      }
      expect({ table, count: rows.rows.length }).toEqual({
        table,
        count: await countAll(table, a.owner.organizationId),
      });
    }
    // The typed query builder is no different.
    for (const table of tables) {
      const rows = await withTenant(t.deps.db, a.owner.organizationId, (tx) =>
        tx.selectFrom(table).selectAll().execute(),
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const id =
          table === "organizations" ? row.id : (row as { organization_id: string }).organization_id;
        expect(id).toBe(a.owner.organizationId);
      }
    }
  });

  it("should refuse, by row-level security, an insert of a row carrying B's organization inside A's transaction", async () => {
    const before = await bFingerprint();
    for (const table of await orgScopedTables().then((found) => [
      "organizations",
      ...new Set([...TENANT_TABLES, ...found]),
    ])) {
      // A copy of one of A's rows, moved to B: valid in every other respect.
      const sample = await withTenant(t.deps.db, a.owner.organizationId, (tx) =>
        sql<{ row: Record<string, unknown> }>`
          select to_jsonb(x) as row from ${sql.table(table)} x limit 1`.execute(tx),
      );
      const row = sample.rows[0]?.row;
      if (!row) {
        expect((TENANT_TABLES as readonly string[]).includes(table)).toBe(false);
        continue;
      }
      row[orgColumn(table)] = b.owner.organizationId;
      const error = await errorOf(
        withTenant(t.deps.db, a.owner.organizationId, (tx) =>
          sql`insert into ${sql.table(table)}
              select * from jsonb_populate_record(null::${sql.table(table)}, ${JSON.stringify(row)}::jsonb)`.execute(
            tx,
          ),
        ),
      );
      expect({ table, error: error?.message }).toEqual({
        table,
        error: expect.stringMatching(/row-level security/),
      });
    }
    expect(await bFingerprint()).toEqual(before);
  });

  it("should update and delete none of B's rows inside A's transaction", async () => {
    const before = await bFingerprint();
    for (const table of await orgScopedTables().then((found) => [
      "organizations",
      ...new Set([...TENANT_TABLES, ...found]),
    ])) {
      const column = sql.ref(orgColumn(table));
      const attempts = {
        update: () =>
          withTenant(t.deps.db, a.owner.organizationId, (tx) =>
            sql`update ${sql.table(table)} set ${column} = ${column}
                where ${column} = ${b.owner.organizationId} returning ${column}`.execute(tx),
          ),
        delete: () =>
          withTenant(t.deps.db, a.owner.organizationId, (tx) =>
            sql`delete from ${sql.table(table)}
                where ${column} = ${b.owner.organizationId} returning ${column}`.execute(tx),
          ),
      };
      for (const [what, attempt] of Object.entries(attempts)) {
        const outcome = await attempt().then(
          (result) => ({ affected: result.rows.length }),
          (error: { code?: string }) => ({ refused: error.code }),
        );
        if (table === "audit_events") {
          // Append-only: the application role may not update or delete events at all.
          expect({ table, what, outcome }).toEqual({ table, what, outcome: { refused: "42501" } });
        } else if (
          (TENANT_TABLES as readonly string[]).includes(table) ||
          table === "organizations"
        ) {
          expect({ table, what, outcome }).toEqual({ table, what, outcome: { affected: 0 } });
        } else {
          // Tables added later may grant less than update and delete: refused is fine too.
          const harmless =
            ("affected" in outcome && outcome.affected === 0) ||
            ("refused" in outcome && outcome.refused === "42501");
          expect({ table, what, outcome, harmless }).toEqual({
            table,
            what,
            outcome,
            harmless: true,
          });
        }
      }
    }
    expect(await bFingerprint()).toEqual(before);
  });

  it("should show nothing to the application role when no organization is set", async () => {
    for (const table of tables) {
      const result = await t.deps.db.transaction().execute(async (tx) => {
        await sql`select set_config('role', 'attest_app', true)`.execute(tx);
        return sql`select * from ${sql.table(table)}`.execute(tx);
      });
      expect({ table, rows: result.rows.length }).toEqual({ table, rows: 0 });
    }
  });

  it("should leave no role or organization behind on the connection after a tenant transaction", async () => {
    const connecting = await sql<{ user: string }>`select current_user as user`.execute(t.deps.db);
    for (let i = 0; i < 8; i++) {
      await withTenant(t.deps.db, a.owner.organizationId, (tx) => sql`select 1`.execute(tx));
      const after = await sql<{ user: string; org: string | null }>`
        select current_user as user,
               nullif(current_setting('attest.organization_id', true), '') as org`.execute(
        t.deps.db,
      );
      expect(after.rows[0]).toEqual({ user: connecting.rows[0]?.user, org: null });
    }
  });
});

describe("the database roles", () => {
  it("should run tenant transactions as attest_app, a role that is no superuser and cannot bypass row-level security", async () => {
    const inside = await withTenant(t.deps.db, a.owner.organizationId, (tx) =>
      sql<{ user: string; org: string; rolsuper: boolean; rolbypassrls: boolean }>`
        select current_user as user,
               current_setting('attest.organization_id') as org,
               r.rolsuper, r.rolbypassrls
        from pg_roles r where r.rolname = current_user`.execute(tx),
    );
    expect(inside.rows).toEqual([
      { user: "attest_app", org: a.owner.organizationId, rolsuper: false, rolbypassrls: false },
    ]);
    const roles = await sql<{
      rolname: string;
      rolsuper: boolean;
      rolbypassrls: boolean;
      rolcanlogin: boolean;
    }>`
      select rolname, rolsuper, rolbypassrls, rolcanlogin from pg_roles
      where rolname in ('attest_app', 'attest_system') order by rolname`.execute(t.deps.db);
    expect(roles.rows).toEqual([
      { rolname: "attest_app", rolsuper: false, rolbypassrls: false, rolcanlogin: false },
      { rolname: "attest_system", rolsuper: false, rolbypassrls: false, rolcanlogin: false },
    ]);
  });

  it("should force row-level security, with a tenant policy for attest_app, on every table that holds organization data", async () => {
    const found = await orgScopedTables();
    expect(found).toEqual(expect.arrayContaining([...TENANT_TABLES]));
    for (const table of ["organizations", ...found]) {
      const flags = await sql<{ relrowsecurity: boolean; relforcerowsecurity: boolean }>`
        select c.relrowsecurity, c.relforcerowsecurity from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relname = ${table}`.execute(t.deps.db);
      expect({ table, flags: flags.rows }).toEqual({
        table,
        flags: [{ relrowsecurity: true, relforcerowsecurity: true }],
      });
      const policies = await sql<{ policyname: string; roles: string; permissive: string }>`
        select policyname, roles::text as roles, permissive from pg_policies
        where schemaname = 'public' and tablename = ${table} order by policyname`.execute(
        t.deps.db,
      );
      expect({ table, policies: policies.rows }).toEqual({
        table,
        policies: [
          { policyname: "system_access", roles: "{attest_system}", permissive: "PERMISSIVE" },
          { policyname: "tenant_isolation", roles: "{attest_app}", permissive: "PERMISSIVE" },
        ],
      });
    }
  });
});

describe("the tenant walk over every registered route", () => {
  let worldA: World;
  let worldB: World;
  /** B's markers with every id and name of B's world. */
  let markers: string[];

  beforeAll(async () => {
    const orgOf = (tenant: Tenant): Org => ({
      t,
      id: tenant.owner.organizationId,
      name: tenant.name,
      owner: tenant.owner,
      mailbox: smtp,
    });
    // B first: the public intake reaches B while B is the public organization; A's world last
    // leaves A public, so the /trust pages the walk visits are A's.
    worldB = await buildWorld(orgOf(b), b.member);
    worldA = await buildWorld(orgOf(a), a.member);
    markers = [...bMarkers, ...markersOf(worldB)];
  }, 240_000);

  it("should show nothing of B in any list, feed, export or search of A, API or public", async () => {
    const problems: string[] = [];
    let asked = 0;
    for (const route of walkedRoutes(t)) {
      if (route.method !== "GET" || route.url.includes(":")) continue;
      if (route.url.startsWith("/trust/assets/") || route.url.endsWith("/challenge")) continue;
      const caller = route.url.startsWith("/api/v1/") ? a.owner : null;
      // A's trail records the filters A's owner typed in the tests above, B's ids among them:
      // A's own input, not B's data.
      const typed = route.url.startsWith("/api/v1/audit-events")
        ? [b.owner.id, b.member.id, b.owner.organizationId]
        : [];
      const plain = await ask(t, caller, "GET", route.url);
      if (plain.status >= 500) problems.push(`${route.url}: ${plain.status}`);
      // A search for B's name, where the list takes one.
      const answers = [{ url: route.url, answer: plain }];
      if (caller && plain.text.startsWith("{")) {
        const url = `${route.url}?q=bravo`;
        answers.push({ url, answer: await ask(t, caller, "GET", url) });
      }
      for (const { url, answer } of answers) {
        const found = leaked(answer.text, markers).filter((marker) => !typed.includes(marker));
        if (found.length > 0) problems.push(`${url} shows B's ${found.join(", ")}`);
        asked++;
      }
    }
    expect(problems).toEqual([]);
    expect(asked).toBeGreaterThan(60);
    // A's own world is in A's answers: the search above looks where B's would be.
    const feed = await ask(t, null, "GET", "/trust/feed.atom");
    expect(leaked(feed.text, [worldA.names[3] as string])).toHaveLength(1);
    const zip = await ask(t, a.owner, "GET", "/api/v1/policies/export.zip");
    expect(leaked(zip.text, [worldA.names[1] as string])).toHaveLength(1);
  });

  it("should answer 404 to A for B's id on every route that takes one, and change nothing of B", async () => {
    const before = await bFingerprint();
    const problems = await tenantWalk(t, worldA, worldB, markers);
    expect(problems).toEqual([]);
    expect(await bFingerprint()).toEqual(before);
  }, 120_000);
});
