import type { Kysely } from "kysely";
import type { Database } from "../../db/types.ts";
import type { DemoContext } from "../area.ts";

export async function seedDemoIncidents(_db: Kysely<Database>, _demo: DemoContext): Promise<void> {}
