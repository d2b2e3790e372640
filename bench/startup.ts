import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fmt, freePort, median, stop, waitForReady } from "./lib.ts";

/**
 * How long Attest takes to start: `attest serve` (and `npm start`, which checks the web build
 * first) until /readyz answers 200, on a new and on an existing data directory; and how long a
 * quick command takes from start to exit. The compiled server must be fresh (the first
 * `attest` after an edit compiles it), so one untimed command runs first.
 */
export async function startupBenchmarks(options: { runs: number }) {
  const cli = path.resolve("bin/attest.js");
  await exitTime([cli, "--help"], {});
  console.log(`start-up (${options.runs} runs each; load average ${loadAverage()})`);

  const fresh: number[] = [];
  const existing: number[] = [];
  const npmExisting: number[] = [];
  const help: number[] = [];
  const status: number[] = [];
  for (let run = 0; run < options.runs; run++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-bench-"));
    const env = { ATTEST_DATA_DIR: dir };
    fresh.push(await readyTime("node", env));
    existing.push(await readyTime("node", env));
    npmExisting.push(await readyTime("npm", env));
    help.push(await exitTime([cli, "--help"], env));
    status.push(await exitTime([cli, "migrate", "--status"], env));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const line = (label: string, values: number[]) =>
    console.log(
      `${label.padEnd(52)} median ${fmt(median(values))} (runs: ${values.map(fmt).join(", ")})`,
    );
  line("attest serve → /readyz, new data directory", fresh);
  line("attest serve → /readyz, existing data directory", existing);
  line("npm start → /readyz, existing data directory", npmExisting);
  line("attest --help, start to exit", help);
  line("attest migrate --status, existing directory", status);
}

/** Milliseconds from spawning `attest serve` (or `npm start`) to a 200 from /readyz. */
async function readyTime(how: "node" | "npm", env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = launch(how, { ...env, PORT: String(port), HOST: "127.0.0.1" });
  try {
    await waitForReady(`http://127.0.0.1:${port}/readyz`);
    return performance.now() - started;
  } finally {
    await stop(child);
  }
}

function launch(how: "node" | "npm", env: Record<string, string>): ChildProcess {
  const args = how === "npm" ? ["start", "--silent"] : ["bin/attest.js", "serve"];
  return spawn(how === "npm" ? "npm" : process.execPath, args, {
    env: { ...process.env, ATTEST_LOG_LEVEL: "warn", ...env },
    stdio: "ignore",
    detached: true, // its own process group, which stop() ends (npm runs the server as a child)
  });
}

async function exitTime(args: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ATTEST_LOG_LEVEL: "warn", ...env },
    stdio: "ignore",
  });
  const code = await new Promise((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`attest ${args.slice(1).join(" ")} exited with ${code}`);
  return performance.now() - started;
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(", ");
}
