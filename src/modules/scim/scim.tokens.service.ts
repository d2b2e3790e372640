import type { Kysely } from "kysely";
import { withSystem, withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { randomToken, sha256Hex } from "../../platform/crypto.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";

/**
 * SCIM tokens: the organization's credential for its identity provider, made and revoked by
 * owners, shown once, kept as a SHA-256. A SCIM token reaches /scim/v2 only; the API token
 * lookup never finds it, and /scim/v2 takes nothing else.
 */
const PREFIX = "attest_scim_";
const TOUCH_INTERVAL_MS = 60_000;

export interface ScimTokenView {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export async function createScimToken(ctx: Context, name: string) {
  const token = `${PREFIX}${randomToken(32)}`;
  return applyChange(ctx, null, async ({ tx, audit }) => {
    const row = await tx
      .insertInto("scim_tokens")
      .values({
        organization_id: ctx.organizationId,
        name,
        token_hash: sha256Hex(token),
        created_by: actorUserId(ctx.actor),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit({
      action: "scim_token.created",
      targetType: "scim_token",
      targetId: row.id,
      after: { name },
    });
    return { ...present(row), token };
  });
}

export async function listScimTokens(ctx: Context): Promise<ScimTokenView[]> {
  const rows = await withTenant(ctx.db, ctx.organizationId, (tx) =>
    tx
      .selectFrom("scim_tokens")
      .selectAll()
      .orderBy("created_at", "desc")
      .orderBy("id")
      .limit(500)
      .execute(),
  );
  return rows.map(present);
}

export async function revokeScimToken(ctx: Context, id: string): Promise<ScimTokenView> {
  return applyChange(ctx, null, async ({ tx, audit }) => {
    const revoked = await tx
      .updateTable("scim_tokens")
      .set({ revoked_at: new Date() })
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .returningAll()
      .executeTakeFirst();
    if (!revoked) throw errors.notFound("SCIM token (or it is revoked already)");
    await audit({
      action: "scim_token.revoked",
      targetType: "scim_token",
      targetId: id,
      before: { name: revoked.name, revoked: false },
      after: { revoked: true },
    });
    return present(revoked);
  });
}

/** The organization and token a bearer SCIM token stands for; null when unknown or revoked. */
export async function resolveScimToken(db: Kysely<Database>, token: string) {
  if (!token.startsWith(PREFIX)) return null;
  const now = new Date();
  return withSystem(db, async (tx) => {
    const row = await tx
      .selectFrom("scim_tokens")
      .select(["id", "organization_id", "name", "revoked_at", "last_used_at"])
      .where("token_hash", "=", sha256Hex(token))
      .executeTakeFirst();
    if (!row || row.revoked_at) return null;
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOUCH_INTERVAL_MS) {
      await tx
        .updateTable("scim_tokens")
        .set({ last_used_at: now })
        .where("id", "=", row.id)
        .execute();
    }
    return { tokenId: row.id, organizationId: row.organization_id, name: row.name };
  });
}

function present(row: {
  id: string;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}): ScimTokenView {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
