import { randomUUID } from "node:crypto";
import type { Person, TestApp } from "../../../helpers/app.ts";
import type { AreaBadRequests } from "./types.ts";
import type { WellMade, WellMadeContext } from "./well-made.ts";

/** Bad requests for the encryption area (issue 15): keys, rotations, at-rest confirmations. */

async function made(owner: Person, url: string, body: unknown): Promise<string> {
  const reply = await owner.client.post(url, body);
  if (reply.status !== 201)
    throw new Error(`${url}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.id as string;
}

async function keyAndStore(owner: Person) {
  const suffix = randomUUID().slice(0, 8);
  const encryptionKeyId = await made(owner, "/api/v1/encryption/keys", {
    name: `Key ${suffix}`,
    algorithm: "AES-256",
  });
  const dataStoreId = await made(owner, "/api/v1/systems", {
    name: `Store ${suffix}`,
    kind: "data_store",
    classification: "restricted",
  });
  const evidenceId = await made(owner, "/api/v1/evidence/links", {
    controlKey: "encryption-at-rest",
    title: "Encryption setting",
    evidenceDate: new Date().toISOString().slice(0, 10),
    url: "https://console.example.test/encryption",
  });
  return { encryptionKeyId, dataStoreId, encryptionEvidenceId: evidenceId };
}

export const encryptionBadRequests: AreaBadRequests = {
  prepare: (_t: TestApp, owner: Person) => keyAndStore(owner),
  requests: {
    "POST /api/v1/encryption/keys": {
      as: "owner",
      body: { name: "KMS key", algorithm: "AES-256", rotationPeriodDays: 0 },
      fields: ["rotationPeriodDays"],
    },
    "PATCH /api/v1/encryption/keys/:id": {
      as: "owner",
      url: (f) => `/api/v1/encryption/keys/${f.ids.encryptionKeyId}`,
      body: { systemId: "a system" },
      fields: ["systemId"],
    },
    "POST /api/v1/encryption/keys/:id/archive": {
      as: "owner",
      url: () => "/api/v1/encryption/keys/not-a-key/archive",
      fields: ["id"],
    },
    "POST /api/v1/encryption/keys/:id/rotations": {
      as: "owner",
      url: (f) => `/api/v1/encryption/keys/${f.ids.encryptionKeyId}/rotations`,
      body: { rotatedAt: "yesterday" },
      fields: ["rotatedAt"],
    },
    "POST /api/v1/encryption/stores/:id/confirmations": {
      as: "owner",
      url: (f) => `/api/v1/encryption/stores/${f.ids.dataStoreId}/confirmations`,
      body: { confirmedOn: "2026-01-01", evidenceIds: [] },
      fields: ["evidenceIds"],
    },
  },
};

async function prepared(c: WellMadeContext) {
  return keyAndStore(c.f.owner);
}

/** The same made well (the WELL_MADE table spreads these in). */
export const encryptionWellMade: Record<string, WellMade> = {
  "POST /api/v1/encryption/keys": {
    body: () => ({ name: `KMS key ${randomUUID().slice(0, 8)}`, algorithm: "AES-256" }),
    status: 201,
  },
  "PATCH /api/v1/encryption/keys/:id": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/encryption/keys/${ids.encryptionKeyId}`,
    body: (_f, ids) => ({ systemId: ids.dataStoreId }),
    status: 200,
  },
  "POST /api/v1/encryption/keys/:id/archive": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/encryption/keys/${ids.encryptionKeyId}/archive`,
    status: 200,
  },
  "POST /api/v1/encryption/keys/:id/rotations": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/encryption/keys/${ids.encryptionKeyId}/rotations`,
    body: { rotatedAt: new Date(Date.now() - 60_000).toISOString() },
    status: 201,
  },
  "POST /api/v1/encryption/stores/:id/confirmations": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/encryption/stores/${ids.dataStoreId}/confirmations`,
    body: (_f, ids) => ({ confirmedOn: "2026-01-01", evidenceIds: [ids.encryptionEvidenceId] }),
    status: 201,
  },
};
