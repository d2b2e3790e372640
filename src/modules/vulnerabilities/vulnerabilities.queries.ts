import type { Tx } from "../../db/tenant.ts";
import { systemNames } from "../systems/systems.queries.ts";

/** The vulnerabilities area's reads other areas use, and how the audit log labels its records. */

/** The web app's page of a finding. */
export function findingLink(id: string): string {
  return `/vulnerabilities/findings/${encodeURIComponent(id)}`;
}

/** "CVE-2024-1234 in openssl 1.1.1 on api-1", or the title when it names no package. */
export function findingLabel(f: {
  title: string;
  identifiers: string[] | null;
  package_name: string | null;
  installed_version: string | null;
  system_name: string | null;
}): string {
  const what = f.identifiers?.find((i) => i.startsWith("CVE-")) ?? f.identifiers?.[0] ?? f.title;
  const where = f.package_name
    ? ` in ${f.package_name}${f.installed_version ? ` ${f.installed_version}` : ""}`
    : what === f.title
      ? ""
      : ` (${f.title})`;
  return `${what}${where} on ${f.system_name ?? "a removed system"}`;
}

async function findingNames(tx: Tx, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await tx
    .selectFrom("findings")
    .select(["id", "title", "identifiers", "package_name", "installed_version", "system_id"])
    .where("id", "in", ids)
    .execute();
  const systems = await systemNames(
    tx,
    rows.map((r) => r.system_id),
  );
  return rows.map((r) => ({
    id: r.id,
    name: findingLabel({ ...r, system_name: systems.get(r.system_id) ?? null }),
    path: findingLink(r.id),
  }));
}

export const findingAuditTargets = {
  finding: { find: findingNames },
  risk_acceptance: {
    find: async (tx: Tx, ids: string[]) => {
      if (ids.length === 0) return [];
      const rows = await tx
        .selectFrom("finding_acceptances")
        .select(["id", "finding_id"])
        .where("id", "in", ids)
        .execute();
      const findings = new Map(
        (
          await findingNames(
            tx,
            rows.map((r) => r.finding_id),
          )
        ).map((f) => [f.id, f]),
      );
      return rows.map((r) => {
        const f = findings.get(r.finding_id);
        return {
          id: r.id,
          name: f ? `Risk acceptance of ${f.name}` : "A risk acceptance",
          path: findingLink(r.finding_id),
        };
      });
    },
  },
};
