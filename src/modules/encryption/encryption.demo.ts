import type { Kysely } from "kysely";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { addDays, isoDay } from "../../domain/dates.ts";
import type { Context } from "../../platform/context.ts";
import type { DemoContext, DemoPerson } from "../area.ts";
import { applyChange } from "../change.ts";
import { createLinkEvidence } from "../evidence/evidence.service.ts";
import { ensureAttestSystemIn } from "../systems/systems.attest.ts";
import { systemsNow } from "../systems/systems.queries.ts";
import { ATTEST_MASTER_KEY } from "./encryption.keys.ts";

/**
 * The demo's encryption year: the keys of its AWS account and its own (KMS keys of the customer
 * database and the uploads bucket, the database's TLS certificate key, the backup key, the
 * Attest master key), rotated over the year; the backup key's 180-day rotation is 21 days
 * overdue (keys-rotated fails until someone records one). Encryption at rest of the customer
 * database confirmed last month with the RDS console's setting, of the uploads bucket 345 days
 * ago (due soon), and of Attest itself by its weekly automated check.
 */
const ACCOUNT = "111122223333";
const SECURITY_ROLES = ["Security", "Engineer"];

interface DemoKey {
  name: string;
  purpose: string;
  algorithm: string;
  location: string;
  /** The system it protects, by name. */
  protects?: string;
  periodDays: number;
  registeredDaysAgo: number;
  /** Days ago of each rotation, oldest first. */
  rotations: number[];
  builtin?: "attest";
}

const KEYS: DemoKey[] = [
  {
    name: "Customer database KMS key",
    purpose: "Encrypts the production PostgreSQL storage, snapshots and replicas (RDS)",
    algorithm: "AES-256 (KMS SYMMETRIC_DEFAULT)",
    location: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0b7d5c1e-4f9a-4a8e-9d55-2c1f7e6a9b10`,
    protects: "Customer database (PostgreSQL)",
    periodDays: 365,
    registeredDaysAgo: 390,
    rotations: [31],
  },
  {
    name: "Customer uploads KMS key",
    purpose: "Server-side encryption (SSE-KMS) of the customer uploads buckets",
    algorithm: "AES-256 (KMS SYMMETRIC_DEFAULT)",
    location: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/7e2a9f44-1c3b-4d6e-8f70-5a9b3c2d1e08`,
    protects: "Customer uploads (S3)",
    periodDays: 365,
    registeredDaysAgo: 390,
    rotations: [204],
  },
  {
    name: "Database TLS certificate key",
    purpose: "Private key of the certificate the database presents to the API",
    algorithm: "ECDSA P-256",
    location: `arn:aws:acm:eu-west-1:${ACCOUNT}:certificate/3f1e8c2a-9b7d-4e65-a1c0-6d2b8e4f7a93`,
    protects: "Customer database (PostgreSQL)",
    periodDays: 90,
    registeredDaysAgo: 385,
    rotations: [352, 268, 181, 96, 12],
  },
  {
    name: "Backup encryption key",
    purpose: "Encrypts the nightly database dumps before they leave the VPC",
    algorithm: "AES-256-GCM",
    location: "HashiCorp Vault: secret/data/backups/dump-key",
    protects: "Customer database (PostgreSQL)",
    periodDays: 180,
    registeredDaysAgo: 380,
    rotations: [374, 201],
  },
  {
    ...ATTEST_MASTER_KEY,
    location: "ATTEST_MASTER_KEY (environment of the Attest service)",
    periodDays: ATTEST_MASTER_KEY.rotationPeriodDays,
    registeredDaysAgo: 400,
    rotations: [122],
  },
];

/** Evidence confirmations of the data stores: days ago of each, oldest first. */
const CONFIRMED: { store: string; daysAgo: number[]; evidence: string; notes: string }[] = [
  {
    store: "Customer database (PostgreSQL)",
    daysAgo: [378, 19],
    evidence: "https://console.aws.amazon.com/rds/home?region=eu-west-1#database:id=prod-main",
    notes:
      "RDS storage encryption on with the customer database KMS key; replicas and snapshots inherit it.",
  },
  {
    store: "Customer uploads (S3)",
    daysAgo: [345],
    evidence: "https://console.aws.amazon.com/s3/buckets/demo-customer-uploads?tab=properties",
    notes:
      "Default encryption SSE-KMS with the uploads key; bucket policy denies unencrypted puts.",
  },
];

/** Attest's own automated check: weekly, the whole year. */
const SELF_CHECK_EVERY_DAYS = 7;
const SELF_CHECK = "attest self-check";

function securityPerson(demo: DemoContext, on: Date): DemoPerson {
  const day = isoDay(on);
  const employed = (p: DemoPerson) => p.startDate <= day && (p.endDate === null || p.endDate > day);
  const found =
    demo.people.find((p) => SECURITY_ROLES.includes(p.jobRole) && employed(p)) ??
    demo.people.find(employed) ??
    demo.people[0];
  if (!found) throw new Error("the people area seeds before encryption");
  return found;
}

