import { z } from "zod";
import { IMPORT_LIMIT_BYTES } from "../../platform/csv.ts";
import type { Deps } from "../../platform/deps.ts";
import { problemSchema } from "../../platform/http/problem.ts";
import { idSchema } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import { commitCustomerImport, ImportRejected, previewCustomerImport } from "./customers.import.ts";

/**
 * Import of customers from CSV. The body is the file itself (Content-Type: text/csv) or JSON
 * {csv} (the web page sends JSON). A commit with problems answers 422 with every problem.
 */
const HOW =
  "The body is the file itself (Content-Type: text/csv) or JSON {csv}. Columns: name " +
  "(required), reference, contract_start (required, YYYY-MM-DD), contract_end, retention " +
  '(days after contract end, or "policy" for the organization\'s default), data_stores ' +
  '(system names separated by ";"). A row matches a current customer by reference, else by ' +
  "name. Up to 32 MiB.";

const body = z.union([
  z.string().max(IMPORT_LIMIT_BYTES),
  z.object({ csv: z.string().max(IMPORT_LIMIT_BYTES) }).strict(),
]);
const csvOf = (raw: z.infer<typeof body>) => (typeof raw === "string" ? raw : raw.csv);

const problem = z.object({
  line: z.number().int().nullable(),
  column: z.string().nullable(),
  message: z.string(),
});

const previewView = z
  .object({
    rows: z.number().int(),
    create: z.number().int(),
    update: z.number().int(),
    unchanged: z.number().int(),
    problems: z.array(problem),
    lines: z.array(
      z.object({
        line: z.number().int(),
        name: z.string(),
        reference: z.string().nullable(),
        action: z.enum(["create", "update", "unchanged"]),
        customerId: idSchema.nullable(),
        changes: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: "CustomerImportPreview" });

const resultView = z
  .object({
    changed: z.boolean(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
  })
  .meta({ id: "CustomerImportResult" });

const rejectedView = problemSchema.extend({ problems: z.array(problem) });

export function customerImportRoutes(app: App, deps: Deps) {
  app.post(
    "/api/v1/customer-imports/preview",
    {
      bodyLimit: IMPORT_LIMIT_BYTES,
      config: { access: "customers.manage" },
      schema: {
        tags: ["customers"],
        summary: "What importing a customers file would do, with every problem; writes nothing",
        description: HOW,
        body,
        response: { 200: previewView, 413: problemSchema },
      },
    },
    async (request) => previewCustomerImport(contextOf(request, deps), csvOf(request.body)),
  );

  app.post(
    "/api/v1/customer-imports",
    {
      bodyLimit: IMPORT_LIMIT_BYTES,
      config: { access: "customers.manage" },
      schema: {
        tags: ["customers"],
        summary: "Imports a customers file: all of it in one change, or nothing (422)",
        description: `${HOW} The same file again changes nothing.`,
        body,
        response: { 200: resultView, 413: problemSchema, 422: rejectedView },
      },
    },
    async (request, reply) => {
      try {
        return await commitCustomerImport(contextOf(request, deps), csvOf(request.body));
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
