import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withSystem } from "../../../src/db/tenant.ts";
import { randomToken, sha256Hex } from "../../../src/platform/crypto.ts";
import { masterKeyFile, sealedKeyId } from "../../../src/platform/keyring.ts";
import { createOrganization, type Person, type TestApp } from "../../helpers/app.ts";
import { attest } from "../../helpers/cli-process.ts";
import { dayFromToday, uploadText } from "../../helpers/evidence.ts";
import { createInstallation, type Installation, removeInstallation, serve } from "./keys-setup.ts";

/**
 * On PostgreSQL the rotation runs beside a running server: while `attest keys rotate` re-seals,
 * the server keeps uploading evidence (sealing with whichever key it has) and serving every
 * file, and nothing is unreadable at any moment. (The embedded database opens in one process
 * at a time: there the server is stopped for the rotation, keys-rotate.test.ts.)
 */

let installation: Installation;
let t: TestApp;
let owner: Person;
const uploaded: { id: string; content: string }[] = [];

async function upload(): Promise<void> {
  const content = `scan ${randomToken(6)}\n`.repeat(30);
  const reply = await uploadText(
    owner.client,
    { controlKey: "encryption-at-rest", title: "Scan", evidenceDate: dayFromToday(-1) },
    "scan.txt",
    content,
  );
  if (reply.status !== 201) throw new Error(`upload refused: ${JSON.stringify(reply.body)}`);
  uploaded.push({ id: reply.body.id, content });
}

beforeAll(async () => {
  installation = await createInstallation();
  t = await serve(installation);
  owner = await createOrganization(t, "Online Co");
  for (let i = 0; i < 5; i++) await upload();
  // Enough sealed values that re-sealing them takes several batches.
  await withSystem(t.deps.db, async (tx) => {
    for (let batch = 0; batch < 6; batch++) {
      const rows = Array.from({ length: 500 }, (_, i) => {
        const token = randomToken();
        return {
          organization_id: owner.organizationId,
          email: `s${batch}-${i}@example.test`,
          status: "confirmed" as const,
          unsubscribe_token_hash: sha256Hex(token),
          unsubscribe_token_enc: t.deps.keyring.seal(token),
          confirmed_at: new Date(),
        };
      });
      await tx.insertInto("notice_subscribers").values(rows).execute();
    }
  });
}, 120_000);
afterAll(async () => {
  await t?.close();
  if (installation) await removeInstallation(installation);
});

describe("attest keys rotate beside a running server", () => {
  it("should keep every file readable while the server writes, and leave nothing under the old key", async () => {
    const oldKey = t.deps.keyring.current.id;
    const failures: string[] = [];
    let done = false;
    const rotation = attest(["keys", "rotate"], installation.env).finally(() => {
      done = true;
    });
    let rounds = 0;
    while (!done || rounds < 3) {
      rounds++;
      await upload();
      for (const file of uploaded) {
        const reply = await owner.client.get(`/api/v1/evidence/${file.id}/download`);
        if (reply.status !== 200 || reply.body !== file.content) {
          failures.push(`round ${rounds}: ${file.id} answered ${reply.status}`);
        }
      }
    }
    const result = await rotation;
    expect(result.stderr).toContain("re-sealed");
    expect(result.code).toBe(0);
    expect(failures).toEqual([]);

    // The server met values under the new key and took it up without a restart.
    const newKey = fs.readFileSync(masterKeyFile(installation.dir), "utf8").split("\n")[0];
    expect(t.deps.keyring.current.key.toString("base64")).toBe(newKey);
    expect(t.deps.keyring.current.id).not.toBe(oldKey);
    await upload();

    // Whatever the server sealed with the old key before it took up the new one.
    expect((await attest(["keys", "reseal"], installation.env)).code).toBe(0);
    const keys = await withSystem(t.deps.db, async (tx) => [
      ...(await tx.selectFrom("evidence").select("wrapped_key as v").execute()),
      ...(await tx.selectFrom("notice_subscribers").select("unsubscribe_token_enc as v").execute()),
    ]);
    expect(new Set(keys.map((k) => sealedKeyId(k.v ?? "")))).toEqual(
      new Set([t.deps.keyring.current.id]),
    );
    for (const file of uploaded) {
      const reply = await owner.client.get(`/api/v1/evidence/${file.id}/download`);
      expect(reply.body).toBe(file.content);
    }
  }, 180_000);
});