export async function seedDemoEncryption(db: Kysely<Database>, demo: DemoContext): Promise<void> {
  demo.progress("encryption: five keys rotated over the year, at-rest confirmations");
  const { organizationId, now } = demo;
  // The day so many days ago at an hour (UTC), never later than now.
  const ago = (days: number, hour = 10) =>
    new Date(
      Math.min(
        new Date(`${isoDay(addDays(now, -days))}T00:00:00.000Z`).getTime() + hour * 3_600_000,
        now.getTime(),
      ),
    );
  const systems = await withTenant(db, organizationId, (tx) =>
    systemsNow(tx).where("archived_at", "is", null).execute(),
  );
  const systemId = (name: string) => systems.find((s) => s.name === name)?.id ?? null;
  let rotations = 0;
  await withTenant(db, organizationId, async (tx) => {
    for (const spec of KEYS) {
      const registered = ago(spec.registeredDaysAgo, 9);
      const by = securityPerson(demo, registered);
      const key = await tx
        .insertInto("encryption_keys")
        .values({
          organization_id: organizationId,
          name: spec.name,
          purpose: spec.purpose,
          algorithm: spec.algorithm,
          location: spec.location,
          system_id: spec.protects ? systemId(spec.protects) : null,
          rotation_period_days: spec.periodDays,
          builtin: spec.builtin ?? null,
          created_by: spec.builtin ? null : by.userId,
          created_at: registered,
          updated_at: registered,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      if (!spec.builtin) {
        demo.event({
          at: registered,
          actor: { userId: by.userId, name: by.name },
          action: "encryption_key.created",
          targetType: "encryption_key",
          targetId: key.id,
          after: {
            name: spec.name,
            algorithm: spec.algorithm,
            rotationPeriodDays: spec.periodDays,
          },
        });
      }
      for (const daysAgo of spec.rotations) {
        // An hour earlier than now on that day: the overdue key is a whole number of days late.
        const rotatedAt = new Date(addDays(now, -daysAgo).getTime() - 3_600_000);
        const who = securityPerson(demo, rotatedAt);
        await tx
          .insertInto("encryption_key_rotations")
          .values({
            organization_id: organizationId,
            key_id: key.id,
            rotated_at: rotatedAt,
            new_key_ref: spec.builtin ? `mk-${isoDay(rotatedAt).replaceAll("-", "")}` : null,
            notes: spec.builtin ? "" : "Rotated per the Encryption and Key Management Policy.",
            recorded_by: spec.builtin ? null : who.userId,
            actor_name: spec.builtin ? "attest keys rotate" : null,
            created_at: new Date(rotatedAt.getTime() + 60_000),
          })
          .execute();
        rotations++;
        if (!spec.builtin) {
          demo.event({
            at: rotatedAt,
            actor: { userId: who.userId, name: who.name },
            action: "encryption_key.rotated",
            targetType: "encryption_key",
            targetId: key.id,
            after: { name: spec.name, rotatedAt: rotatedAt.toISOString() },
          });
        }
      }
    }
  });
  const confirmations = await seedConfirmations(db, demo, systemId, ago);
  demo.counts["encryption keys"] = KEYS.length;
  demo.counts["key rotations"] = rotations;
  demo.counts["at-rest confirmations"] = confirmations;
}

async function seedConfirmations(
  db: Kysely<Database>,
  demo: DemoContext,
  systemId: (name: string) => string | null,
  ago: (days: number, hour?: number) => Date,
): Promise<number> {
  const { organizationId } = demo;
  let count = 0;
  for (const spec of CONFIRMED) {
    const id = systemId(spec.store);
    if (!id) continue;
    for (const daysAgo of spec.daysAgo) {
      const confirmedOn = isoDay(ago(daysAgo));
      const evidence = await createLinkEvidence(demo.ownerContext, {
        controlKey: "encryption-at-rest",
        testKey: "datastores-encrypted",
        title: `Storage encryption setting: ${spec.store}`,
        evidenceDate: confirmedOn,
        url: spec.evidence,
      });
      const at = ago(daysAgo, 11);
      const who = securityPerson(demo, at);
      await withTenant(db, organizationId, async (tx) => {
        const row = await tx
          .insertInto("encryption_confirmations")
          .values({
            organization_id: organizationId,
            system_id: id,
            method: "evidence",
            confirmed_at: new Date(`${confirmedOn}T00:00:00.000Z`),
            notes: spec.notes,
            confirmed_by: who.userId,
            created_at: at,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        await tx
          .insertInto("encryption_confirmation_evidence")
          .values({
            organization_id: organizationId,
            confirmation_id: row.id,
            evidence_id: evidence.id,
          })
          .execute();
        demo.event({
          at,
          actor: { userId: who.userId, name: who.name },
          action: "encryption_confirmation.recorded",
          targetType: "system",
          targetId: id,
          after: { method: "evidence", confirmedAt: confirmedOn, evidenceIds: [evidence.id] },
        });
      });
      count++;
    }
  }
  // Attest's own storage, checked weekly by its keyring self-check.
  const ctx: Context = { ...demo.ownerContext, actor: { type: "system", name: SELF_CHECK } };
  count += await applyChange(ctx, null, async (scope) => {
    const attest = await ensureAttestSystemIn(ctx, scope);
    const checks = [];
    for (let days = 360; days >= 0; days -= SELF_CHECK_EVERY_DAYS) {
      const at = ago(days, 3);
      checks.push({
        organization_id: organizationId,
        system_id: attest,
        method: "automated" as const,
        confirmed_at: at,
        passed: true,
        detail: "Every evidence file and stored secret read back encrypted (AES-256-GCM).",
        actor_name: SELF_CHECK,
        created_at: at,
      });
    }
    await scope.tx.insertInto("encryption_confirmations").values(checks).execute();
    return checks.length;
  });
  return count;
}
