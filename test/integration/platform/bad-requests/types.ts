import type { Person, TestApp } from "../../../helpers/app.ts";

/** What the bad-request table needs to address existing records. */
export interface Fixture {
  owner: Person;
  member: Person;
  /** An invitation that is still open: accepting it for real would activate the account. */
  inviteToken: string;
  invitedId: string;
  tokenId: string;
  /** Ids made by the areas' prepare functions. */
  ids: Record<string, string>;
}

export interface BadRequest {
  /** Who sends it: someone allowed to, so the request reaches validation. */
  as: "owner" | "anonymous";
  url?: (f: Fixture) => string;
  body?: unknown;
  /** A raw payload sent as application/json (for routes that take no body). */
  raw?: string;
  status?: number;
  fields: string[];
}

/**
 * One area's rows of the bad-request table (see input-validation.test.ts): each later area
 * keeps its own file here. `prepare` creates the records its URLs name, with the owner's
 * client, and returns their ids, which reach `url` as `f.ids`.
 */
export interface AreaBadRequests {
  prepare?: (t: TestApp, owner: Person) => Promise<Record<string, string>>;
  requests: Record<string, BadRequest>;
}
