import { type Kysely, sql } from "kysely";
import type { IncidentEntryKind, IncidentSeverity } from "../../db/tables/incidents.ts";
import type { NoticeSeverity } from "../../db/tables/notices.ts";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { isoDay } from "../../domain/dates.ts";
import type { DemoContext, DemoPerson } from "../area.ts";

/** What the parts of the incidents demo share: who did what when, and the timeline's writer. */

export interface DemoEntry {
  hours: number;
  kind: "note" | "action";
  body: string;
}

export interface DemoActionItem {
  title: string;
  owner: number;
  /** Days after the lessons' approval. */
  dueDays: number;
  /** Days after the approval; null: still open. */
  completedDays: number | null;
  note?: string;
}

export interface DemoLessons {
  /** Days after the resolution the owner started writing. */
  startedDays: number;
  /** Days after the resolution a manager approved and shared it; null: still a draft. */
  approvedDays: number | null;
  whatHappened: string;
  impact: string;
  rootCause: string;
  timeline: string;
  wentWell: string;
  toImprove: string;
  actionItems: DemoActionItem[];
}

export interface DemoNotice {
  title: string;
  body: string;
  severity: NoticeSeverity;
  affectedServices: string[];
  /** Hours after the report. */
  publishedHours: number;
  updates: { hours: number; body: string }[];
  resolved: { hours: number; note: string };
}

export interface DemoIncident {
  title: string;
  description: string;
  severity: IncidentSeverity;
  reportedDaysAgo: number;
  /** The hour (UTC) of the day it was reported. */
  reportedHour: number;
  reporterRole: string;
  owner: number;
  triagedHours: number;
  containedHours: number | null;
  resolvedHours: number | null;
  closedHours: number | null;
  customersAffected: boolean;
  customerDataAffected: boolean;
  affectedCustomers: string[];
  systems: string[];
  entries: DemoEntry[];
  notice?: DemoNotice;
  lessons?: DemoLessons;
}

export interface SeededIncident {
  id: string;
  spec: DemoIncident;
  /** The moment `hours` after its report. */
  at: (hours: number) => Date;
  resolvedAt: Date | null;
  ownerUserId: string;
}

export interface PlannedEntry {
  at: Date;
  kind: IncidentEntryKind;
  body?: string;
  from?: string | null;
  to?: string | null;
  author: string;
  noticeId?: string;
}

/** The timeline, and the incident's "last entry" moved to its newest. */
export async function addEntries(
  db: Kysely<Database>,
  demo: DemoContext,
  incidentId: string,
  entries: PlannedEntry[],
) {
  const sorted = [...entries].sort((a, b) => +a.at - +b.at);
  const last = sorted.at(-1)?.at;
  await withTenant(db, demo.organizationId, async (tx) => {
    await tx
      .insertInto("incident_entries")
      .values(
        sorted.map((entry) => ({
          organization_id: demo.organizationId,
          incident_id: incidentId,
          kind: entry.kind,
          body: entry.body ?? "",
          from_value: entry.from ?? null,
          to_value: entry.to ?? null,
          notice_id: entry.noticeId ?? null,
          author_id: entry.author,
          occurred_at: entry.at,
          created_at: entry.at,
        })),
      )
      .execute();
    if (last) {
      await tx
        .updateTable("incidents")
        .set((eb) => ({
          last_entry_at: sql<Date>`greatest(${eb.ref("last_entry_at")}, ${last})`,
          updated_at: sql<Date>`greatest(${eb.ref("updated_at")}, ${last})`,
        }))
        .where("id", "=", incidentId)
        .execute();
    }
  });
}

/** The person at `index` in the demo's list, or the next one employed on that day. */
export function personAt(demo: DemoContext, index: number, on: Date): DemoPerson {
  const person = demo.people.slice(index).find((p) => employedOn(p, on)) ?? demo.people[0];
  if (!person) throw new Error("the people area seeds before the incidents");
  return person;
}

/** Whether the person worked at the company on the day of `on`. */
export function employedOn(person: DemoPerson, on: Date): boolean {
  const day = isoDay(on);
  return person.startDate <= day && (person.endDate === null || person.endDate > day);
}

/** The day of `date` at `hour`:00 UTC plus a few minutes. */
export function atHour(date: Date, hour: number): Date {
  const day = new Date(`${isoDay(date)}T00:00:00Z`);
  return new Date(day.getTime() + hour * 3_600_000 + (date.getTime() % 1_500_000));
}
