import { registerScheduledTask } from "../monitoring/scheduled-tasks.ts";
import { retryPendingDeliveries } from "./notices.mail.ts";

/** Scheduled work of the notices module: mail to subscribers that was not sent yet. */
registerScheduledTask("notice-deliveries", async (deps, now) => {
  await retryPendingDeliveries(deps, now);
});
