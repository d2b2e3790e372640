import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { withSystem, withTenant } from "../../src/db/tenant.ts";
import type { Role } from "../../src/domain/permissions.ts";
import { totpCode } from "../../src/domain/totp.ts";
import { createSession } from "../../src/modules/auth/sessions.service.ts";
import { createOrganizationWithOwner } from "../../src/modules/organizations/organizations.service.ts";
import { type Config, loadConfig } from "../../src/platform/config.ts";
import type { Deps } from "../../src/platform/deps.ts";
import { Keyring } from "../../src/platform/keyring.ts";
import { createMailer } from "../../src/platform/mail.ts";
import { hashPassword } from "../../src/platform/passwords.ts";
import { buildServer } from "../../src/server.ts";
import { createTestDatabase, type TestDatabase } from "./database.ts";

export const PASSWORD = "correct horse battery staple";
let passwordHash: Promise<string> | undefined;

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The whole HTTP application over a database of the test file's own, driven by inject(). */
export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  // A data directory of its own unless the test brings one: never the working copy's ./data,
  // whose files the scheduled sweep would take for orphans of the test's database.
  const ownDataDir = overrides.dataDir
    ? undefined
    : fs.mkdtempSync(path.join(os.tmpdir(), "attest-test-data-"));
  const config: Config = {
    ...loadConfig({}),
    ...(ownDataDir ? { dataDir: ownDataDir } : {}),
    loginRateLimit: 10_000,
    logLevel: "silent",
    // Attest's own backups only where a test asks for them (a restore test takes seconds).
    backupEveryHours: 0,
    restoreTestEveryDays: 0,
    ...overrides,
  };
  const deps: Deps = {
    db: database.db,
    engine: database.engine,
    config,
    keyring: Keyring.of(randomBytes(32)),
    mailer: createMailer(config),
  };
  const app = await buildServer(deps, { logger: false });
  await app.ready();
  return {
    app,
    deps,
    database,
    close: async () => {
      await app.close();
      deps.mailer?.close();
      await database.close();
      if (ownDataDir) fs.rmSync(ownDataDir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely
  body: any;
  headers: LightMyRequestResponse["headers"];
}

/** An HTTP client for one person: keeps their session cookie and CSRF token. */
export class Client {
  cookie: string | undefined;
  csrfToken: string | undefined;
  bearer: string | undefined;

  constructor(readonly app: FastifyInstance) {}

  async request(
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const all: Record<string, string> = { ...headers };
    if (this.cookie) all.cookie = this.cookie;
    if (this.bearer) all.authorization = `Bearer ${this.bearer}`;
    if (this.csrfToken && method !== "GET" && !("x-csrf-token" in headers))
      all["x-csrf-token"] = this.csrfToken;
    const response = await this.app.inject({
      method: method as "GET",
      url,
      headers: all,
      ...(body === undefined ? {} : { payload: body as object }),
    });
    const setCookie = response.cookies.find((c) => c.name === "attest_session");
    if (setCookie) this.cookie = setCookie.value ? `attest_session=${setCookie.value}` : undefined;
    const text = response.body;
    let parsed: unknown = text;
    const type = (response.headers["content-type"] ?? "").toString();
    // JSON, but not JSON lines (one document per line: the audit export).
    if (text && type.includes("json") && !type.includes("jsonl")) parsed = JSON.parse(text);
    if (
      parsed &&
      typeof parsed === "object" &&
      "csrfToken" in parsed &&
      typeof parsed.csrfToken === "string"
    ) {
      this.csrfToken = parsed.csrfToken;
    }
    return { status: response.statusCode, body: parsed, headers: response.headers };
  }

  get(url: string) {
    return this.request("GET", url);
  }
  post(url: string, body?: unknown) {
    return this.request("POST", url, body ?? {});
  }
  patch(url: string, body: unknown) {
    return this.request("PATCH", url, body);
  }
  delete(url: string) {
    return this.request("DELETE", url);
  }

  /** POSTs a form as multipart/form-data, encoded by the platform as a browser would. */
  async postForm(url: string, form: FormData): Promise<Reply> {
    const encoded = new Response(form);
    return this.request("POST", url, Buffer.from(await encoded.arrayBuffer()), {
      "content-type": encoded.headers.get("content-type") as string,
    });
  }

  async login(email: string, password = PASSWORD): Promise<Reply> {
    return this.post("/api/v1/auth/login", { email, password });
  }
}

export interface FilePart {
  name: string;
  type?: string;
  content: string | Buffer;
}

/** A form as a browser fills it: text fields, then a file under "file". */
export function formOf(fields: Record<string, string>, file?: FilePart): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file) {
    const bytes = typeof file.content === "string" ? Buffer.from(file.content) : file.content;
    form.append("file", new Blob([new Uint8Array(bytes)], { type: file.type ?? "" }), file.name);
  }
  return form;
}

