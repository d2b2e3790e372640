import type { Deps } from "../../platform/deps.ts";
import { contextOf } from "../../platform/http/auth-hook.ts";
import type { App } from "../../platform/http/types.ts";
import { dashboardJson } from "./dashboard.service.ts";
import { dashboardView } from "./monitoring.schema.ts";

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
}
