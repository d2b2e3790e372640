import type { Kysely } from "kysely";
import type { Database } from "../../db/types.ts";
import type { DemoContext } from "../area.ts";

/** The demo's year of access: joiners, leavers, role changes, requests, one late revocation. */
export async function seedDemoAccess(_db: Kysely<Database>, _demo: DemoContext) {}
