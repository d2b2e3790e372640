import { sql } from "kysely";
import { dayText, endOfDay, isoDay } from "../../domain/dates.ts";
import {
  type ControlTest,
  MAX_STORED_OFFENDERS,
  type Offender,
  outcomeOf,
  type TestContext,
  type TestOutcome,
} from "../monitoring/registry.ts";
import { systemLink, systemsAsOf } from "../systems/systems.queries.ts";
import {
  CONTINUITY_SOURCE,
  RESTORE_DUE_SOON_DAYS,
  RESTORE_VALID_DAYS,
  recordRestoreTestLink,
} from "./continuity.core.ts";

/**
 * backup-restoration-testing (CONTROLS.md): restore-tested. Answered from the restore tests
 * as recorded by asOf (created_at) and not withdrawn by then, and the inventory as it stood at
 * asOf (systemsAsOf): a withdrawn test counted until it was withdrawn.
 */
const CONTROLS = ["backup-restoration-testing"] as const;

interface RestoreRow {
  backed_up: string;
  failing: string;
  due_soon: string;
  id: string | null;
  name: string;
  tests: string;
  last_ok: string | null;
  due_on: string | null;
  judged: "none" | "failed" | "old" | "due_soon";
}

/** What to do about one backed-up system, and why it is named. */
function restoreAction(row: RestoreRow): string {
  const how = "into a non-production environment, with integrity checks that all pass";
  const tests = Number(row.tests);
  switch (row.judged) {
    case "none":
      return `Restore a backup of ${row.name} ${how}, and record the test: it has none.`;
    case "failed":
      return `Restore a backup of ${row.name} again ${how}, and record the test: ${tests === 1 ? "its one test" : `all ${tests} of its tests`} failed an integrity check or ran none.`;
    case "old":
      return `Restore a backup of ${row.name} ${how}, and record the test: its last successful one, on ${dayText(row.last_ok)}, is more than ${RESTORE_VALID_DAYS} days old.`;
    default:
      return `Restore a backup of ${row.name} ${how} by ${dayText(row.due_on)}, and record the test: its last successful one was on ${dayText(row.last_ok)}.`;
  }
}

/**
 * Every system marked as backed up at asOf (not archived) has a successful restore test (at
 * least one integrity check run, all passed) performed within RESTORE_VALID_DAYS of asOf's
 * day; due soon from RESTORE_DUE_SOON_DAYS before that. Restore tests are only recorded into
 * non-production environments (a production target is refused when recorded). Not applicable
 * when no system is backed up.
 */
async function restoreTested(context: TestContext): Promise<TestOutcome> {
  const { tx, asOf } = context;
  const day = isoDay(asOf);
  const result = await sql<RestoreRow>`
    with backed as materialized (
      select sy.id, sy.name from (${systemsAsOf(tx, asOf)}) sy where sy.backed_up
    ),
    judged as materialized (
      select b.id, b.name, coalesce(t.tests, 0) as tests, t.last_ok,
        t.last_ok + ${RESTORE_VALID_DAYS}::int as due_on,
        case
          when t.last_ok is null and coalesce(t.tests, 0) = 0 then 'none'
          when t.last_ok is null then 'failed'
          when t.last_ok + ${RESTORE_VALID_DAYS}::int < ${day}::date then 'old'
          when t.last_ok + ${RESTORE_VALID_DAYS - RESTORE_DUE_SOON_DAYS}::int <= ${day}::date
            then 'due_soon'
        end as judged
      from backed b
      left join lateral (
        select count(*) as tests, max(r.performed_on) filter (where r.successful) as last_ok
        from restore_tests r
        where r.system_id = b.id and r.created_at <= ${asOf} and r.performed_on <= ${day}::date
          and (r.withdrawn_at is null or r.withdrawn_at > ${asOf})
      ) t on true
    )
    select (select count(*) from backed) as backed_up,
      (select count(*) from judged where judged in ('none', 'failed', 'old')) as failing,
      (select count(*) from judged where judged = 'due_soon') as due_soon,
      o.*
    from (select 1) one
    left join lateral (
      select j.id, j.name, j.tests, j.last_ok::text as last_ok, j.due_on::text as due_on,
        j.judged
      from judged j
      where j.judged is not null
      order by j.judged = 'due_soon', j.due_on nulls first, j.name, j.id
      limit ${MAX_STORED_OFFENDERS}
    ) o on true`.execute(tx);
  const first = result.rows[0];
  const backedUp = Number(first?.backed_up ?? 0);
  const failing = Number(first?.failing ?? 0);
  const dueSoon = Number(first?.due_soon ?? 0);
  const offenders: Offender[] = result.rows
    .filter((row) => row.id !== null)
    .map((row) => {
      const id = row.id as string;
      return {
        kind: "system",
        id,
        label: row.name,
        link: row.judged === "due_soon" ? systemLink(id) : recordRestoreTestLink(id),
        ...(row.due_on ? { dueAt: endOfDay(row.due_on).toISOString() } : {}),
        state: row.judged === "due_soon" ? "due_soon" : "failing",
        action: restoreAction(row),
      };
    });
  return outcomeOf({
    inScope: backedUp,
    failing,
    dueSoon,
    offenders,
    say: {
      notApplicable: "No system is marked as backed up.",
      failing: `${failing} of ${count(backedUp, "backed-up system")} ${failing === 1 ? "has" : "have"} no successful restore test within ${RESTORE_VALID_DAYS} days.`,
      dueSoon: `${count(dueSoon, "backed-up system")} ${dueSoon === 1 ? "is" : "are"} due a restore test within ${RESTORE_DUE_SOON_DAYS} days.`,
      passing: `${backedUp === 1 ? "The backed-up system has" : `Every one of the ${backedUp} backed-up systems has`} a successful restore test into a non-production environment, with integrity verified, within ${RESTORE_VALID_DAYS} days.`,
    },
  });
}

/** "1 system", "3 systems". */
function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export const continuityChecks: readonly ControlTest[] = [
  {
    testKey: "restore-tested",
    controls: CONTROLS,
    sources: [CONTINUITY_SOURCE, "systems"],
    run: restoreTested,
  },
];
