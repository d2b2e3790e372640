import type { Deps } from "../../platform/deps.ts";
import { ACCEPTED_EXTENSIONS } from "../../platform/file-types.ts";
import { uploadedParts, uploadRoutes } from "../../platform/http/multipart.ts";
import { problemSchema } from "../../platform/http/problem.ts";
import { idParams, listOf } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import { evidenceEnvOf } from "../evidence/evidence.service.ts";
import { backedUpSystemsStanding, listRestoreTests } from "./continuity.list.ts";
import {
  backedUpSystems,
  newRestoreTest,
  restoreTestListQuery,
  restoreTestSummary,
  restoreTestView,
  withdrawBody,
} from "./continuity.schema.ts";
import {
  attachRestoreEvidence,
  getRestoreTest,
  recordRestoreTest,
  withdrawRestoreTest,
} from "./continuity.service.ts";

const tags = ["continuity"];
const READ = { access: "continuity.read" } as const;
const MANAGE = { access: "continuity.manage" } as const;
const NOT_MULTIPART = "send the evidence as multipart/form-data with a `file` part";

/** Restore tests: the backed-up systems, the list, recording one, its page, withdrawing it. */
export function continuityRoutes(app: App, deps: Deps): void {
  const env = evidenceEnvOf(deps);

  app.get(
    "/api/v1/continuity/systems",
    {
      config: READ,
      schema: {
        tags,
        summary: "Backed-up systems, each with its last successful restore test and next due day",
        response: { 200: backedUpSystems },
      },
    },
    async (request) => backedUpSystemsStanding(contextOf(request, deps)),
  );

  app.get(
    "/api/v1/continuity/restore-tests",
    {
      config: READ,
      schema: {
        tags,
        summary: "Restore tests, the latest performed first",
        description:
          "result: passed (at least one integrity check, all passed), failed (one failed), " +
          "unverified (none ran). Withdrawn tests are listed (withdrawnAt) unless withdrawn=false.",
        querystring: restoreTestListQuery,
        response: { 200: listOf(restoreTestSummary) },
      },
    },
    async (request) => listRestoreTests(contextOf(request, deps), request.query),
  );

  app.post(
    "/api/v1/continuity/restore-tests",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Record a restore test of a system's backup",
        description:
          "Into a non-production environment only: restoredIntoProduction true, or a production " +
          "system as restoredIntoSystemId, is a 400. Successful when at least one integrity " +
          "check ran and all passed.",
        body: newRestoreTest,
        response: { 201: restoreTestView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await recordRestoreTest(contextOf(request, deps), request.body)),
  );

  app.get(
    "/api/v1/continuity/restore-tests/:id",
    { config: READ, schema: { tags, params: idParams, response: { 200: restoreTestView } } },
    async (request) => getRestoreTest(contextOf(request, deps), request.params.id),
  );

  app.post(
    "/api/v1/continuity/restore-tests/:id/withdraw",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Withdraw a wrong record, with a reason",
        description: "Kept and audited; it no longer counts from now. Withdrawing twice is a 409.",
        params: idParams,
        body: withdrawBody,
        response: { 200: restoreTestView },
      },
    },
    async (request) =>
      withdrawRestoreTest(contextOf(request, deps), request.params.id, request.body.reason),
  );

  uploadRoutes(
    app,
    { fieldCount: 0, maxBytes: env.maxBytes, notMultipart: NOT_MULTIPART },
    (uploads) => {
      uploads.post(
        "/api/v1/continuity/restore-tests/:id/evidence",
        {
          config: MANAGE,
          schema: {
            tags,
            summary: "Attach evidence to a restore test (multipart/form-data)",
            description:
              `One \`file\` part (${ACCEPTED_EXTENSIONS.join(", ")}; at most ${env.maxBytes} ` +
              "bytes). Filed, encrypted, as evidence of restore-tested.",
            consumes: ["multipart/form-data"],
            params: idParams,
            response: { 201: restoreTestView, 413: problemSchema, 415: problemSchema },
          },
        },
        async (request, reply) => {
          const parts = () => uploadedParts(request, NOT_MULTIPART);
          const view = await attachRestoreEvidence(
            contextOf(request, deps),
            env,
            request.params.id,
            parts,
          );
          return reply.code(201).send(view);
        },
      );
    },
  );
}
