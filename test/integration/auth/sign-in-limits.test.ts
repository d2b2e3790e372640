import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withSystem, withTenant } from "../../../src/db/tenant.ts";
import { generateTotpSecret } from "../../../src/domain/totp.ts";
import { accountKeyOf } from "../../../src/modules/auth/attempts.ts";
import {
  addPerson,
  Client,
  createOrganization,
  createTestApp,
  currentTotp,
  PASSWORD,
  type Person,
  type Reply,
  type TestApp,
  uniqueEmail,
} from "../../helpers/app.ts";

let t: TestApp;
let owner: Person;
beforeAll(async () => {
  t = await createTestApp();
  owner = await createOrganization(t, "Initech");
});
afterAll(() => t.close());

const WRONG = "not the password at all";
const login = (email: string, password: string) => new Client(t.app).login(email, password);

/** Moves an account's wait and last attempt `minutes` into the past, as if time had passed. */
async function backdate(email: string, minutes: number) {
  const key = accountKeyOf(t.deps.keyring.macKey, email);
  await withSystem(t.deps.db, (tx) =>
    sql`update sign_in_throttles
          set locked_until = locked_until - make_interval(mins => ${minutes}),
              last_attempt_at = last_attempt_at - make_interval(mins => ${minutes})
        where account_key = ${key}`.execute(tx),
  );
}

function retryAfterMinutes(reply: Reply): number {
  expect(reply.status).toBe(429);
  return Math.ceil(Number(reply.headers["retry-after"]) / 60);
}

/** A person of the organization with a password of their own, invited and accepted. */
async function account(): Promise<string> {
  return (await addPerson(t, owner, "member", "Gus")).email;
}

