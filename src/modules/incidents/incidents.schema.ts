import { z } from "zod";
import {
  INCIDENT_ENTRY_KINDS,
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  LESSONS_STATUSES,
} from "../../db/tables/incidents.ts";
import {
  idSchema,
  limitSchema,
  nullableTimestamp,
  timestamp,
} from "../../platform/http/schemas.ts";

/** Requests and answers of the incident routes: incidents, their timelines and attachments. */

const text = (max: number) => z.string().trim().max(max);
const named = z.object({ id: idSchema, name: z.string() });

const impactFields = {
  customersAffected: z.boolean(),
  customerDataAffected: z.boolean(),
  /** The customers affected, by name. */
  affectedCustomers: z.array(text(200).min(1)).max(500),
  systemIds: z.array(idSchema).max(200),
};

export const newIncident = z
  .object({
    title: text(200).min(1),
    description: text(20_000).optional(),
    severity: z.enum(INCIDENT_SEVERITIES).optional(),
    ...z.object(impactFields).partial().shape,
    /** The confidential report it comes from; only a handler of reports may name one. */
    reportId: idSchema.optional(),
  })
  .strict();

export const incidentPatch = z
  .object({
    title: text(200).min(1),
    description: text(20_000),
    severity: z.enum(INCIDENT_SEVERITIES),
    /** A user of the organization. */
    ownerId: idSchema,
    status: z.enum(INCIDENT_STATUSES),
    ...impactFields,
  })
  .partial()
  .strict();

/** "open": reported, triaged or contained. */
export const INCIDENT_STATUS_FILTERS = ["open", ...INCIDENT_STATUSES] as const;

export const incidentListQuery = z.object({
  status: z.enum(INCIDENT_STATUS_FILTERS).optional(),
  severity: z.enum(INCIDENT_SEVERITIES).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});

const summaryFields = {
  id: idSchema,
  reference: z.string(),
  number: z.number().int(),
  title: z.string(),
  severity: z.enum(INCIDENT_SEVERITIES).nullable(),
  status: z.enum(INCIDENT_STATUSES),
  owner: named.nullable(),
  /** Who declared it (a handler, for one from a report: never the reporter). */
  reportedBy: named.nullable(),
  fromReport: z.boolean(),
  reportedAt: timestamp,
  triagedAt: nullableTimestamp,
  containedAt: nullableTimestamp,
  resolvedAt: nullableTimestamp,
  closedAt: nullableTimestamp,
  customersAffected: z.boolean(),
  customerDataAffected: z.boolean(),
  affectedCustomers: z.array(z.string()),
  lastEntryAt: timestamp,
  /** The triage deadline (reported + the triage hours); null once triaged. */
  triageBy: nullableTimestamp,
  /** When the next timeline entry is due under its severity, while open; else null. */
  nextUpdateBy: nullableTimestamp,
  /** Whether an exercise of the Incident Response Plan names it as the plan's test. */
  isPlanTest: z.boolean(),
  /** Hours from confirmation (or being marked as affecting customers) to the first notice. */
  timeToNoticeHours: z.number().nullable(),
};

export const incidentSummary = z.object(summaryFields).meta({ id: "IncidentSummary" });

export const incidentView = z
  .object({
    ...summaryFields,
    description: z.string(),
    systems: z.array(named),
    lessons: z
      .object({ status: z.enum(LESSONS_STATUSES), approvedAt: nullableTimestamp })
      .nullable(),
    notices: z.array(
      z.object({
        id: idSchema,
        title: z.string(),
        status: z.string(),
        publishedAt: nullableTimestamp,
      }),
    ),
    /** What the caller may do with it. */
    may: z.object({ manage: z.boolean(), approve: z.boolean() }),
  })
  .meta({ id: "Incident" });

export const entryView = z
  .object({
    id: idSchema,
    kind: z.enum(INCIDENT_ENTRY_KINDS),
    body: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    author: named.nullable(),
    occurredAt: timestamp,
    createdAt: timestamp,
    evidence: z.object({ id: idSchema, fileName: z.string().nullable() }).nullable(),
    notice: z.object({ id: idSchema, title: z.string() }).nullable(),
  })
  .meta({ id: "IncidentEntry" });

export const entryList = z.object({ items: z.array(entryView) });

export const newEntry = z
  .object({
    kind: z.enum(["note", "action"]),
    body: text(20_000).min(1),
    /** When it happened, if earlier than now; never in the future. */
    occurredAt: timestamp.optional(),
  })
  .strict();

const clock = z.object({ definition: z.string(), updateDays: z.number().int() });
export const severitiesView = z
  .object({ critical: clock, high: clock, medium: clock, low: clock, triageHours: z.number() })
  .meta({ id: "IncidentSeverities" });

export type NewIncident = z.infer<typeof newIncident>;
export type IncidentPatch = z.infer<typeof incidentPatch>;
export type IncidentListQuery = z.infer<typeof incidentListQuery>;
export type IncidentSummary = z.infer<typeof incidentSummary>;
export type IncidentView = z.infer<typeof incidentView>;
export type EntryView = z.infer<typeof entryView>;
export type NewEntry = z.infer<typeof newEntry>;
export type SeveritiesView = z.infer<typeof severitiesView>;
