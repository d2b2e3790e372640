import fs from "node:fs";
import { openScanFile } from "../../src/modules/vulnerabilities/vulnerabilities.formats.ts";
import { scanFiles } from "../../src/modules/vulnerabilities/vulnerabilities.import.ts";
import {
  type ParsedFinding,
  ScanFileError,
} from "../../src/modules/vulnerabilities/vulnerabilities.scan-file.ts";
import type { Org } from "../factories.ts";
import { factoryBody as body } from "./shared.ts";
import { system } from "./systems.ts";

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

/** A scan imported for a system (a new one by default), as the owner; answers the import. */
export async function scanImport(
  org: Org,
  overrides: { systemId?: string; findings?: TestFinding[]; scannedAt?: string } = {},
) {
  installTestReader();
  const systemId = overrides.systemId ?? (await system(org)).id;
  const file = testScan(overrides.findings ?? [{ fingerprint: "CVE-2026-0001:openssl" }], {
    scannedAt: overrides.scannedAt ?? null,
  });
  const created = body(
    await org.owner.client.request("POST", `/api/v1/finding-imports?systemId=${systemId}`, file, {
      "content-type": "application/json",
    }),
    "scan import",
    201,
  );
  return { id: created.id as string, systemId, evidenceId: created.evidenceId as string };
}
