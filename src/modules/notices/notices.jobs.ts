import type { ScheduledJob } from "../monitoring/scheduled-tasks.ts";
import { retryPendingDeliveries } from "./notices.mail.ts";
import { forgetUnconfirmed } from "./notices.subscriptions.ts";

/**
 * Scheduled work of the notices module: mail to subscribers not sent yet (SMTP down or not
 * configured at publication, a node that stopped mid-way), and addresses that never confirmed.
 */
export const noticesJobs: readonly ScheduledJob[] = [
  {
    name: "notice-deliveries",
    run: async (deps, now) => {
      await retryPendingDeliveries(deps, now);
    },
  },
  {
    name: "notice-unconfirmed-subscribers",
    run: async (deps, now) => {
      await forgetUnconfirmed(deps, now);
    },
  },
];
