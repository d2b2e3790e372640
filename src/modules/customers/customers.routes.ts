import type { Deps } from "../../platform/deps.ts";
import { ACCEPTED_EXTENSIONS } from "../../platform/file-types.ts";
import { attachmentDisposition } from "../../platform/http/content-disposition.ts";
import { uploadedParts, uploadRoutes } from "../../platform/http/multipart.ts";
import { problemSchema } from "../../platform/http/problem.ts";
import { idParams, listOf } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import { evidenceEnvOf } from "../evidence/evidence.service.ts";
import { disposalCertificate } from "./customers.certificate.ts";
import { attachDisposalEvidence, recordDisposal } from "./customers.disposals.ts";
import { listCustomers } from "./customers.list.ts";
import {
  customerListQuery,
  customerPatch,
  customerSummary,
  customerView,
  disposalParams,
  newCustomer,
  newDisposal,
} from "./customers.schema.ts";
import {
  archiveCustomer,
  createCustomer,
  getCustomer,
  updateCustomer,
} from "./customers.service.ts";

const tags = ["customers"];
const READ = { access: "customers.read" } as const;
const MANAGE = { access: "customers.manage" } as const;
const NOT_MULTIPART = "send the evidence as multipart/form-data with a `file` part";

/** Customers: their terms and data stores, disposal records and the certificate of disposal. */
export function customerRoutes(app: App, deps: Deps): void {
  const env = evidenceEnvOf(deps);

  app.get(
    "/api/v1/customers",
    {
      config: READ,
      schema: {
        tags,
        summary: "Current customers by name",
        description:
          "status: upcoming, active, ended, disposal_due (within the warning days of the " +
          "deadline), disposal_overdue (past it, or ended without a retention requirement), " +
          "disposal_complete. q searches the name and the reference.",
        querystring: customerListQuery,
        response: { 200: listOf(customerSummary) },
      },
    },
    async (request) => listCustomers(contextOf(request, deps), request.query),
  );

  app.post(
    "/api/v1/customers",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Add a customer",
        description:
          'retention is {"days": n} agreed with the customer, or "policy": the organization\'s ' +
          "default retention period, applied now by the caller (recorded on the customer).",
        body: newCustomer,
        response: { 201: customerView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createCustomer(contextOf(request, deps), request.body)),
  );

  app.get(
    "/api/v1/customers/:id",
    { config: READ, schema: { tags, params: idParams, response: { 200: customerView } } },
    async (request) => getCustomer(contextOf(request, deps), request.params.id),
  );

  app.patch(
    "/api/v1/customers/:id",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Change a customer's terms or data stores (a new dated version)",
        params: idParams,
        body: customerPatch,
        response: { 200: customerView },
      },
    },
    async (request) => updateCustomer(contextOf(request, deps), request.params.id, request.body),
  );

  app.delete(
    "/api/v1/customers/:id",
    {
      config: MANAGE,
      schema: { tags, summary: "Archive a customer; its history stays", params: idParams },
    },
    async (request, reply) => {
      await archiveCustomer(contextOf(request, deps), request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    "/api/v1/customers/:id/disposals",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Record the disposal of the customer's data in one data store",
        description:
          "Only once the contract has ended; disposedOn neither in the future nor before the " +
          "contract's end; one record per data store (409 for a second).",
        params: idParams,
        body: newDisposal,
        response: { 201: customerView },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await recordDisposal(contextOf(request, deps), request.params.id, request.body)),
  );

  uploadRoutes(
    app,
    { fieldCount: 1, maxBytes: env.maxBytes, notMultipart: NOT_MULTIPART },
    (uploads) => {
      uploads.post(
        "/api/v1/customers/:id/disposals/:disposalId/evidence",
        {
          config: MANAGE,
          schema: {
            tags,
            summary: "File evidence of a disposal (multipart/form-data)",
            description:
              "Fields: description (optional), then one `file` part " +
              `(${ACCEPTED_EXTENSIONS.join(", ")}; at most ${env.maxBytes} bytes), filed ` +
              "encrypted in the evidence library under customer-data-retention.",
            consumes: ["multipart/form-data"],
            params: disposalParams,
            response: { 201: customerView, 413: problemSchema, 415: problemSchema },
          },
        },
        async (request, reply) => {
          const parts = () => uploadedParts(request, NOT_MULTIPART);
          const { id, disposalId } = request.params;
          const view = await attachDisposalEvidence(
            contextOf(request, deps),
            env,
            id,
            disposalId,
            parts,
          );
          return reply.code(201).send(view);
        },
      );
    },
  );

  app.get(
    "/api/v1/customers/:id/certificate.pdf",
    {
      config: READ,
      schema: {
        tags,
        summary: "The certificate of disposal (PDF), once every disposal is recorded (409 before)",
        params: idParams,
      },
    },
    async (request, reply) => {
      const file = await disposalCertificate(contextOf(request, deps), request.params.id);
      return reply
        .type("application/pdf")
        .header("content-disposition", attachmentDisposition(file.fileName))
        .header("cache-control", "no-store")
        .send(file.data);
    },
  );
}
