import type { Role } from "../../domain/permissions.ts";
import type { Actor } from "../../platform/context.ts";

/** The signed-in person behind a request, resolved from a session cookie or an API token. */
export interface Principal {
  organizationId: string;
  userId: string;
  name: string;
  email: string;
  role: Role;
  mfaEnabled: boolean;
  /** The organization requires MFA and this person has not enrolled yet. */
  mfaEnrollmentRequired: boolean;
  via:
    | { kind: "session"; sessionId: string; csrfToken: string }
    | { kind: "token"; tokenId: string };
}

export function actorOf(principal: Principal): Actor {
  return principal.via.kind === "token"
    ? {
        type: "token",
        userId: principal.userId,
        name: principal.name,
        role: principal.role,
        tokenId: principal.via.tokenId,
      }
    : { type: "user", userId: principal.userId, name: principal.name, role: principal.role };
}
