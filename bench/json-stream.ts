import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openScanFile } from "../src/modules/vulnerabilities/vulnerabilities.formats.ts";
import { readJsonValues } from "../src/platform/json-stream.ts";
import { writeSarifFile } from "../test/fixtures/scanners/generate.ts";

/**
 * The streaming JSON reader's throughput: a generated SARIF file (~100 MB by default) read
 * once selecting each result (captured and parsed), and once selecting nothing (validate and
 * skip only), then the SARIF reader end to end with its peak heap. Usage: node bin/run-ts.js bench/json-stream.ts [results=135000, about 100 MB]
 */
const results = Number(process.argv[2] ?? "135000");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-json-stream-"));
const file = path.join(dir, "bench.sarif");
try {
  await writeSarifFile(file, results, 7);
  const bytes = fs.statSync(file).size;
  for (const [label, selectors] of [
    ["every result parsed", [{ path: ["runs", "*", "results", "*"] }]],
    ["validated and skipped", [{ path: ["runs", "*", "tool"] }]],
  ] as const) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    let count = 0;
    for await (const batch of readJsonValues(
      fs.createReadStream(file, { highWaterMark: 1 << 20 }),
      selectors,
    )) {
      count += batch.length;
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    console.log(
      `${label}: ${(bytes / 1e6).toFixed(1)} MB, ${count} values in ${seconds.toFixed(2)} s = ${(bytes / 1e6 / seconds).toFixed(0)} MB/s (CPU ${cpuSeconds.toFixed(2)} s = ${(bytes / 1e6 / cpuSeconds).toFixed(0)} MB/s of CPU)`,
    );
  }
  // the whole reader: detection and header (first pass), then the findings (second pass)
  const started = performance.now();
  const cpu = process.cpuUsage();
  let peak = 0;
  const scan = await openScanFile(file);
  let findings = 0;
  for await (const batch of scan.findings()) {
    findings += batch.length;
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  console.log(
    `openScanFile + findings(): ${findings} findings in ${seconds.toFixed(2)} s (CPU ${((used.user + used.system) / 1e6).toFixed(2)} s), heap at most ${(peak / 1e6).toFixed(0)} MB`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
