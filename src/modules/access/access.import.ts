import { sql } from "kysely";
import { withTenant } from "../../db/tenant.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { applyChange, type ChangeScope } from "../change.ts";
import { personReference } from "../people/people.queries.ts";
import { removeAccount, revokeGrant } from "./access.changes.ts";
import {
  count,
  type ExistingAccount,
  type ExistingGrant,
  type ImportInput,
  ImportRejected,
  type Person,
  type Plan,
  plan,
} from "./access.import.plan.ts";

export type { Decision, ImportInput } from "./access.import.plan.ts";
export { ImportRejected } from "./access.import.plan.ts";

/**
 * Import of a system's user export (see access.import.plan.ts for what each line does): the
 * preview describes the plan and writes nothing; the commit re-plans inside its change and
 * writes it in batches, or nothing.
 */

/** Only the first lines are described one by one (the counts cover the whole file). */
const LINES_SHOWN = 500;
const MISSING_SHOWN = 500;
/** Unmatched accounts listed for a decision (past these, the rest stay unlinked). */
const UNMATCHED_SHOWN = 1000;
const BATCH = 1000;
/** Rows per statement of the array-valued inserts. */
const ARRAY_BATCH = 10_000;
function describe(p: Plan) {
  const personView = (person: Person | null) =>
    person ? { id: person.id, name: person.name, reference: personReference(person.number) } : null;
  const grantView = (g: ExistingGrant) => ({
    id: g.id,
    person: personView(p.byId.get(g.person_id) ?? null),
    systemRole: g.system_role,
    admin: g.admin,
  });
  const unmatched = p.planned.filter((l) => l.person === null);
  return {
    rows: p.lines,
    accounts: {
      create: count(p.planned, (l) => l.account === "create"),
      update: count(p.planned, (l) => l.account === "update"),
      unchanged: count(p.planned, (l) => l.account === "unchanged"),
    },
    grants: {
      create: count(p.planned, (l) => l.grant === "create" || l.grant === "role_change"),
      confirm: count(p.planned, (l) => l.grant === "confirm"),
      roleChange: count(p.planned, (l) => l.grant === "role_change"),
      unchanged: count(p.planned, (l) => l.grant === "unchanged"),
    },
    problems: p.problems,
    lines: p.planned.slice(0, LINES_SHOWN).map((l) => ({
      line: l.row.line,
      username: l.row.username,
      email: l.row.email,
      role: l.row.role,
      admin: l.row.admin,
      account: l.account,
      grant: l.grant,
      person: personView(l.person),
      match: l.match,
    })),
    unmatchedCount: unmatched.length,
    unmatched: unmatched.slice(0, UNMATCHED_SHOWN).map((l) => ({
      line: l.row.line,
      username: l.row.username,
      email: l.row.email,
    })),
    missing: {
      accountCount: p.missingAccounts.length,
      grantCount: p.missingGrants.length,
      accounts: p.missingAccounts.slice(0, MISSING_SHOWN).map((a) => ({
        id: a.id,
        username: a.username,
        person: personView(a.person_id ? (p.byId.get(a.person_id) ?? null) : null),
      })),
      grants: p.missingGrants.slice(0, MISSING_SHOWN).map(grantView),
    },
    roleChanges: p.roleChanged.slice(0, MISSING_SHOWN).map(grantView),
  };
}

export type ImportPreview = ReturnType<typeof describe>;

/** What importing the file would do; writes nothing. */
export async function previewAccessImport(ctx: Context, systemId: string, input: ImportInput) {
  return withTenant(ctx.db, ctx.organizationId, async (tx) =>
    describe(await plan(tx, systemId, input)),
  );
}

class NothingToChange extends Error {}

/** Imports the file in one change, or throws ImportRejected and writes nothing. */
export async function commitAccessImport(ctx: Context, systemId: string, input: ImportInput) {
  const accounts = { created: 0, updated: 0, linked: 0, removed: 0 };
  const grants = { created: 0, confirmed: 0, revoked: 0, unchanged: 0 };
  const removeMissing = input.removeMissing === true;
  try {
    await applyChange(ctx, "access", async (scope) => {
      const p = await plan(scope.tx, systemId, input);
      if (p.problems.length > 0) throw new ImportRejected(p.problems);
      grants.unchanged = count(p.planned, (l) => l.grant === "unchanged");
      const changes =
        p.planned.some(
          (l) => l.account !== "unchanged" || (l.grant !== "unchanged" && l.grant !== "none"),
        ) ||
        p.roleChanged.length > 0 ||
        (removeMissing && (p.missingAccounts.length > 0 || p.missingGrants.length > 0));
      // The same file again: nothing written, not even an audit event (rolled back).
      if (!changes) throw new NothingToChange();
      await writeImport(ctx, scope, systemId, p, removeMissing, accounts, grants);
      await scope.audit({
        action: "access.imported",
        targetType: "system",
        targetId: systemId,
        after: { rows: p.lines, accounts, grants, removeMissing },
      });
    });
  } catch (error) {
    if (error instanceof NothingToChange) return { changed: false, accounts, grants };
    throw error;
  }
  return { changed: true, accounts, grants };
}

