import type { SsoProvider } from "../../db/tables/sso.ts";
import { withTenant } from "../../db/tenant.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import type { Keyring } from "../../platform/keyring.ts";
import { applyChange } from "../change.ts";
import { describeProvider, discoverProvider } from "./sso.oidc.ts";
import type { RoleMappingRow } from "./sso.queries.ts";
import type { ProviderInput } from "./sso.schema.ts";

/** The owner's configuration of the organization's identity provider. */

export function presentProvider(row: SsoProvider) {
  return {
    id: row.id,
    name: row.name,
    issuerUrl: row.issuer_url,
    clientId: row.client_id,
    clientSecretSet: row.client_secret_enc.length > 0,
    allowedDomains: row.allowed_domains,
    passwordSignInAllowed: row.password_sign_in_allowed,
    groupsClaim: row.groups_claim,
    roleMapping: (row.role_mapping ?? []) as RoleMappingRow[],
    defaultRole: row.default_role,
    acceptProviderMfa: row.accept_provider_mfa,
    mfaAcrValues: row.mfa_acr_values,
    enabled: row.enabled,
    updatedAt: row.updated_at,
  };
}

/** The audit snapshot: everything but the secret (whether it changed is said, not what). */
function snapshot(row: SsoProvider) {
  const { id: _id, updatedAt: _u, clientSecretSet: _s, ...rest } = presentProvider(row);
  return rest;
}

export async function getProvider(ctx: Context) {
  const row = await withTenant(ctx.db, ctx.organizationId, (tx) =>
    tx.selectFrom("sso_providers").selectAll().executeTakeFirst(),
  );
  return row ? presentProvider(row) : null;
}

/** Configures the provider, or changes it; the client secret is kept when none is sent. */
export async function saveProvider(ctx: Context, keyring: Keyring, input: ProviderInput) {
  return applyChange(ctx, null, async ({ tx, audit }) => {
    const before = await tx.selectFrom("sso_providers").selectAll().forUpdate().executeTakeFirst();
    if (!before && input.clientSecret === undefined) {
      throw errors.validation("clientSecret", "is required when configuring single sign-on");
    }
    const values = {
      name: input.name,
      issuer_url: input.issuerUrl,
      client_id: input.clientId,
      client_secret_enc:
        input.clientSecret === undefined
          ? (before?.client_secret_enc ?? "")
          : keyring.seal(input.clientSecret),
      allowed_domains: [...new Set(input.allowedDomains)],
      password_sign_in_allowed: input.passwordSignInAllowed,
      groups_claim: input.groupsClaim,
      role_mapping: JSON.stringify(input.roleMapping),
      default_role: input.defaultRole,
      accept_provider_mfa: input.acceptProviderMfa,
      mfa_acr_values: [...new Set(input.mfaAcrValues)],
      enabled: input.enabled,
      updated_at: new Date(),
    };
    const after = before
      ? await tx
          .updateTable("sso_providers")
          .set(values)
          .where("id", "=", before.id)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await tx
          .insertInto("sso_providers")
          .values({
            ...values,
            organization_id: ctx.organizationId,
            created_by: actorUserId(ctx.actor),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
    await audit({
      action: before ? "sso.provider_changed" : "sso.provider_configured",
      targetType: "sso_provider",
      targetId: after.id,
      before: before ? snapshot(before) : null,
      after: {
        ...snapshot(after),
        ...(before && input.clientSecret !== undefined ? { clientSecretChanged: true } : {}),
      },
    });
    return presentProvider(after);
  });
}

export async function removeProvider(ctx: Context) {
  await applyChange(ctx, null, async ({ tx, audit }) => {
    const removed = await tx.deleteFrom("sso_providers").returningAll().executeTakeFirst();
    if (!removed) throw errors.notFound("Single sign-on configuration");
    await audit({
      action: "sso.provider_removed",
      targetType: "sso_provider",
      targetId: removed.id,
      before: snapshot(removed),
    });
  });
}

/**
 * Fetches the issuer's discovery document (the one given, else the configured one) with the
 * configured client; a failure is a 400 naming `issuerUrl`.
 */
export async function testDiscovery(
  ctx: Context,
  keyring: Keyring,
  allowHttpIssuer: boolean,
  issuerUrl: string | undefined,
) {
  const row = await withTenant(ctx.db, ctx.organizationId, (tx) =>
    tx.selectFrom("sso_providers").selectAll().executeTakeFirst(),
  );
  const url = issuerUrl ?? row?.issuer_url;
  if (!url) throw errors.validation("issuerUrl", "is required when nothing is configured yet");
  const config = await discoverProvider(
    {
      issuerUrl: url,
      clientId: row?.client_id ?? "attest",
      clientSecret: row ? keyring.open(row.client_secret_enc) : "unused",
    },
    allowHttpIssuer,
  );
  return describeProvider(config);
}
