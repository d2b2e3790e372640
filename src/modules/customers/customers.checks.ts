import { sql } from "kysely";
import { addDays, isoDay } from "../../domain/dates.ts";
import {
  type ControlTest,
  MAX_STORED_OFFENDERS,
  type Offender,
  outcomeOf,
  type TestContext,
  type TestOutcome,
} from "../monitoring/registry.ts";
import { systemsNow } from "../systems/systems.queries.ts";
import { CUSTOMERS_SOURCE, count, customerLink, RETENTION_CONTROL } from "./customers.core.ts";

/**
 * customer-data-retention (CONTROLS.md): retention-agreed and disposal-on-time, both answered
 * from the customers as they stood at asOf (customer_versions) and the disposal records
 * recorded (created_at) by then, never from the customers' current rows.
 */
const CONTROLS = [RETENTION_CONTROL] as const;

/** The customers as they stood at asOf (their versions then), archived ones left out. */
function customersAsOf(asOf: Date) {
  return sql`(
    select v.customer_id as id, v.name, v.contract_start, v.contract_end, v.retention_days,
      v.system_ids
    from customer_versions v
    where v.valid_from <= ${asOf} and (v.valid_to is null or v.valid_to > ${asOf})
      and not v.archived)`;
}

// --- retention-agreed --------------------------------------------------------------------

interface RetentionRow {
  active: string;
  failing: string;
  id: string | null;
  name: string;
}

/**
 * Every customer active at asOf (contract started, not ended) has a retention requirement: a
 * period agreed with it, or the organization's default explicitly applied. Failing names each
 * one without; not applicable when no customer is active.
 */
async function retentionAgreed({ tx, asOf }: TestContext): Promise<TestOutcome> {
  const day = isoDay(asOf);
  const result = await sql<RetentionRow>`
    with active as materialized (
      select c.* from ${customersAsOf(asOf)} c
      where c.contract_start <= ${day}::date
        and (c.contract_end is null or c.contract_end >= ${day}::date)
    )
    select (select count(*) from active) as active,
      (select count(*) from active where retention_days is null) as failing,
      o.*
    from (select 1) one
    left join lateral (
      select a.id, a.name from active a where a.retention_days is null
      order by a.name, a.id limit ${MAX_STORED_OFFENDERS}
    ) o on true`.execute(tx);
  const first = result.rows[0];
  const active = Number(first?.active ?? 0);
  const failing = Number(first?.failing ?? 0);
  const offenders: Offender[] = result.rows
    .filter((row) => row.id !== null)
    .map((row) => ({
      kind: "customer",
      id: row.id as string,
      label: row.name,
      link: customerLink(row.id as string),
      state: "failing",
      action: `Record the retention period agreed with ${row.name}, or apply the organization's default retention period to it.`,
    }));
  return outcomeOf({
    inScope: active,
    failing,
    dueSoon: 0,
    offenders,
    say: {
      notApplicable: "No customer has an active contract.",
      failing: `${count(failing, "active customer")} of ${active} ${failing === 1 ? "has" : "have"} no retention requirement.`,
      dueSoon: "",
      passing: `Every active customer has a retention requirement (${count(active, "customer")}).`,
    },
  });
}

// --- disposal-on-time --------------------------------------------------------------------

interface DisposalRow {
  ended: string;
  failing: string;
  due_soon: string;
  id: string | null;
  name: string;
  system_id: string | null;
  system_name: string | null;
  deadline: string | null;
  judged: "unknown" | "overdue" | "due_soon";
}

