import type { Deps } from "../../platform/deps.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import { dashboardJson } from "./dashboard.service.ts";
import { gettingStarted } from "./getting-started.service.ts";
import { dashboardView, gettingStartedView, outgoingMailView } from "./monitoring.schema.ts";

export function monitoringRoutes(app: App, deps: Deps) {
  app.get(
    "/api/v1/dashboard",
    {
      config: { access: "controls.read" },
      schema: {
        tags: ["controls"],
        summary: "Share passing, changes since yesterday, what needs doing, a year of history",
        response: { 200: dashboardView },
      },
    },
    // The body is cached already serialized (and checked against dashboardView when it was).
    async (request, reply) =>
      reply
        .type("application/json; charset=utf-8")
        .send((await dashboardJson(contextOf(request, deps))) as unknown as never),
  );

  // Owners and admins set the organization up: they can act on every step.
  app.get(
    "/api/v1/dashboard/getting-started",
    {
      config: { access: "organization.update" },
      schema: {
        tags: ["controls"],
        summary:
          "The getting-started checklist from the organization's data: owners' two-factor, the team, control owners, published policies",
        response: { 200: gettingStartedView },
      },
    },
    async (request) => gettingStarted(contextOf(request, deps)),
  );

  app.get(
    "/api/v1/outgoing-mail",
    {
      config: { access: "organization.update" },
      schema: {
        tags: ["organization"],
        summary: "Whether outgoing mail is configured (ATTEST_SMTP_URL)",
        response: { 200: outgoingMailView },
      },
    },
    async () => ({ configured: deps.mailer !== null }),
  );
}
