import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * The embedded database (PGlite) is single-process: a second process opening the same data
 * directory corrupts it beyond repair. So whoever opens it first holds `attest.lock` in the data
 * directory, created atomically, until it exits; a later process is refused with a message naming
 * the holder. A lock whose process is gone (it was killed) is taken over.
 */
export const LOCK_FILE = "attest.lock";

export interface LockOwner {
  /** What holds the directory, e.g. "attest serve". */
  command: string;
  /** Where that process can be reached instead, e.g. the server's URL. */
  url?: string;
}

interface LockRecord extends LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

export class DataDirInUseError extends Error {
  override name = "DataDirInUseError";
}

export interface DataDirLock {
  release(): void;
}

/** Lock files this process holds, released when it exits however it exits. */
const held = new Set<string>();
let exitHookInstalled = false;

export function lockDataDir(dataDir: string, owner: LockOwner): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const record: LockRecord = {
    pid: process.pid,
    host: os.hostname(),
    command: owner.command,
    ...(owner.url ? { url: owner.url } : {}),
    startedAt: new Date().toISOString(),
  };
  const content = `${JSON.stringify(record, null, 2)}\n`;
  // Bounded: each round either takes the lock, refuses, or removes one stale lock.
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createComplete(file, content)) {
      installExitHook();
      held.add(file);
      return { release: () => releaseLock(file, content) };
    }
    const seen = readLock(file);
    if (seen === undefined) continue; // removed meanwhile: try again
    if (seen.record && isAlive(seen.record, file)) {
      throw new DataDirInUseError(inUseMessage(dataDir, file, seen.record));
    }
    removeStale(file, seen.raw);
  }
  throw new DataDirInUseError(
    `Could not take the lock on the embedded database in ${shown(dataDir)}: ${file} keeps changing. Is another Attest process starting?`,
  );
}

/**
 * Creates the lock file only if there is none (O_EXCL semantics through link), and already
 * whole: written under a name of our own first, so no reader ever sees it half written.
 */
function createComplete(file: string, content: string): boolean {
  const draft = `${file}.${process.pid}-${randomBytes(4).toString("hex")}`;
  fs.writeFileSync(draft, content, { flag: "wx", mode: 0o644 });
  try {
    fs.linkSync(draft, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") throw error;
    // A file system without hard links: create it in place, still exclusively.
    try {
      fs.writeFileSync(file, content, { flag: "wx", mode: 0o644 });
      return true;
    } catch (inPlace) {
      if ((inPlace as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw inPlace;
    }
  } finally {
    fs.rmSync(draft, { force: true });
  }
}

function readLock(file: string): { raw: string; record: LockRecord | undefined } | undefined {
  let raw: string;
  try {
    raw = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(raw) as Partial<LockRecord>;
    if (typeof parsed.pid === "number" && typeof parsed.host === "string") {
      return { raw, record: parsed as LockRecord };
    }
  } catch {
    // A lock cut short (its writer died mid-write) is stale: fall through.
  }
  return { raw, record: undefined };
}

/** Whether the lock's process still runs. A lock from another host is assumed alive. */
function isAlive(record: LockRecord, file: string): boolean {
  if (record.host !== os.hostname()) return true;
  // Our own pid in a lock we did not take: left by an earlier life of this pid (a container
  // restarted, its server is pid 1 again).
  if (record.pid === process.pid) return held.has(file);
  try {
    process.kill(record.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  return !startedAfter(record);
}

/** True when the process now holding the lock's pid started after the lock was written. */
function startedAfter(record: LockRecord): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${record.pid}/stat`, "utf8");
    // Field 22 (starttime, clock ticks after boot), counted after the ")" closing the name.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[19]);
    const bootLine = fs.readFileSync("/proc/stat", "utf8").match(/^btime (\d+)$/m);
    if (!bootLine || !Number.isFinite(ticks)) return false;
    const startedMs = Number(bootLine[1]) * 1000 + (ticks / 100) * 1000;
    // Clock ticks are 1/100 s on Linux; allow slack for that and for the boot time's rounding.
    return startedMs > Date.parse(record.startedAt) + 2000;
  } catch {
    return false; // no /proc: trust the pid
  }
}

/**
 * Removes a stale lock, unless another process replaced it since we read it: the lock is moved
 * aside under a name of our own, checked, and put back if it was not the stale one.
 */
function removeStale(file: string, staleRaw: string) {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  try {
    if (fs.readFileSync(aside, "utf8") !== staleRaw) {
      try {
        fs.linkSync(aside, file); // a live lock: back in place, unless a newer one took it
      } catch {
        // EEXIST: someone took the place meanwhile; theirs stands.
      }
    }
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

function releaseLock(file: string, content: string) {
  if (!held.delete(file)) return;
  try {
    if (fs.readFileSync(file, "utf8") === content) fs.rmSync(file, { force: true });
  } catch {
    // Already gone.
  }
}

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' runs on a normal end, process.exit() and an uncaught error; signals end the process
  // through process.exit in the CLI.
  process.on("exit", () => {
    for (const file of held) {
      try {
        fs.rmSync(file, { force: true });
      } catch {
        // Nothing more can be done while exiting.
      }
    }
    held.clear();
  });
}

function inUseMessage(dataDir: string, file: string, holder: LockRecord): string {
  const since = holder.startedAt ? `, since ${formatTime(holder.startedAt)}` : "";
  const where = holder.host === os.hostname() ? "" : ` on ${holder.host}`;
  const what = holder.command || "another process";
  const instead = holder.url ? `, or use its API at ${holder.url}` : "";
  const gone = holder.host === os.hostname() ? "" : `; if it no longer runs, delete ${shown(file)}`;
  return `The embedded database in ${shown(dataDir)} is in use by ${what} (pid ${holder.pid}${where}${since}). Stop that process first${instead}${gone}.`;
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().replace("T", " ").slice(0, 19).concat(" UTC");
}

/** A path as the person typed it: relative to the working directory when inside it. */
function shown(target: string): string {
  const relative = path.relative(process.cwd(), target);
  if (relative === "") return ".";
  if (relative.startsWith("..") || path.isAbsolute(relative)) return target;
  return `.${path.sep}${relative}`;
}