describe("per-account sign-in limit", () => {
  it("should refuse an account for a minute after five wrong passwords, even from elsewhere and with the right one", async () => {
    const email = await account();
    for (let i = 0; i < 5; i++) expect((await login(email, WRONG)).status).toBe(401);
    const refused = await login(email, PASSWORD);
    expect(refused.body).toMatchObject({ status: 429, code: "rate_limited" });
    expect(refused.body.detail).toMatch(/try again in 1 minute\.$/);
    expect(retryAfterMinutes(refused)).toBe(1);

    await backdate(email, 1);
    expect((await login(email, PASSWORD)).status).toBe(200);
    // Success starts afresh: four more mistakes are still free.
    for (let i = 0; i < 5; i++) expect((await login(email, WRONG)).status).toBe(401);
  });

  it("should double the wait with each further failure and never pass fifteen minutes", async () => {
    const email = await account();
    for (let i = 0; i < 5; i++) expect((await login(email, WRONG)).status).toBe(401);
    const waits: number[] = [];
    for (let round = 0; round < 6; round++) {
      const wait = retryAfterMinutes(await login(email, WRONG));
      waits.push(wait);
      await backdate(email, wait);
      expect((await login(email, WRONG)).status).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8, 15, 15]);
    // A day without attempts forgets the failures.
    await backdate(email, 24 * 60 + 15);
    for (let i = 0; i < 4; i++) expect((await login(email, WRONG)).status).toBe(401);
    expect((await login(email, PASSWORD)).status).toBe(200);
  });

  it("should answer an unknown email exactly like a real account", async () => {
    const real = await account();
    const unknown = uniqueEmail("nobody");
    const strip = (reply: Reply) => ({
      status: reply.status,
      body: { ...reply.body, requestId: undefined },
      retryAfter: reply.headers["retry-after"],
    });
    for (let i = 0; i < 6; i++) {
      expect(strip(await login(unknown, WRONG))).toEqual(strip(await login(real, WRONG)));
    }
    expect(strip(await login(unknown, WRONG)).status).toBe(429);
  });

  it("should drop the counts of emails nobody tried for a day", async () => {
    const old = uniqueEmail("forgotten");
    await login(old, WRONG);
    const rowOf = (email: string) =>
      withSystem(t.deps.db, (tx) =>
        tx
          .selectFrom("sign_in_throttles")
          .select("failures")
          .where("account_key", "=", accountKeyOf(t.deps.keyring.macKey, email))
          .executeTakeFirst(),
      );
    expect(await rowOf(old)).toEqual({ failures: 1 });
    await backdate(old, 24 * 60 + 1);
    await login(uniqueEmail("fresh"), WRONG);
    expect(await rowOf(old)).toBeUndefined();
  });

  it("should count parallel guesses, so no more than five are checked", async () => {
    const email = await account();
    const replies = await Promise.all(Array.from({ length: 12 }, () => login(email, WRONG)));
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(7).fill(429)]);
  });

  it("should write the lockout into the organization's audit trail", async () => {
    const email = await account();
    for (let i = 0; i < 5; i++) await login(email, WRONG);
    const events = await withTenant(t.deps.db, owner.organizationId, async (tx) => {
      const user = await tx
        .selectFrom("users")
        .select("id")
        .where("email", "=", email)
        .executeTakeFirstOrThrow();
      return tx
        .selectFrom("audit_events")
        .select(["action", "after"])
        .where("target_id", "=", user.id)
        .where("action", "=", "auth.sign_in_locked")
        .execute();
    });
    expect(events).toHaveLength(1);
    expect(events[0]?.after).toMatchObject({ failures: 5, lockedUntil: expect.any(String) });
  });

  it("should limit two-factor codes too, and not count a right password waiting for its code", async () => {
    const email = await account();
    const secret = generateTotpSecret();
    await withSystem(t.deps.db, (tx) =>
      tx
        .updateTable("users")
        .set({
          mfa_secret_enc: t.deps.keyring.seal(secret),
          mfa_enabled_at: new Date(),
        })
        .where("email", "=", email)
        .execute(),
    );
    for (let i = 0; i < 4; i++) expect((await login(email, WRONG)).status).toBe(401);
    const client = new Client(t.app);
    expect((await client.login(email, PASSWORD)).body).toEqual({ status: "mfa_required" });
    expect((await client.post("/api/v1/auth/login", { code: "000000" })).status).toBe(401);
    // Five failures: the right code now waits too.
    const refused = await client.post("/api/v1/auth/login", { code: currentTotp(secret) });
    expect(retryAfterMinutes(refused)).toBe(1);
    await backdate(email, 1);
    expect((await client.post("/api/v1/auth/login", { code: currentTotp(secret) })).status).toBe(
      200,
    );
  });

  it("should let an owner or admin lift the wait, in the audit trail, but no member", async () => {
    const email = await account();
    // Five failures count; the refused attempts after them do not.
    for (let i = 0; i < 6; i++) await login(email, WRONG);
    expect((await login(email, PASSWORD)).status).toBe(429);
    const user = (await owner.client.get("/api/v1/users?limit=200")).body.items.find(
      (u: { email: string }) => u.email === email,
    );
    const member = await addPerson(t, owner, "member");
    const refused = await member.client.delete(`/api/v1/users/${user.id}/sign-in-lock`);
    expect(refused.status).toBe(403);
    expect((await login(email, PASSWORD)).status).toBe(429);

    expect((await owner.client.delete(`/api/v1/users/${user.id}/sign-in-lock`)).status).toBe(204);
    expect((await login(email, PASSWORD)).status).toBe(200);
    const trail = await owner.client.get(
      `/api/v1/audit-events?action=auth.sign_in_unlocked&targetId=${user.id}`,
    );
    expect(trail.body.items).toHaveLength(1);
    expect(trail.body.items[0]).toMatchObject({ before: { failures: 5 } });
    // Nothing left to lift: no change, no event.
    expect((await owner.client.delete(`/api/v1/users/${user.id}/sign-in-lock`)).status).toBe(204);
    const again = await owner.client.get(
      `/api/v1/audit-events?action=auth.sign_in_unlocked&targetId=${user.id}`,
    );
    expect(again.body.items).toHaveLength(1);
  });
});
