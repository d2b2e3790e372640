import { withTenant } from "../../db/tenant.ts";
import type { Deps } from "../../platform/deps.ts";
import { errors } from "../../platform/errors.ts";
import type { App } from "../../platform/http/types.ts";
import { themeStylesheet } from "../../public-site/assets.ts";
import { contextOf } from "../auth/auth-hook.ts";
import { organizationName } from "../organizations/organizations.queries.ts";
import { SVG_CSP } from "./trust-center.public.ts";
import {
  emptyBody,
  logoUpload,
  publishBody,
  publishSummaryView,
  settingsPatch,
  trustCenterView,
} from "./trust-center.schema.ts";
import {
  draftSettings,
  getTrustCenter,
  publish,
  takeOffline,
  updateDraft,
} from "./trust-center.service.ts";
import { deleteLogo, loadLogo, uploadLogo } from "./trust-logo.ts";
import { renderHome } from "./trust-page.ts";
import { themeVersion } from "./trust-state.ts";
import { publishSummary } from "./trust-summary.ts";

const tags = ["trust center"];
const HTML = "text/html; charset=utf-8";

/** Admin API of the trust center: settings, preview, publication. */
export function trustCenterRoutes(app: App, deps: Deps): void {
  app.get(
    "/api/v1/trust-center",
    {
      config: { access: "trust.read" },
      schema: {
        tags,
        summary: "The trust center's draft settings, what is published and its history",
        response: { 200: trustCenterView },
      },
    },
    async (request) => getTrustCenter(contextOf(request, deps)),
  );

  app.patch(
    "/api/v1/trust-center",
    {
      config: { access: "trust.manage" },
      schema: {
        tags,
        summary: "Change the draft settings (the public sees them once published)",
        body: settingsPatch,
        response: { 200: trustCenterView },
      },
    },
    async (request) => updateDraft(contextOf(request, deps), request.body),
  );

  app.get(
    "/api/v1/trust-center/publish-summary",
    {
      config: { access: "trust.read" },
      schema: {
        tags,
        summary:
          "What publishing the draft now would make public: sections, controls in place and in progress, policies, documents, notices, and whether the page is online",
        response: { 200: publishSummaryView },
      },
    },
    async (request) => publishSummary(contextOf(request, deps)),
  );

  app.post(
    "/api/v1/trust-center/publish",
    {
      config: { access: "trust.manage" },
      schema: {
        tags,
        summary:
          "Publish the draft and put the trust center online (with draftVersion: only the draft the summary showed)",
        body: publishBody,
        response: { 200: trustCenterView },
      },
    },
    async (request) => publish(contextOf(request, deps), request.body ?? {}),
  );

  app.post(
    "/api/v1/trust-center/offline",
    {
      config: { access: "trust.manage" },
      schema: {
        tags,
        summary: "Take the trust center offline (recorded as a publication)",
        body: emptyBody,
        response: { 200: trustCenterView },
      },
    },
    async (request) => takeOffline(contextOf(request, deps)),
  );

  app.put(
    "/api/v1/trust-center/logo",
    {
      config: { access: "trust.manage" },
      schema: {
        tags,
        summary: "Upload the draft's logo (PNG, JPEG, SVG or WebP, base64, at most 256 KiB)",
        body: logoUpload,
        response: { 200: trustCenterView },
      },
    },
    async (request) => uploadLogo(contextOf(request, deps), request.body),
  );

  app.delete(
    "/api/v1/trust-center/logo",
    {
      config: { access: "trust.manage" },
      schema: {
        tags,
        summary: "Remove the logo from the draft",
        response: { 200: trustCenterView },
      },
    },
    async (request) => deleteLogo(contextOf(request, deps)),
  );

  app.get(
    "/api/v1/trust-center/logo",
    {
      config: { access: "trust.read" },
      schema: { tags, summary: "The draft's logo image" },
      onSend: async (_request, reply, payload) => {
        if (String(reply.getHeader("content-type")).startsWith("image/svg+xml")) {
          reply.header("content-security-policy", SVG_CSP);
        }
        return payload;
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request, deps);
      const logo = await withTenant(deps.db, ctx.organizationId, async (tx) => {
        const { settings } = await draftSettings(tx);
        return settings.logoId ? loadLogo(tx, settings.logoId) : undefined;
      });
      if (!logo) throw errors.notFound("The draft's logo");
      return reply.type(logo.contentType).send(logo.data);
    },
  );

  app.get(
    "/api/v1/trust-center/preview/theme.css",
    {
      config: { access: "trust.read" },
      schema: { tags, summary: "The draft's colours as a stylesheet, for the preview" },
    },
    async (request, reply) => {
      const ctx = contextOf(request, deps);
      const { settings } = await withTenant(deps.db, ctx.organizationId, draftSettings);
      return reply.type("text/css; charset=utf-8").send(themeStylesheet(settings));
    },
  );

  app.get(
    "/api/v1/trust-center/preview",
    {
      config: { access: "trust.read" },
      schema: { tags, summary: "The draft rendered as the public page, marked as a preview" },
    },
    async (request, reply) => {
      const ctx = contextOf(request, deps);
      const body = await withTenant(deps.db, ctx.organizationId, async (tx) => {
        const { settings } = await draftSettings(tx);
        const version = themeVersion(settings);
        const rendered = await renderHome(
          tx,
          {
            organizationId: ctx.organizationId,
            companyName: settings.displayName ?? (await organizationName(tx)),
            basePath: "/trust",
            preview: true,
            online: true,
            contactEmail: settings.contactEmail,
            mail: deps.mailer !== null,
            theme: {
              stylesheet: `/api/v1/trust-center/preview/theme.css?v=${version}`,
              logo: settings.logoId ? `/api/v1/trust-center/logo?v=${settings.logoId}` : null,
            },
          },
          settings,
          (section, error) =>
            request.log.error({ err: error, section }, "a trust center section failed to render"),
        );
        return rendered.body;
      });
      return reply.type(HTML).header("x-robots-tag", "noindex, nofollow").send(body);
    },
  );
}