function disposalOffender(row: DisposalRow & { id: string }, day: string): Offender {
  const link = customerLink(row.id);
  if (row.judged === "unknown") {
    return {
      kind: "customer",
      id: row.id,
      label: row.name,
      link,
      state: "failing",
      action: `${row.name}'s contract ended without a retention requirement, so its disposal deadline is unknown: record the agreed retention period or apply the default.`,
    };
  }
  const deadline = row.deadline as string;
  const late = Math.round((Date.parse(day) - Date.parse(deadline)) / 86_400_000);
  const label = `${row.name}: ${row.system_name ?? "a data store"}`;
  const dueAt = addDays(new Date(`${deadline}T00:00:00Z`), 1).toISOString();
  if (row.judged === "due_soon") {
    return {
      kind: "customer",
      id: row.id,
      label,
      link,
      dueAt,
      state: "due_soon",
      action: `Dispose of ${row.name}'s data in ${row.system_name} by ${deadline} and record it.`,
    };
  }
  return {
    kind: "customer",
    id: row.id,
    label,
    link,
    dueAt,
    state: "failing",
    action: `Dispose of ${row.name}'s data in ${row.system_name} and record it: it was due by ${deadline}, ${count(late, "day")} late.`,
  };
}

/**
 * Every customer whose contract ended by asOf has a disposal record (recorded by asOf) for
 * each data store holding its data then: failing for each task past its deadline (contract end
 * + retention period) without one, due soon within customerDisposalWarnDays of it; a customer
 * without a retention requirement fails as a whole (its deadline is unknown). A task closed late
 * no longer fails. Not applicable while no contract has ended.
 */
async function disposalOnTime({ tx, asOf, settings }: TestContext): Promise<TestOutcome> {
  const day = isoDay(asOf);
  const warn = settings.customerDisposalWarnDays;
  const result = await sql<DisposalRow>`
    with ended as materialized (
      select c.* from ${customersAsOf(asOf)} c where c.contract_end < ${day}::date
    ),
    tasks as (
      select e.id, e.name, s.system_id, e.contract_end + e.retention_days as deadline
      from ended e cross join lateral unnest(e.system_ids) s(system_id)
      where e.retention_days is not null
        and not exists (
          select 1 from customer_disposals d
          where d.customer_id = e.id and d.system_id = s.system_id and d.created_at <= ${asOf})
    ),
    found as (
      select e.id, e.name, null::uuid as system_id, null::date as deadline, 'unknown' as judged
      from ended e where e.retention_days is null
      union all
      select t.id, t.name, t.system_id, t.deadline,
        case when t.deadline < ${day}::date then 'overdue' else 'due_soon' end
      from tasks t where t.deadline - ${warn}::int <= ${day}::date
    )
    select (select count(*) from ended) as ended,
      (select count(*) from found where judged <> 'due_soon') as failing,
      (select count(*) from found where judged = 'due_soon') as due_soon,
      o.*
    from (select 1) one
    left join lateral (
      select f.id, f.name, f.system_id, sv.name as system_name, f.deadline::text as deadline,
        f.judged
      from found f
      left join (${systemsNow(tx)}) sv on sv.id = f.system_id
      order by f.judged = 'due_soon', f.deadline nulls first, f.name, f.system_id
      limit ${MAX_STORED_OFFENDERS}
    ) o on true`.execute(tx);
  const first = result.rows[0];
  const ended = Number(first?.ended ?? 0);
  const failing = Number(first?.failing ?? 0);
  const dueSoon = Number(first?.due_soon ?? 0);
  const offenders = result.rows
    .filter((row) => row.id !== null)
    .map((row) => disposalOffender(row as DisposalRow & { id: string }, day));
  return outcomeOf({
    inScope: ended,
    failing,
    dueSoon,
    offenders,
    say: {
      notApplicable: "No customer's contract has ended.",
      failing: `${count(failing, "disposal")} ${failing === 1 ? "is" : "are"} past due or without a known deadline, among ${count(ended, "customer")} whose contract ended.`,
      dueSoon: `${count(dueSoon, "disposal")} ${dueSoon === 1 ? "falls" : "fall"} due within ${count(warn, "day")}.`,
      passing: `The data of every customer whose contract ended was disposed of within its retention period, or is not yet due (${count(ended, "customer")}).`,
    },
  });
}

export const customerChecks: readonly ControlTest[] = [
  {
    testKey: "retention-agreed",
    controls: CONTROLS,
    sources: [CUSTOMERS_SOURCE],
    run: retentionAgreed,
  },
  {
    testKey: "disposal-on-time",
    controls: CONTROLS,
    sources: [CUSTOMERS_SOURCE, "systems"],
    run: disposalOnTime,
  },
];
