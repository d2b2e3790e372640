import { Writable } from "node:stream";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withSystem, withTenant } from "../../../src/db/tenant.ts";
import { addDays, isoDay } from "../../../src/domain/dates.ts";
import { reevaluate } from "../../../src/modules/monitoring/evaluation.service.ts";
import { runScheduledEvaluation } from "../../../src/modules/monitoring/monitor.ts";
import {
  issueChallenge,
  issuePageChallenge,
  NOSCRIPT_WAIT_MS,
  solveChallenge,
} from "../../../src/modules/reporting/reporting.crypto.ts";
import {
  sendReportReminders,
  sweepSpentChallenges,
} from "../../../src/modules/reporting/reporting.jobs.ts";
import { SUBMIT_RATE_LIMIT } from "../../../src/modules/reporting/reporting.public.ts";
import { reportReferences } from "../../../src/modules/reporting/reporting.queries.ts";
import { buildServer } from "../../../src/server.ts";
import {
  addPerson,
  createOrganization,
  createTestApp,
  type Person,
  type Reply,
  type TestApp,
} from "../../helpers/app.ts";
import { startSmtpServer } from "../../helpers/smtp.ts";

/**
 * The confidential reporting channel through its public pages and the handlers' API: what an
 * anonymous reporter can do with only a follow-up key, what is (and is not) stored, who may
 * read, the state machine, reminders over SMTP and the control tests.
 */
const POW_BITS = 4;
const KEY_PATTERN = /^([A-Z2-7]{4}-){7}[A-Z2-7]{4}$/;

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let t: TestApp;
let owner: Person;
let admin: Person;
let editor: Person;
let ipCounter = 0;

