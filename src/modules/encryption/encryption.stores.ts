import { type Selectable, sql } from "kysely";
import type { EncryptionConfirmationsTable } from "../../db/tables/encryption.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { addDays, startOfDay } from "../../domain/dates.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { evidenceFileNames } from "../evidence/evidence.queries.ts";
import { systemsNow } from "../systems/systems.queries.ts";
import { userNames } from "../users/users.queries.ts";
import { CONFIRMATION_VALID_DAYS, WARN_DAYS } from "./encryption.checks.ts";
import { recordConfirmationRow } from "./encryption.confirmations.ts";
import { ENCRYPTION_SOURCE } from "./encryption.core.ts";
import { checkEvidence, standingOf } from "./encryption.inputs.ts";
import type {
  ConfirmationView,
  NewConfirmation,
  StoreDetail,
  StoreView,
} from "./encryption.schema.ts";

/**
 * Encryption at rest, per data store (a system of kind database or data_store, not archived):
 * its confirmations and where it stands. Those holding confidential or restricted data are in
 * scope of datastores-encrypted; the others may be confirmed too.
 */

const SENSITIVE = new Set(["confidential", "restricted"]);

const stores = (tx: Tx) =>
  tx
    .selectFrom(systemsNow(tx).as("s"))
    .select(["s.id", "s.name", "s.kind", "s.classification"])
    .where("s.kind", "in", ["database", "data_store"])
    .where("s.archived", "=", false);

type Confirmation = Selectable<EncryptionConfirmationsTable>;

/** A store's confirmations, the latest first. */
function confirmationRows(tx: Tx, systemId: string) {
  return tx
    .selectFrom("encryption_confirmations")
    .selectAll()
    .where("system_id", "=", systemId)
    .orderBy("confirmed_at", "desc")
    .orderBy("created_at", "desc");
}

async function presentConfirmations(tx: Tx, rows: Confirmation[]): Promise<ConfirmationView[]> {
  const ids = rows.map((row) => row.id);
  const links =
    ids.length === 0
      ? []
      : await tx
          .selectFrom("encryption_confirmation_evidence")
          .select(["confirmation_id", "evidence_id"])
          .where("confirmation_id", "in", ids)
          .orderBy("evidence_id")
          .execute();
  const files = await evidenceFileNames(
    tx,
    links.map((link) => link.evidence_id),
  );
  const users = await userNames(
    tx,
    rows.flatMap((row) => (row.confirmed_by ? [row.confirmed_by] : [])),
  );
  return rows.map((row) => ({
    id: row.id,
    systemId: row.system_id,
    method: row.method,
    confirmedAt: row.confirmed_at,
    passed: row.passed,
    detail: row.detail,
    notes: row.notes,
    evidence: links
      .filter((link) => link.confirmation_id === row.id)
      .map((link) => ({ id: link.evidence_id, fileName: files.get(link.evidence_id) ?? null })),
    confirmedBy: row.confirmed_by
      ? { id: row.confirmed_by, name: users.get(row.confirmed_by) ?? "" }
      : null,
    actorName: row.actor_name,
    createdAt: row.created_at,
  }));
}

/** Each store's standing from its latest confirmation and its latest passing one. */
async function presentStores(
  tx: Tx,
  systems: { id: string; name: string; kind: string; classification: string | null }[],
  now = new Date(),
): Promise<StoreView[]> {
  const ids = systems.map((s) => s.id);
  if (ids.length === 0) return [];
  const latest = await tx
    .selectFrom("encryption_confirmations")
    .selectAll()
    .where("system_id", "in", ids)
    .distinctOn("system_id")
    .orderBy("system_id")
    .orderBy("confirmed_at", "desc")
    .orderBy("created_at", "desc")
    .execute();
  const passing = await tx
    .selectFrom("encryption_confirmations")
    .select(["system_id", sql<Date>`max(confirmed_at)`.as("at")])
    .where("system_id", "in", ids)
    .where("passed", "=", true)
    .groupBy("system_id")
    .execute();
  const views = await presentConfirmations(tx, latest);
  const lastOf = new Map(views.map((view) => [view.systemId, view]));
  const passedOf = new Map(passing.map((row) => [row.system_id, new Date(row.at)]));
  return systems.map((system) => {
    const last = lastOf.get(system.id) ?? null;
    const passedAt = passedOf.get(system.id);
    const dueAt = passedAt ? addDays(passedAt, CONFIRMATION_VALID_DAYS) : null;
    const failed = last !== null && !last.passed;
    return {
      ...system,
      inScope: SENSITIVE.has(system.classification ?? ""),
      lastConfirmation: last,
      confirmationDueAt: dueAt,
      standing: failed || !dueAt ? "overdue" : standingOf(dueAt, now, WARN_DAYS),
    };
  });
}

export async function listStores(ctx: Context): Promise<{ items: StoreView[] }> {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const systems = await stores(tx).orderBy("s.name").orderBy("s.id").execute();
    return { items: await presentStores(tx, systems) };
  });
}

async function findStore(tx: Tx, id: string) {
  const system = await stores(tx).where("s.id", "=", id).executeTakeFirst();
  if (!system) throw errors.notFound("The data store");
  return system;
}

export async function getStore(ctx: Context, id: string): Promise<StoreDetail> {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const [view] = await presentStores(tx, [await findStore(tx, id)]);
    const history = await presentConfirmations(tx, await confirmationRows(tx, id).execute());
    return { ...(view as StoreView), history };
  });
}

/** A person's confirmation, with evidence, that a data store is encrypted at rest. */
export async function confirmAtRest(
  ctx: Context,
  id: string,
  input: NewConfirmation,
): Promise<ConfirmationView> {
  const confirmedAt = startOfDay(input.confirmedOn);
  if (confirmedAt.getTime() > Date.now()) {
    throw errors.validation("confirmedOn", "must not be in the future");
  }
  return applyChange(ctx, ENCRYPTION_SOURCE, async (scope) => {
    await findStore(scope.tx, id);
    const evidenceIds = await checkEvidence(scope.tx, input.evidenceIds, "evidenceIds");
    const confirmationId = await recordConfirmationRow(scope, ctx.organizationId, {
      systemId: id,
      method: "evidence",
      confirmedAt,
      passed: true,
      detail: "",
      notes: input.notes ?? "",
      evidenceIds,
      confirmedBy: actorUserId(ctx.actor),
      actorName: null,
    });
    const rows = await confirmationRows(scope.tx, id).where("id", "=", confirmationId).execute();
    return (await presentConfirmations(scope.tx, rows))[0] as ConfirmationView;
  });
}
