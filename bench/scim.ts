import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openPglite, openPostgres } from "../src/db/database.ts";
import { withSystem } from "../src/db/tenant.ts";
import { installAreas } from "../src/modules/index.ts";
import { evaluateControls } from "../src/modules/monitoring/evaluation.service.ts";
import { databaseUrl, fmt, freePort, median, startAttest, stop, waitForReady } from "./lib.ts";

/**
 * Issue 16's figures for SCIM provisioning, over HTTP against a real server (`attest serve`):
 * (1) user creation throughput, POST /Users from 8 concurrent clients; (2) a full sync as an
 * identity provider makes it: 10,000 users POSTed (8 at a time), 200 groups POSTed, then each
 * group's 50 members PATCHed in batches of 25 (target: under 60 s); (3) a full evaluation of
 * every control afterwards (median of 3, the server stopped, the database opened in process).
 * Run: npm run bench -- --only scim [--engine postgres|pglite] [SCIM_BENCH_USERS=…]
 */
const USERS = Number(process.env.SCIM_BENCH_USERS ?? 10_000);
const GROUPS = 200;
const BATCH = 25;
const CONCURRENCY = 8;
const THROUGHPUT_USERS = 400;
const PASSWORD = "correct horse battery staple";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

async function pool<T>(items: T[], work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

export async function scimBenchmarks(options: {
  engines: ("postgres" | "pglite")[];
  postgresUrl: string;
}) {
  installAreas();
  for (const engine of options.engines) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-bench-scim-"));
    const port = await freePort();
    const env: Record<string, string> = {
      ATTEST_DATA_DIR: dir,
      PORT: String(port),
      HOST: "127.0.0.1",
    };
    const name = `attest_bench_scim_${Date.now()}`;
    if (engine === "postgres") {
      const admin = new pg.Client({ connectionString: options.postgresUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      env.DATABASE_URL = databaseUrl(options.postgresUrl, name);
    }
    const child = startAttest(env);
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitForReady(`${base}/readyz`, 120_000);
      const setup = await fetch(`${base}/api/v1/setup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          organizationName: "Bench",
          name: "Bench Owner",
          email: "owner@bench.test",
          password: PASSWORD,
        }),
      });
      if (setup.status !== 201 && setup.status !== 200) throw new Error(`setup: ${setup.status}`);
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "owner@bench.test", password: PASSWORD }),
      });
      const session = (login.headers.get("set-cookie") ?? "").split(";")[0] as string;
      const me = (await login.json()) as { csrfToken: string };
      const created = await fetch(`${base}/api/v1/scim-tokens`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          cookie: session,
          "x-csrf-token": me.csrfToken,
        },
        body: JSON.stringify({ name: "bench" }),
      });
      const { token } = (await created.json()) as { token: string };
      const scim = async (method: string, url: string, body: unknown, expect: number) => {
        const response = await fetch(`${base}/scim/v2${url}`, {
          method,
          headers: { "content-type": "application/scim+json", authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        });
        const text = await response.text();
        if (response.status !== expect)
          throw new Error(`${method} ${url}: ${response.status} ${text.slice(0, 200)}`);
        return text ? (JSON.parse(text) as { id: string }) : { id: "" };
      };
      const userBody = (i: number, tag: string) => {
        const userName = `${tag}.${i}@bench.test`;
        return {
          schemas: [USER],
          userName,
          externalId: `${tag}-${i}`,
          name: { givenName: "Bench", familyName: `User ${i}` },
          emails: [{ primary: true, type: "work", value: userName }],
          active: true,
        };
      };

      // (1) creation throughput
      const warm = Array.from({ length: THROUGHPUT_USERS }, (_, i) => i);
      let started = performance.now();
      await pool(warm, async (i) => {
        await scim("POST", "/Users", userBody(i, "warm"), 201);
      });
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `scim (${engine}): user creation ${(THROUGHPUT_USERS / seconds).toFixed(0)} users/s (${THROUGHPUT_USERS} users, ${CONCURRENCY} clients)`,
      );

      // (2) the full sync
      started = performance.now();
      const ids: string[] = new Array(USERS);
      await pool(
        Array.from({ length: USERS }, (_, i) => i),
        async (i) => {
          ids[i] = (await scim("POST", "/Users", userBody(i, "sync"), 201)).id;
        },
      );
      const usersDone = performance.now();
      const groups: string[] = [];
      await pool(
        Array.from({ length: GROUPS }, (_, g) => g),
        async (g) => {
          groups[g] = (
            await scim("POST", "/Groups", { displayName: `Team ${g}`, members: [] }, 201)
          ).id;
        },
      );
      const perGroup = Math.ceil(USERS / GROUPS);
      const batches: { group: string; members: string[] }[] = [];
      for (let g = 0; g < GROUPS; g++) {
        const members = ids.slice(g * perGroup, (g + 1) * perGroup);
        for (let b = 0; b < members.length; b += BATCH) {
          batches.push({ group: groups[g] as string, members: members.slice(b, b + BATCH) });
        }
      }
      await pool(batches, async ({ group, members }) => {
        await scim(
          "PATCH",
          `/Groups/${group}`,
          {
            schemas: [PATCH_OP],
            Operations: [
              { op: "add", path: "members", value: members.map((value) => ({ value })) },
            ],
          },
          204,
        );
      });
      const total = (performance.now() - started) / 1000;
      console.log(
        `scim (${engine}): full sync of ${USERS} users and ${GROUPS} groups in ${total.toFixed(1)} s (users ${((usersDone - started) / 1000).toFixed(1)} s, groups and ${batches.length} membership PATCHes ${((performance.now() - usersDone) / 1000).toFixed(1)} s; target < 60 s)`,
      );
    } finally {
      await stop(child);
    }

    // (3) a full evaluation afterwards
    const handle =
      engine === "postgres"
        ? openPostgres(env.DATABASE_URL as string, 4)
        : await openPglite({ dataDir: path.join(dir, "pg") });
    try {
      const { id: organizationId } = await withSystem(handle.db, (tx) =>
        tx.selectFrom("organizations").select("id").executeTakeFirstOrThrow(),
      );
      const times: number[] = [];
      for (let run = 0; run < 3; run++) {
        const at = performance.now();
        await evaluateControls(handle.db, organizationId, new Date());
        times.push(performance.now() - at);
      }
      console.log(
        `scim (${engine}): full evaluation of every control afterwards ${fmt(median(times))} (median of 3)`,
      );
    } finally {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
      if (engine === "postgres") {
        const drop = new pg.Client({ connectionString: options.postgresUrl });
        await drop.connect();
        await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await drop.end();
      }
    }
  }
}
