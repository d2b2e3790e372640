import { sql } from "kysely";
import { addDays, isoDay } from "../../domain/dates.ts";
import { deadlineState } from "../../domain/deadlines.ts";
import { grantsRecordedBy } from "../access/access.review-checks.service.ts";
import {
  MAX_STORED_OFFENDERS,
  type Offender,
  type TestContext,
  type TestOutcome,
} from "../monitoring/registry.ts";
import { systemLink, systemsAsOf, systemsInReviewScopeSince } from "../systems/systems.queries.ts";

/**
 * user-access-reviews' access-reviews-current (CONTROLS.md): every system in scope at asOf
 * (production or holding customer data, not archived) had an access review completed within
 * its review period (its own, or settings.accessReviewPeriodDays), covering every grant that
 * existed when the review started.
 *
 * A system's review counts once its part of a campaign is completed (by asOf, in a campaign
 * started by then and not cancelled by then) and no grant of the system that was active when
 * the campaign started (granted by then, not revoked by then, recorded by asOf) lacks an item
 * in it: a grant backdated into the past after the review started makes it cover no longer.
 * Due: the last covering completion + the period; a system never reviewed is due a period
 * after it first came into scope. Due soon within settings.accessReviewWarnDays of that.
 *
 * Coverage is computed only where it can decide the state: for the completions within the
 * period before asOf, and the latest one before them (if that one does not cover either, the
 * system is failing anyway, and its due date is taken from it: at the latest then). And only
 * grants written after a review started are looked for among its items: the campaign froze
 * every other grant as it stood (see grantsRecordedBy).
 */

interface SystemReview {
  id: string;
  name: string;
  period: number;
  since: Date;
  /** The last covering completion, the last completion at all (perhaps not covering). */
  last_covering: Date | null;
  last_any: Date | null;
  /** The base of the due date: last covering, else the latest before the period, else since. */
  base: Date;
}

function systemReviews(context: TestContext) {
  const { tx, asOf, settings } = context;
  return sql<SystemReview>`
    with scope as materialized (
      select sy.id, sy.name,
             coalesce(sy.review_period_days, ${settings.accessReviewPeriodDays})::int as period
      from (${systemsAsOf(tx, asOf)}) sy
      where sy.production or sy.customer_data
    ),
    done as materialized (
      select rs.review_id, rs.system_id, rs.completed_at, r.started_at,
             rs.completed_at > ${asOf}::timestamptz - make_interval(days => scope.period)
               as within
      from access_review_systems rs
      join access_reviews r on r.id = rs.review_id
      join scope on scope.id = rs.system_id
      where rs.completed_at <= ${asOf} and r.started_at <= ${asOf}
        and (r.cancelled_at is null or r.cancelled_at > ${asOf})
    ),
    candidates as materialized (
      select review_id, system_id, completed_at, started_at, within from (
        select d.*, row_number() over (partition by d.system_id, d.within
                                       order by d.completed_at desc, d.review_id) as n
        from done d
      ) ranked
      where within or n = 1
    ),
    uncovered as (
      select distinct c.review_id, c.system_id
      from candidates c
      join (${grantsRecordedBy(tx, asOf)}) g on g.system_id = c.system_id
      where g.changed_at > c.started_at
        and g.granted_at <= c.started_at and (g.revoked_at is null or g.revoked_at > c.started_at)
        and not exists (select 1 from access_review_items i
                        where i.review_id = c.review_id and i.grant_id = g.id)
    ),
    judged as (
      select c.system_id,
             max(c.completed_at) filter (where u.review_id is null) as last_covering,
             max(c.completed_at) filter (where not c.within) as last_before,
             max(c.completed_at) as last_any
      from candidates c
      left join uncovered u on u.review_id = c.review_id and u.system_id = c.system_id
      group by c.system_id
    )
    select scope.id, scope.name, scope.period, since.since, j.last_covering, j.last_any,
           coalesce(j.last_covering, j.last_before, since.since) as base
    from scope
    join (${systemsInReviewScopeSince(tx, asOf)}) since on since.id = scope.id
    left join judged j on j.system_id = scope.id`;
}

function action(s: SystemReview, state: "failing" | "due_soon", due: Date): string {
  const start = `Start an access review of ${s.name}${state === "due_soon" ? ` by ${isoDay(due)}` : ""}`;
  const every = `due every ${s.period} days`;
  if (s.last_covering) {
    return `${start}: its last was completed on ${isoDay(new Date(s.last_covering))}; ${every}.`;
  }
  if (s.last_any) {
    return `${start}: its last, completed on ${isoDay(new Date(s.last_any))}, did not cover every grant that stood when it started; ${every}.`;
  }
  return `${start}: it was never reviewed since it came into scope on ${isoDay(new Date(s.since))}; ${every}.`;
}

export async function accessReviewsCurrent(context: TestContext): Promise<TestOutcome> {
  const { tx, asOf, settings } = context;
  const rows = (await systemReviews(context).execute(tx)).rows;
  if (rows.length === 0) {
    return {
      state: "not_applicable",
      message: "No system is in scope (production or holding customer data).",
      offenders: [],
    };
  }
  const offenders: Offender[] = [];
  for (const s of rows) {
    const due = addDays(new Date(s.base), s.period);
    const state = deadlineState(due, asOf, settings.accessReviewWarnDays);
    if (state === "passing") continue;
    offenders.push({
      kind: "system",
      id: s.id,
      label: s.name,
      link: systemLink(s.id),
      dueAt: due.toISOString(),
      state,
      action: action(s, state, due),
    });
  }
  offenders.sort(
    (a, b) =>
      Number(a.state === "due_soon") - Number(b.state === "due_soon") ||
      (a.dueAt ?? "").localeCompare(b.dueAt ?? "") ||
      a.label.localeCompare(b.label),
  );
  const failing = offenders.filter((o) => o.state === "failing").length;
  const total = rows.length;
  if (offenders.length === 0) {
    return {
      state: "passing",
      message: `Every one of the ${total} in-scope systems had an access review completed within its review period, covering every grant that stood when it started.`,
      offenders: [],
    };
  }
  const capped = {
    offenders: offenders.slice(0, MAX_STORED_OFFENDERS),
    offenderCount: offenders.length,
  };
  if (failing > 0) {
    return {
      state: "failing",
      message: `${failing} of ${total} in-scope systems had no access review covering every grant completed within their review period.`,
      ...capped,
    };
  }
  return {
    state: "due_soon",
    message: `The access review of ${offenders.length} of ${total} in-scope systems is due within ${settings.accessReviewWarnDays} days.`,
    ...capped,
  };
}
