import type { Kysely } from "kysely";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { addDays } from "../../domain/dates.ts";
import type { DemoContext } from "../area.ts";
import { designateHandlers, updateChannel } from "./reporting.channel.ts";

/**
 * Demo Co opened its confidential reporting channel three months into the program, with the
 * owner and the admin as its handlers (set through the service, then dated to that day).
 */
export async function seedDemoReporting(db: Kysely<Database>, demo: DemoContext): Promise<void> {
  demo.progress("reporting channel: open, two handlers");
  const admin = demo.people[1];
  await updateChannel(demo.ownerContext, { enabled: true });
  await designateHandlers(
    demo.ownerContext,
    admin ? [demo.owner.userId, admin.userId] : [demo.owner.userId],
  );
  const opened = addDays(demo.programStart, 95);
  await withTenant(db, demo.organizationId, async (tx) => {
    await tx.updateTable("reporting_channel_changes").set({ changed_at: opened }).execute();
    await tx.updateTable("report_handlers").set({ designated_at: opened }).execute();
  });
  demo.event({
    at: opened,
    actor: demo.owner,
    action: "reporting.channel_updated",
    targetType: "reporting_channel",
    targetId: demo.organizationId,
    before: { enabled: false },
    after: { enabled: true },
  });
}
