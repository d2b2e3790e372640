import { createHash, randomBytes } from "node:crypto";
import { sql } from "kysely";
import { withTenant } from "../src/db/tenant.ts";
import { startReview } from "../src/modules/access-reviews/access-reviews.service.ts";
import { evaluateControls } from "../src/modules/monitoring/evaluation.service.ts";
import { parseAuthorizedKeys } from "../src/platform/authorized-keys.ts";
import type { Context } from "../src/platform/context.ts";
import { sshString } from "../src/platform/ssh-key-blob.ts";
import type { BenchApi } from "./access.ts";
import { fmt, median } from "./lib.ts";

/**
 * Issue 12's figures on the large organization (seeded by bench/access.ts): starting an access
 * review campaign over at least 50,000 grants (target 2 s); a collected authorized_keys listing
 * of 10,000 keys, parsed (as `attest collect` does) and uploaded through the API; and the full
 * evaluation of all controls once the campaign and the listing are in (target 1 s on
 * PostgreSQL).
 */
export async function accessReviewFigures(engine: string, ctx: Context, api: BenchApi) {
  await campaignFigure(engine, ctx);
  await listingFigure(engine, ctx, api);
  const full: number[] = [];
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    await evaluateControls(ctx.db, ctx.organizationId, new Date());
    full.push(performance.now() - t0);
  }
  console.log(
    `[${engine}] full evaluation of all controls with the campaign and the listing in: median ${fmt(median(full))} (runs: ${full.map(fmt).join(", ")})`,
  );
}

/** The systems with the most active grants, until they hold 50,000 together. */
async function campaignFigure(engine: string, ctx: Context) {
  const counts = await withTenant(ctx.db, ctx.organizationId, (tx) =>
    sql<{ system_id: string; n: number }>`
      select g.system_id, count(*)::int as n from access_grants g
      join systems s on s.id = g.system_id and s.archived_at is null
      where g.granted_at is not null and g.revoked_at is null
      group by g.system_id order by n desc`.execute(tx),
  );
  const systemIds: string[] = [];
  let grants = 0;
  for (const row of counts.rows) {
    if (grants >= 50_000) break;
    systemIds.push(row.system_id);
    grants += row.n;
  }
  const t0 = performance.now();
  const review = await startReview(ctx, { systemIds });
  const ms = performance.now() - t0;
  const items = await withTenant(ctx.db, ctx.organizationId, (tx) =>
    tx
      .selectFrom("access_review_items")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("review_id", "=", review.id)
      .executeTakeFirstOrThrow(),
  );
  console.log(
    `[${engine}] starting a campaign over ${systemIds.length} systems, ${grants} active grants: ${fmt(ms)} (${Number(items.n)} items frozen, accounts included)`,
  );
}

/** 10,000 ed25519 keys with options and comments, as one host's authorized_keys. */
function authorizedKeys(count: number): string {
  const lines = ["# collected by the bench"];
  for (let i = 0; i < count; i++) {
    const blob = Buffer.concat([sshString(Buffer.from("ssh-ed25519")), sshString(randomBytes(32))]);
    const options = i % 10 === 0 ? 'from="10.0.0.0/8",no-port-forwarding ' : "";
    lines.push(`${options}ssh-ed25519 ${blob.toString("base64")} bench-${i}@example.test`);
  }
  return `${lines.join("\n")}\n`;
}

async function listingFigure(engine: string, ctx: Context, { base, headers }: BenchApi) {
  const text = authorizedKeys(10_000);
  const parse: number[] = [];
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    const parsed = parseAuthorizedKeys(text, "authorized_keys");
    parse.push(performance.now() - t0);
    if (parsed.entries.length !== 10_000) throw new Error("the bench listing did not parse");
  }
  const system = await withTenant(ctx.db, ctx.organizationId, (tx) =>
    tx
      .selectFrom("systems")
      .select("name")
      .where("production", "=", true)
      .where("archived_at", "is", null)
      .orderBy("name")
      .executeTakeFirstOrThrow(),
  );
  const upload: number[] = [];
  for (let run = 0; run < 3; run++) {
    const body = JSON.stringify({
      system: system.name,
      host: `bench-host-${run}`,
      files: [{ name: "/root/.ssh/authorized_keys", content: text }],
    });
    const t0 = performance.now();
    const response = await fetch(`${base}/api/v1/key-listings`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body,
    });
    await response.arrayBuffer();
    upload.push(performance.now() - t0);
    if (response.status !== 201) throw new Error(`the listing upload answered ${response.status}`);
  }
  const sha = createHash("sha256").update(text).digest("hex").slice(0, 12);
  console.log(
    `[${engine}] a listing of 10,000 keys (${(text.length / 1_048_576).toFixed(1)} MiB, ${sha}…): parsed in ${fmt(median(parse))}; uploaded, parsed again, stored and re-evaluated by the API in median ${fmt(median(upload))} (runs: ${upload.map(fmt).join(", ")})`,
  );
}
