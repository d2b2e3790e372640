import type { HeaderValues } from "./vulnerabilities.formats.ts";
import { type ScanFile, ScanFileError } from "./vulnerabilities.scan-file.ts";

export async function openNpmAudit(_path: string, _header: HeaderValues): Promise<ScanFile> {
  throw new ScanFileError("npm-audit files are not read yet");
}
