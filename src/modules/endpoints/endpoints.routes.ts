import type { Deps } from "../../platform/deps.ts";
import { idParams } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import { probeEndpoint } from "./endpoints.probing.ts";
import {
  endpointList,
  endpointListQuery,
  endpointPatch,
  endpointView,
  newEndpoint,
  probeList,
  probeListQuery,
  probeView,
} from "./endpoints.schema.ts";
import {
  archiveEndpoint,
  getEndpoint,
  listEndpoints,
  listProbes,
  registerEndpoint,
  updateEndpoint,
} from "./endpoints.service.ts";

const tags = ["endpoints"];
const READ = { access: "endpoints.read" } as const;
const MANAGE = { access: "endpoints.manage" } as const;

/** Internet-facing endpoints: registering them, their live TLS probes and probe history. */
export function endpointRoutes(app: App, deps: Deps): void {
  app.get(
    "/api/v1/endpoints",
    {
      config: READ,
      schema: {
        tags,
        summary: "Internet-facing endpoints, each with its last probe and standing now",
        querystring: endpointListQuery,
        response: { 200: endpointList },
      },
    },
    async (request) => ({
      items: await listEndpoints(contextOf(request, deps), request.query),
      nextCursor: null,
    }),
  );

  app.post(
    "/api/v1/endpoints",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Register an internet-facing endpoint",
        description:
          "host is a DNS name or an IP address (no scheme, port or path); the same host and " +
          "port registered and not archived is a 409.",
        body: newEndpoint,
        response: { 201: endpointView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await registerEndpoint(contextOf(request, deps), request.body)),
  );

  app.get(
    "/api/v1/endpoints/:id",
    { config: READ, schema: { tags, params: idParams, response: { 200: endpointView } } },
    async (request) => getEndpoint(contextOf(request, deps), request.params.id),
  );

  app.patch(
    "/api/v1/endpoints/:id",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Change an endpoint's system, notes or plain HTTP port",
        params: idParams,
        body: endpointPatch,
        response: { 200: endpointView },
      },
    },
    async (request) => updateEndpoint(contextOf(request, deps), request.params.id, request.body),
  );

  app.post(
    "/api/v1/endpoints/:id/archive",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Archive an endpoint: it stops counting from now on",
        params: idParams,
        response: { 200: endpointView },
      },
    },
    async (request) => archiveEndpoint(contextOf(request, deps), request.params.id),
  );

  app.post(
    "/api/v1/endpoints/:id/probe",
    {
      config: MANAGE,
      schema: {
        tags,
        summary: "Probe an endpoint now and record the probe",
        description:
          "An address Attest does not connect to (private, loopback, link-local… unless " +
          "configured) or a host that does not answer is recorded as a failed probe with its " +
          "reason, not an error.",
        params: idParams,
        response: { 201: probeView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await probeEndpoint(contextOf(request, deps), deps, request.params.id)),
  );

  app.get(
    "/api/v1/endpoints/:id/probes",
    {
      config: READ,
      schema: {
        tags,
        summary: "An endpoint's probes, the newest first",
        params: idParams,
        querystring: probeListQuery,
        response: { 200: probeList },
      },
    },
    async (request) => ({
      items: await listProbes(contextOf(request, deps), request.params.id, request.query.limit),
      nextCursor: null,
    }),
  );
}
