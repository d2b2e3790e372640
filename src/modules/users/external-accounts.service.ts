import type { Tx } from "../../db/tenant.ts";
import type { User } from "../../db/types.ts";
import type { Role } from "../../domain/permissions.ts";
import { linkPersonToUser } from "../people/people.service.ts";

// Accounts an identity provider vouches for (single sign-on's just-in-time accounts, SCIM's
// provisioned users): the users area owns the table, the caller decides when and audits. Each
// runs in the caller's transaction.

/** The audit snapshot of an account made or changed by a provider: never a secret. */
export function externalAccountSnapshot(user: User) {
  return { name: user.name, email: user.email, role: user.role, status: user.status };
}

/**
 * Creates an active account without a password for `email` (lower case, unique across the
 * installation: check first) and links it to the person with that email, listing the person
 * when there is none. Only owner and auditor are refused: an owner is made by an owner, an
 * auditor's access is time-boxed by whoever invites them.
 */
export async function createExternalAccount(
  tx: Tx,
  input: { organizationId: string; email: string; name: string; role: Role },
): Promise<User> {
  if (input.role === "owner" || input.role === "auditor") {
    throw new Error(`An external account cannot be created as ${input.role}`);
  }
  const email = input.email.trim().toLowerCase();
  const name = input.name.trim() || email;
  const user = await tx
    .insertInto("users")
    .values({
      organization_id: input.organizationId,
      email,
      name,
      role: input.role,
      status: "active",
      password_hash: null,
      // Millisecond precision, as JavaScript dates carry, keeps list cursors exact.
      created_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await linkPersonToUser(tx, {
    organizationId: input.organizationId,
    userId: user.id,
    name,
    email,
  });
  return user;
}

/**
 * Sets the role a provider's groups give an existing account; answers the account before and
 * after, or null when nothing changed. Owners and auditors are left alone (see
 * createExternalAccount), so no organization loses its last owner this way.
 */
export async function setExternalRole(
  tx: Tx,
  userId: string,
  role: Role,
): Promise<{ before: User; after: User } | null> {
  const before = await lockedAccount(tx, userId);
  if (before.role === role || before.role === "owner" || before.role === "auditor") return null;
  if (role === "owner" || role === "auditor") return null;
  const after = await tx
    .updateTable("users")
    .set({ role, updated_at: new Date() })
    .where("id", "=", userId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { before, after };
}

/**
 * Accepts an invitation for the provider that signs its invitee in (the email is the
 * provider's, verified): the account is active, without a password, and the invitation's link
 * no longer works.
 */
export async function acceptInvitationExternally(
  tx: Tx,
  userId: string,
): Promise<{ before: User; after: User }> {
  const before = await lockedAccount(tx, userId);
  const after = await tx
    .updateTable("users")
    .set({
      status: "active",
      invite_token_hash: null,
      invite_expires_at: null,
      updated_at: new Date(),
    })
    .where("id", "=", userId)
    .where("status", "=", "invited")
    .returningAll()
    .executeTakeFirstOrThrow();
  return { before, after };
}

/** The account, locked until the caller's transaction ends. */
function lockedAccount(tx: Tx, userId: string): Promise<User> {
  return tx
    .selectFrom("users")
    .selectAll()
    .where("id", "=", userId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}
