import { sql } from "kysely";
import { withTenant } from "../../src/db/tenant.ts";
import { addDays, isoDay } from "../../src/domain/dates.ts";
import { reevaluate } from "../../src/modules/monitoring/evaluation.service.ts";
import { evidence, type Org } from "../factories.ts";
import { backdateSystem } from "./findings.ts";
import { factoryBody as body } from "./shared.ts";
import { system } from "./systems.ts";

/**
 * The encryption area (issue 15) through the API: keys of the registry and their rotations,
 * data stores and confirmations of their encryption at rest; and backdating them by SQL, as
 * if the work had happened in the past.
 */

let sequence = 0;

/** A key registered by the owner; answers the API's key. */
export async function encryptionKey(org: Org, fields: Record<string, unknown> = {}) {
  sequence++;
  return body(
    await org.owner.client.post("/api/v1/encryption/keys", {
      name: `Key ${sequence}-${Math.random().toString(36).slice(2, 8)}`,
      algorithm: "AES-256",
      location: "arn:aws:kms:eu-west-1:111122223333:key/test",
      ...fields,
    }),
    "encryption key",
    201,
  );
}

/** A rotation of a key recorded by the owner (default: now); answers the rotation. */
export async function keyRotation(
  org: Org,
  keyId: string,
  fields: { rotatedAt?: string; notes?: string; evidenceId?: string } = {},
) {
  return body(
    await org.owner.client.post(`/api/v1/encryption/keys/${keyId}/rotations`, {
      rotatedAt: fields.rotatedAt ?? new Date().toISOString(),
      ...fields,
    }),
    "key rotation",
    201,
  );
}

/** A data store holding restricted data (in scope of datastores-encrypted). */
export function dataStore(
  org: Org,
  overrides: Parameters<typeof system>[1] = {},
): Promise<{ id: string; name: string }> {
  return system(org, { kind: "data_store", classification: "restricted", ...overrides });
}

/** A confirmation of encryption at rest, with an evidence link; answers the confirmation. */
export async function atRestConfirmation(
  org: Org,
  systemId: string,
  fields: { confirmedOn?: string; notes?: string } = {},
) {
  const confirmedOn = fields.confirmedOn ?? isoDay(new Date());
  const proof = await evidence(org, {
    controlKey: "encryption-at-rest",
    title: "Storage encryption setting",
    evidenceDate: confirmedOn,
  });
  return body(
    await org.owner.client.post(`/api/v1/encryption/stores/${systemId}/confirmations`, {
      confirmedOn,
      evidenceIds: [proof.id],
      ...(fields.notes ? { notes: fields.notes } : {}),
    }),
    "at-rest confirmation",
    201,
  );
}

/** Moves a key's registration and every rotation `days` into the past, and re-evaluates. */
export async function backdateKey(org: Org, keyId: string, days: number) {
  const shift = sql`make_interval(days => ${days})`;
  await withTenant(org.t.deps.db, org.id, async (tx) => {
    await sql`UPDATE encryption_keys SET created_at = created_at - ${shift} WHERE id = ${keyId}`.execute(
      tx,
    );
    await sql`UPDATE encryption_key_rotations SET created_at = created_at - ${shift},
                rotated_at = rotated_at - ${shift} WHERE key_id = ${keyId}`.execute(tx);
  });
  await reevaluate(org.t.deps.db, org.id);
}

/**
 * Moves a data store's history and its confirmations `days` into the past (the store first
 * existed a year before that), and re-evaluates.
 */
export async function backdateStore(org: Org, systemId: string, days: number) {
  await backdateSystem(org, systemId, days + 365);
  const shift = sql`make_interval(days => ${days})`;
  await withTenant(org.t.deps.db, org.id, (tx) =>
    sql`UPDATE encryption_confirmations SET created_at = created_at - ${shift},
          confirmed_at = confirmed_at - ${shift} WHERE system_id = ${systemId}`.execute(tx),
  );
  await reevaluate(org.t.deps.db, org.id);
}

/** A day so many days ago. */
export const encryptionDayAgo = (days: number) => isoDay(addDays(new Date(), -days));
