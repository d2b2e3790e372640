import type { ScheduledJob } from "../monitoring/scheduled-tasks.ts";
import { sendAcknowledgementReminders } from "./policy-notices.ts";

/** Scheduled work of the policies area: reminders to acknowledge a published version. */
export const policyJobs: readonly ScheduledJob[] = [
  {
    name: "policies.acknowledgement-reminders",
    run: async (deps, now) => {
      await sendAcknowledgementReminders(deps, now);
    },
  },
];
