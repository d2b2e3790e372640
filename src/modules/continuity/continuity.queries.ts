import type { Tx } from "../../db/tenant.ts";
import { systemNames } from "../systems/systems.queries.ts";
import { restoreTestLink } from "./continuity.core.ts";

/** The continuity area's reads that other areas use. */

/** How the audit log labels restore tests: "Restore test of <system> on <day>". */
export const continuityAuditTargets = {
  restore_test: {
    find: async (tx: Tx, ids: string[]) => {
      const rows = await tx
        .selectFrom("restore_tests")
        .select(["id", "system_id", "performed_on"])
        .where("id", "in", ids)
        .execute();
      const names = await systemNames(
        tx,
        rows.map((r) => r.system_id),
      );
      return rows.map((r) => ({
        id: r.id,
        name: `Restore test of ${names.get(r.system_id) ?? "a system"} on ${String(r.performed_on).slice(0, 10)}`,
        path: restoreTestLink(r.id),
      }));
    },
  },
};
