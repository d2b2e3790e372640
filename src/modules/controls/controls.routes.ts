import { z } from "zod";
import type { Deps } from "../../platform/deps.ts";
import { contextOf } from "../../platform/http/auth-hook.ts";
import { idSchema, listOf } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { CRITERION_PATTERN } from "./catalog.ts";
import { getControl, listControls, updateControl } from "./controls.service.ts";

const controlView = z
  .object({
    key: z.string(),
    category: z.string(),
    title: z.string(),
    description: z.string(),
    criteria: z.array(z.string()),
    owner: z.object({ id: idSchema, name: z.string() }).nullable(),
    status: z.enum(["passing", "failing", "needs_attention", "not_applicable", "not_evaluated"]),
    tests: z.array(
      z.object({
        key: z.string(),
        description: z.string(),
        state: z.string(),
        message: z.string(),
      }),
    ),
  })
  .meta({ id: "Control" });

const keyParams = z.object({ key: z.string().regex(/^[a-z0-9-]{1,100}$/, "is not a control key") });

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
        summary: "The control catalog with status",
        response: { 200: listOf(controlView) },
      },
    },
    async (request) => ({ items: await listControls(contextOf(request, deps)), nextCursor: null }),
  );

  app.get(
    "/api/v1/controls/:key",
    {
      config: { access: "controls.read" },
      schema: { tags: ["controls"], params: keyParams, response: { 200: controlView } },
    },
    async (request) => getControl(contextOf(request, deps), request.params.key),
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
