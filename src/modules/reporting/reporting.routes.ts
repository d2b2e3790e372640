import type { Deps } from "../../platform/deps.ts";
import { idParams, listOf } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import { designateHandlers, getChannel, updateChannel } from "./reporting.channel.ts";
import { changeState, getReport, listReports, postHandlerMessage } from "./reporting.handling.ts";
import {
  channelChanges,
  channelView,
  handlersBody,
  messageBody,
  reportListQuery,
  reportMessageView,
  reportSummary,
  reportView,
  stateBody,
} from "./reporting.schema.ts";

const tags = ["reports"];
const access = "reports.handle" as const;

/**
 * Handlers' API of confidential reports. Every route needs reports.handle (owners and admins);
 * reading and handling reports further needs to be a designated handler (or, while none is
 * designated, an owner). Designating handlers is for owners.
 */
export function reportingRoutes(app: App, deps: Deps): void {
  app.get(
    "/api/v1/reporting/settings",
    {
      config: { access },
      schema: {
        tags,
        summary: "The reporting channel's settings and handlers",
        response: { 200: channelView },
      },
    },
    async (request) => getChannel(contextOf(request, deps)),
  );

  app.patch(
    "/api/v1/reporting/settings",
    {
      config: { access },
      schema: {
        tags,
        summary: "Turn the channel on or off, set its introduction and categories",
        body: channelChanges,
        response: { 200: channelView },
      },
    },
    async (request) => updateChannel(contextOf(request, deps), request.body),
  );

  app.put(
    "/api/v1/reporting/handlers",
    {
      config: { access },
      schema: {
        tags,
        summary: "Designate who handles reports (owners only; an empty list means the owners)",
        body: handlersBody,
        response: { 200: channelView },
      },
    },
    async (request) => designateHandlers(contextOf(request, deps), request.body.userIds),
  );

  app.get(
    "/api/v1/reports",
    {
      config: { access },
      schema: {
        tags,
        summary: "The inbox: references, categories, states and deadlines (no report text)",
        querystring: reportListQuery,
        response: { 200: listOf(reportSummary) },
      },
    },
    async (request) => listReports(contextOf(request, deps), request.query),
  );

  app.get(
    "/api/v1/reports/:id",
    {
      config: { access },
      schema: {
        tags,
        summary: "One report, decrypted, with its thread; the read is audited",
        params: idParams,
        response: { 200: reportView },
      },
    },
    async (request) => getReport(deps, contextOf(request, deps), request.params.id),
  );

  app.post(
    "/api/v1/reports/:id/messages",
    {
      config: { access },
      schema: {
        tags,
        summary: "Write to the reporter (the first message acknowledges the report)",
        params: idParams,
        body: messageBody,
        response: { 201: reportMessageView },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await postHandlerMessage(
            deps,
            contextOf(request, deps),
            request.params.id,
            request.body.body,
          ),
        ),
  );

  app.post(
    "/api/v1/reports/:id/state",
    {
      config: { access },
      schema: {
        tags,
        summary: "Move a report forward; closing needs the outcome the reporter will read",
        params: idParams,
        body: stateBody,
        response: { 200: reportSummary },
      },
    },
    async (request) => changeState(deps, contextOf(request, deps), request.params.id, request.body),
  );
}
