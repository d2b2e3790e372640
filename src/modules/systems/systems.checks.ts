import { addDays, isoDay } from "../../domain/dates.ts";
import {
  type ControlTest,
  MAX_STORED_OFFENDERS,
  type Offender,
  outcomeFrom,
  type TestContext,
  type TestOutcome,
} from "../monitoring/registry.ts";
import { peopleAsOf, personReference } from "../people/people.queries.ts";
import { systemLink, systemsAsOf } from "./systems.queries.ts";

/**
 * The inventory's control checks (CONTROLS.md): systems-classified, assets-owned,
 * inventory-reviewed. Each reads the inventory as it stood at `asOf` (system_versions) and
 * the people as they were then, so `?asOf=` and the daily history are the same query.
 */

const REVIEW_LINK = "/systems/review";

/** How many systems were listed at `asOf`. */
async function inventorySize(context: TestContext): Promise<number> {
  const { count } = await context.tx
    .selectFrom(systemsAsOf(context.tx, context.asOf).as("s"))
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .executeTakeFirstOrThrow();
  return Number(count);
}

/** The first offenders and how many there are, as the engine stores them. */
function capped(outcome: TestOutcome, count: number): TestOutcome {
  return {
    ...outcome,
    offenders: outcome.offenders.slice(0, MAX_STORED_OFFENDERS),
    offenderCount: count,
  };
}

async function systemsClassified(context: TestContext): Promise<TestOutcome> {
  const { tx, asOf } = context;
  const total = await inventorySize(context);
  if (total === 0) {
    return { state: "not_applicable", message: "The inventory lists no systems.", offenders: [] };
  }
  const unclassified = tx
    .selectFrom(systemsAsOf(tx, asOf).as("s"))
    .where("s.classification", "is", null);
  const [{ count }, rows] = await Promise.all([
    unclassified.select((eb) => eb.fn.countAll<string>().as("count")).executeTakeFirstOrThrow(),
    unclassified
      .select(["s.id", "s.name"])
      .orderBy("s.name")
      .orderBy("s.id")
      .limit(MAX_STORED_OFFENDERS)
      .execute(),
  ]);
  const offenders: Offender[] = rows.map((s) => ({
    kind: "system",
    id: s.id,
    label: s.name,
    link: systemLink(s.id),
    action: "Give the system a data classification (public, internal, confidential or restricted).",
    state: "failing",
  }));
  const outcome = outcomeFrom(offenders, {
    passing: `Every one of the ${total} systems has a data classification.`,
    failing: `${count} of ${total} systems have no data classification.`,
    dueSoon: "",
  });
  return capped(outcome, Number(count));
}

