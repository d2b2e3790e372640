import { sql } from "kysely";
import { addDays, isoDay } from "../../domain/dates.ts";
import {
  type ControlTest,
  MAX_STORED_OFFENDERS,
  type Offender,
  type TestContext,
  type TestOutcome,
} from "../monitoring/registry.ts";
import {
  systemLink,
  systemsAsOf,
  systemsNow,
  systemsScannedSince,
} from "../systems/systems.queries.ts";
import { periodsAsOf } from "./vulnerabilities.periods.ts";
import { findingLabel, findingLink } from "./vulnerabilities.queries.ts";

/**
 * vulnerability-patch-management-policy's vulnerabilities-within-sla and scans-recent
 * (CONTROLS.md), set-based over the findings' status periods in force at asOf and the scan
 * imports, each counting in one pass and naming at most MAX_STORED_OFFENDERS offenders.
 */
const CONTROLS = ["vulnerability-patch-management-policy"] as const;

interface SlaRow {
  counting: string;
  failing: string;
  due_soon: string;
  detected: boolean;
  scanned: boolean;
  finding_id: string | null;
  deadline_at: Date | null;
  severity: string | null;
  title: string;
  identifiers: string[] | null;
  package_name: string | null;
  installed_version: string | null;
  system_name: string | null;
}

/**
 * Every finding counting at asOf (open, or risk accepted: its deadline is then the later of
 * its due date and the acceptance's expiry, so an expired acceptance counts again with no job
 * needed) is failing once its deadline has passed, due soon within vulnerabilityWarnDays.
 * Scanner and pentest findings alike. Not applicable while nothing was detected and no system
 * was marked scanned.
 */
async function vulnerabilitiesWithinSla(context: TestContext): Promise<TestOutcome> {
  const { tx, asOf, settings } = context;
  const edge = addDays(asOf, settings.vulnerabilityWarnDays);
  const result = await sql<SlaRow>`
    with counting as materialized (
      select p.finding_id, p.deadline_at, p.severity
      from ${periodsAsOf(asOf)} p
      where p.deadline_at is not null
    ),
    totals as (
      select count(*) as counting,
        count(*) filter (where deadline_at < ${asOf}) as failing,
        count(*) filter (where deadline_at >= ${asOf} and deadline_at <= ${edge}) as due_soon
      from counting
    )
    select t.counting, t.failing, t.due_soon,
      exists (select 1 from findings where first_detected_at <= ${asOf}) as detected,
      exists (select 1 from (${systemsAsOf(tx, asOf)}) sy where sy.scanned) as scanned,
      o.*
    from totals t
    left join lateral (
      -- the first offenders by deadline, then their findings (by key: never all of them)
      select c.finding_id, c.deadline_at, c.severity, f.title, f.identifiers, f.package_name,
        f.installed_version, s.name as system_name
      from (
        select finding_id, deadline_at, severity from counting
        where deadline_at <= ${edge}
        order by deadline_at, finding_id
        limit ${MAX_STORED_OFFENDERS}
      ) c
      join findings f on f.id = c.finding_id
      left join (${systemsNow(tx)}) s on s.id = f.system_id
    ) o on true
    order by o.deadline_at, o.finding_id`.execute(tx);
  const first = result.rows[0];
  const counting = Number(first?.counting ?? 0);
  const failing = Number(first?.failing ?? 0);
  const dueSoon = Number(first?.due_soon ?? 0);
  if (counting === 0 && !first?.detected && !first?.scanned) {
    return {
      state: "not_applicable",
      message: "No vulnerability was detected and no system is marked as scanned.",
      offenders: [],
    };
  }
  const offenders: Offender[] = result.rows
    .filter((row) => row.finding_id !== null && row.deadline_at !== null)
    .map((row) => {
      const deadline = new Date(row.deadline_at as Date);
      const overdue = deadline.getTime() < asOf.getTime();
      return {
        kind: "finding",
        id: row.finding_id as string,
        label: findingLabel(row),
        link: findingLink(row.finding_id as string),
        dueAt: deadline.toISOString(),
        state: overdue ? "failing" : "due_soon",
        action: `Fix, or accept the risk, by ${isoDay(deadline)}${overdue ? " (overdue)" : ""}: ${row.severity} finding.`,
      };
    });
  if (failing > 0) {
    return {
      state: "failing",
      message: `${failing} of ${counting} open vulnerabilities are past their remediation deadline.`,
      offenders,
      offenderCount: failing + dueSoon,
    };
  }
  if (dueSoon > 0) {
    return {
      state: "due_soon",
      message: `${dueSoon} of ${counting} open vulnerabilities reach their remediation deadline within ${settings.vulnerabilityWarnDays} days.`,
      offenders,
      offenderCount: dueSoon,
    };
  }
  return {
    state: "passing",
    message:
      counting === 0
        ? "No vulnerability is open."
        : `Every one of the ${counting} open vulnerabilities is within its remediation deadline.`,
    offenders: [],
  };
}

