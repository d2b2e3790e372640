import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withSystem } from "../../../src/db/tenant.ts";
import { totpCode } from "../../../src/domain/totp.ts";
import { unsubscribeTokenOf } from "../../../src/modules/notices/notices.mail.ts";
import { masterKeyFile, sealedKeyId } from "../../../src/platform/keyring.ts";
import {
  Client,
  createOrganization,
  PASSWORD,
  type Person,
  type TestApp,
} from "../../helpers/app.ts";
import { attest } from "../../helpers/cli-process.ts";
import {
  createInstallation,
  type Installation,
  publicPost,
  removeInstallation,
  type Secrets,
  serve,
  writeSecrets,
} from "./keys-setup.ts";

/**
 * `attest keys rotate` and `attest keys retire` as real processes on an installation's data
 * directory and database: afterwards every evidence file downloads with the same bytes, the
 * MFA secret signs in, the confidential report reads, the unsubscribe link works.
 */

let installation: Installation;
let t: TestApp;
let owner: Person;
let secrets: Secrets;

beforeAll(async () => {
  installation = await createInstallation();
  t = await serve(installation);
  owner = await createOrganization(t, "Keys Co");
  secrets = await writeSecrets(t, owner, installation.firstKey);
}, 120_000);
afterAll(async () => {
  await t?.close();
  if (installation) await removeInstallation(installation);
});

/** Every sealed value the secrets left, with the key id it names ("v1" for the old format). */
async function sealedKeys(app: TestApp): Promise<string[]> {
  const rows = await withSystem(app.deps.db, async (tx) => [
    ...(await tx.selectFrom("evidence").select("wrapped_key as v").execute()),
    ...(await tx.selectFrom("users").select("mfa_secret_enc as v").execute()),
    ...(await tx.selectFrom("reports").select(["subject_enc as v"]).execute()),
    ...(await tx.selectFrom("reports").select(["body_enc as v"]).execute()),
    ...(await tx.selectFrom("notice_subscribers").select("unsubscribe_token_enc as v").execute()),
  ]);
  return rows.flatMap((r) => (r.v ? [sealedKeyId(r.v) ?? "unsealed"] : []));
}

/** Everything the secrets are for still works (the owner's session carried to `app`). */
async function expectEverythingReadable(app: TestApp, step: number) {
  const session = new Client(app.app);
  session.cookie = owner.client.cookie;
  session.csrfToken = owner.client.csrfToken;
  owner.client = session;
  const download = await owner.client.get(`/api/v1/evidence/${secrets.evidenceId}/download`);
  expect(download.status).toBe(200);
  expect(download.body).toBe(secrets.evidenceBytes);

  const client = new Client(app.app);
  expect((await client.login(owner.email, PASSWORD)).body).toEqual({ status: "mfa_required" });
  const code = totpCode(secrets.mfaSecret, new Date(), step);
  expect((await client.post("/api/v1/auth/login", { code })).status).toBe(200);

  const followUp = await publicPost(app, "/trust/reports/follow-up", { key: secrets.followUpKey });
  expect(followUp.statusCode).toBe(200);
  expect(followUp.json().details).toBe(
    "The admin password of the build server is on a sticky note.",
  );

  const subscriber = await withSystem(app.deps.db, (tx) =>
    tx
      .selectFrom("notice_subscribers")
      .select("unsubscribe_token_enc")
      .where("id", "=", secrets.subscriberId)
      .executeTakeFirstOrThrow(),
  );
  expect(unsubscribeTokenOf(app.deps, subscriber)).toBe(secrets.unsubscribeToken);
}

