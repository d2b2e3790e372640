import type { Kysely } from "kysely";
import type { Database } from "../../db/types.ts";
import type { DemoContext } from "../area.ts";

/** The demo's inventory: the systems of a software company, owned, classified, signed off. */
export async function seedDemoSystems(_db: Kysely<Database>, _demo: DemoContext) {}
