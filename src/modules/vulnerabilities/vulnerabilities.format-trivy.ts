import type { HeaderValues } from "./vulnerabilities.formats.ts";
import { type ScanFile, ScanFileError } from "./vulnerabilities.scan-file.ts";

export async function openTrivy(_path: string, _header: HeaderValues): Promise<ScanFile> {
  throw new ScanFileError("trivy files are not read yet");
}
