import type { Deps } from "../../platform/deps.ts";
import { ACCEPTED_EXTENSIONS } from "../../platform/file-types.ts";
import { uploadedParts, uploadRoutes } from "../../platform/http/multipart.ts";
import { problemSchema } from "../../platform/http/problem.ts";
import { idParams, listOf } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import { evidenceEnvOf } from "../evidence/evidence.service.ts";
import { listIncidents } from "./incidents.list.ts";
import {
  entryList,
  entryView,
  incidentListQuery,
  incidentPatch,
  incidentSummary,
  incidentView,
  newEntry,
  newIncident,
  severitiesView,
} from "./incidents.schema.ts";
import {
  addNote,
  attachFile,
  declareIncident,
  getIncident,
  incidentSeverities,
  listEntries,
  updateIncident,
} from "./incidents.service.ts";

const tags = ["incidents"];
/** Reads answer by the caller's visibility (incidents.rules.ts): all, or those they declared. */
const SIGNED_IN = { access: "signed-in" } as const;
const MANAGE = { access: "incidents.manage" } as const;
const NOT_MULTIPART = "send the attachment as multipart/form-data with a `file` part";

/** Incidents: the list, declaring one, its page, triage and status, its timeline and files. */
export function incidentRoutes(app: App, deps: Deps): void {
  const env = evidenceEnvOf(deps);

  app.get(
    "/api/v1/incidents",
    {
      config: SIGNED_IN,
      schema: {
        tags,
        summary: "Incidents, the latest reported first",
        description:
          "Everyone with incidents.read sees every incident; a member sees the incidents they " +
          "declared. status=open is reported, triaged or contained; q searches the title, or " +
          "names a number (INC-0042).",
        querystring: incidentListQuery,
        response: { 200: listOf(incidentSummary) },
      },
    },
    async (request) => listIncidents(contextOf(request, deps), request.query),
  );

  app.post(
    "/api/v1/incidents",
    {
      config: { access: "incidents.declare" },
      schema: {
        tags,
        summary: "Declare an incident",
        description:
          "With reportId, from a confidential report: only a handler of reports may, and the " +
          "incident says it came from a report without naming the reporter.",
        body: newIncident,
        response: { 201: incidentView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await declareIncident(contextOf(request, deps), request.body)),
  );

  app.get(
    "/api/v1/incidents/severities",
    {
      config: SIGNED_IN,
      schema: {
        tags,
        summary: "What each severity means here, its update interval, and the triage hours",
        response: { 200: severitiesView },
      },
    },
    async (request) => incidentSeverities(contextOf(request, deps)),
  );

  app.get(
    "/api/v1/incidents/:id",
    { config: SIGNED_IN, schema: { tags, params: idParams, response: { 200: incidentView } } },
    async (request) => getIncident(contextOf(request, deps), request.params.id),
  );

  app.patch(
    "/api/v1/incidents/:id",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Triage and work an incident: severity, owner, status, impact",
        description:
          "Status moves forward (reported, triaged, contained, resolved, closed; skipping " +
          "allowed) or from resolved back to contained; leaving reported needs a severity and " +
          "an owner. Another move is a 409. Each change of status, severity, owner and " +
          "customer impact goes on the timeline.",
        params: idParams,
        body: incidentPatch,
        response: { 200: incidentView },
      },
    },
    async (request) => updateIncident(contextOf(request, deps), request.params.id, request.body),
  );

  app.get(
    "/api/v1/incidents/:id/entries",
    {
      config: SIGNED_IN,
      schema: {
        tags,
        summary: "The incident's timeline, oldest first",
        params: idParams,
        response: { 200: entryList },
      },
    },
    async (request) => listEntries(contextOf(request, deps), request.params.id),
  );

  app.post(
    "/api/v1/incidents/:id/entries",
    {
      config: MANAGE,
      schema: { tags, params: idParams, body: newEntry, response: { 201: entryView } },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await addNote(contextOf(request, deps), request.params.id, request.body)),
  );

  uploadRoutes(
    app,
    { fieldCount: 1, maxBytes: env.maxBytes, notMultipart: NOT_MULTIPART },
    (uploads) => {
      uploads.post(
        "/api/v1/incidents/:id/attachments",
        {
          config: MANAGE,
          schema: {
            tags,
            summary: "Attach a file to the incident's timeline (multipart/form-data)",
            description:
              "Fields: body (optional: what the file is), then one `file` part " +
              `(${ACCEPTED_EXTENSIONS.join(", ")}; at most ${env.maxBytes} bytes). Filed, ` +
              "encrypted, as evidence of incident-tracking; download it from the evidence library.",
            consumes: ["multipart/form-data"],
            params: idParams,
            response: { 201: entryView, 413: problemSchema, 415: problemSchema },
          },
        },
        async (request, reply) => {
          const parts = () => uploadedParts(request, NOT_MULTIPART);
          const entry = await attachFile(contextOf(request, deps), env, request.params.id, parts);
          return reply.code(201).send(entry);
        },
      );
    },
  );
}
