import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withSystem } from "../../../src/db/tenant.ts";
import { runStorageSelfCheck } from "../../../src/modules/encryption/encryption.self-check.ts";
import { randomToken, sha256Hex } from "../../../src/platform/crypto.ts";
import { checkStorage } from "../../../src/platform/storage-check.ts";
import { createOrganization, createTestApp, type Person, type TestApp } from "../../helpers/app.ts";
import { dayFromToday, uploadText } from "../../helpers/evidence.ts";

/**
 * Attest's check of its own storage: passes on a healthy database, fails naming the value or
 * the file on a plaintext secret, a missing file, a tampered file or a file kept in plaintext;
 * the daily job records the result as an at-rest confirmation of the "Attest" system.
 */

let t: TestApp;
let owner: Person;
const files: { id: string; storageKey: string; content: string }[] = [];
let subscriberId: string;

beforeAll(async () => {
  t = await createTestApp();
  owner = await createOrganization(t, "Storage Co");
  for (const title of ["Disk settings", "Backup settings", "Key policy"]) {
    const content = `${title}: encrypted with AES-256\n`.repeat(20);
    const reply = await uploadText(
      owner.client,
      { controlKey: "encryption-at-rest", title, evidenceDate: dayFromToday(-3) },
      `${title}.txt`,
      content,
    );
    expect(reply.status).toBe(201);
    const row = await withSystem(t.deps.db, (tx) =>
      tx
        .selectFrom("evidence")
        .select("storage_key")
        .where("id", "=", reply.body.id)
        .executeTakeFirstOrThrow(),
    );
    files.push({ id: reply.body.id, storageKey: row.storage_key as string, content });
  }
  const token = randomToken();
  subscriberId = await withSystem(t.deps.db, async (tx) => {
    const row = await tx
      .insertInto("notice_subscribers")
      .values({
        organization_id: owner.organizationId,
        email: "subscriber@example.test",
        status: "confirmed",
        unsubscribe_token_hash: sha256Hex(token),
        unsubscribe_token_enc: t.deps.keyring.seal(token),
        confirmed_at: new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  });
});
afterAll(async () => {
  await t?.close();
});

const check = () => checkStorage(t.deps.db, t.deps.keyring, { dataDir: t.deps.config.dataDir });
const blobOf = (storageKey: string) => path.join(t.deps.config.dataDir, "evidence", storageKey);

async function confirmations() {
  return withSystem(t.deps.db, (tx) =>
    tx
      .selectFrom("encryption_confirmations")
      .select(["passed", "detail", "confirmed_at", "actor_name", "method"])
      .where("organization_id", "=", owner.organizationId)
      .orderBy("confirmed_at")
      .execute(),
  );
}

describe("the check of Attest's own storage", () => {
  it("should pass on a healthy database and record it once a day as an automated confirmation", async () => {
    const result = await check();
    expect(result.problems).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.files).toBeGreaterThanOrEqual(3);
    // Every file and a sample of values were opened.
    expect(result.decrypted).toBeGreaterThanOrEqual(4);

    const now = new Date();
    expect(await runStorageSelfCheck(t.deps, now, t.app.log)).toBe(true);
    const later = new Date(now.getTime() + 60 * 60_000);
    expect(await runStorageSelfCheck(t.deps, later, t.app.log)).toBe(false);
    const recorded = await confirmations();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      passed: true,
      method: "automated",
      actor_name: "attest self-check",
    });
    expect(recorded[0]?.detail).toContain("Attest's storage is encrypted");
  });

  it("should fail naming the column and row of a value kept in plaintext", async () => {
    await withSystem(t.deps.db, (tx) =>
      tx
        .updateTable("notice_subscribers")
        .set({ unsubscribe_token_enc: "a-token-in-plaintext" })
        .where("id", "=", subscriberId)
        .execute(),
    );
    const result = await check();
    expect(result.passed).toBe(false);
    expect(result.problems).toEqual([
      `notice_subscribers.unsubscribe_token_enc: 1 value(s) not sealed (plaintext?), e.g. row ${subscriberId}`,
    ]);
    await withSystem(t.deps.db, (tx) =>
      tx
        .updateTable("notice_subscribers")
        .set({ unsubscribe_token_enc: t.deps.keyring.seal("a-token") })
        .where("id", "=", subscriberId)
        .execute(),
    );
  });

  it("should fail naming a missing, a tampered and a plaintext file, and record the failure", async () => {
    const [missing, tampered, plaintext] = files as [
      (typeof files)[0],
      (typeof files)[0],
      (typeof files)[0],
    ];
    const kept = {
      missing: fs.readFileSync(blobOf(missing.storageKey)),
      tampered: fs.readFileSync(blobOf(tampered.storageKey)),
      plaintext: fs.readFileSync(blobOf(plaintext.storageKey)),
    };
    fs.rmSync(blobOf(missing.storageKey));
    const bytes = Buffer.from(kept.tampered);
    bytes[10] = (bytes[10] as number) ^ 0xff;
    fs.writeFileSync(blobOf(tampered.storageKey), bytes);
    // The same size as its ciphertext: only decrypting tells.
    fs.writeFileSync(blobOf(plaintext.storageKey), plaintext.content);
    try {
      const result = await check();
      expect(result.passed).toBe(false);
      expect(result.problems).toEqual(
        expect.arrayContaining([
          `evidence row ${missing.id}: the stored file ${missing.storageKey} is missing`,
          `evidence row ${tampered.id}: the stored file fails decryption: the authentication tag does not match`,
          `evidence row ${plaintext.id}: the stored file fails decryption: the authentication tag does not match`,
        ]),
      );

      // Today's check is done: this one is forced (a day has not passed).
      expect(await runStorageSelfCheck(t.deps, new Date(), t.app.log, { force: true })).toBe(true);
      const last = (await confirmations()).at(-1);
      expect(last?.passed).toBe(false);
      expect(last?.detail).toContain(`evidence row ${missing.id}: the stored file`);
    } finally {
      fs.writeFileSync(blobOf(missing.storageKey), kept.missing);
      fs.writeFileSync(blobOf(tampered.storageKey), kept.tampered);
      fs.writeFileSync(blobOf(plaintext.storageKey), kept.plaintext);
    }
    expect((await check()).passed).toBe(true);
  });
});
