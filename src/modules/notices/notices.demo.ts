import { type Kysely, sql } from "kysely";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { addDays } from "../../domain/dates.ts";
import type { DemoContext } from "../area.ts";
import { createNotice, publishNotice, resolveNotice } from "./notices.service.ts";

/**
 * Two notices on the trust center: a maintenance window in the spring, resolved the same
 * evening, and a recent advisory saying the company is not affected. Written through the
 * service, then dated to when they happened.
 */
export async function seedDemoNotices(db: Kysely<Database>, demo: DemoContext): Promise<void> {
  demo.progress("notices: a past maintenance window and a current advisory");
  const maintenance = await createNotice(demo.ownerContext, {
    title: "Scheduled database maintenance",
    body: "The service will be read-only for up to 15 minutes while we upgrade the database.",
    severity: "info",
    kind: "maintenance",
    affectedServices: ["API", "Web app"],
  });
  await publishNotice(demo.ownerContext, maintenance.id, { notifySubscribers: false });
  await resolveNotice(demo.ownerContext, maintenance.id, {
    note: "Maintenance finished.",
    notifySubscribers: false,
  });
  const advisory = await createNotice(demo.ownerContext, {
    title: "No impact from the OpenSSL advisory",
    body: "We reviewed the advisory; no system of ours uses an affected version.",
    severity: "low",
    kind: "security",
    affectedServices: [],
  });
  await publishNotice(demo.ownerContext, advisory.id, { notifySubscribers: false });
  const spring = addDays(demo.now, -190);
  const recent = addDays(demo.now, -9);
  await withTenant(db, demo.organizationId, async (tx) => {
    for (const [id, at, resolved] of [
      [maintenance.id, spring, true],
      [advisory.id, recent, false],
    ] as const) {
      await sql`update notice_updates set created_at = ${at} where notice_id = ${id}`.execute(tx);
      await sql`update notices set created_at = ${at}, updated_at = ${at}, published_at = ${at},
        resolved_at = ${resolved ? at : null} where id = ${id}`.execute(tx);
    }
  });
  demo.counts.notices = 2;
}
