import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import type { ControlStatus, TestState } from "../../domain/control-status.ts";
import { catalogTests, loadCatalog } from "../../platform/catalog.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import {
  type ControlEvaluation,
  evaluateControls,
  reevaluate,
} from "../monitoring/evaluation.service.ts";
import type { Offender } from "../monitoring/registry.ts";
import { storedEvaluations } from "../monitoring/stored-results.ts";
import { userNameRows, userStatus } from "../users/users.queries.ts";

/** Copies the shipped catalog into a new organization. */
export async function seedControls(tx: Tx, organizationId: string): Promise<number> {
  const rows = loadCatalog().categories.flatMap((category, categoryIndex) =>
    category.controls.map((control, index) => ({
      organization_id: organizationId,
      key: control.key,
      category: category.name,
      category_position: categoryIndex + 1,
      position: index + 1,
      title: control.title,
      description: control.description,
      criteria: control.criteria,
    })),
  );
  await tx.insertInto("controls").values(rows).execute();
  return rows.length;
}

export interface TestView {
  key: string;
  description: string;
  state: TestState;
  message: string;
  offenders: Offender[];
  offenderCount: number;
}

export interface ControlView {
  key: string;
  category: string;
  title: string;
  description: string;
  criteria: string[];
  owner: { id: string; name: string } | null;
  status: ControlStatus;
  evaluatedAt: Date | null;
  tests: TestView[];
}

function controlQuery(tx: Tx) {
  return tx
    .selectFrom("controls as c")
    .leftJoin(userNameRows(tx).as("u"), "u.id", "c.owner_user_id")
    .select([
      "c.key",
      "c.category",
      "c.title",
      "c.description",
      "c.criteria",
      "c.category_position",
      "c.position",
      "u.id as owner_id",
      "u.name as owner_name",
    ]);
}

type ControlRow = Awaited<ReturnType<ReturnType<typeof controlQuery>["executeTakeFirstOrThrow"]>>;

function present(row: ControlRow, evaluation: ControlEvaluation | undefined): ControlView {
  return {
    key: row.key,
    category: row.category,
    title: row.title,
    description: row.description,
    criteria: row.criteria,
    owner: row.owner_id && row.owner_name ? { id: row.owner_id, name: row.owner_name } : null,
    status: evaluation?.status ?? "not_evaluated",
    evaluatedAt: evaluation?.evaluatedAt ?? null,
    tests:
      evaluation?.tests ??
      catalogTests(row.key).map((test) => ({
        key: test.key,
        description: test.description,
        state: "not_evaluated" as const,
        message: "Not evaluated yet.",
        offenders: [],
        offenderCount: 0,
      })),
  };
}

/**
 * The controls with their status: the stored current results, or, with `asOf`, evaluated
 * from the data as it stood then. Results missing for a control (a new organization) are
 * computed and stored on the way.
 */
export async function listControls(
  ctx: Context,
  options: { asOf?: Date | undefined; key?: string; offenderLimit?: number } = {},
): Promise<ControlView[]> {
  const rows = await withTenant(ctx.db, ctx.organizationId, (tx) => {
    let query = controlQuery(tx);
    if (options.key) query = query.where("c.key", "=", options.key);
    return query.orderBy("c.category_position").orderBy("c.position").execute();
  });
  const keys = new Set(rows.map((r) => r.key));
  let evaluations: ControlEvaluation[];
  if (options.asOf) {
    evaluations = await evaluateControls(ctx.db, ctx.organizationId, options.asOf, keys);
  } else {
    evaluations = await storedEvaluations(ctx.db, ctx.organizationId, keys, {
      offenderLimit: options.offenderLimit,
    });
    if (evaluations.length < keys.size) evaluations = await reevaluate(ctx.db, ctx.organizationId);
  }
  const byKey = new Map(evaluations.map((e) => [e.controlKey, e]));
  return rows.map((row) => present(row, byKey.get(row.key)));
}

export async function getControl(ctx: Context, key: string, asOf?: Date): Promise<ControlView> {
  const [control] = await listControls(ctx, { asOf, key });
  if (!control) throw errors.notFound(`Control ${key}`);
  return control;
}

export interface ControlChanges {
  ownerId?: string | null | undefined;
  criteria?: string[] | undefined;
}

export async function updateControl(ctx: Context, key: string, changes: ControlChanges) {
  await applyChange(ctx, null, async ({ tx, audit }) => {
    const before = await tx
      .selectFrom("controls")
      .select(["id", "owner_user_id", "criteria"])
      .where("key", "=", key)
      .executeTakeFirst();
    if (!before) throw errors.notFound(`Control ${key}`);
    if (changes.ownerId) {
      const status = await userStatus(tx, changes.ownerId);
      if (!status || status === "deactivated") {
        throw errors.validation("ownerId", "must be an active user of this organization");
      }
    }
    const criteria = changes.criteria ? [...new Set(changes.criteria)] : undefined;
    const after = {
      ownerId: changes.ownerId === undefined ? before.owner_user_id : changes.ownerId,
      criteria: criteria ?? before.criteria,
    };
    await tx
      .updateTable("controls")
      .set({ owner_user_id: after.ownerId, criteria: after.criteria, updated_at: new Date() })
      .where("id", "=", before.id)
      .execute();
    await audit({
      action: "control.updated",
      targetType: "control",
      targetId: key,
      before: { ownerId: before.owner_user_id, criteria: before.criteria },
      after,
    });
  });
  return getControl(ctx, key);
}
