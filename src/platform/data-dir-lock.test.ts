import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DataDirInUseError, LOCK_FILE, lockDataDir } from "./data-dir-lock.ts";

// The cases the CLI test (test/integration/platform/cli-lock.test.ts) does not reach: locks from another
// host, written half, or naming this very pid.
let dir: string;
let lockFile: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-lock-unit-"));
  lockFile = path.join(dir, LOCK_FILE);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeLock(fields: Record<string, unknown>) {
  const record = {
    host: os.hostname(),
    command: "attest serve",
    startedAt: new Date().toISOString(),
  };
  fs.writeFileSync(lockFile, JSON.stringify({ ...record, ...fields }));
}

function refusal(): string {
  try {
    lockDataDir(dir, { command: "attest demo" }).release();
  } catch (error) {
    expect(error).toBeInstanceOf(DataDirInUseError);
    return (error as Error).message;
  }
  throw new Error("the lock was taken");
}

describe("lockDataDir", () => {
  it("should hold the directory until released, refusing a second taker meanwhile", () => {
    const lock = lockDataDir(dir, { command: "attest serve", url: "http://localhost:3000" });
    const record = JSON.parse(fs.readFileSync(lockFile, "utf8"));
    expect(record).toMatchObject({
      pid: process.pid,
      host: os.hostname(),
      command: "attest serve",
    });
    expect(refusal()).toMatch(
      /is in use by attest serve \(pid \d+, since .* UTC\)\. Stop that process first, or use its API at http:\/\/localhost:3000\.$/,
    );
    lock.release();
    expect(fs.existsSync(lockFile)).toBe(false);
    lockDataDir(dir, { command: "attest demo" }).release();
  });

  it("should refuse a lock held by a live process, and take over one whose process is gone", async () => {
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    try {
      writeLock({ pid: child.pid });
      expect(refusal()).toContain(`attest serve (pid ${child.pid}`);
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill();
      await exited;
    }
    const lock = lockDataDir(dir, { command: "attest demo" });
    expect(JSON.parse(fs.readFileSync(lockFile, "utf8")).pid).toBe(process.pid);
    lock.release();
  });

  it("should refuse a lock from another host, saying how to clear it", () => {
    writeLock({ pid: 1, host: "elsewhere.invalid" });
    expect(refusal()).toContain(`(pid 1 on elsewhere.invalid, since`);
    expect(refusal()).toContain(`if it no longer runs, delete ${lockFile}`);
  });

  it("should take over a lock that is not whole, or names this pid without being ours", () => {
    fs.writeFileSync(lockFile, '{"pid": 12');
    lockDataDir(dir, { command: "attest demo" }).release();
    // A restarted container: the server is pid 1 again, and finds the lock of its earlier life.
    writeLock({ pid: process.pid });
    lockDataDir(dir, { command: "attest demo" }).release();
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it("should take over a lock whose pid now belongs to a process started after it", () => {
    // This test's own parent started before the lock below claims to have been written.
    writeLock({
      pid: process.ppid,
      startedAt: new Date(Date.now() - 3_600_000 * 24 * 365).toISOString(),
    });
    const lock = lockDataDir(dir, { command: "attest demo" });
    lock.release();
  });
});
