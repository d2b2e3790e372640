import { z } from "zod";
import { CONTROL_STATUSES } from "../../domain/control-status.ts";
import type { Deps } from "../../platform/deps.ts";
import { contextOf } from "../../platform/http/auth-hook.ts";
import { idSchema, timestamp } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { getDashboard } from "./dashboard.service.ts";
import { offenderView } from "./monitoring.schema.ts";

const status = z.enum(CONTROL_STATUSES);
const counts = z.object(
  Object.fromEntries(CONTROL_STATUSES.map((s) => [s, z.number().int()])) as Record<
    (typeof CONTROL_STATUSES)[number],
    z.ZodNumber
  >,
);
const shareView = {
  passing: z.number().int(),
  total: z.number().int(),
  percent: z.number(),
  counts,
};

const dashboardView = z
  .object({
    generatedAt: timestamp,
    overall: z.object(shareView),
    categories: z.array(z.object({ name: z.string(), ...shareView })),
    changes: z.array(
      z.object({ controlKey: z.string(), title: z.string(), from: status, to: status }),
    ),
    attention: z.array(
      z.object({
        controlKey: z.string(),
        title: z.string(),
        category: z.string(),
        status,
        owner: z.object({ id: idSchema, name: z.string() }).nullable(),
        nextDueAt: z.string().nullable(),
        offenderCount: z.number().int(),
        tests: z.array(
          z.object({
            key: z.string(),
            state: z.string(),
            message: z.string(),
            offenders: z.array(offenderView),
            offenderCount: z.number().int(),
          }),
        ),
      }),
    ),
    history: z.array(z.object({ day: z.string(), ...counts.shape })),
  })
  .meta({ id: "Dashboard" });

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
    async (request) => getDashboard(contextOf(request, deps)),
  );
}
