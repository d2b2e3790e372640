import type { Kysely } from "kysely";
import type { SsoProvider } from "../../db/tables/sso.ts";
import { withTenant } from "../../db/tenant.ts";
import type { Database, User } from "../../db/types.ts";
import type { Context } from "../../platform/context.ts";
import { userMaySignIn } from "../auth/sessions.service.ts";
import { applyChange } from "../change.ts";
import { employmentEnded } from "../people/people.queries.ts";
import {
  acceptInvitationExternally,
  createExternalAccount,
  externalAccountSnapshot,
  setExternalRole,
} from "../users/external-accounts.service.ts";
import type { IdentityClaims } from "./sso.oidc.ts";
import { roleForGroups } from "./sso.queries.ts";

/**
 * Who may sign in through the provider, and what their account becomes: the organization's
 * rules applied to a validated ID token.
 */

/** `amr` values (RFC 8176) that mean a second factor was used at the provider. */
const MFA_METHODS = new Set([
  "mfa",
  "otp",
  "hwk",
  "swk",
  "fpt",
  "face",
  "iris",
  "retina",
  "sc",
  "sms",
  "tel",
  "pop",
  "vbm",
]);

/** The groups the provider's configured claim carries (a string is one group). */
export function groupsOf(provider: SsoProvider, identity: IdentityClaims): string[] {
  const value = identity.claims[provider.groups_claim];
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((g): g is string => typeof g === "string") : [];
}

/** Whether the organization takes the provider's two-factor for its own on this sign-in. */
export function providerMfaSatisfied(provider: SsoProvider, identity: IdentityClaims): boolean {
  if (!provider.accept_provider_mfa) return false;
  if (identity.amr.some((method) => MFA_METHODS.has(method))) return true;
  return identity.acr !== null && provider.mfa_acr_values.includes(identity.acr);
}

/** Why this identity may not sign in to the organization, or null when it may. */
export async function refusalFor(
  db: Kysely<Database>,
  organizationId: string,
  provider: SsoProvider,
  identity: IdentityClaims,
  user: User | undefined,
  today: string,
): Promise<string | null> {
  if (!identity.email) return "email_unverified";
  if (!identity.emailVerified) return "email_unverified";
  const domain = identity.email.slice(identity.email.lastIndexOf("@") + 1);
  if (!provider.allowed_domains.includes(domain)) return "domain_not_allowed";
  if (user && user.organization_id !== organizationId) return "other_organization";
  // An invitation not yet accepted is accepted by signing in: the provider vouches for the email.
  const account = user?.status === "invited" ? { ...user, status: "active" } : user;
  if (account && !userMaySignIn(account, new Date())) return "account_disabled";
  const ended = await withTenant(db, organizationId, (tx) =>
    employmentEnded(tx, { email: identity.email as string, userId: user?.id }, today),
  );
  return ended ? "employment_ended" : null;
}

/**
 * The account this identity signs in as: created at the first sign-in (role from the group
 * mapping, linked to the person with that email), its role following the mapping at later
 * ones (owners and auditors excepted), and the identity's `amr`/`acr` recorded.
 */
export async function provisionAccount(
  ctx: Context,
  provider: SsoProvider,
  identity: IdentityClaims,
  existing: User | undefined,
): Promise<User> {
  const role = roleForGroups(provider, groupsOf(provider, identity));
  const email = identity.email as string;
  return applyChange(ctx, null, async ({ tx, audit }) => {
    let user = existing;
    if (!user) {
      user = await createExternalAccount(tx, {
        organizationId: ctx.organizationId,
        email,
        name: identity.name ?? email,
        role,
      });
      await audit({
        action: "user.created_by_sso",
        targetType: "user",
        targetId: user.id,
        after: { ...externalAccountSnapshot(user), provider: provider.name },
      });
    } else {
      if (user.status === "invited") {
        const accepted = await acceptInvitationExternally(tx, user.id);
        user = accepted.after;
        await audit({
          action: "user.invitation_accepted",
          targetType: "user",
          targetId: user.id,
          before: { status: accepted.before.status },
          after: { status: user.status, name: user.name, via: provider.name },
        });
      }
      const changed = await setExternalRole(tx, user.id, role);
      if (changed) {
        user = changed.after;
        await audit({
          action: "user.role_changed",
          targetType: "user",
          targetId: user.id,
          before: externalAccountSnapshot(changed.before),
          after: { ...externalAccountSnapshot(changed.after), via: "single sign-on groups" },
        });
      }
    }
    const now = new Date();
    await tx
      .insertInto("sso_identities")
      .values({
        organization_id: ctx.organizationId,
        user_id: user.id,
        issuer: identity.issuer,
        subject: identity.subject,
        email,
        last_amr: identity.amr,
        last_acr: identity.acr,
        last_sign_in_at: now,
      })
      .onConflict((oc) =>
        oc.columns(["organization_id", "issuer", "subject"]).doUpdateSet({
          user_id: user.id,
          email,
          last_amr: identity.amr,
          last_acr: identity.acr,
          last_sign_in_at: now,
        }),
      )
      .execute();
    return user;
  });
}