beforeAll(async () => {
  smtp = await startSmtpServer();
  t = await createTestApp({
    reportPowBits: POW_BITS,
    smtpUrl: smtp.url,
    mailFrom: "Attest <attest@acme.test>",
    publicUrl: "https://attest.acme.test",
  });
  owner = await createOrganization(t, "Reporting Co");
  admin = await addPerson(t, owner, "admin", "Ada Admin");
  editor = await addPerson(t, owner, "editor", "Ed Editor");
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

/** A fresh client address per test, so the per-address rate limit never mixes tests. */
function nextIp(): string {
  ipCounter++;
  return `192.0.2.${ipCounter}`;
}

interface PublicRequest {
  method?: "GET" | "POST";
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  ip?: string;
}

/** A request to the public pages, as a browser or script with no account would send it. */
async function publicRequest(
  app: TestApp,
  url: string,
  options: PublicRequest = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  let payload: string | undefined;
  if (options.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    payload = new URLSearchParams(options.form).toString();
  } else if (options.json !== undefined) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(options.json);
  }
  const response = await app.app.inject({
    method: options.method ?? (payload === undefined ? "GET" : "POST"),
    url,
    headers,
    remoteAddress: options.ip ?? "192.0.2.250",
    ...(payload === undefined ? {} : { payload }),
  });
  const type = String(response.headers["content-type"] ?? "");
  return {
    status: response.statusCode,
    body: type.includes("json") ? JSON.parse(response.body) : response.body,
    headers: response.headers,
  };
}

async function solvedChallenge(app: TestApp, ip: string) {
  const reply = await publicRequest(app, "/trust/reports/challenge", { ip });
  expect(reply.status).toBe(200);
  expect(reply.headers["cache-control"]).toBe("no-store");
  return {
    powChallenge: reply.body.challenge as string,
    powCounter: solveChallenge(reply.body.challenge, reply.body.bits),
  };
}

const REPORT = {
  category: "security",
  subject: "Shared admin password",
  details: "The admin password of the build server is written on a sticky note.",
};

async function submit(
  app: TestApp,
  fields: Record<string, string> = REPORT,
  options: { ip?: string; headers?: Record<string, string> } = {},
) {
  const ip = options.ip ?? nextIp();
  const reply = await publicRequest(app, "/trust/reports", {
    json: { ...fields, ...(await solvedChallenge(app, ip)) },
    ip,
    ...(options.headers ? { headers: options.headers } : {}),
  });
  expect(reply.status).toBe(201);
  return reply.body as { followUpKey: string; reference: string };
}

async function reportIdOf(handler: Person, reference: string): Promise<string> {
  const list = await handler.client.get("/api/v1/reports?limit=200");
  expect(list.status).toBe(200);
  const found = list.body.items.find((r: { reference: string }) => r.reference === reference);
  expect(found).toBeDefined();
  return found.id;
}

function followUp(app: TestApp, key: string, ip = nextIp()) {
  return publicRequest(app, "/trust/reports/follow-up", { json: { key }, ip });
}

/** Every row of every table, as text: what someone with the database files could read. */
async function everyRow(app: TestApp): Promise<string> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'
      and table_name not like 'attest_migrations%'
    order by table_name`.execute(app.deps.db);
  expect(tables.rows.map((r) => r.table_name)).toContain("reports");
  const parts: string[] = [];
  await withSystem(app.deps.db, async (tx) => {
    for (const { table_name } of tables.rows) {
      const rows = await sql<{ row: string }>`
        select (to_jsonb(x))::text as row from ${sql.table(table_name)} x`.execute(tx);
      for (const row of rows.rows) parts.push(`${table_name}: ${row.row}`);
    }
  });
  return parts.join("\n");
}

async function auditEvents(app: TestApp, organizationId: string, action: string) {
  return withTenant(app.deps.db, organizationId, (tx) =>
    tx
      .selectFrom("audit_events")
      .select(["action", "actor_id", "actor_type", "target_id", "before", "after"])
      .where("action", "=", action)
      .orderBy("seq")
      .execute(),
  );
}

/** The page challenge a server-rendered form carries for browsers without JavaScript. */
function pageChallengeOf(page: string): string {
  return /name="pageChallenge" value="([^"]*)"/.exec(page)?.[1] ?? "";
}

/** The form as a browser without JavaScript sends it: the proof-of-work fields stay empty. */
function noScriptForm(pageChallenge: string): Record<string, string> {
  return { ...REPORT, powChallenge: "", powCounter: "", pageChallenge };
}

async function reportCount(app: TestApp, organizationId: string): Promise<number> {
  return withTenant(app.deps.db, organizationId, async (tx) =>
    Number(
      (
        await tx
          .selectFrom("reports")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  );
}

describe("submitting a report", () => {
  it("should take a report as JSON and answer its follow-up key once, formatted for people", async () => {
    const ip = nextIp();
    const reply = await publicRequest(t, "/trust/reports", {
      json: { ...REPORT, ...(await solvedChallenge(t, ip)) },
      ip,
    });
    expect(reply.status).toBe(201);
    expect(reply.headers["cache-control"]).toBe("no-store");
    expect(reply.body.followUpKey).toMatch(KEY_PATTERN);
    expect(reply.body.reference).toMatch(/^R-\d{4}$/);
    // Stored only as a keyed hash: neither the key nor its characters appear anywhere.
    const rows = await everyRow(t);
    expect(rows).not.toContain(reply.body.followUpKey);
    expect(rows).not.toContain(reply.body.followUpKey.replaceAll("-", ""));
    // The key reads the report back; nothing hands it out again.
    const view = await followUp(t, reply.body.followUpKey);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      reference: reply.body.reference,
      state: "received",
      subject: REPORT.subject,
      details: REPORT.details,
      messages: [],
    });
    expect(JSON.stringify(view.body)).not.toContain(reply.body.followUpKey);
  });

  it("should take a report from the HTML form and show the key once, with advice to write it down", async () => {
    const ip = nextIp();
    const page = await publicRequest(t, "/trust/report", { headers: { accept: "text/html" }, ip });
    expect(page.status).toBe(200);
    expect(page.body).toContain('action="/trust/reports"');
    expect(page.body).toMatch(/<script src="\/trust\/assets\/pow\.js\?v=[0-9a-f]{12}" defer>/);
    expect(page.body).toContain("(optional)");
    expect(page.body).toContain("We do not keep your IP address");
    expect(page.body).toContain("Without JavaScript you can still send it");
    expect(page.body).toContain("at least 15 seconds after this page loaded");
    expect(page.body).not.toMatch(/<script>|style="/);

    const reply = await publicRequest(t, "/trust/reports", {
      form: { ...REPORT, category: "conduct", ...(await solvedChallenge(t, ip)) },
      ip,
    });
    expect(reply.status).toBe(201);
    expect(String(reply.headers["content-type"])).toContain("text/html");
    expect(reply.headers["cache-control"]).toBe("no-store");
    const key = /<code>([A-Z2-7-]+)<\/code>/.exec(reply.body)?.[1] ?? "";
    expect(key).toMatch(KEY_PATTERN);
    expect(reply.body).toContain("Write this key down");
    expect(reply.body).toContain('href="/trust/report/follow-up"');
    expect((await followUp(t, key)).body.category).toBe("conduct");
  });

  it("should serve the proof-of-work script from our origin, cached for long under its version", async () => {
    const page = await publicRequest(t, "/trust/report");
    const src = /src="(\/trust\/assets\/pow\.js\?v=[0-9a-f]+)"/.exec(page.body)?.[1] ?? "";
    const script = await publicRequest(t, src);
    expect(script.status).toBe(200);
    expect(String(script.headers["content-type"])).toContain("text/javascript");
    expect(script.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(script.body).toContain("crypto.subtle.digest");
  });

  it("should refuse a report without the proof of work, naming the field, and re-show the form with what was typed", async () => {
    const before = await reportCount(t, owner.organizationId);
    const json = await publicRequest(t, "/trust/reports", { json: REPORT, ip: nextIp() });
    expect(json.status).toBe(400);
    expect(json.body.code).toBe("validation_failed");
    expect(json.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(["powChallenge", "powCounter"]),
    );

    const form = await publicRequest(t, "/trust/reports", {
      form: { ...REPORT, subject: "Typed <subject>", powChallenge: "", powCounter: "" },
      ip: nextIp(),
    });
    expect(form.status).toBe(400);
    expect(String(form.headers["content-type"])).toContain("text/html");
    expect(form.body).toContain("Anti-spam check");
    expect(form.body).toContain("the anti-spam check did not run");
    expect(form.body).toContain('value="Typed &lt;subject&gt;"');
    expect(await reportCount(t, owner.organizationId)).toBe(before);
  });

  it("should refuse an invalid, forged, expired or replayed proof of work with a 4xx naming the field", async () => {
    const before = await reportCount(t, owner.organizationId);
    const ip = nextIp();
    const send = (pow: { powChallenge: string; powCounter: string }) =>
      publicRequest(t, "/trust/reports", { json: { ...REPORT, ...pow }, ip });
    const fieldsOf = (reply: Reply) => reply.body.errors.map((e: { field: string }) => e.field);

    const good = await solvedChallenge(t, ip);
    const unsolved = await findUnsolvedCounter(good.powChallenge);
    const refused = await send({ ...good, powCounter: unsolved });
    expect(refused.status).toBe(400);
    expect(fieldsOf(refused)).toEqual(["powCounter"]);

    const [random, expires, bits, signature] = good.powChallenge.split(".");
    const easier = `${random}.${expires}.0.${signature}`;
    const forged = await send({ powChallenge: easier, powCounter: "0" });
    expect(forged.status).toBe(400);
    expect(fieldsOf(forged)).toEqual(["powChallenge"]);
    expect(bits).toBe(String(POW_BITS));

    const old = issueChallenge(t.deps.keyring.macKey, POW_BITS, new Date(Date.now() - 11 * 60_000));
    const expired = await send({
      powChallenge: old.challenge,
      powCounter: solveChallenge(old.challenge, POW_BITS),
    });
    expect(expired.status).toBe(400);
    expect(fieldsOf(expired)).toEqual(["powChallenge"]);
    expect(expired.body.detail).toContain("expired");

    const fresh = await solvedChallenge(t, ip);
    expect((await send(fresh)).status).toBe(201);
    const replayed = await send(fresh);
    expect(replayed.status).toBe(400);
    expect(fieldsOf(replayed)).toEqual(["powChallenge"]);
    expect(replayed.body.detail).toContain("already used");
    expect(await reportCount(t, owner.organizationId)).toBe(before + 1);
  });

  it("should refuse a form sent without JavaScript before the wait, naming the field, keeping the text and the same page challenge", async () => {
    const before = await reportCount(t, owner.organizationId);
    const ip = nextIp();
    const page = await publicRequest(t, "/trust/report", { headers: { accept: "text/html" }, ip });
    const challenge = pageChallengeOf(page.body);
    expect(challenge).toMatch(/^[\w-]+\.\d+\.[\w-]+$/);

    const early = await publicRequest(t, "/trust/reports", {
      form: { ...noScriptForm(challenge), subject: "Typed <subject>" },
      ip,
    });
    expect(early.status).toBe(400);
    expect(String(early.headers["content-type"])).toContain("text/html");
    expect(early.body).toContain("Anti-spam wait");
    expect(early.body).toContain("was sent too soon");
    expect(early.body).toContain('value="Typed &lt;subject&gt;"');
    expect(early.body).toContain(REPORT.details);
    expect(pageChallengeOf(early.body)).toBe(challenge);

    const json = await publicRequest(t, "/trust/reports", {
      json: { ...REPORT, pageChallenge: challenge },
      ip,
    });
    expect(json.status).toBe(400);
    expect(json.body.errors.map((e: { field: string }) => e.field)).toEqual(["pageChallenge"]);
    expect(await reportCount(t, owner.organizationId)).toBe(before);
  });

  it("should take a form sent without JavaScript after the wait and show the follow-up key", async () => {
    const before = await reportCount(t, owner.organizationId);
    const waited = issuePageChallenge(
      t.deps.keyring.macKey,
      new Date(Date.now() - NOSCRIPT_WAIT_MS),
    );
    const reply = await publicRequest(t, "/trust/reports", {
      form: { ...noScriptForm(waited), category: "privacy" },
      ip: nextIp(),
    });
    expect(reply.status).toBe(201);
    expect(reply.headers["cache-control"]).toBe("no-store");
    const key = /<code>([A-Z2-7-]+)<\/code>/.exec(reply.body)?.[1] ?? "";
    expect(key).toMatch(KEY_PATTERN);
    expect(reply.body).toContain("Write this key down");
    expect((await followUp(t, key)).body.category).toBe("privacy");
    expect(await reportCount(t, owner.organizationId)).toBe(before + 1);
  });

  it("should refuse a replayed, forged or expired page challenge, naming the field", async () => {
    const before = await reportCount(t, owner.organizationId);
    const ip = nextIp();
    const send = (challenge: string) =>
      publicRequest(t, "/trust/reports", { form: noScriptForm(challenge), ip });
    const waited = issuePageChallenge(
      t.deps.keyring.macKey,
      new Date(Date.now() - NOSCRIPT_WAIT_MS),
    );
    expect((await send(waited)).status).toBe(201);

    const replayed = await send(waited);
    expect(replayed.status).toBe(400);
    expect(replayed.body).toContain("Anti-spam wait");
    expect(replayed.body).toContain("already used");
    expect(replayed.body).toContain(REPORT.subject);
    const renewed = pageChallengeOf(replayed.body);
    expect(renewed).not.toBe(waited);
    expect(renewed).toMatch(/^[\w-]+\.\d+\.[\w-]+$/);

    const [random, , signature] = waited.split(".");
    const backdated = `${random}.${Date.now() - 60 * 60_000}.${signature}`;
    const forged = await send(backdated);
    expect(forged.status).toBe(400);
    expect(forged.body).toContain("is not a form this server issued");
    expect(pageChallengeOf(forged.body)).not.toBe(backdated);
    const otherKey = issuePageChallenge(
      Buffer.alloc(32, 7),
      new Date(Date.now() - NOSCRIPT_WAIT_MS),
    );
    expect((await send(otherKey)).status).toBe(400);
    const powAsPage = await publicRequest(t, "/trust/reports", {
      json: { ...REPORT, pageChallenge: issueChallenge(t.deps.keyring.macKey, 0).challenge },
      ip,
    });
    expect(powAsPage.status).toBe(400);
    expect(powAsPage.body.errors.map((e: { field: string }) => e.field)).toEqual(["pageChallenge"]);

    const old = issuePageChallenge(t.deps.keyring.macKey, new Date(Date.now() - 11 * 60_000));
    const expired = await send(old);
    expect(expired.status).toBe(400);
    expect(expired.body).toContain("has expired");
    expect(pageChallengeOf(expired.body)).not.toBe(old);
    expect(await reportCount(t, owner.organizationId)).toBe(before + 1);
  });

  it("should ask no wait of a form sent without JavaScript when the proof of work is off", async () => {
    const open = await createTestApp({ reportPowBits: 0 });
    try {
      await createOrganization(open, "Open Channel Co");
      const page = await publicRequest(open, "/trust/report", { headers: { accept: "text/html" } });
      expect(page.body).toContain("without it, you can send the form as it is");
      const reply = await publicRequest(open, "/trust/reports", {
        form: noScriptForm(pageChallengeOf(page.body)),
      });
      expect(reply.status).toBe(201);
    } finally {
      await open.close();
    }
  });

  it("should refuse a category the organization does not offer, naming it", async () => {
    const reply = await publicRequest(t, "/trust/reports", {
      json: { ...REPORT, category: "gossip", powChallenge: "x", powCounter: "1" },
      ip: nextIp(),
    });
    expect(reply.status).toBe(400);
    expect(reply.body.errors.map((e: { field: string }) => e.field)).toContain("category");
  });

  it("should answer 429 once an address sends too many reports, as JSON or as a page", async () => {
    const ip = nextIp();
    for (let i = 0; i < SUBMIT_RATE_LIMIT.max; i++) {
      const reply = await publicRequest(t, "/trust/reports", { json: {}, ip });
      expect(reply.status).toBe(400);
    }
    const limited = await publicRequest(t, "/trust/reports", { json: {}, ip });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe("rate_limited");
    const page = await publicRequest(t, "/trust/reports", { form: { subject: "x" }, ip });
    expect(page.status).toBe(429);
    expect(page.body).toContain("Too many attempts");
    // Another address is not affected.
    expect((await publicRequest(t, "/trust/reports", { json: {}, ip: nextIp() })).status).toBe(400);
  });

  it("should store nothing identifying with an anonymous report: no address, user agent, cookie or session", async () => {
    const ip = "198.51.100.173";
    const headers = {
      "user-agent": "ReporterBrowser/9.9 (unique-ua-7f3a91)",
      cookie: "attest_session=cookie-value-5b2e77; tracker=trk-9c1d44",
      "x-forwarded-for": "203.0.113.199",
      "x-real-ip": "203.0.113.198",
    };
    const before = await everyRow(t);
    const sessionsBefore = before.split("\n").filter((l) => l.startsWith("sessions:")).length;
    await submit(t, REPORT, { ip, headers });
    const key = (await submit(t, REPORT, { ip: "198.51.100.174", headers })).followUpKey;
    // The reporter replies too: the follow-up path stores nothing about them either.
    const replied = await publicRequest(t, "/trust/reports/follow-up/reply", {
      form: { key, body: "More details from me." },
      ip,
      headers,
    });
    expect(replied.status).toBe(201);
    const after = await everyRow(t);
    for (const needle of [
      ip,
      "198.51.100.174",
      "203.0.113.199",
      "203.0.113.198",
      "unique-ua-7f3a91",
      "ReporterBrowser",
      "cookie-value-5b2e77",
      "trk-9c1d44",
    ]) {
      expect({ needle, found: after.includes(needle) }).toEqual({ needle, found: false });
    }
    expect(after.split("\n").filter((l) => l.startsWith("sessions:")).length).toBe(sessionsBefore);
    const submitted = await auditEvents(t, owner.organizationId, "report.submitted");
    expect(submitted.at(-1)).toMatchObject({ actor_type: "anonymous", actor_id: null });
  });

  it("should keep the reporter's address out of the server log, which logs other requests' addresses", async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logged = await buildServer(t.deps, { logger: { level: "info", stream } });
    await logged.ready();
    try {
      const view = { ...t, app: logged };
      const ip = "198.51.100.201";
      const { followUpKey } = await submit(view, REPORT, {
        ip,
        headers: { "user-agent": "LoggedBrowser/1.0" },
      });
      expect((await followUp(view, followUpKey, ip)).status).toBe(200);
      expect((await publicRequest(view, "/trust/report", { ip })).status).toBe(200);
      expect((await publicRequest(view, "/trust/reports", { json: {}, ip })).status).toBe(400);
      // Nor do the pages and assets loaded around the form, whose times would match the report's.
      await publicRequest(view, "/trust", { ip });
      expect((await publicRequest(view, "/trust/assets/pow.js", { ip })).status).toBe(200);
      const reporterLog = lines.join("");
      expect(reporterLog).not.toContain(ip);
      expect(reporterLog).not.toContain("LoggedBrowser");
      // The capture works: an ordinary request is logged with its address (health checks are
      // not logged at info, so ask for something else).
      await publicRequest(view, "/api/v1/me", { ip: "198.51.100.202" });
      expect(lines.join("")).toContain("198.51.100.202");
    } finally {
      await logged.close();
    }
  });

  it("should keep every text of a report encrypted at rest: subject, details, contact, messages and outcome", async () => {
    const secret = {
      category: "privacy",
      subject: "Plaintext-subject-Quokka",
      details: "Plaintext-details-Narwhal were exported to a public bucket.",
      contactName: "Plaintext-name-Axolotl",
      contactEmail: "axolotl.reporter@example.test",
      contactPhone: "+44 20 7946 0991",
    };
    const { followUpKey, reference } = await submit(t, secret);
    const id = await reportIdOf(owner, reference);
    expect(
      (
        await owner.client.post(`/api/v1/reports/${id}/messages`, {
          body: "Plaintext-handler-Okapi",
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await publicRequest(t, "/trust/reports/follow-up/reply", {
          json: { key: followUpKey, body: "Plaintext-reporter-Pangolin" },
          ip: nextIp(),
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await owner.client.post(`/api/v1/reports/${id}/state`, {
          state: "closed",
          outcome: "Plaintext-outcome-Tapir",
        })
      ).status,
    ).toBe(200);

    const rows = await everyRow(t);
    for (const needle of [
      "Quokka",
      "Narwhal",
      "Axolotl",
      "axolotl.reporter",
      "7946 0991",
      "Okapi",
      "Pangolin",
      "Tapir",
    ]) {
      expect({ needle, found: rows.includes(needle) }).toEqual({ needle, found: false });
    }
    const raw = await withTenant(t.deps.db, owner.organizationId, (tx) =>
      tx.selectFrom("reports").selectAll().where("id", "=", id).executeTakeFirstOrThrow(),
    );
    expect(raw.subject_enc).toMatch(/^v2\.[0-9a-f]{16}\./);
    expect(raw.contact_enc).toMatch(/^v2\.[0-9a-f]{16}\./);

    // The handler reads it all back, decrypted.
    const read = await owner.client.get(`/api/v1/reports/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      subject: secret.subject,
      details: secret.details,
      contact: { name: secret.contactName, email: secret.contactEmail, phone: secret.contactPhone },
      outcome: "Plaintext-outcome-Tapir",
      state: "closed",
    });
    expect(
      read.body.messages.map((m: { author: string; body: string }) => [m.author, m.body]),
    ).toEqual([
      ["handler", "Plaintext-handler-Okapi"],
      ["reporter", "Plaintext-reporter-Pangolin"],
    ]);
  });

  it("should not offer the form or take reports while the channel is turned off", async () => {
    expect(
      (await owner.client.patch("/api/v1/reporting/settings", { enabled: false })).status,
    ).toBe(200);
    try {
      const page = await publicRequest(t, "/trust/report");
      expect(page.status).toBe(404);
      expect(page.body).toContain("Reporting channel closed");
      const ip = nextIp();
      const reply = await publicRequest(t, "/trust/reports", {
        json: { ...REPORT, ...(await solvedChallenge(t, ip)) },
        ip,
      });
      expect(reply.status).toBe(404);
      expect(reply.body.code).toBe("not_found");
    } finally {
      expect(
        (await owner.client.patch("/api/v1/reporting/settings", { enabled: true })).status,
      ).toBe(200);
    }
  });
});