interface ScanRow {
  scanned: string;
  failing: string;
  due_soon: string;
  id: string | null;
  name: string | null;
  since: Date | null;
  last_scan: Date | null;
  due: Date | null;
}

/**
 * Every system marked scanned at asOf had a scan imported with scanned_at within
 * scanMaxAgeDays before asOf; one never scanned is due scanMaxAgeDays after it was first
 * marked scanned. Due soon within scanWarnDays. Not applicable when no system is marked.
 */
async function scansRecent(context: TestContext): Promise<TestOutcome> {
  const { tx, asOf, settings } = context;
  const edge = addDays(asOf, settings.scanWarnDays);
  const result = await sql<ScanRow>`
    with judged as materialized (
      select sy.id, sy.name, since.since, last.scanned_at as last_scan,
        coalesce(last.scanned_at, since.since) + make_interval(days => ${settings.scanMaxAgeDays})
          as due
      from (${systemsAsOf(tx, asOf)}) sy
      join (${systemsScannedSince(tx, asOf)}) since on since.id = sy.id
      left join lateral (
        select max(i.scanned_at) as scanned_at from scan_imports i
        where i.system_id = sy.id and i.scanned_at <= ${asOf}
      ) last on true
      where sy.scanned
    ),
    totals as (
      select count(*) as scanned,
        count(*) filter (where due < ${asOf}) as failing,
        count(*) filter (where due >= ${asOf} and due <= ${edge}) as due_soon
      from judged
    )
    select t.*, o.* from totals t
    left join lateral (
      select j.id, j.name, j.since, j.last_scan, j.due from judged j
      where j.due <= ${edge}
      order by j.due, j.name, j.id
      limit ${MAX_STORED_OFFENDERS}
    ) o on true`.execute(tx);
  const first = result.rows[0];
  const scanned = Number(first?.scanned ?? 0);
  if (scanned === 0) {
    return {
      state: "not_applicable",
      message: "No system is marked as scanned.",
      offenders: [],
    };
  }
  const failing = Number(first?.failing ?? 0);
  const dueSoon = Number(first?.due_soon ?? 0);
  const offenders: Offender[] = result.rows
    .filter((row) => row.id !== null && row.due !== null)
    .map((row) => {
      const due = new Date(row.due as Date);
      const overdue = due.getTime() < asOf.getTime();
      const last = row.last_scan
        ? `the last was on ${isoDay(new Date(row.last_scan))}`
        : `none was imported since it was marked scanned on ${isoDay(new Date(row.since as Date))}`;
      return {
        kind: "system",
        id: row.id as string,
        label: row.name as string,
        link: systemLink(row.id as string),
        dueAt: due.toISOString(),
        state: overdue ? "failing" : "due_soon",
        action: `Import a scan of ${row.name}${overdue ? "" : ` by ${isoDay(due)}`}: ${last}.`,
      };
    });
  if (failing > 0) {
    return {
      state: "failing",
      message: `${failing} of ${scanned} systems marked as scanned had no scan imported within ${settings.scanMaxAgeDays} days.`,
      offenders,
      offenderCount: failing + dueSoon,
    };
  }
  if (dueSoon > 0) {
    return {
      state: "due_soon",
      message: `${dueSoon} of ${scanned} systems marked as scanned are due a scan within ${settings.scanWarnDays} days.`,
      offenders,
      offenderCount: dueSoon,
    };
  }
  return {
    state: "passing",
    message: `Every one of the ${scanned} systems marked as scanned had a scan imported within ${settings.scanMaxAgeDays} days.`,
    offenders: [],
  };
}

export const findingChecks: readonly ControlTest[] = [
  {
    testKey: "vulnerabilities-within-sla",
    controls: CONTROLS,
    sources: ["findings", "pentests", "systems"],
    run: vulnerabilitiesWithinSla,
  },
  {
    testKey: "scans-recent",
    controls: CONTROLS,
    sources: ["findings", "systems"],
    run: scansRecent,
  },
];