export interface Person {
  id: string;
  email: string;
  role: Role;
  organizationId: string;
  client: Client;
}

let counter = 0;
export function uniqueEmail(prefix = "user"): string {
  counter++;
  return `${prefix}-${counter}-${randomBytes(3).toString("hex")}@example.test`;
}

/** A new organization with its owner, signed in. Does not go through first-run setup. */
export async function createOrganization(t: TestApp, name = "Acme"): Promise<Person> {
  passwordHash ??= hashPassword(PASSWORD);
  const hash = await passwordHash;
  const email = uniqueEmail("owner");
  const input = { organizationName: name, name: `Owner of ${name}`, email, password: PASSWORD };
  const created = await withSystem(t.deps.db, (tx) =>
    createOrganizationWithOwner(tx, input, hash, null),
  );
  return {
    id: created.userId,
    email,
    role: "owner",
    organizationId: created.organizationId,
    client: await signedIn(t, created.organizationId, created.userId),
  };
}

/** Adds a person with a role to an organization, through invitation and acceptance, signed in. */
export async function addPerson(
  t: TestApp,
  owner: Person,
  role: Role,
  name = `A ${role}`,
): Promise<Person> {
  const email = uniqueEmail(role);
  const accessExpiresAt =
    role === "auditor" ? new Date(Date.now() + 30 * 86_400_000).toISOString() : undefined;
  const invited = await owner.client.post("/api/v1/users", { email, name, role, accessExpiresAt });
  if (invited.status !== 201) throw new Error(`invite failed: ${JSON.stringify(invited.body)}`);
  const token = new URL(invited.body.inviteUrl).pathname.split("/").at(-1);
  const client = new Client(t.app);
  const accepted = await client.post(`/api/v1/invitations/${token}/accept`, {
    name,
    password: PASSWORD,
  });
  if (accepted.status !== 200) throw new Error(`accept failed: ${JSON.stringify(accepted.body)}`);
  return { id: invited.body.user.id, email, role, organizationId: owner.organizationId, client };
}

/** A signed-in client for an existing user, without the cost of a password check. */
export async function signedIn(
  t: TestApp,
  organizationId: string,
  userId: string,
): Promise<Client> {
  const session = await withTenant(t.deps.db, organizationId, (tx) =>
    createSession(tx, {
      organizationId,
      userId,
      mfaPending: false,
      policy: { idleMinutes: 60, maxHours: 24 },
      ip: null,
      userAgent: "test",
    }),
  );
  const client = new Client(t.app);
  client.cookie = `attest_session=${session.token}`;
  client.csrfToken = session.csrfToken;
  return client;
}

export function currentTotp(secret: string, stepOffset = 0): string {
  return totpCode(secret, new Date(), stepOffset);
}

/**
 * Turns on two-factor sign-in for a person through the API: enrol, then confirm a code. Answers
 * the secret and the confirmation's body (recovery codes, sessions ended).
 */
export async function enableTwoFactor(person: Person) {
  const enroll = await person.client.post("/api/v1/me/mfa/enroll", { password: PASSWORD });
  if (enroll.status !== 200) {
    throw new Error(`two-factor enrol: ${enroll.status} ${JSON.stringify(enroll.body)}`);
  }
  const secret = enroll.body.secret as string;
  const confirmed = await person.client.post("/api/v1/me/mfa/confirm", {
    code: currentTotp(secret),
  });
  if (confirmed.status !== 200) {
    throw new Error(`two-factor confirm: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  }
  return { secret, confirmed: confirmed.body };
}
