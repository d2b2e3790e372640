import { withTenant } from "../../../src/db/tenant.ts";
import type { Org } from "../../factories.ts";
import type { Reply } from "../../helpers/app.ts";

export {
  finding,
  installTestReader,
  type TestFinding,
  testScan,
} from "../../factories/scan-imports.ts";

/** Posts a file to the import, as a client would. */
export function postScan(
  org: Org,
  query: string,
  file: string | Buffer,
  contentType = "application/json",
  client = org.owner.client,
): Promise<Reply> {
  return client.request("POST", `/api/v1/finding-imports?${query}`, file, {
    "content-type": contentType,
  });
}

/** The system's findings as stored, by fingerprint. */
export async function storedFindings(org: Org, systemId: string) {
  const rows = await withTenant(org.t.deps.db, org.id, (tx) =>
    tx.selectFrom("findings").selectAll().where("system_id", "=", systemId).execute(),
  );
  return new Map(rows.map((row) => [row.fingerprint, row]));
}

/** The finding's periods, oldest first. */
export async function periodsOf(org: Org, findingId: string) {
  return withTenant(org.t.deps.db, org.id, (tx) =>
    tx
      .selectFrom("finding_periods")
      .selectAll()
      .where("finding_id", "=", findingId)
      .orderBy("valid_from")
      .orderBy("id")
      .execute(),
  );
}

/** Rows of the import's tables and of the evidence library, to show nothing was written. */
export async function rowCounts(org: Org) {
  return withTenant(org.t.deps.db, org.id, async (tx) => {
    const count = async (table: "findings" | "finding_periods" | "scan_imports" | "evidence") =>
      Number(
        (
          await tx
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      findings: await count("findings"),
      periods: await count("finding_periods"),
      imports: await count("scan_imports"),
      evidence: await count("evidence"),
    };
  });
}
