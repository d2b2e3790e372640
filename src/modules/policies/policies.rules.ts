import type { Policy } from "../../db/types.ts";
import type { Role } from "../../domain/permissions.ts";
import { describeUnfinished, isFinished, unfinishedText } from "../../domain/policy-text.ts";
import type { Actor } from "../../platform/context.ts";
import { AppError, errors } from "../../platform/errors.ts";

/** Roles whose approval publishes a policy ("a person with approval rights"). */
export const APPROVER_ROLES: readonly Role[] = ["owner", "admin"];

/**
 * Four eyes where there are enough eyes: the approver must not be the version's author when
 * the organization has more than one person who may approve.
 */
export function assertMayApprove(input: {
  approverId: string;
  approverRole: Role;
  authorId: string | null;
  approverCount: number;
}) {
  if (!APPROVER_ROLES.includes(input.approverRole)) {
    throw errors.forbidden("Only owners and admins approve policies.");
  }
  if (input.approverCount > 1 && input.authorId === input.approverId) {
    throw errors.forbidden("Another owner or admin must approve: you wrote this version.");
  }
}

/**
 * A version is approved only once its text is the company's own: no template placeholder
 * left (approval fills `{{effective_date}}` itself when `fillsOnApproval`) and no template note.
 * The problem names each one, so the author knows what to change.
 */
export function assertTextFinished(
  version: { version: number; body: string },
  options: { fillsOnApproval: boolean },
) {
  const left = unfinishedText(version.body, options);
  if (isFinished(left)) return;
  throw new AppError(
    "invalid_state",
    `Version ${version.version} cannot be approved yet: ${describeUnfinished(left)}.`,
    [
      ...left.placeholders.map((name) => ({
        field: "body",
        message: `still holds the placeholder {{${name}}}`,
      })),
      ...(left.templateNote
        ? [{ field: "body", message: "still holds the template note (“About this template”)" }]
        : []),
    ],
  );
}

/** The signed-in user (or their API token) who writes, approves or acknowledges. */
export function actingUser(actor: Actor): { userId: string; role: Role } {
  if (actor.type !== "user" && actor.type !== "token") throw errors.forbidden();
  return { userId: actor.userId, role: actor.role };
}

export function assertNotRetired(policy: Policy) {
  if (policy.retired_at) throw errors.invalidState("This policy is retired.");
}