describe("attest keys rotate", () => {
  it("should re-seal every secret under a new key with everything still readable, v1 values included", async () => {
    expect(new Set(await sealedKeys(t))).toEqual(new Set(["v1", t.deps.keyring.current.id]));
    await expectEverythingReadable(t, -1);
    await t.close();

    const rotated = await attest(["keys", "rotate"], installation.env);
    expect(rotated.stderr).toContain("written first to");
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/Rotated the master key: [0-9a-f]{16} now seals every secret/);

    const lines = fs.readFileSync(masterKeyFile(installation.dir), "utf8").trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(installation.firstKey.toString("base64"));

    t = await serve(installation);
    const current = t.deps.keyring.current.id;
    expect(new Set(await sealedKeys(t))).toEqual(new Set([current]));
    await expectEverythingReadable(t, 0);

    // Recorded in the organization's key registry, by the command, with the new key's id.
    const recorded = await withSystem(t.deps.db, (tx) =>
      tx
        .selectFrom("encryption_key_rotations as r")
        .innerJoin("encryption_keys as k", "k.id", "r.key_id")
        .select(["k.name", "k.location", "r.new_key_ref", "r.actor_name"])
        .where("r.organization_id", "=", owner.organizationId)
        .execute(),
    );
    expect(recorded).toEqual([
      {
        name: "Attest master key",
        location: `key file ${masterKeyFile(installation.dir)}`,
        new_key_ref: current,
        actor_name: "attest keys rotate",
      },
    ]);

    const status = await attest(["keys", "status"], installation.env);
    expect(status.stdout).toContain(`${current}  current`);
    expect(status.stdout).toContain(`evidence.wrapped_key: 1 under ${current}`);
  }, 180_000);

  it("should refuse to retire a key a value still uses, then retire it once none does", async () => {
    const oldKey = t.deps.keyring.keys[1];
    if (!oldKey) throw new Error("no old key");
    // A server still on the old key wrote this value after the rotation.
    const { encryptWith } = await import("../../../src/platform/crypto.ts");
    const late = `v2.${oldKey.id}.${encryptWith(oldKey.key, secrets.unsubscribeToken)}`;
    await withSystem(t.deps.db, (tx) =>
      tx
        .updateTable("notice_subscribers")
        .set({ unsubscribe_token_enc: late })
        .where("id", "=", secrets.subscriberId)
        .execute(),
    );
    await t.close();
    // The rotation is old enough that every server has re-read the key file.
    const file = masterKeyFile(installation.dir);
    const past = new Date(Date.now() - 10 * 60_000);
    fs.utimesSync(file, past, past);

    const refused = await attest(["keys", "retire"], installation.env);
    expect(refused.stderr).toBe("");
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      `IN USE  notice_subscribers.unsubscribe_token_enc: 1 value(s) under key ${oldKey.id}`,
    );
    expect(fs.readFileSync(file, "utf8").trim().split("\n")).toHaveLength(2);

    const resealed = await attest(["keys", "reseal"], installation.env);
    expect(resealed.stdout).toContain("1 value(s) re-sealed");
    fs.utimesSync(file, past, past);
    const retired = await attest(["keys", "retire"], installation.env);
    expect(retired.stdout).toContain(`Retired ${oldKey.id}`);
    expect(retired.code).toBe(0);
    // The first key stays only as the key of keyed hashes (follow-up keys, sign-in throttles).
    const lines = fs.readFileSync(file, "utf8").trim().split("\n");
    expect(lines).toEqual([
      expect.not.stringContaining("mac:"),
      `mac:${installation.firstKey.toString("base64")}`,
    ]);

    t = await serve(installation);
    expect(t.deps.keyring.keys).toHaveLength(1);
    await expectEverythingReadable(t, 1);
    const unsubscribed = await t.app.inject({
      method: "POST",
      url: `/trust/subscriptions/unsubscribe/${secrets.unsubscribeToken}`,
    });
    expect(unsubscribed.statusCode).toBe(200);
  }, 180_000);

  it("should refuse a key file with a garbled line, naming it, and touch nothing", async () => {
    await t.close();
    const file = masterKeyFile(installation.dir);
    const before = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, `${before}not-a-key\n`);
    try {
      const refused = await attest(["keys", "rotate"], installation.env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`${file}, line 3: not a master key`);
      expect(fs.readFileSync(file, "utf8")).toBe(`${before}not-a-key\n`);
    } finally {
      fs.writeFileSync(file, before);
      t = await serve(installation);
    }
  }, 120_000);

  it("should take the new key from ATTEST_NEW_MASTER_KEY when the keys come from the environment", async () => {
    await t.close();
    const file = masterKeyFile(installation.dir);
    const keys = fs.readFileSync(file, "utf8").trim().split("\n").join(",");
    const env = { ...installation.env, ATTEST_MASTER_KEY: keys };
    const asked = await attest(["keys", "rotate"], env);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toMatch(/ATTEST_NEW_MASTER_KEY=[A-Za-z0-9+/]{43}= attest keys rotate/);

    const newKey = randomBytes(32).toString("base64");
    const rotated = await attest(["keys", "rotate"], { ...env, ATTEST_NEW_MASTER_KEY: newKey });
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain(`ATTEST_MASTER_KEY=${newKey},${keys}`);
    // The key file is not the source: untouched.
    expect(fs.readFileSync(file, "utf8").trim().split("\n").join(",")).toBe(keys);
    const status = await attest(["keys", "status"], {
      ...env,
      ATTEST_MASTER_KEY: `${newKey},${keys}`,
    });
    const current = /([0-9a-f]{16}) {2}current: seals new values/.exec(status.stdout)?.[1];
    expect(status.stdout).toContain(`evidence.wrapped_key: 1 under ${current}\n`);
    expect(status.stdout).toContain(`users.mfa_secret_enc: 1 under ${current}\n`);
    t = await serve(installation);
  }, 120_000);
});