async function assetsOwned(context: TestContext): Promise<TestOutcome> {
  const { tx, asOf, settings } = context;
  const warnUntil = isoDay(addDays(asOf, settings.accessExceptionWarnDays));
  const total = await inventorySize(context);
  if (total === 0) {
    return { state: "not_applicable", message: "The inventory lists no systems.", offenders: [] };
  }
  // Failing: no owner, or an owner not active at asOf; due soon: the owner leaves soon.
  const problems = tx
    .selectFrom(systemsAsOf(tx, asOf).as("s"))
    .leftJoin(peopleAsOf(tx, asOf).as("p"), "p.id", "s.owner_id")
    .where((eb) =>
      eb.or([
        eb("p.id", "is", null),
        eb("p.active", "=", false),
        eb.and([eb("p.end_date", "is not", null), eb("p.end_date", "<=", warnUntil)]),
      ]),
    );
  const [{ count, failing }, rows] = await Promise.all([
    problems
      .select((eb) => [
        eb.fn.countAll<string>().as("count"),
        eb.fn
          .countAll<string>()
          .filterWhere((f) => f.or([f("p.id", "is", null), f("p.active", "=", false)]))
          .as("failing"),
      ])
      .executeTakeFirstOrThrow(),
    problems
      .select([
        "s.id",
        "s.name",
        "s.owner_id",
        "p.name as owner_name",
        "p.number as owner_number",
        "p.active as owner_active",
        "p.end_date as owner_end_date",
      ])
      // Failing first (no owner, then an owner who is gone), then the nearest departure.
      .orderBy((eb) => eb.case().when("p.active", "=", true).then(1).else(0).end())
      .orderBy("p.end_date")
      .orderBy("s.name")
      .orderBy("s.id")
      .limit(MAX_STORED_OFFENDERS)
      .execute(),
  ]);
  const offenders: Offender[] = rows.map((s) => {
    const base = { kind: "system", id: s.id, label: s.name, link: systemLink(s.id) };
    const owner = s.owner_name
      ? `${s.owner_name} (${personReference(Number(s.owner_number))})`
      : "";
    if (!s.owner_id) {
      return { ...base, state: "failing", action: "Give the system an owner: an active person." };
    }
    if (!s.owner_active) {
      return {
        ...base,
        state: "failing",
        action: `Its owner ${owner} is not an active person; reassign the system to someone who is.`,
      };
    }
    const leaves = String(s.owner_end_date);
    return {
      ...base,
      state: "due_soon",
      dueAt: `${leaves}T00:00:00.000Z`,
      action: `Its owner ${owner} leaves on ${leaves}; reassign the system before then.`,
    };
  });
  const outcome = outcomeFrom(offenders, {
    passing: `Every one of the ${total} systems is owned by an active person.`,
    failing: `${failing} of ${total} systems have no owner who is an active person.`,
    dueSoon: `The owner of ${count} of ${total} systems leaves within ${settings.accessExceptionWarnDays} days; reassign them.`,
  });
  return capped(outcome, Number(count));
}

async function inventoryReviewed(context: TestContext): Promise<TestOutcome> {
  const { tx, asOf, settings, organizationId } = context;
  const last = await tx
    .selectFrom("inventory_reviews")
    .select(["id", "signed_at"])
    .where("signed_at", "<=", asOf)
    .orderBy("signed_at", "desc")
    .limit(1)
    .executeTakeFirst();
  const base = { kind: "inventory", id: organizationId, label: "The inventory", link: REVIEW_LINK };
  if (!last) {
    if ((await inventorySize(context)) === 0) {
      return {
        state: "not_applicable",
        message: "The inventory lists no systems and was never signed off.",
        offenders: [],
      };
    }
    return {
      state: "failing",
      message: "The inventory was never reviewed and signed off.",
      offenders: [{ ...base, state: "failing", action: "Review the inventory and sign it off." }],
    };
  }
  const due = addDays(last.signed_at, settings.inventoryReviewDays);
  const signed = isoDay(last.signed_at);
  if (due <= asOf) {
    return {
      state: "failing",
      message: `The inventory was last signed off on ${signed}, more than ${settings.inventoryReviewDays} days ago.`,
      offenders: [
        {
          ...base,
          state: "failing",
          dueAt: due.toISOString(),
          action: `Review the inventory and sign it off; the review was due on ${isoDay(due)}.`,
        },
      ],
    };
  }
  if (addDays(due, -settings.inventoryReviewWarnDays) <= asOf) {
    return {
      state: "due_soon",
      message: `The inventory's review is due on ${isoDay(due)}.`,
      offenders: [
        {
          ...base,
          state: "due_soon",
          dueAt: due.toISOString(),
          action: `Review the inventory and sign it off by ${isoDay(due)}.`,
        },
      ],
    };
  }
  return {
    state: "passing",
    message: `The inventory was signed off on ${signed}; the next review is due on ${isoDay(due)}.`,
    offenders: [],
  };
}

export const systemsChecks: readonly ControlTest[] = [
  {
    testKey: "systems-classified",
    controls: ["data-classification-policy"],
    sources: ["systems"],
    run: systemsClassified,
  },
  {
    testKey: "assets-owned",
    controls: ["asset-inventory"],
    sources: ["systems", "people"],
    run: assetsOwned,
  },
  {
    testKey: "inventory-reviewed",
    controls: ["asset-inventory"],
    sources: ["systems"],
    run: inventoryReviewed,
  },
];
