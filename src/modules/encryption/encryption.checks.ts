import { sql } from "kysely";
import { addDays, dayText } from "../../domain/dates.ts";
import {
  type ControlTest,
  MAX_STORED_OFFENDERS,
  type Offender,
  outcomeOf,
  type TestContext,
  type TestOutcome,
} from "../monitoring/registry.ts";
import { systemsAsOf } from "../systems/systems.queries.ts";
import { ENCRYPTION_SOURCE, keyLink, storeLink } from "./encryption.core.ts";

/**
 * encryption-at-rest's datastores-encrypted and encryption-key-management-policy's keys-rotated
 * (CONTROLS.md), answered from the confirmations and rotations recorded by asOf (created_at)
 * and dated by then, and the inventory as it stood at asOf.
 */

/** How long a passing confirmation of encryption at rest counts. */
export const CONFIRMATION_VALID_DAYS = 365;
/** Both checks come due this many days before their deadline. */
export const WARN_DAYS = 30;

interface CountRow {
  in_scope: string;
  failing: string;
  due_soon: string;
}

// --- datastores-encrypted -------------------------------------------------------------------

interface StoreRow extends CountRow {
  id: string | null;
  name: string;
  judged: "never" | "too_old" | "check_failed" | "due_soon";
  passed_at: Date | null;
  failed_at: Date | null;
  failed_detail: string | null;
}

function storeAction(row: StoreRow): string {
  const passed = row.passed_at && dayText(new Date(row.passed_at));
  const due = row.passed_at && dayText(addDays(new Date(row.passed_at), CONFIRMATION_VALID_DAYS));
  switch (row.judged) {
    case "never":
      return `Confirm encryption at rest of ${row.name}, with evidence (such as the cloud console's encryption setting): it was never confirmed.`;
    case "too_old":
      return `Confirm encryption at rest of ${row.name} again, with evidence: its last confirmation, on ${passed}, is older than ${CONFIRMATION_VALID_DAYS} days.`;
    case "check_failed":
      return `Turn on or repair encryption at rest of ${row.name}, then confirm it: the automated check of ${dayText(new Date(row.failed_at as Date))} failed (${row.failed_detail || "no detail"}).`;
    case "due_soon":
      return `Confirm encryption at rest of ${row.name} again by ${due}, with evidence: its last confirmation was on ${passed}.`;
  }
}

/**
 * Every data store (kind database or data_store, not archived, at asOf) holding confidential or
 * restricted data has a passing confirmation dated within 365 days before asOf, and its latest
 * confirmation is not a failed automated check. Due soon in the last 30 days of the year.
 */
async function datastoresEncrypted({ tx, asOf }: TestContext): Promise<TestOutcome> {
  const result = await sql<StoreRow>`
    with stores as materialized (
      select s.id, s.name
      from (${systemsAsOf(tx, asOf)}) s
      where s.kind in ('database', 'data_store') and s.classification in ('confidential', 'restricted')
    ),
    known as materialized (
      select c.system_id, c.confirmed_at, c.passed, c.detail, c.id
      from encryption_confirmations c
      join stores on stores.id = c.system_id
      where c.created_at <= ${asOf} and c.confirmed_at <= ${asOf}
    ),
    judged as (
      select st.id, st.name, lp.confirmed_at as passed_at,
        lf.confirmed_at as failed_at, lf.detail as failed_detail,
        case
          when lf.confirmed_at is not null then 'check_failed'
          when lp.confirmed_at is null then 'never'
          when lp.confirmed_at <= ${asOf}::timestamptz - make_interval(days => ${CONFIRMATION_VALID_DAYS}) then 'too_old'
          when lp.confirmed_at <= ${asOf}::timestamptz - make_interval(days => ${CONFIRMATION_VALID_DAYS - WARN_DAYS}) then 'due_soon'
        end as judged
      from stores st
      left join lateral (
        select k.confirmed_at from known k where k.system_id = st.id and k.passed
        order by k.confirmed_at desc limit 1
      ) lp on true
      -- a failed check counts while no passing confirmation came after it
      left join lateral (
        select k.confirmed_at, k.detail from known k
        where k.system_id = st.id and not k.passed
          and (lp.confirmed_at is null or k.confirmed_at > lp.confirmed_at)
        order by k.confirmed_at desc limit 1
      ) lf on true
    ),
    found as (select * from judged where judged is not null)
    select (select count(*) from stores) as in_scope,
      (select count(*) from found where judged <> 'due_soon') as failing,
      (select count(*) from found where judged = 'due_soon') as due_soon,
      o.*
    from (select 1) one
    left join lateral (
      select f.* from found f
      order by f.judged = 'due_soon', f.name, f.id
      limit ${MAX_STORED_OFFENDERS}
    ) o on true`.execute(tx);
  const first = result.rows[0];
  const inScope = Number(first?.in_scope ?? 0);
  const failing = Number(first?.failing ?? 0);
  const dueSoon = Number(first?.due_soon ?? 0);
  const offenders: Offender[] = result.rows
    .filter((row): row is StoreRow & { id: string } => row.id !== null)
    .map((row) => ({
      kind: "system",
      id: row.id,
      label: row.name,
      link: storeLink(row.id),
      action: storeAction(row),
      state: row.judged === "due_soon" ? "due_soon" : "failing",
      ...(row.passed_at && {
        dueAt: addDays(new Date(row.passed_at), CONFIRMATION_VALID_DAYS).toISOString(),
      }),
    }));
  return outcomeOf({
    inScope,
    failing,
    dueSoon,
    offenders,
    say: {
      notApplicable:
        "No data store (database or data store) holds confidential or restricted data.",
      failing: `${count(failing, "data store")} of ${inScope} holding confidential or restricted data ${failing === 1 ? "has" : "have"} no current confirmation of encryption at rest.`,
      dueSoon: `${count(dueSoon, "data store")} ${dueSoon === 1 ? "needs" : "need"} encryption at rest confirmed again within ${WARN_DAYS} days.`,
      passing: `Every data store holding confidential or restricted data (${inScope}) has encryption at rest confirmed within ${CONFIRMATION_VALID_DAYS} days.`,
    },
  });
}

