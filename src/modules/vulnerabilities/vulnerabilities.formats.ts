import type { ScanFormat } from "../../db/tables/vulnerabilities.ts";
import type { ScanFile } from "./vulnerabilities.scan-file.ts";
import { ScanFileError } from "./vulnerabilities.scan-file.ts";

/**
 * Opens a scanner file saved at `path`: detects its format from the content (refusing one that
 * is not `declared`, when given) and reads its header. Helper 1 builds this (stub).
 */
export async function openScanFile(
  _path: string,
  _options: { declared?: ScanFormat } = {},
): Promise<ScanFile> {
  throw new ScanFileError("not built yet");
}
