import { NOT_A_SCAN_FILE } from "./vulnerabilities.format-common.ts";
import type { ScanFile } from "./vulnerabilities.scan-file.ts";
import { ScanFileError } from "./vulnerabilities.scan-file.ts";

export async function openCsv(_path: string, _first: string): Promise<ScanFile> {
  throw new ScanFileError(NOT_A_SCAN_FILE);
}
