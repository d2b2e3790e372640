import type { Kysely } from "kysely";
import type { Database } from "../db/types.ts";
import type { Role } from "../domain/permissions.ts";

/** Who is acting. Every audit event names one. */
export type Actor =
  | { type: "user"; userId: string; name: string; role: Role }
  | { type: "token"; userId: string; name: string; role: Role; tokenId: string }
  | { type: "system"; name: string }
  | { type: "anonymous" }
  /** Someone outside the organization identified by what they told us (a trust center requester). */
  | { type: "visitor"; name: string }
  /** An identity provider provisioning through a SCIM token of the organization (issue 16). */
  | { type: "scim"; tokenId: string; name: string };

export function actorUserId(actor: Actor): string | null {
  return actor.type === "user" || actor.type === "token" ? actor.userId : null;
}

/** What a use case needs to know about the request that runs it; nothing about HTTP. */
export interface Context {
  db: Kysely<Database>;
  organizationId: string;
  actor: Actor;
  requestId: string | null;
}
