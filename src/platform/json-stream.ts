/**
 * A validating, streaming JSON reader: bytes go in chunk by chunk (split anywhere, even inside
 * a string, an escape, a number or a multi-byte character), and out come only the values at
 * the paths asked for, each parsed by the native JSON.parse from its own bytes. Everything else
 * is validated (strict RFC 8259: no trailing commas, no bad literals, no control characters in
 * strings, nothing after the value) and skipped without building anything, so a file of any
 * size is read in bounded memory. Every error names what, the byte offset, line and column,
 * and the JSON path (`runs[0].results[12]`).
 */

import type { JsonMatch, JsonSelector } from "./json-lexer.ts";
import { JsonScanner } from "./json-scanner.ts";

export {
  formatPath,
  type JsonMatch,
  type JsonSelector,
  JsonStreamError,
  type PathKey,
  type PathPattern,
} from "./json-lexer.ts";
export { JsonScanner } from "./json-scanner.ts";

/**
 * Reads a byte stream (fs.createReadStream) and yields, per chunk, the values it completed
 * at the selected paths. The consumer's awaits pace the reading.
 */
export async function* readJsonValues(
  source: AsyncIterable<Uint8Array | string>,
  selectors: readonly JsonSelector[],
  options: { maxValueBytes?: number } = {},
): AsyncGenerator<JsonMatch[]> {
  const scanner = new JsonScanner(selectors, options.maxValueBytes);
  for await (const chunk of source) {
    const matches = scanner.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    if (matches.length > 0) yield matches;
  }
  const last = scanner.end();
  if (last.length > 0) yield last;
}
