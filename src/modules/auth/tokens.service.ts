import { withTenant } from "../../db/tenant.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { randomToken, sha256Hex } from "../../platform/crypto.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";

/** API tokens carry a recognisable prefix so secret scanners can find leaked ones. */
const TOKEN_PREFIX = "attest_";

function ownerOf(ctx: Context): string {
  const userId = actorUserId(ctx.actor);
  if (!userId) throw errors.forbidden("Only a person can hold API tokens.");
  return userId;
}

export async function createApiToken(ctx: Context, name: string) {
  const userId = ownerOf(ctx);
  const token = `${TOKEN_PREFIX}${randomToken(32)}`;
  return applyChange(ctx, null, async ({ tx, audit }) => {
    const row = await tx
      .insertInto("api_tokens")
      .values({
        organization_id: ctx.organizationId,
        user_id: userId,
        name,
        token_hash: sha256Hex(token),
      })
      .returning(["id", "name", "created_at"])
      .executeTakeFirstOrThrow();
    await audit({
      action: "token.created",
      targetType: "api_token",
      targetId: row.id,
      after: { name, userId },
    });
    return { id: row.id, name: row.name, token, createdAt: row.created_at };
  });
}

export function listApiTokens(ctx: Context) {
  const userId = ownerOf(ctx);
  return withTenant(ctx.db, ctx.organizationId, (tx) =>
    tx
      .selectFrom("api_tokens")
      .select(["id", "name", "created_at", "last_used_at", "revoked_at"])
      .where("user_id", "=", userId)
      .orderBy("created_at", "desc")
      .orderBy("id")
      .execute(),
  );
}

export async function revokeApiToken(ctx: Context, tokenId: string) {
  const userId = ownerOf(ctx);
  await applyChange(ctx, null, async ({ tx, audit }) => {
    const revoked = await tx
      .updateTable("api_tokens")
      .set({ revoked_at: new Date() })
      .where("id", "=", tokenId)
      .where("user_id", "=", userId)
      .where("revoked_at", "is", null)
      .returning(["id", "name"])
      .executeTakeFirst();
    if (!revoked) throw errors.notFound("API token");
    await audit({
      action: "token.revoked",
      targetType: "api_token",
      targetId: tokenId,
      before: { name: revoked.name, revoked: false },
      after: { revoked: true },
    });
  });
}
