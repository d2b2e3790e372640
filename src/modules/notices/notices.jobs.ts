import { registerScheduledTask } from "../monitoring/scheduled-tasks.ts";
import { retryPendingDeliveries } from "./notices.mail.ts";
import { forgetUnconfirmed } from "./notices.subscriptions.ts";

/**
 * Scheduled work of the notices module: mail to subscribers not sent yet (SMTP down or not
 * configured at publication, a node that stopped mid-way), and addresses that never confirmed.
 */
registerScheduledTask("notice-deliveries", async (deps, now) => {
  await retryPendingDeliveries(deps, now);
});

registerScheduledTask("notice-unconfirmed-subscribers", async (deps, now) => {
  await forgetUnconfirmed(deps, now);
});