// --- keys-rotated ---------------------------------------------------------------------------

interface KeyRow extends CountRow {
  id: string | null;
  name: string;
  period: number;
  last_rotated_at: Date | null;
  due_at: Date;
  days_overdue: number;
}

function keyAction(row: KeyRow, state: "failing" | "due_soon"): string {
  const since = row.last_rotated_at
    ? `last rotated on ${dayText(new Date(row.last_rotated_at))}`
    : "never rotated since it was registered";
  if (state === "due_soon") {
    return `Rotate ${row.name} by ${dayText(new Date(row.due_at))} and record the rotation: ${since}, it must be rotated every ${row.period} days.`;
  }
  return `Rotate ${row.name} and record the rotation: ${count(row.days_overdue, "day")} overdue (${since}, due every ${row.period} days).`;
}

/**
 * Every key registered by asOf and not archived then is rotated within its rotation period,
 * counting from its last rotation dated and recorded by asOf, or from its registration. Due
 * soon 30 days before. The period is the key's current one.
 */
async function keysRotated({ tx, asOf }: TestContext): Promise<TestOutcome> {
  const result = await sql<KeyRow>`
    with keys as materialized (
      select k.id, k.name, k.rotation_period_days as period, r.last_rotated_at,
        coalesce(r.last_rotated_at, k.created_at) + make_interval(days => k.rotation_period_days) as due_at
      from encryption_keys k
      left join lateral (
        select max(r.rotated_at) as last_rotated_at from encryption_key_rotations r
        where r.key_id = k.id and r.created_at <= ${asOf} and r.rotated_at <= ${asOf}
      ) r on true
      where k.created_at <= ${asOf} and (k.archived_at is null or k.archived_at > ${asOf})
    ),
    found as (
      select keys.*, floor(extract(epoch from (${asOf}::timestamptz - due_at)) / 86400)::int as days_overdue
      from keys where due_at <= ${asOf}::timestamptz + make_interval(days => ${WARN_DAYS})
    )
    select (select count(*) from keys) as in_scope,
      (select count(*) from found where due_at < ${asOf}) as failing,
      (select count(*) from found where due_at >= ${asOf}) as due_soon,
      o.*
    from (select 1) one
    left join lateral (
      select f.* from found f order by f.due_at, f.name, f.id limit ${MAX_STORED_OFFENDERS}
    ) o on true`.execute(tx);
  const first = result.rows[0];
  const inScope = Number(first?.in_scope ?? 0);
  const failing = Number(first?.failing ?? 0);
  const dueSoon = Number(first?.due_soon ?? 0);
  const offenders: Offender[] = result.rows
    .filter((row): row is KeyRow & { id: string } => row.id !== null)
    .map((row) => {
      const state = new Date(row.due_at) < asOf ? "failing" : "due_soon";
      return {
        kind: "encryption_key",
        id: row.id,
        label: row.name,
        link: keyLink(row.id),
        action: keyAction(row, state),
        dueAt: new Date(row.due_at).toISOString(),
        state,
      };
    });
  return outcomeOf({
    inScope,
    failing,
    dueSoon,
    offenders,
    say: {
      notApplicable: "No encryption key is registered.",
      failing: `${count(failing, "key")} of ${inScope} registered ${failing === 1 ? "is" : "are"} past ${failing === 1 ? "its" : "their"} rotation period.`,
      dueSoon: `${count(dueSoon, "key")} must be rotated within ${WARN_DAYS} days.`,
      passing: `Every registered key (${inScope}) was rotated within its rotation period.`,
    },
  });
}

/** "1 key", "3 keys". */
function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export const encryptionChecks: readonly ControlTest[] = [
  {
    testKey: "datastores-encrypted",
    controls: ["encryption-at-rest"],
    sources: [ENCRYPTION_SOURCE, "systems"],
    run: datastoresEncrypted,
  },
  {
    testKey: "keys-rotated",
    controls: ["encryption-key-management-policy"],
    sources: [ENCRYPTION_SOURCE],
    run: keysRotated,
  },
];
