import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../helpers/database.ts";
import { testEngine } from "../../helpers/engines.ts";

// The real `attest` command in child processes, on a data directory of its own: the embedded
// database is single-process, so a second process must be refused before it opens it.
const CLI = path.resolve("bin/attest.js");
const PASSWORD = "correct horse battery staple";
const LONG = 120_000;

let dir: string;
let database: TestDatabase;
let env: NodeJS.ProcessEnv;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-lock-"));
  // A migrated copy of the template, closed again so that the CLI can open it.
  database = await createTestDatabase({ onDisk: path.join(dir, "pg") });
  if (database.engine === "pglite") await database.db.destroy();
  env = {
    ...process.env,
    ...database.env,
    ATTEST_DATA_DIR: dir,
    HOST: "127.0.0.1",
    ATTEST_LOG_LEVEL: "warn",
  };
}, LONG);

afterAll(async () => {
  await Promise.all(children.map(stop));
  if (database.engine === "postgres") await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
}, LONG);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], extra: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    // Bounded: a command that was not refused would otherwise run (or serve) on.
    const options = { env: { ...env, ...extra }, timeout: 60_000 };
    execFile(process.execPath, [CLI, ...args], options, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

interface Server {
  child: ChildProcess;
  url: string;
  /** What it printed so far: the human lines on stderr, the JSON logs on stdout. */
  output: { stdout: string; stderr: string };
}

/** Starts `attest serve` and waits for its start-up line (or for it to end). */
async function serve(port: number, extra: Record<string, string> = {}): Promise<Server> {
  const child = spawn(process.execPath, [CLI, "serve"], {
    env: { ...env, PORT: String(port), ...extra },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const output = { stdout: "", stderr: "" };
  child.stdout?.on("data", (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      output.stderr += chunk.toString();
      const ready = output.stderr.match(/^Attest is ready at (\S+?)(?: \(|\.$)/m);
      if (ready?.[1]) resolve(ready[1]);
    });
    child.once("exit", (code) =>
      reject(new Error(`attest serve ended (${code}): ${output.stderr}`)),
    );
  });
  return { child, url, output };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function signIn(url: string, email: string): Promise<number> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  return response.status;
}

/** One line, naming no stack frame. */
function expectOneLine(text: string) {
  const lines = text.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(text).not.toMatch(/\n\s+at /);
}

const embedded = testEngine() === "pglite";

describe("attest beside a running server", () => {
  if (!embedded) {
    it(
      "should not lock anything on PostgreSQL, which takes many processes",
      async () => {
        const { child } = await serve(await freePort());
        const status = await run(["migrate", "--status"]);
        expect(status.stderr).toBe("");
        expect(status.stdout).toMatch(/^applied\s+\d+_foundation$/m);
        expect(status.code).toBe(0);
        expect(fs.existsSync(path.join(dir, "attest.lock"))).toBe(false);
        await stop(child);
      },
      LONG,
    );
    return;
  }

  it(
    "should refuse a second serve and a demo beside a running server, which keeps its data",
    async () => {
      const port = await freePort();
      const { child, url, output } = await serve(port, { ATTEST_LOG_LEVEL: "info" });
      // The human start-up lines: where to go, that setup comes first, and the new master key.
      expect(output.stderr).toContain(
        `Attest is ready at ${url} (the first visit leads to setup).`,
      );
      expect(output.stderr).toContain(
        `A new master key was written to ${path.join(dir, "master.key")}`,
      );
      expect(output.stderr).toContain("Back it up");
      const setup = await fetch(`${url}/api/v1/setup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          organizationName: "Lock Co",
          name: "Lena Lock",
          email: "lena@lock.test",
          password: PASSWORD,
        }),
      });
      expect(setup.status).toBe(201);

      const second = await run(["serve"], { PORT: String(await freePort()) });
      expect(second.code).toBe(1);
      expectOneLine(second.stderr);
      expect(second.stderr).toContain(`is in use by attest serve (pid ${child.pid}`);
      expect(second.stderr).toContain(`Stop that process first, or use its API at ${url}.`);

      const demo = await run(["demo"]);
      expect(demo.code).toBe(1);
      expectOneLine(demo.stderr);
      expect(demo.stderr).toContain(`is in use by attest serve (pid ${child.pid}`);
      expect(demo.stdout).not.toContain("Sign in as");

      // The running server still works on its data, and gives it back when stopped.
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(await signIn(url, "lena@lock.test")).toBe(200);
      await stop(child);
      // Its log: JSON lines only, requests at info, but not the health checks.
      const logged = output.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line));
      const urls = logged.map((entry) => entry.req?.url).filter(Boolean);
      expect(urls).toContain("/api/v1/auth/login");
      expect(urls).not.toContain("/readyz");
      expect(urls).not.toContain("/healthz");
      expect(fs.existsSync(path.join(dir, "attest.lock"))).toBe(false);
      const verify = await run(["audit", "verify"]);
      expect(verify.stderr).toBe("");
      expect(verify.stdout).toMatch(/^ok\s+Lock Co .*: \d+ events verified/m);
      expect(verify.code).toBe(0);
    },
    LONG,
  );

  it(
    "should take over a lock left by a process that is gone",
    async () => {
      const gone = spawn(process.execPath, ["-e", ""]);
      await new Promise((resolve) => gone.once("exit", resolve));
      const stale = {
        pid: gone.pid,
        host: os.hostname(),
        command: "attest serve",
        startedAt: new Date().toISOString(),
      };
      fs.writeFileSync(path.join(dir, "attest.lock"), JSON.stringify(stale));

      const status = await run(["migrate", "--status"]);
      expect(status.stderr).toBe("");
      expect(status.stdout).toMatch(/^applied\s+\d+_foundation$/m);
      expect(status.code).toBe(0);
      expect(fs.existsSync(path.join(dir, "attest.lock"))).toBe(false);
    },
    LONG,
  );

  it(
    "should end with one line when the port is in use, before opening the database",
    async () => {
      const taken = net.createServer();
      await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
      const { port } = taken.address() as net.AddressInfo;
      const own = fs.mkdtempSync(path.join(os.tmpdir(), "attest-port-"));
      try {
        const refused = await run(["serve"], { PORT: String(port), ATTEST_DATA_DIR: own });
        expect(refused.code).toBe(1);
        expectOneLine(refused.stderr);
        expect(refused.stderr).toContain(`Cannot listen on port ${port} on 127.0.0.1`);
        expect(refused.stderr).toContain("set PORT to a free port");
        expect(fs.readdirSync(own)).toEqual([]); // refused before opening the database
      } finally {
        await new Promise((resolve) => taken.close(resolve));
        fs.rmSync(own, { recursive: true, force: true });
      }
    },
    LONG,
  );
});
