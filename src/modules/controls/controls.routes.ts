import { z } from "zod";
import { CONTROL_STATUSES, TEST_STATES } from "../../domain/control-status.ts";
import { CRITERION_PATTERN } from "../../platform/catalog.ts";
import type { Deps } from "../../platform/deps.ts";
import { daySchema, idSchema, listOf, nullableTimestamp } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { contextOf } from "../auth/auth-hook.ts";
import { controlHistory } from "../monitoring/evaluation.service.ts";
import { asOfSchema, offenderView } from "../monitoring/monitoring.schema.ts";
import { getControl, listControls, updateControl } from "./controls.service.ts";

const controlView = z
  .object({
    key: z.string(),
    category: z.string(),
    title: z.string(),
    description: z.string(),
    criteria: z.array(z.string()),
    owner: z.object({ id: idSchema, name: z.string() }).nullable(),
    status: z.enum(CONTROL_STATUSES),
    evaluatedAt: nullableTimestamp,
    tests: z.array(
      z.object({
        key: z.string(),
        description: z.string(),
        state: z.enum(TEST_STATES),
        message: z.string(),
        offenders: z.array(offenderView),
        offenderCount: z.number().int(),
      }),
    ),
  })
  .meta({ id: "Control" });

const keyParams = z.object({
  key: z.string().regex(/^[a-z0-9-]{1,100}$/, "is not a control key"),
});

const asOfQuery = z.object({ asOf: asOfSchema.optional() });

const historyQuery = z
  .object({ from: daySchema, to: daySchema })
  .refine((q) => q.from <= q.to, { message: "must not be after to", path: ["from"] });

const historyView = z.object({
  items: z.array(z.object({ day: z.string(), status: z.enum(CONTROL_STATUSES) })),
});

const controlChanges = z
  .object({
    ownerId: idSchema.nullable().optional(),
    criteria: z
      .array(
        z.string().trim().regex(CRITERION_PATTERN, "must be a SOC 2 criterion id such as CC6.1"),
      )
      .max(50)
      .optional(),
  })
  .refine((b) => Object.keys(b).length > 0, {
    message: "send ownerId or criteria",
    path: ["body"],
  });

export function controlsRoutes(app: App, deps: Deps) {
  app.get(
    "/api/v1/controls",
    {
      config: { access: "controls.read" },
      schema: {
        tags: ["controls"],
        summary: "The controls with their status, now or as of a past date (asOf=2026-03-31)",
        querystring: asOfQuery,
        response: { 200: listOf(controlView) },
      },
    },
    async (request) => ({
      items: await listControls(contextOf(request, deps), { asOf: request.query.asOf }),
      nextCursor: null,
    }),
  );

  app.get(
    "/api/v1/controls/:key",
    {
      config: { access: "controls.read" },
      schema: {
        tags: ["controls"],
        summary: "One control with its tests, their states and the records that cause them",
        params: keyParams,
        querystring: asOfQuery,
        response: { 200: controlView },
      },
    },
    async (request) => getControl(contextOf(request, deps), request.params.key, request.query.asOf),
  );

  app.get(
    "/api/v1/controls/:key/history",
    {
      config: { access: "controls.read" },
      schema: {
        tags: ["controls"],
        summary: "The control's daily status between two dates (one snapshot per day)",
        params: keyParams,
        querystring: historyQuery,
        response: { 200: historyView },
      },
    },
    async (request) => {
      const ctx = contextOf(request, deps);
      await getControl(ctx, request.params.key);
      const rows = await controlHistory(deps.db, ctx.organizationId, {
        controlKey: request.params.key,
        ...request.query,
      });
      return { items: rows.map(({ day, status }) => ({ day, status })) };
    },
  );

  app.patch(
    "/api/v1/controls/:key",
    {
      config: { access: "controls.update" },
      schema: {
        tags: ["controls"],
        summary: "Assign the control's owner or edit its criteria mapping",
        params: keyParams,
        body: controlChanges,
        response: { 200: controlView },
      },
    },
    async (request) => updateControl(contextOf(request, deps), request.params.key, request.body),
  );
}