async function writeImport(
  ctx: Context,
  scope: ChangeScope,
  systemId: string,
  p: Plan,
  removeMissing: boolean,
  result: { created: number; updated: number; linked: number; removed: number },
  grantResult: { created: number; confirmed: number; revoked: number; unchanged: number },
) {
  const { tx } = scope;
  const now = new Date();
  const by = actorUserId(ctx.actor);
  const done = { at: now, by };
  // Grants no longer held: the person's role changed, or (removeMissing) not in the file.
  const revoke = [...p.roleChanged, ...(removeMissing ? p.missingGrants : [])];
  for (const grant of revoke) {
    const reason = p.roleChanged.includes(grant)
      ? "role changed in the system's user export"
      : "not in the system's user export";
    if (await revokeGrant(scope, grant.id, { ...done, reason })) grantResult.revoked++;
  }
  if (removeMissing) {
    for (const account of p.missingAccounts) {
      if (await removeAccount(scope, account.id, done)) result.removed++;
    }
  }

  const creates = p.planned.filter((l) => l.account === "create");
  // Set-based: one statement per batch, its columns as arrays (unnest), not a row of
  // parameters per account.
  for (let i = 0; i < creates.length; i += ARRAY_BATCH) {
    const batch = creates.slice(i, i + ARRAY_BATCH);
    await sql`
      INSERT INTO accounts (organization_id, system_id, username, email, person_id, service,
        linked_at, last_login_at, created_by)
      SELECT ${ctx.organizationId}::uuid, ${systemId}::uuid, u.username, u.email, u.person_id,
        u.service, CASE WHEN u.person_id IS NULL THEN NULL ELSE ${now}::timestamptz END,
        u.last_login, ${by}::uuid
      FROM unnest(
        ${batch.map((l) => l.row.username)}::text[],
        ${batch.map((l) => l.row.email)}::text[],
        ${batch.map((l) => l.person?.id ?? null)}::uuid[],
        ${batch.map((l) => l.service)}::boolean[],
        ${batch.map((l) => l.row.lastLoginAt?.toISOString() ?? null)}::timestamptz[]
      ) AS u(username, email, person_id, service, last_login)`.execute(tx);
  }
  result.created = creates.length;
  result.linked = count(creates, (l) => l.person !== null);

  const updates = p.planned.filter((l) => l.account === "update" && l.existing);
  for (let i = 0; i < updates.length; i += BATCH) {
    const values = updates.slice(i, i + BATCH).map((l) => {
      const a = l.existing as ExistingAccount;
      const link = !a.person_id && l.person ? l.person.id : null;
      return sql`(${a.id}::uuid, ${l.row.email}::text, ${l.row.lastLoginAt}::timestamptz, ${link}::uuid, ${l.service}::boolean)`;
    });
    await sql`
      UPDATE accounts AS a SET
        email = coalesce(v.email, a.email),
        last_login_at = coalesce(v.last_login, a.last_login_at),
        person_id = coalesce(a.person_id, v.person_id),
        linked_at = CASE WHEN a.person_id IS NULL AND v.person_id IS NOT NULL THEN ${now}::timestamptz ELSE a.linked_at END,
        service = CASE WHEN a.person_id IS NULL AND v.person_id IS NOT NULL THEN v.service ELSE a.service END,
        updated_at = ${now}::timestamptz
      FROM (VALUES ${sql.join(values)}) AS v(id, email, last_login, person_id, service)
      WHERE a.id = v.id`.execute(tx);
  }
  result.updated = updates.length;
  result.linked += count(updates, (l) => !l.existing?.person_id && l.person !== null);

  // Pending grants the export shows carried out are confirmed, with the tasks that asked.
  const confirms = [...p.wanted.values()]
    .map((w) => p.grantOf.get(`${w.personId}\u0000${w.role}`))
    .filter(
      (g): g is ExistingGrant => g !== undefined && g.granted_at === null && !revoke.includes(g),
    );
  const confirmIds = confirms.map((g) => g.id);
  for (let i = 0; i < confirmIds.length; i += BATCH) {
    const ids = confirmIds.slice(i, i + BATCH);
    await tx
      .updateTable("access_grants")
      .set({ granted_at: now, granted_by: by, updated_at: now })
      .where("id", "in", ids)
      .execute();
    await tx
      .updateTable("access_tasks")
      .set({ completed_at: now, completed_by: by })
      .where("grant_id", "in", ids)
      .where("kind", "=", "grant")
      .where("completed_at", "is", null)
      .where("cancelled_at", "is", null)
      .execute();
  }
  grantResult.confirmed = confirmIds.length;

  const revokedIds = new Set(revoke.map((g) => g.id));
  const grantRows = [...p.wanted.values()].filter((w) => {
    const held = p.grantOf.get(`${w.personId}\u0000${w.role}`);
    return !held || revokedIds.has(held.id);
  });
  for (let i = 0; i < grantRows.length; i += ARRAY_BATCH) {
    const batch = grantRows.slice(i, i + ARRAY_BATCH);
    await sql`
      INSERT INTO access_grants (organization_id, system_id, person_id, system_role, admin, basis,
        created_by, granted_at, granted_by)
      SELECT ${ctx.organizationId}::uuid, ${systemId}::uuid, u.person_id, u.system_role, u.admin,
        'imported', ${by}::uuid, ${now}::timestamptz, ${by}::uuid
      FROM unnest(
        ${batch.map((w) => w.personId)}::uuid[],
        ${batch.map((w) => w.role)}::text[],
        ${batch.map((w) => w.admin)}::boolean[]
      ) AS u(person_id, system_role, admin)`.execute(tx);
  }
  grantResult.created = grantRows.length;
}
