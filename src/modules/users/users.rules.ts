import { isOwnerOnlyRole, type Role } from "../../domain/permissions.ts";
import { errors } from "../../platform/errors.ts";

/**
 * Rules on top of the users.manage permission: only owners hand out or take away ownership,
 * nobody changes their own role or deactivates themselves, and an organization always keeps
 * at least one active owner.
 */
export function assertMayAssignRole(actorRole: Role, newRole: Role) {
  if (isOwnerOnlyRole(newRole) && actorRole !== "owner") {
    throw errors.forbidden("Only an owner can make someone an owner.");
  }
}

export function assertMayChange(
  actor: { userId: string; role: Role },
  target: { id: string; role: Role },
  change: "role" | "deactivate" | "reactivate" | "details",
) {
  if (change !== "details" && actor.userId === target.id) {
    throw errors.forbidden(
      change === "role" ? "You cannot change your own role." : `You cannot ${change} yourself.`,
    );
  }
  if (isOwnerOnlyRole(target.role) && actor.role !== "owner") {
    throw errors.forbidden("Only an owner can change another owner's account.");
  }
}

export function assertKeepsAnOwner(activeOwnersAfter: number) {
  if (activeOwnersAfter < 1) {
    throw errors.invalidState("The organization must keep at least one active owner.");
  }
}
