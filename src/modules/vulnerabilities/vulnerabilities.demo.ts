import type { Kysely } from "kysely";
import type { Database } from "../../db/types.ts";
import type { DemoContext } from "../area.ts";

/** The demo's year of scans and its annual pentest (helper 5; stub). */
export async function seedDemoVulnerabilities(
  _db: Kysely<Database>,
  _demo: DemoContext,
): Promise<void> {}
