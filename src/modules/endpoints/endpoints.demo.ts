import type { Kysely } from "kysely";
import type { Database } from "../../db/types.ts";
import type { DemoContext } from "../area.ts";

/** The demo's endpoints (filled in below). */
export async function seedDemoEndpoints(
  _db: Kysely<Database>,
  _demo: DemoContext,
): Promise<number> {
  return 0;
}