/** A counter that does not solve the challenge (about 1 in 16 do, with 4 bits). */
async function findUnsolvedCounter(challenge: string): Promise<string> {
  const { createHash } = await import("node:crypto");
  for (let counter = 0; counter < 1000; counter++) {
    const digest = createHash("sha256").update(`${challenge}:${counter}`).digest();
    if ((digest[0] ?? 0) >> (8 - POW_BITS) !== 0) return String(counter);
  }
  throw new Error("every counter solved the challenge");
}

describe("following up with the key", () => {
  it("should refuse a wrong or malformed key with the same answer, revealing nothing", async () => {
    const wrong = await followUp(t, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH");
    const malformed = await followUp(t, "not a key");
    for (const reply of [wrong, malformed]) {
      expect(reply.status).toBe(404);
      expect(reply.body.code).toBe("not_found");
      expect(reply.body.errors).toEqual([{ field: "key", message: "matches no report" }]);
    }
    expect(wrong.body.detail).toBe(malformed.body.detail);
    const page = await publicRequest(t, "/trust/reports/follow-up", {
      form: { key: "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH" },
      ip: nextIp(),
    });
    expect(page.status).toBe(404);
    expect(page.body).toContain("No report matches this key");
    expect((await followUp(t, "")).status).toBe(400);
  });

  it("should take the key only in a POST body, and accept it typed loosely (case, spaces, look-alike digits)", async () => {
    const form = await publicRequest(t, "/trust/report/follow-up");
    expect(form.status).toBe(200);
    expect(form.body).toContain('method="post" action="/trust/reports/follow-up"');
    const { followUpKey } = await submit(t);
    const typed = followUpKey.toLowerCase().replaceAll("-", " ").replaceAll("o", "0");
    const reply = await followUp(t, typed);
    expect(reply.status).toBe(200);
    expect(reply.headers["cache-control"]).toBe("no-store");
  });

  it("should carry messages both ways and tell the handlers, without any report content in the mail", async () => {
    const mailBefore = smtp.messages.length;
    const { followUpKey, reference } = await submit(t, {
      ...REPORT,
      subject: "Mail-secret-subject",
    });
    const newMail = smtp.messages.slice(mailBefore);
    // No handler is designated yet in this organization: the owner is the handler.
    expect(newMail.map((m) => m.to[0])).toEqual([owner.email]);
    expect(newMail[0]?.subject).toBe(`A new confidential report arrived (${reference})`);
    const id = await reportIdOf(owner, reference);
    expect(newMail[0]?.body).toContain(`https://attest.acme.test/reports/${id}`);
    expect(newMail[0]?.raw).not.toContain("Mail-secret-subject");
    expect(newMail[0]?.raw).not.toContain(REPORT.details);

    const sent = await owner.client.post(`/api/v1/reports/${id}/messages`, {
      body: "Thank you. Which build server?",
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ author: "handler", body: "Thank you. Which build server?" });

    // The reporter reads the answer through the HTML page and replies with the form.
    const thread = await publicRequest(t, "/trust/reports/follow-up", {
      form: { key: followUpKey },
      ip: nextIp(),
    });
    expect(thread.status).toBe(200);
    expect(thread.body).toContain("Thank you. Which build server?");
    expect(thread.body).toContain("Acknowledged");
    expect(thread.body).not.toContain("Owner of"); // handlers are not named to the reporter
    const mailBeforeReply = smtp.messages.length;
    const replied = await publicRequest(t, "/trust/reports/follow-up/reply", {
      form: { key: followUpKey, body: "The one in the basement." },
      ip: nextIp(),
    });
    expect(replied.status).toBe(201);
    expect(replied.body).toContain("Your reply was sent.");
    expect(replied.body).toContain("The one in the basement.");
    const replyMail = smtp.messages.slice(mailBeforeReply);
    expect(replyMail.map((m) => m.subject)).toEqual([`The reporter answered on ${reference}`]);
    expect(replyMail[0]?.raw).not.toContain("basement");

    const list = await owner.client.get("/api/v1/reports?state=acknowledged");
    const summary = list.body.items.find((r: { id: string }) => r.id === id);
    expect(summary.awaitingReply).toBe(true);
    const read = await owner.client.get(`/api/v1/reports/${id}`);
    expect(read.body.messages.map((m: { author: string }) => m.author)).toEqual([
      "handler",
      "reporter",
    ]);
    expect(read.body.messages[0].authorName).toBe(`Owner of Reporting Co`);

    // An empty reply re-shows the thread with the message.
    const empty = await publicRequest(t, "/trust/reports/follow-up/reply", {
      form: { key: followUpKey, body: "  " },
      ip: nextIp(),
    });
    expect(empty.status).toBe(400);
    expect(empty.body).toContain("write your message");
    const emptyJson = await publicRequest(t, "/trust/reports/follow-up/reply", {
      json: { key: followUpKey },
      ip: nextIp(),
    });
    expect(emptyJson.status).toBe(400);
    expect(emptyJson.body.errors[0].field).toBe("body");
  });
});

describe("handling reports", () => {
  it("should move a report forward only, require an outcome to close, and show the outcome to the reporter", async () => {
    const { followUpKey, reference } = await submit(t);
    const id = await reportIdOf(owner, reference);
    const state = (body: unknown) => owner.client.post(`/api/v1/reports/${id}/state`, body);

    const acknowledged = await state({ state: "acknowledged" });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body.state).toBe("acknowledged");
    expect(acknowledged.body.acknowledgement.status).toBe("met");
    expect(acknowledged.body.feedback.status).toBe("open");

    expect((await state({ state: "received" })).status).toBe(400);
    expect((await state({ state: "acknowledged" })).body.code).toBe("invalid_state");
    expect((await state({ state: "investigating", outcome: "early" })).body.errors[0].field).toBe(
      "outcome",
    );
    expect((await state({ state: "investigating" })).status).toBe(200);
    const back = await state({ state: "acknowledged" });
    expect(back.status).toBe(409);
    expect(back.body.code).toBe("invalid_state");

    const noOutcome = await state({ state: "closed" });
    expect(noOutcome.status).toBe(400);
    expect(noOutcome.body.errors[0].field).toBe("outcome");
    const closed = await state({ state: "closed", outcome: "The password was changed." });
    expect(closed.status).toBe(200);
    expect(closed.body.feedback.status).toBe("met");

    const view = await followUp(t, followUpKey);
    expect(view.body).toMatchObject({ state: "closed", outcome: "The password was changed." });
    expect((await state({ state: "closed", outcome: "again" })).status).toBe(409);
    expect(
      (await owner.client.post(`/api/v1/reports/${id}/messages`, { body: "more" })).status,
    ).toBe(409);
    const late = await publicRequest(t, "/trust/reports/follow-up/reply", {
      json: { key: followUpKey, body: "one more thing" },
      ip: nextIp(),
    });
    expect(late.status).toBe(409);

    const changes = await auditEvents(t, owner.organizationId, "report.state_changed");
    expect(changes.filter((e) => e.target_id === id).map((e) => e.after)).toEqual([
      { state: "acknowledged" },
      { state: "investigating" },
      { state: "closed", outcomeGiven: true },
    ]);
  });

  it("should let only the designated handlers read reports, owners by default, and audit the designation", async () => {
    const { reference } = await submit(t);
    const id = await reportIdOf(owner, reference);

    const refused = await admin.client.get(`/api/v1/reports/${id}`);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("forbidden");
    expect(refused.body.detail).toContain("owners");
    expect((await admin.client.get("/api/v1/reports")).status).toBe(403);
    expect((await editor.client.get("/api/v1/reports")).status).toBe(403);

    // Admins cannot designate; editors are not eligible.
    expect(
      (await admin.client.request("PUT", "/api/v1/reporting/handlers", { userIds: [admin.id] }))
        .status,
    ).toBe(403);
    const notEligible = await owner.client.request("PUT", "/api/v1/reporting/handlers", {
      userIds: [editor.id],
    });
    expect(notEligible.status).toBe(400);
    expect(notEligible.body.errors[0].field).toBe("userIds");

    const designated = await owner.client.request("PUT", "/api/v1/reporting/handlers", {
      userIds: [admin.id],
    });
    expect(designated.status).toBe(200);
    expect(designated.body.handlersDesignated).toBe(true);
    expect(designated.body.handlers.map((h: { userId: string }) => h.userId)).toEqual([admin.id]);
    expect(designated.body.youAreHandler).toBe(false);
    const events = await auditEvents(t, owner.organizationId, "reporting.handlers_designated");
    expect(events.at(-1)).toMatchObject({
      actor_id: owner.id,
      before: { userIds: [] },
      after: { userIds: [admin.id] },
    });

    try {
      expect((await admin.client.get(`/api/v1/reports/${id}`)).status).toBe(200);
      const ownerRefused = await owner.client.get(`/api/v1/reports/${id}`);
      expect(ownerRefused.status).toBe(403);
      expect(ownerRefused.body.detail).toContain("designated handlers");
      // The settings stay readable to every role with reports.handle, to manage the channel.
      const settings = await owner.client.get("/api/v1/reporting/settings");
      expect(settings.status).toBe(200);
      expect(settings.body.youMayDesignate).toBe(true);
      // New reports are mailed to the designated handlers only.
      const before = smtp.messages.length;
      await submit(t);
      expect(smtp.messages.slice(before).map((m) => m.to[0])).toEqual([admin.email]);
    } finally {
      const reset = await owner.client.request("PUT", "/api/v1/reporting/handlers", {
        userIds: [],
      });
      expect(reset.body.handlersDesignated).toBe(false);
    }
    expect((await owner.client.get(`/api/v1/reports/${id}`)).status).toBe(200);
  });

  it("should record every read of a report in the audit trail, and none for the inbox list", async () => {
    const { reference } = await submit(t);
    const id = await reportIdOf(owner, reference);
    const reads = async () =>
      (await auditEvents(t, owner.organizationId, "report.read")).filter((e) => e.target_id === id);
    expect(await reads()).toEqual([]);
    await owner.client.get("/api/v1/reports");
    expect(await reads()).toEqual([]);
    await owner.client.get(`/api/v1/reports/${id}`);
    await owner.client.get(`/api/v1/reports/${id}`);
    const events = await reads();
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ actor_id: owner.id, after: { reference } });
    // A refused read is not a read.
    await admin.client.get(`/api/v1/reports/${id}`);
    expect(await reads()).toHaveLength(2);
  });

  it("should list the inbox newest first with a state filter and cursor pagination, decrypting nothing", async () => {
    // Four reports of its own, one closed, whatever the other tests left.
    const mine: string[] = [];
    for (let i = 0; i < 4; i++) mine.push((await submit(t)).reference);
    const closing = await owner.client.post(
      `/api/v1/reports/${await reportIdOf(owner, mine[0] as string)}/state`,
      { state: "closed", outcome: "Duplicate." },
    );
    expect(closing.status).toBe(200);
    const page1 = await owner.client.get("/api/v1/reports?limit=2");
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await owner.client.get(`/api/v1/reports?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items).toHaveLength(2);
    const ids = [...page1.body.items, ...page2.body.items].map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(4);
    const all = (await owner.client.get("/api/v1/reports?limit=200")).body.items;
    expect(all.slice(0, 4).map((r: { id: string }) => r.id)).toEqual(ids);
    expect(all.slice(0, 4).map((r: { reference: string }) => r.reference)).toEqual(
      [...mine].reverse(),
    );
    expect(Object.keys(all[0]).sort()).toEqual(
      [
        "id",
        "reference",
        "category",
        "state",
        "receivedAt",
        "acknowledgement",
        "feedback",
        "closedAt",
        "awaitingReply",
      ].sort(),
    );
    const closed = (await owner.client.get("/api/v1/reports?state=closed")).body.items;
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.every((r: { state: string }) => r.state === "closed")).toBe(true);
    const open = (await owner.client.get("/api/v1/reports?state=open")).body.items;
    expect(open.every((r: { state: string }) => r.state !== "closed")).toBe(true);
    expect((await owner.client.get("/api/v1/reports?cursor=bogus")).body.errors[0].field).toBe(
      "cursor",
    );
  });

  it("should let owners change the channel's introduction and categories, audited", async () => {
    const changed = await owner.client.patch("/api/v1/reporting/settings", {
      intro: "Tell us in confidence.",
      categories: ["security", "other"],
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      intro: "Tell us in confidence.",
      categories: ["security", "other"],
    });
    try {
      const page = await publicRequest(t, "/trust/report");
      expect(page.body).toContain("Tell us in confidence.");
      expect(page.body).not.toContain('value="privacy"');
      const ip = nextIp();
      const refused = await publicRequest(t, "/trust/reports", {
        json: { ...REPORT, category: "privacy", ...(await solvedChallenge(t, ip)) },
        ip,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].field).toBe("category");
      const events = await auditEvents(t, owner.organizationId, "reporting.channel_updated");
      expect(events.at(-1)?.after).toMatchObject({ categories: ["security", "other"] });
    } finally {
      const reset = await owner.client.patch("/api/v1/reporting/settings", {
        intro: "",
        categories: ["security", "conduct", "privacy", "other"],
      });
      // An empty introduction is the organization's choice of the default text.
      expect(reset.body.intro).toBe("");
      expect((await publicRequest(t, "/trust/report")).body).toContain(
        "Tell us about a security weakness",
      );
    }
  });
});

describe("reminders and housekeeping", () => {
  async function shiftReport(app: TestApp, organizationId: string, id: string, days: number) {
    const shift = sql`make_interval(days => ${days})`;
    await withTenant(app.deps.db, organizationId, async (tx) => {
      await sql`update reports set received_at = received_at - ${shift},
                  acknowledged_at = acknowledged_at - ${shift},
                  feedback_at = feedback_at - ${shift}, closed_at = closed_at - ${shift}
                where id = ${id}`.execute(tx);
      await sql`update report_messages set created_at = created_at - ${shift}
                where report_id = ${id}`.execute(tx);
    });
  }

  it("should remind the handlers once before the acknowledgement and feedback deadlines, over SMTP", async () => {
    const first = await submit(t);
    const second = await submit(t);
    const firstId = await reportIdOf(owner, first.reference);
    const secondId = await reportIdOf(owner, second.reference);
    // The first report is 5 days old and unacknowledged; the second was acknowledged (not
    // answered) 77 days ago.
    await shiftReport(t, owner.organizationId, firstId, 5);
    await owner.client.post(`/api/v1/reports/${secondId}/state`, { state: "acknowledged" });
    await shiftReport(t, owner.organizationId, secondId, 77);

    // The deadlines as the inbox shows them, both coming due.
    const inbox = (await owner.client.get("/api/v1/reports?limit=200")).body.items as {
      id: string;
      acknowledgement: { dueAt: string; status: string };
      feedback: { dueAt: string; status: string };
    }[];
    const acknowledgeBy = inbox.find((r) => r.id === firstId)?.acknowledgement;
    const feedbackBy = inbox.find((r) => r.id === secondId)?.feedback;
    expect(acknowledgeBy?.status).toBe("due_soon");
    expect(feedbackBy?.status).toBe("due_soon");

    const before = smtp.messages.length;
    expect(await runScheduledEvaluation(t.deps, t.app.log)).toBe(true);
    const sent = smtp.messages.slice(before);
    const subjects = sent.map((m) => m.subject).sort();
    expect(subjects).toEqual(
      [
        `Reminder: report ${first.reference} must be acknowledged by ${acknowledgeBy?.dueAt.slice(0, 10)}`,
        `Reminder: report ${second.reference} must be given feedback by ${feedbackBy?.dueAt.slice(0, 10)}`,
      ].sort(),
    );

    expect(sent.every((m) => m.to[0] === owner.email)).toBe(true);
    expect(sent[0]?.body).toContain("https://attest.acme.test/reports/");

    // Sent once: the next runs do not repeat them.
    expect(await sendReportReminders(t.deps)).toBe(0);
    expect(await sendReportReminders(t.deps, addDays(new Date(), 1))).toBe(0);
    expect(smtp.messages.length).toBe(before + 2);
  });

  it("should still remind the other handlers, once, and go on to the next report when one handler's mail is refused", async () => {
    const mail = await startSmtpServer();
    const app = await createTestApp({
      reportPowBits: POW_BITS,
      smtpUrl: mail.url,
      publicUrl: "https://attest.acme.test",
    });
    try {
      const boss = await createOrganization(app, "Refused Mail Co");
      const deputy = await addPerson(app, boss, "admin", "Dee Deputy");
      const designated = await boss.client.request("PUT", "/api/v1/reporting/handlers", {
        userIds: [boss.id, deputy.id],
      });
      expect(designated.status).toBe(200);
      mail.refused.add(deputy.email);
      const first = await submit(app);
      const second = await submit(app);
      for (const report of [first, second]) {
        await shiftReport(app, boss.organizationId, await reportIdOf(boss, report.reference), 5);
      }

      expect(await sendReportReminders(app.deps)).toBe(2);
      const toBoss = mail.messages.filter((m) => m.to.includes(boss.email));
      expect(toBoss.map((m) => m.subject).sort()).toEqual(
        [first.reference, second.reference]
          .map((reference) => expect.stringContaining(`report ${reference}`))
          .sort(),
      );
      expect(mail.messages.some((m) => m.to.includes(deputy.email))).toBe(false);
      // Delivered to someone: the claims stand, so nobody hears of these reports twice.
      expect(await sendReportReminders(app.deps)).toBe(0);
      expect(mail.messages.length).toBe(2);
    } finally {
      await app.close();
      await mail.close();
    }
  });

  it("should forget spent challenges once they have expired", async () => {
    const count = async () =>
      withSystem(t.deps.db, async (tx) =>
        Number(
          (
            await tx
              .selectFrom("report_spent_challenges")
              .select((eb) => eb.fn.countAll().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      );
    expect(await count()).toBeGreaterThan(0);
    expect(await sweepSpentChallenges(t.deps)).toBe(0);
    expect(await sweepSpentChallenges(t.deps, new Date(Date.now() + 11 * 60_000))).toBeGreaterThan(
      0,
    );
    expect(await count()).toBe(0);
  });
});

describe("the reporting channel's control tests", () => {
  // Each test sets up what it needs: the channel-open states in an organization of their own,
  // the report deadlines in the public organization (the first one, which the public form
  // serves) after moving every earlier report out of the period and resetting the deadlines.
  let c: TestApp;
  let cOwner: Person;

  beforeAll(async () => {
    c = await createTestApp({ reportPowBits: POW_BITS, trustHost: "trust.controls.test" });
    cOwner = await createOrganization(c, "Controls Co");
  });
  afterAll(async () => {
    await c?.close();
  });

  async function tests(who: Person, asOf?: string) {
    const reply = await who.client.get(
      `/api/v1/controls/confidential-reporting-channel${asOf ? `?asOf=${asOf}` : ""}`,
    );
    expect(reply.status).toBe(200);
    const byKey = Object.fromEntries(
      reply.body.tests.map((test: { key: string }) => [test.key, test]),
    );
    return byKey as Record<
      string,
      {
        state: string;
        message: string;
        offenders: {
          kind: string;
          id: string;
          label: string;
          link: string;
          action: string;
          state?: string;
          dueAt?: string;
        }[];
      }
    >;
  }

  async function shift(
    who: Person,
    table: "reporting_channel_changes" | "trust_center_publications",
    days: number,
  ) {
    const column = table === "reporting_channel_changes" ? "changed_at" : "published_at";
    await withTenant(c.deps.db, who.organizationId, (tx) =>
      sql`update ${sql.table(table)} set ${sql.ref(column)} = ${sql.ref(column)} - make_interval(days => ${days})`.execute(
        tx,
      ),
    );
    await reevaluate(c.deps.db, who.organizationId);
  }

  /** Moves reports of the public organization (all of them without `id`) into the past. */
  async function shiftReport(id: string | undefined, days: number) {
    const by = sql`make_interval(days => ${days})`;
    const which = id === undefined ? sql`true` : sql`id = ${id}`;
    await withTenant(c.deps.db, cOwner.organizationId, async (tx) => {
      await sql`update reports set received_at = received_at - ${by},
                  acknowledged_at = acknowledged_at - ${by}, feedback_at = feedback_at - ${by},
                  closed_at = closed_at - ${by}
                where ${which}`.execute(tx);
      await sql`update report_messages set created_at = created_at - ${by}
                where ${id === undefined ? sql`true` : sql`report_id = ${id}`}`.execute(tx);
    });
    // As the scheduled evaluation would, after time passes.
    await reevaluate(c.deps.db, cOwner.organizationId);
  }

  /**
   * The public organization with its channel on and the default deadlines, and every report
   * already there closed and moved out of the period, so reports-handled starts not applicable.
   */
  async function freshReportPeriod() {
    const enabled = await cOwner.client.patch("/api/v1/reporting/settings", { enabled: true });
    expect(enabled.status).toBe(200);
    const deadlines = await cOwner.client.patch("/api/v1/organization", {
      settings: { reportAcknowledgeDays: 7, reportFeedbackDays: 90 },
    });
    expect(deadlines.status).toBe(200);
    const open = (await cOwner.client.get("/api/v1/reports?state=open&limit=200")).body.items;
    for (const report of open as { id: string }[]) {
      const closed = await cOwner.client.post(`/api/v1/reports/${report.id}/state`, {
        state: "closed",
        outcome: "Closed before this test.",
      });
      expect(closed.status).toBe(200);
    }
    await shiftReport(undefined, 1000);
    expect((await tests(cOwner))["reports-handled"]?.state).toBe("not_applicable");
  }

  const daysAgo = (n: number) => isoDay(addDays(new Date(), -n));

  it("should fail channel-open until the trust center is online, and follow the channel's enabled history as of any date", async () => {
    const owner = await createOrganization(c, "Channel History Co");
    const offline = (await tests(owner))["channel-open"];
    expect(offline?.state).toBe("failing");
    expect(offline?.offenders.map((o) => o.kind)).toEqual(["trust_center"]);
    expect(offline?.offenders[0]?.link).toBe("/trust-center");

    expect((await owner.client.post("/api/v1/trust-center/publish", {})).status).toBe(200);
    expect((await tests(owner))["channel-open"]?.state).toBe("passing");

    // Published 30 days ago; the channel turned off 10 days ago.
    await shift(owner, "trust_center_publications", 30);
    expect(
      (await owner.client.patch("/api/v1/reporting/settings", { enabled: false })).status,
    ).toBe(200);
    await shift(owner, "reporting_channel_changes", 10);
    const now = (await tests(owner))["channel-open"];
    expect(now?.state).toBe("failing");
    expect(now?.offenders).toEqual([
      expect.objectContaining({ kind: "reporting_channel", link: "/reports" }),
    ]);
    expect((await tests(owner, daysAgo(20)))["channel-open"]?.state).toBe("passing");
    expect((await tests(owner, daysAgo(40)))["channel-open"]?.offenders.map((o) => o.kind)).toEqual(
      ["trust_center"],
    );

    expect((await owner.client.patch("/api/v1/reporting/settings", { enabled: true })).status).toBe(
      200,
    );
    expect((await tests(owner))["channel-open"]?.state).toBe("passing");
  });

  it("should fail channel-open after the trust center went offline, now and as of any date", async () => {
    const owner = await createOrganization(c, "Channel Offline Co");
    // Published 30 days ago, taken offline 10 days ago.
    expect((await owner.client.post("/api/v1/trust-center/publish", {})).status).toBe(200);
    await shift(owner, "trust_center_publications", 20);
    expect((await owner.client.post("/api/v1/trust-center/offline", {})).status).toBe(200);
    await shift(owner, "trust_center_publications", 10);

    const now = (await tests(owner))["channel-open"];
    expect(now?.state).toBe("failing");
    expect(now?.message).toBe(
      "The trust center is not online, so the reporting channel cannot be reached from it.",
    );
    expect(now?.offenders).toEqual([
      expect.objectContaining({
        kind: "trust_center",
        label: "The trust center is offline",
        link: "/trust-center",
      }),
    ]);
    expect((await tests(owner, daysAgo(5)))["channel-open"]?.offenders).toEqual([
      expect.objectContaining({ kind: "trust_center", label: "The trust center is offline" }),
    ]);
    expect((await tests(owner, daysAgo(20)))["channel-open"]?.state).toBe("passing");
    expect((await tests(owner, daysAgo(40)))["channel-open"]?.offenders).toEqual([
      expect.objectContaining({ kind: "trust_center", label: "The trust center is not published" }),
    ]);

    // Back online: passing now, still failing as of yesterday.
    expect((await owner.client.post("/api/v1/trust-center/publish", {})).status).toBe(200);
    expect((await tests(owner))["channel-open"]?.state).toBe("passing");
    expect((await tests(owner, daysAgo(1)))["channel-open"]?.state).toBe("failing");
  });

  it("should link the form from the public trust center only while the channel is on", async () => {
    expect((await cOwner.client.post("/api/v1/trust-center/publish", {})).status).toBe(200);
    try {
      expect(
        (await cOwner.client.patch("/api/v1/reporting/settings", { enabled: true })).status,
      ).toBe(200);
      const home = await publicRequest(c, "/trust");
      expect(home.status).toBe(200);
      expect(home.body).toContain('href="/trust/report"');
      expect(
        (await cOwner.client.patch("/api/v1/reporting/settings", { enabled: false })).status,
      ).toBe(200);
      const closed = await publicRequest(c, "/trust");
      expect(closed.status).toBe(200);
      expect(closed.body).not.toContain('href="/trust/report"');
    } finally {
      await cOwner.client.patch("/api/v1/reporting/settings", { enabled: true });
    }
  });

  it("should serve the form and take reports at the root of the trust host name too", async () => {
    expect((await cOwner.client.post("/api/v1/trust-center/publish", {})).status).toBe(200);
    expect(
      (await cOwner.client.patch("/api/v1/reporting/settings", { enabled: true })).status,
    ).toBe(200);
    const host = { host: "trust.controls.test" };
    const page = await publicRequest(c, "/report", { headers: host });
    expect(page.status).toBe(200);
    expect(page.body).toContain('action="/reports"');
    expect(page.body).toContain('data-pow-url="/reports/challenge"');
    expect(page.body).toMatch(/src="\/assets\/pow\.js\?v=[0-9a-f]{12}"/);
    const ip = nextIp();
    const challenge = await publicRequest(c, "/reports/challenge", { headers: host, ip });
    const reply = await publicRequest(c, "/reports", {
      form: {
        ...REPORT,
        powChallenge: challenge.body.challenge,
        powCounter: solveChallenge(challenge.body.challenge, challenge.body.bits),
      },
      headers: host,
      ip,
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toContain('href="/report/follow-up"');
    const key = /<code>([A-Z2-7-]+)<\/code>/.exec(reply.body)?.[1] ?? "";
    const thread = await publicRequest(c, "/reports/follow-up", { form: { key }, headers: host });
    expect(thread.status).toBe(200);
    expect(thread.body).toContain('action="/reports/follow-up/reply"');
    const reference = /Report (R-\d{4})/.exec(thread.body)?.[1] ?? "";
    expect(await reportIdOf(cOwner, reference)).toEqual(expect.any(String));
  });

  it("should drive reports-handled through not applicable, passing, due soon and failing, naming reports by reference only", async () => {
    await freshReportPeriod();

    // Answered at once: passing.
    const answered = await submit(c, { ...REPORT, subject: "Secret-subject-Ibex" });
    const answeredId = await reportIdOf(cOwner, answered.reference);
    await cOwner.client.post(`/api/v1/reports/${answeredId}/messages`, { body: "Thanks." });
    expect((await tests(cOwner))["reports-handled"]?.state).toBe("passing");

    // Acknowledged but not answered, 80 days on: feedback due within 14 days.
    const waiting = await submit(c);
    const waitingId = await reportIdOf(cOwner, waiting.reference);
    await cOwner.client.post(`/api/v1/reports/${waitingId}/state`, { state: "acknowledged" });
    await shiftReport(waitingId, 80);
    let handled = (await tests(cOwner))["reports-handled"];
    expect(handled?.state).toBe("due_soon");
    expect(handled?.offenders).toEqual([
      expect.objectContaining({
        kind: "report",
        id: waitingId,
        label: `Report ${waiting.reference}`,
        link: `/reports/${waitingId}`,
        state: "due_soon",
        action: expect.stringContaining("feedback"),
      }),
    ]);
    await cOwner.client.post(`/api/v1/reports/${waitingId}/messages`, { body: "We are on it." });
    expect((await tests(cOwner))["reports-handled"]?.state).toBe("passing");

    // Unacknowledged for 6 days: due soon; for 8 days: failing.
    const ignored = await submit(c, { ...REPORT, subject: "Secret-subject-Yak" });
    const ignoredId = await reportIdOf(cOwner, ignored.reference);
    await shiftReport(ignoredId, 6);
    handled = (await tests(cOwner))["reports-handled"];
    expect(handled?.state).toBe("due_soon");
    expect(handled?.offenders[0]).toMatchObject({ id: ignoredId, state: "due_soon" });
    await shiftReport(ignoredId, 2);
    handled = (await tests(cOwner))["reports-handled"];
    expect(handled?.state).toBe("failing");
    expect(handled?.offenders[0]).toMatchObject({
      id: ignoredId,
      label: `Report ${ignored.reference}`,
      link: `/reports/${ignoredId}`,
      state: "failing",
      action: expect.stringContaining("Acknowledge the report now"),
    });
    expect(JSON.stringify(handled)).not.toMatch(/Secret-subject|sticky note/);

    // As of three days ago the acknowledgement was only coming due.
    expect((await tests(cOwner, daysAgo(3)))["reports-handled"]?.state).toBe("due_soon");
    // Before any report: not applicable.
    expect((await tests(cOwner, daysAgo(100)))["reports-handled"]?.state).toBe("not_applicable");

    // A late acknowledgement stays a failure, saying so.
    await cOwner.client.post(`/api/v1/reports/${ignoredId}/state`, { state: "acknowledged" });
    handled = (await tests(cOwner))["reports-handled"];
    expect(handled?.state).toBe("failing");
    expect(handled?.offenders[0]?.action).toContain("after its deadline");

    // Closed and received more than a year ago, a report no longer counts; a shorter feedback
    // period in the settings applies at once to the others.
    await cOwner.client.post(`/api/v1/reports/${ignoredId}/state`, {
      state: "closed",
      outcome: "Handled.",
    });
    await shiftReport(ignoredId, 400);
    expect((await tests(cOwner))["reports-handled"]?.state).toBe("passing");
    const shorter = await cOwner.client.patch("/api/v1/organization", {
      settings: { reportFeedbackDays: 30 },
    });
    expect(shorter.status).toBe(200);
    handled = (await tests(cOwner))["reports-handled"];
    // The report answered on day 80 now missed its 30-day feedback deadline.
    expect(handled?.state).toBe("failing");
    expect(handled?.offenders.map((o) => o.id)).toEqual([waitingId]);
  });

  it("should fail reports-handled when feedback comes more than 90 days after receipt, now and as of any date", async () => {
    await freshReportPeriod();
    const report = await submit(c);
    const id = await reportIdOf(cOwner, report.reference);
    expect(
      (await cOwner.client.post(`/api/v1/reports/${id}/state`, { state: "acknowledged" })).status,
    ).toBe(200);
    // Received and acknowledged 95 days ago; no feedback since.
    await shiftReport(id, 95);
    const dueAt = isoDay(addDays(new Date(), -5));
    let handled = (await tests(cOwner))["reports-handled"];
    expect(handled?.state).toBe("failing");
    expect(handled?.offenders).toEqual([
      expect.objectContaining({
        kind: "report",
        id,
        state: "failing",
        dueAt: expect.stringMatching(new RegExp(`^${dueAt}`)),
        action: expect.stringMatching(/^Give the reporter feedback now/),
      }),
    ]);
    // As of 10 days ago the feedback was due within its 14-day warning; 90 days ago it was
    // acknowledged and in time.
    const earlier = (await tests(cOwner, daysAgo(10)))["reports-handled"];
    expect(earlier?.state).toBe("due_soon");
    expect(earlier?.offenders[0]).toMatchObject({ id, state: "due_soon" });
    expect(earlier?.offenders[0]?.action).toMatch(/^Give the reporter feedback by/);
    expect((await tests(cOwner, daysAgo(90)))["reports-handled"]?.state).toBe("passing");

    // Feedback today, 95 days after receipt: late, and it stays a failure saying so.
    expect(
      (await cOwner.client.post(`/api/v1/reports/${id}/messages`, { body: "Fixed, thank you." }))
        .status,
    ).toBe(201);
    handled = (await tests(cOwner))["reports-handled"];
    expect(handled?.state).toBe("failing");
    expect(handled?.offenders[0]).toMatchObject({ id, state: "failing" });
    expect(handled?.offenders[0]?.action).toMatch(/given feedback after its deadline of/);
    expect(handled?.offenders[0]?.action).toContain(dueAt);
    // As of yesterday the feedback was simply overdue.
    expect((await tests(cOwner, daysAgo(1)))["reports-handled"]?.offenders[0]?.action).toMatch(
      /^Give the reporter feedback now/,
    );
  });
});

describe("reading reports from other areas", () => {
  it("should name reports by reference only, within the organization", async () => {
    const { reference } = await submit(t);
    const id = await reportIdOf(owner, reference);
    const missing = "00000000-0000-4000-8000-000000000000";
    expect(
      await withTenant(t.deps.db, owner.organizationId, (tx) =>
        reportReferences(tx, [id, missing]),
      ),
    ).toEqual([{ id, reference }]);
    expect(
      await withTenant(t.deps.db, owner.organizationId, (tx) => reportReferences(tx, [])),
    ).toEqual([]);
    expect(await withTenant(t.deps.db, missing, (tx) => reportReferences(tx, [id]))).toEqual([]);
  });
});
