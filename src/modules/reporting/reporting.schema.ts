import { z } from "zod";
import { REPORT_STATES } from "../../db/tables/reporting.ts";
import {
  emailSchema,
  idSchema,
  nullableTimestamp,
  timestamp,
} from "../../platform/http/schemas.ts";

/** The categories a reporter can choose; the organization offers some or all of them. */
export const REPORT_CATEGORIES = ["security", "conduct", "privacy", "other"] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];
export const CATEGORY_LABELS: Record<ReportCategory, string> = {
  security: "Security",
  conduct: "Ethics or conduct",
  privacy: "Privacy",
  other: "Something else",
};

export const SUBJECT_MAX = 200;
export const DETAILS_MAX = 20_000;
export const MESSAGE_MAX = 20_000;

const ANTI_SPAM_MISSING =
  "the anti-spam check did not run: reload the form, and with JavaScript off wait a few seconds before sending";

/** An optional form field: an empty or blank string is "not given". */
function optionalText<T extends z.ZodType>(schema: T) {
  return z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    schema.optional(),
  );
}

/** A report as the public form or a JSON client sends it (flat, so both share one shape). */
export const submissionBody = z
  .object({
    category: z.enum(REPORT_CATEGORIES, "choose one of the categories offered"),
    subject: z
      .string("write a short subject")
      .trim()
      .min(1, "write a short subject")
      .max(SUBJECT_MAX, `must be at most ${SUBJECT_MAX} characters`),
    details: z
      .string("describe what happened")
      .trim()
      .min(1, "describe what happened")
      .max(DETAILS_MAX, `must be at most ${DETAILS_MAX} characters`),
    contactName: optionalText(z.string().trim().max(200, "must be at most 200 characters")),
    contactEmail: optionalText(z.string().trim().pipe(emailSchema)),
    contactPhone: optionalText(
      z
        .string()
        .trim()
        .max(40, "must be at most 40 characters")
        .regex(/^[+0-9 ().-]{3,}$/, "must be a phone number"),
    ),
    powChallenge: optionalText(z.string().max(300, "must be at most 300 characters")),
    powCounter: optionalText(z.string().max(20, "must be at most 20 characters")),
    /** The form page's own challenge, for browsers without JavaScript (no proof of work). */
    pageChallenge: optionalText(z.string().max(300, "must be at most 300 characters")),
  })
  .superRefine((value, ctx) => {
    // Either a solved proof of work (JavaScript) or the page challenge (no JavaScript).
    if ((value.powChallenge && value.powCounter) || value.pageChallenge) return;
    for (const field of ["powChallenge", "powCounter"] as const) {
      if (!value[field])
        ctx.addIssue({ code: "custom", path: [field], message: ANTI_SPAM_MISSING });
    }
  });
export type Submission = z.infer<typeof submissionBody>;

export const followUpBody = z.object({
  key: z.string("enter your follow-up key").trim().min(1, "enter your follow-up key").max(100),
});

export const reporterReplyBody = followUpBody.extend({
  body: z
    .string("write your message")
    .trim()
    .min(1, "write your message")
    .max(MESSAGE_MAX, `must be at most ${MESSAGE_MAX} characters`),
});

// Handlers' API.

export const reportState = z.enum(REPORT_STATES);

export const deadlineView = z.object({
  dueAt: timestamp,
  /** met: done in time; late: done after the deadline; open: not yet, not due soon. */
  status: z.enum(["met", "late", "open", "due_soon", "overdue"]),
  doneAt: nullableTimestamp,
});

export const reportSummary = z.object({
  id: idSchema,
  reference: z.string(),
  category: z.enum(REPORT_CATEGORIES),
  state: reportState,
  receivedAt: timestamp,
  acknowledgement: deadlineView,
  feedback: deadlineView,
  closedAt: nullableTimestamp,
  /** The reporter wrote after the last handler message: an answer is waiting. */
  awaitingReply: z.boolean(),
});

export const reportMessageView = z.object({
  id: idSchema,
  author: z.enum(["handler", "reporter"]),
  authorName: z.string().nullable(),
  body: z.string(),
  createdAt: timestamp,
});

export const reportView = reportSummary.extend({
  subject: z.string(),
  details: z.string(),
  contact: z
    .object({
      name: z.string().nullable(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
    })
    .nullable(),
  outcome: z.string().nullable(),
  messages: z.array(reportMessageView),
});

export const reportListQuery = z.object({
  state: z.enum([...REPORT_STATES, "open"]).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const messageBody = z.object({
  body: z
    .string()
    .trim()
    .min(1, "write a message")
    .max(MESSAGE_MAX, `must be at most ${MESSAGE_MAX} characters`),
});

export const stateBody = z.object({
  state: z.enum(["acknowledged", "investigating", "closed"]),
  outcome: z.string().trim().min(1, "must not be empty").max(MESSAGE_MAX).optional(),
});

export const handlerView = z.object({
  userId: idSchema,
  name: z.string(),
  email: z.string(),
  role: z.string(),
});

export const channelView = z.object({
  enabled: z.boolean(),
  intro: z.string(),
  categories: z.array(z.enum(REPORT_CATEGORIES)),
  /** Whether handlers are designated; when not, the owners act as handlers. */
  handlersDesignated: z.boolean(),
  /** The people who read reports now (designated, or the owners by default). */
  handlers: z.array(handlerView),
  /** Who could be designated: active owners and admins. */
  eligible: z.array(handlerView),
  /** Whether the caller is one of the handlers. */
  youAreHandler: z.boolean(),
  /** Whether the caller may designate handlers (owners). */
  youMayDesignate: z.boolean(),
  acknowledgeDays: z.number().int(),
  feedbackDays: z.number().int(),
});

export const channelChanges = z
  .object({
    enabled: z.boolean().optional(),
    intro: z.string().trim().max(4000, "must be at most 4000 characters").optional(),
    categories: z
      .array(z.enum(REPORT_CATEGORIES))
      .min(1, "offer at least one category")
      .max(REPORT_CATEGORIES.length)
      .optional(),
  })
  .strict();

export const handlersBody = z.object({
  userIds: z.array(idSchema).max(100),
});
