import type { Deps } from "../../platform/deps.ts";
import { attachmentDisposition } from "../../platform/http/content-disposition.ts";
import { idParams } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import { noticeView } from "../notices/notices.schema.ts";
import { incidentExportPdf } from "./incidents.export.ts";
import { noticeFromIncident } from "./incidents.notices.schema.ts";
import { draftNoticeFromIncident } from "./incidents.notices.ts";

const tags = ["incidents"];

/** Notices drafted from an incident, and the incident's export (PDF). */
export function incidentNoticeRoutes(app: App, deps: Deps): void {
  app.post(
    "/api/v1/incidents/:id/notices",
    {
      config: { access: "notices.manage" },
      schema: {
        tags,
        summary: "Draft a customer notice about the incident, prefilled from it",
        params: idParams,
        body: noticeFromIncident,
        response: { 201: noticeView },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await draftNoticeFromIncident(contextOf(request, deps), request.params.id, request.body),
        ),
  );

  app.get(
    "/api/v1/incidents/:id/export.pdf",
    {
      config: { access: "incidents.read" },
      schema: {
        tags,
        summary: "The incident as a PDF: its timeline, notices and lessons learned",
        params: idParams,
      },
    },
    async (request, reply) => {
      const file = await incidentExportPdf(contextOf(request, deps), request.params.id);
      return reply
        .type("application/pdf")
        .header("content-disposition", attachmentDisposition(file.fileName))
        .header("cache-control", "no-store")
        .send(file.data);
    },
  );
}
