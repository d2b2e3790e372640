import type { Role } from "../../domain/permissions.ts";
import { errors } from "../../platform/errors.ts";

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
