import { z } from "zod";
import { IMPORT_LIMIT_BYTES } from "../../platform/csv.ts";
import type { Deps } from "../../platform/deps.ts";
import { problemSchema } from "../../platform/http/problem.ts";
import { idParams, idSchema } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import {
  commitAccessImport,
  type ImportInput,
  ImportRejected,
  previewAccessImport,
} from "./access.import.ts";

/**
 * Import of a system's user export. The body is either the file itself (`Content-Type:
 * text/csv`, options in the query: `?removeMissing=true`; unmatched accounts stay unlinked),
 * or JSON `{csv, decisions?, removeMissing?}` where `decisions` maps an unmatched username to
 * `{personId}`, `{serviceOwnerId}` or `"leave_unlinked"` (the web page sends JSON). Up to
 * 32 MiB either way (413 above). A commit with problems answers 422 with every problem.
 */
const decision = z.union([
  z.object({ personId: idSchema }).strict(),
  z.object({ serviceOwnerId: idSchema }).strict(),
  z.literal("leave_unlinked"),
]);

const jsonBody = z.object({
  csv: z.string().max(IMPORT_LIMIT_BYTES),
  decisions: z.record(z.string().min(1).max(200), decision).optional(),
  removeMissing: z.boolean().optional(),
});

const HOW =
  "The body is the file itself (Content-Type: text/csv; ?removeMissing=true to remove what it " +
  "does not list; accounts matching nobody stay unlinked) or JSON {csv, decisions, removeMissing}, " +
  'decisions mapping an unmatched username to {"personId"}, {"serviceOwnerId"} or "leave_unlinked". ' +
  "Columns: username (required), email, role (empty: an account without a grant), admin " +
  "(yes/no), last_login (ISO date or date-time). Up to 32 MiB.";

const body = z.union([z.string().max(IMPORT_LIMIT_BYTES), jsonBody]);
const query = z.object({ removeMissing: z.enum(["true", "false"]).optional() });

const problem = z.object({
  line: z.number().int().nullable(),
  column: z.string().nullable(),
  message: z.string(),
});
const personRef = z.object({ id: idSchema, name: z.string(), reference: z.string() }).nullable();
const grantRef = z.object({
  id: idSchema,
  person: personRef,
  systemRole: z.string(),
  admin: z.boolean(),
});

const previewView = z
  .object({
    rows: z.number().int(),
    accounts: z.object({ create: z.number(), update: z.number(), unchanged: z.number() }),
    grants: z.object({
      create: z.number(),
      confirm: z.number(),
      roleChange: z.number(),
      unchanged: z.number(),
    }),
    problems: z.array(problem),
    lines: z.array(
      z.object({
        line: z.number().int(),
        username: z.string(),
        email: z.string().nullable(),
        role: z.string().nullable(),
        admin: z.boolean(),
        account: z.enum(["create", "update", "unchanged"]),
        grant: z.enum(["create", "unchanged", "role_change", "confirm", "none"]),
        person: personRef,
        match: z.enum(["email", "link", "decision", "service"]).nullable(),
      }),
    ),
    unmatchedCount: z.number().int(),
    unmatched: z.array(
      z.object({ line: z.number().int(), username: z.string(), email: z.string().nullable() }),
    ),
    missing: z.object({
      accountCount: z.number().int(),
      grantCount: z.number().int(),
      accounts: z.array(z.object({ id: idSchema, username: z.string(), person: personRef })),
      grants: z.array(grantRef),
    }),
    roleChanges: z.array(grantRef),
  })
  .meta({ id: "AccessImportPreview" });

const resultView = z
  .object({
    changed: z.boolean(),
    accounts: z.object({
      created: z.number(),
      updated: z.number(),
      linked: z.number(),
      removed: z.number(),
    }),
    grants: z.object({
      created: z.number(),
      confirmed: z.number(),
      revoked: z.number(),
      unchanged: z.number(),
    }),
  })
  .meta({ id: "AccessImportResult" });

const rejectedView = problemSchema.extend({ problems: z.array(problem) });

function inputOf(raw: z.infer<typeof body>, options: z.infer<typeof query>): ImportInput {
  if (typeof raw === "string") return { csv: raw, removeMissing: options.removeMissing === "true" };
  return {
    csv: raw.csv,
    decisions: raw.decisions,
    removeMissing: raw.removeMissing ?? options.removeMissing === "true",
  };
}

export function accessImportRoutes(app: App, deps: Deps) {
  app.post(
    "/api/v1/systems/:id/access-imports/preview",
    {
      bodyLimit: IMPORT_LIMIT_BYTES,
      config: { access: "access.manage" },
      schema: {
        tags: ["access"],
        summary:
          "What importing a system's user export would do, with every problem; writes nothing",
        description: HOW,
        params: idParams,
        querystring: query,
        body,
        response: { 200: previewView, 413: problemSchema },
      },
    },
    async (request) =>
      previewAccessImport(
        contextOf(request, deps),
        request.params.id,
        inputOf(request.body, request.query),
      ),
  );

  app.post(
    "/api/v1/systems/:id/access-imports",
    {
      bodyLimit: IMPORT_LIMIT_BYTES,
      config: { access: "access.manage" },
      schema: {
        tags: ["access"],
        summary: "Imports a system's user export: all of it in one change, or nothing (422)",
        description: `${HOW} The same file again changes nothing.`,
        params: idParams,
        querystring: query,
        body,
        response: { 200: resultView, 413: problemSchema, 422: rejectedView },
      },
    },
    async (request, reply) => {
      try {
        return await commitAccessImport(
          contextOf(request, deps),
          request.params.id,
          inputOf(request.body, request.query),
        );
      } catch (error) {
        if (!(error instanceof ImportRejected)) throw error;
        return reply
          .code(422)
          .type("application/problem+json")
          .serializer(JSON.stringify)
          .send({
            type: "urn:attest:problem:validation_failed",
            title: "The file has problems",
            status: 422,
            code: "validation_failed",
            detail: `${error.message}: ${error.problems
              .slice(0, 3)
              .map((p) => `line ${p.line}${p.column ? ` (${p.column})` : ""}: ${p.message}`)
              .join("; ")}`,
            errors: error.problems.slice(0, 1000).map((p) => ({
              field: p.line === null ? "file" : `line ${p.line}${p.column ? `: ${p.column}` : ""}`,
              message: p.message,
            })),
            problems: error.problems,
            requestId: request.id,
          });
      }
    },
  );
}
