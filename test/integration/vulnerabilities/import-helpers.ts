import fs from "node:fs";
import { withTenant } from "../../../src/db/tenant.ts";
import { openScanFile } from "../../../src/modules/vulnerabilities/vulnerabilities.formats.ts";
import { scanFiles } from "../../../src/modules/vulnerabilities/vulnerabilities.import.ts";
import {
  type ParsedFinding,
  ScanFileError,
} from "../../../src/modules/vulnerabilities/vulnerabilities.scan-file.ts";
import type { Org } from "../../factories.ts";
import type { Reply } from "../../helpers/app.ts";

/**
 * Scan imports in tests. Besides the real formats, the import reads a test file of generated
 * findings ({"attestTestScan": {tools, scannedAt}, "findings": [...]}, one finding a line),
 * through the import's reader seam, so the merge is driven with exactly the findings a test
 * names, in any number.
 */
const MARK = '{"attestTestScan":';

export interface TestFinding extends Partial<ParsedFinding> {
  fingerprint: string;
}

export function finding(f: TestFinding): ParsedFinding {
  return {
    tool: "Trivy",
    title: `Finding ${f.fingerprint}`,
    description: null,
    severity: "high",
    cvssScore: null,
    cvssVector: null,
    identifiers: [],
    ruleId: null,
    packageName: null,
    installedVersion: null,
    fixedVersion: null,
    filePath: null,
    line: null,
    url: null,
    ...f,
  };
}

/** A test scan file: its header line, then one finding a line. */
export function testScan(
  findings: readonly TestFinding[],
  header: { tools?: string[]; scannedAt?: string | null } = {},
): string {
  const head = { tools: header.tools ?? ["Trivy"], scannedAt: header.scannedAt ?? null };
  const lines = findings.map((f) => JSON.stringify(finding(f)));
  return `${MARK}${JSON.stringify(head)},\n"findings": [\n${lines.join(",\n")}\n]}\n`;
}

/** Installs the seam: test files are read here, anything else by the real readers. */
export function installTestReader(): void {
  scanFiles.open = async (path, options = {}) => {
    const handle = await fs.promises.open(path, "r");
    const start = Buffer.alloc(MARK.length);
    await handle.read(start, 0, MARK.length, 0);
    await handle.close();
    if (start.toString() !== MARK) return openScanFile(path, options);
    const lines = (await fs.promises.readFile(path, "utf8")).split("\n");
    const header = JSON.parse(`${(lines[0] as string).slice(MARK.length, -1)}`);
    return {
      format: "sarif",
      tools: header.tools,
      scannedAt: header.scannedAt ? new Date(header.scannedAt) : null,
      async *findings() {
        let batch: ParsedFinding[] = [];
        for (let i = 2; i < lines.length - 2; i++) {
          const line = (lines[i] as string).replace(/,$/, "");
          if (line === "TRUNCATED") throw new ScanFileError("the file ends early", `line ${i + 1}`);
          batch.push(JSON.parse(line));
          if (batch.length === 2_000) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length) yield batch;
      },
    };
  };
}

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
