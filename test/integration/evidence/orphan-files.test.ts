import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import type { FastifyBaseLogger } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScheduledEvaluation, runStartTasks } from "../../../src/modules/monitoring/monitor.ts";
import { localBlobStore } from "../../../src/platform/blob-store.ts";
import { createOrganization, createTestApp, type TestApp } from "../../helpers/app.ts";
import { dayFromToday, uploadText } from "../../helpers/evidence.ts";

let t: TestApp;
let dataDir: string;
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-orphans-"));
  t = await createTestApp({ dataDir });
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const TWO_HOURS_AGO = new Date(Date.now() - 2 * 3_600_000);

function age(directory: string, ...names: string[]) {
  for (const name of names) fs.utimesSync(path.join(directory, name), TWO_HOURS_AGO, TWO_HOURS_AGO);
}

/** A file under a blob key's name, as a crash leaves it (`suffix` ".part": half written). */
function plant(directory: string, suffix = ""): string {
  fs.mkdirSync(directory, { recursive: true });
  const name = `${randomBytes(24).toString("base64url")}${suffix}`;
  fs.writeFileSync(path.join(directory, name), randomBytes(100));
  return name;
}

/** What the sweep logs at info, kept for the test to read. */
function capturingLog() {
  const info: { fields: Record<string, unknown>; message: string }[] = [];
  const log = {
    info: (fields: Record<string, unknown>, message: string) => info.push({ fields, message }),
    warn: () => {},
    error: (fields: unknown) => {
      throw new Error(`logged an error: ${JSON.stringify(fields)}`);
    },
    debug: () => {},
    trace: () => {},
    fatal: () => {},
    child: () => log,
  };
  return { log: log as unknown as FastifyBaseLogger, info };
}

/** Runs the crashing upload in a child process and kills it with SIGKILL mid-upload. */
async function killedUpload(directory: string): Promise<{ whole: string; part: string }> {
  fs.mkdirSync(directory, { recursive: true });
  const child = spawn(
    process.execPath,
    ["bin/run-ts.js", "test/helpers/crashing-upload.ts", directory],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on("exit", (_code, signal) => resolve(signal)),
  );
  const reported = await new Promise<{ whole: string; part: string }>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("\n")) resolve(JSON.parse(stdout.split("\n")[0] as string));
    });
    child.on("exit", () => reject(new Error(`the upload child ended early: ${stderr}`)));
  });
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");
  return reported;
}

describe("the sweep of files without rows", () => {
  it("should remove what a killed upload left, at start and on the schedule, and keep what is referenced, young or being written", async () => {
    const owner = await createOrganization(t, "Orphans Co");
    const evidenceDir = path.join(dataDir, "evidence");
    const uploaded = await uploadText(
      owner.client,
      { controlKey: "encryption-at-rest", title: "Kept", evidenceDate: dayFromToday(0) },
      "kept.txt",
    );
    expect(uploaded.status).toBe(201);
    const [referenced] = fs.readdirSync(evidenceDir);
    expect(referenced).toBeDefined();

    const killed = await killedUpload(evidenceDir);
    expect(fs.readdirSync(evidenceDir).sort()).toEqual(
      [referenced, killed.whole, killed.part].sort(),
    );

    // An upload of this process still running, its file untouched for two hours (a stalled
    // client): the sweep must not take it from under the request.
    const live = new PassThrough();
    const livePut = localBlobStore(evidenceDir).put(live);
    live.write(randomBytes(1024));
    let livePart: string | undefined;
    for (let i = 0; i < 100 && !livePart; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      livePart = fs
        .readdirSync(evidenceDir)
        .find((name) => name.endsWith(".part") && name !== killed.part);
    }
    expect(livePart).toBeDefined();
    const young = plant(evidenceDir);
    const youngPart = plant(evidenceDir, ".part");
    age(evidenceDir, referenced as string, killed.whole, killed.part, livePart as string);

    const atStart = capturingLog();
    await runStartTasks(t.deps, atStart.log);
    expect(fs.readdirSync(evidenceDir).sort()).toEqual(
      [referenced, livePart, young, youngPart].sort(),
    );
    expect(atStart.info).toEqual([
      {
        fields: {
          directory: evidenceDir,
          count: 2,
          files: expect.arrayContaining([killed.whole, killed.part]),
        },
        message: "removed 2 orphan files from evidence",
      },
    ]);

    live.end(randomBytes(1024));
    const liveKey = await livePut;
    expect(fs.readdirSync(evidenceDir)).toContain(liveKey);

    // Left in the trust center documents' directory; found by the scheduled run.
    const documentsDir = path.join(dataDir, "trust-documents");
    const oldDocument = plant(documentsDir);
    const oldPart = plant(documentsDir, ".part");
    const keptDocument = plant(documentsDir);
    age(documentsDir, oldDocument, oldPart);
    age(evidenceDir, young);
    const scheduled = capturingLog();
    expect(await runScheduledEvaluation(t.deps, scheduled.log)).toBe(true);
    expect(fs.readdirSync(documentsDir)).toEqual([keptDocument]);
    expect(fs.readdirSync(evidenceDir).sort()).toEqual([referenced, liveKey, youngPart].sort());
    expect(scheduled.info.map((entry) => entry.fields.files)).toEqual([
      [young],
      expect.arrayContaining([oldDocument, oldPart]),
    ]);

    const download = await owner.client.get(`/api/v1/evidence/${uploaded.body.id}/download`);
    expect(download.status).toBe(200);
  });
});
