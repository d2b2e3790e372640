import type { HeaderValues } from "./vulnerabilities.formats.ts";
import { type ScanFile, ScanFileError } from "./vulnerabilities.scan-file.ts";

export async function openOsv(_path: string, _header: HeaderValues): Promise<ScanFile> {
  throw new ScanFileError("osv files are not read yet");
}
