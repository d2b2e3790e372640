import type { SsoProvider, SsoRole } from "../../db/tables/sso.ts";
import type { Tx } from "../../db/tenant.ts";
import type { Role } from "../../domain/permissions.ts";

// Reads of the sso area for other areas: the auth area's password policy, the SCIM work's
// account policy, the audit log's labels.

export interface RoleMappingRow {
  group: string;
  role: SsoRole;
}

/** The organization's provider row when it is configured and enabled. */
export async function enabledProvider(tx: Tx): Promise<SsoProvider | undefined> {
  return tx.selectFrom("sso_providers").selectAll().where("enabled", "=", true).executeTakeFirst();
}

/** The role a person with these groups gets: the first mapping row they match, else the default. */
export function roleForGroups(
  provider: Pick<SsoProvider, "role_mapping" | "default_role">,
  groups: readonly string[],
): Role {
  const mapping = (provider.role_mapping ?? []) as RoleMappingRow[];
  const member = new Set(groups);
  return mapping.find((row) => member.has(row.group))?.role ?? provider.default_role;
}

export interface SsoAccountPolicy {
  /** The role these groups give, by the provider's group → role mapping. */
  roleFor(groups: readonly string[]): Role;
  /** Whether the email's domain is one the provider signs in. */
  allows(email: string): boolean;
}

/**
 * The organization's single sign-on account policy: null when no provider is enabled, else
 * the group → role mapping and the allowed domains (in the caller's tenant transaction).
 */
export async function ssoAccountPolicy(tx: Tx): Promise<SsoAccountPolicy | null> {
  const provider = await enabledProvider(tx);
  if (!provider) return null;
  return {
    roleFor: (groups) => roleForGroups(provider, groups),
    allows: (email) =>
      provider.allowed_domains.includes(email.slice(email.lastIndexOf("@") + 1).toLowerCase()),
  };
}

/**
 * Whether people other than owners may sign in with a password: true unless an enabled
 * provider says otherwise. Owners always may (a broken provider must not lock them out).
 */
export async function passwordSignInAllowedForNonOwners(tx: Tx): Promise<boolean> {
  const provider = await enabledProvider(tx);
  return provider?.password_sign_in_allowed ?? true;
}

/** The audit log's label of the provider: the organization's single sign-on settings page. */
export const ssoAuditTargets = {
  sso_provider: { page: { name: "Single sign-on", path: "/settings/sso" } },
};
