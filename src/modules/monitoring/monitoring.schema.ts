import { z } from "zod";
import { CONTROL_STATUSES } from "../../domain/control-status.ts";
import { endOfDay } from "../../domain/dates.ts";
import { daySchema, idSchema, timestamp, timestampText } from "../../platform/http/schemas.ts";
import { GETTING_STARTED_STEPS } from "./getting-started.service.ts";

/** `asOf` takes a day (read as the end of that UTC day) or an exact ISO timestamp. */
export const asOfSchema = z.union([
  daySchema.transform((day) => endOfDay(day)),
  timestampText.transform((text) => new Date(text)),
]);

export const offenderView = z.object({
  kind: z.string(),
  id: z.string(),
  label: z.string(),
  link: z.string(),
  action: z.string(),
  dueAt: z.string().optional(),
  state: z.enum(["failing", "due_soon"]).optional(),
});

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

export const dashboardView = z
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

export const gettingStartedView = z
  .object({
    complete: z.boolean().meta({ description: "every step is done: the checklist is not shown" }),
    steps: z.array(
      z.object({
        key: z.enum(GETTING_STARTED_STEPS),
        done: z.boolean(),
        count: z.number().int(),
        total: z.number().int().nullable(),
        link: z.string().meta({ description: "the page of the web app where the step is done" }),
      }),
    ),
  })
  .meta({ id: "GettingStarted" });

export const outgoingMailView = z
  .object({
    configured: z.boolean().meta({
      description: "whether ATTEST_SMTP_URL is set; when not, Attest sends no mail at all",
    }),
  })
  .meta({ id: "OutgoingMail" });
