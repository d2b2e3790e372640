import type { Deps } from "../../platform/deps.ts";
import { idParams } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import {
  archiveKey,
  createKey,
  getKey,
  listKeys,
  listRotations,
  recordRotation,
  updateKey,
} from "./encryption.registry.ts";
import {
  confirmationView,
  keyList,
  keyListQuery,
  keyPatch,
  keyView,
  newConfirmation,
  newKey,
  newRotation,
  rotationList,
  rotationView,
  storeDetail,
  storeList,
} from "./encryption.schema.ts";
import { confirmAtRest, getStore, listStores } from "./encryption.stores.ts";

const tags = ["encryption"];
const READ = { access: "encryption.read" } as const;
const MANAGE = { access: "encryption.manage" } as const;

/** The key registry and its rotations; encryption at rest per data store. */
export function encryptionRoutes(app: App, deps: Deps): void {
  app.get(
    "/api/v1/encryption/keys",
    {
      config: READ,
      schema: {
        tags,
        summary: "The key registry, with each key's next rotation due",
        description: "archived=true lists archived keys too.",
        querystring: keyListQuery,
        response: { 200: keyList },
      },
    },
    async (request) => listKeys(contextOf(request, deps), request.query.archived === "true"),
  );

  app.post(
    "/api/v1/encryption/keys",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Register a key",
        description:
          "Never rotated, it is due a rotation one rotation period (default 365 days) after it is registered.",
        body: newKey,
        response: { 201: keyView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createKey(contextOf(request, deps), request.body)),
  );

  app.get(
    "/api/v1/encryption/keys/:id",
    { config: READ, schema: { tags, params: idParams, response: { 200: keyView } } },
    async (request) => getKey(contextOf(request, deps), request.params.id),
  );

  app.patch(
    "/api/v1/encryption/keys/:id",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Edit a key",
        description:
          "Attest's master key keeps the name, purpose, algorithm and location Attest gives it " +
          "(409); its rotation period may be shortened, not lengthened past 365 days.",
        params: idParams,
        body: keyPatch,
        response: { 200: keyView },
      },
    },
    async (request) => updateKey(contextOf(request, deps), request.params.id, request.body),
  );

  app.post(
    "/api/v1/encryption/keys/:id/archive",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Archive a key no longer in use",
        description: "Attest's master key cannot be archived (409).",
        params: idParams,
        response: { 200: keyView },
      },
    },
    async (request) => archiveKey(contextOf(request, deps), request.params.id),
  );

  app.get(
    "/api/v1/encryption/keys/:id/rotations",
    {
      config: READ,
      schema: {
        tags,
        summary: "A key's rotations, the latest first",
        params: idParams,
        response: { 200: rotationList },
      },
    },
    async (request) => listRotations(contextOf(request, deps), request.params.id),
  );

  app.post(
    "/api/v1/encryption/keys/:id/rotations",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Record a rotation of a key",
        description: "rotatedAt must not be in the future; evidenceId names an evidence item.",
        params: idParams,
        body: newRotation,
        response: { 201: rotationView },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await recordRotation(contextOf(request, deps), request.params.id, request.body)),
  );

  app.get(
    "/api/v1/encryption/stores",
    {
      config: READ,
      schema: {
        tags,
        summary: "Encryption at rest per data store (databases and data stores not archived)",
        description:
          "inScope: holds confidential or restricted data, so datastores-encrypted judges it.",
        response: { 200: storeList },
      },
    },
    async (request) => listStores(contextOf(request, deps)),
  );

  app.get(
    "/api/v1/encryption/stores/:id",
    {
      config: READ,
      schema: {
        tags,
        summary: "A data store's encryption at rest and its confirmations, the latest first",
        params: idParams,
        response: { 200: storeDetail },
      },
    },
    async (request) => getStore(contextOf(request, deps), request.params.id),
  );

  app.post(
    "/api/v1/encryption/stores/:id/confirmations",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Confirm, with evidence, that a data store is encrypted at rest",
        description:
          "evidenceIds name evidence items filed through the evidence area (the cloud " +
          "console's encryption setting, say); confirmedOn must not be in the future.",
        params: idParams,
        body: newConfirmation,
        response: { 201: confirmationView },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await confirmAtRest(contextOf(request, deps), request.params.id, request.body)),
  );
}
