import { z } from "zod";

/**
 * The periods and SLAs control tests use. Every one is an organization setting with the
 * default CONTROLS.md gives; changing one re-evaluates at once.
 */
export const settingsSchema = z.object({
  /** policy-reviewed: a policy must be (re-)approved within this many days. */
  policyReviewDays: z.number().int().min(1).max(3650).default(365),
  /** policy-reviewed: due soon this many days before the review falls due. */
  policyReviewWarnDays: z.number().int().min(0).max(365).default(30),
  /** policy-acknowledged: days after publication (or a person's start) to acknowledge. */
  policyAcknowledgementDays: z.number().int().min(1).max(365).default(30),
  /** policy-acknowledged: due soon, and reminders sent, this many days before that. */
  policyAcknowledgementWarnDays: z.number().int().min(0).max(365).default(7),
  /** Evidence counts for a test for this many days after its date. */
  evidenceMaxAgeDays: z.number().int().min(1).max(3650).default(365),
  /** reports-handled: days from receipt to acknowledge a confidential report. */
  reportAcknowledgeDays: z.number().int().min(1).max(365).default(7),
  /** reports-handled: days from receipt to give the reporter feedback. */
  reportFeedbackDays: z.number().int().min(1).max(3650).default(90),
  /** terminated-access-removed: days after a person's end date to revoke all their access. */
  accessRevocationDays: z.number().int().min(1).max(90).default(3),
  /** Days the system owner has to carry out an approved grant (joiner, request). */
  accessProvisionDays: z.number().int().min(1).max(90).default(5),
  /** Access checks: due soon this many days before an approved exception expires. */
  accessExceptionWarnDays: z.number().int().min(0).max(365).default(14),
  /** inventory-reviewed: the inventory must be signed off within this many days. */
  inventoryReviewDays: z.number().int().min(1).max(3650).default(365),
  /** inventory-reviewed: due soon this many days before the sign-off falls due. */
  inventoryReviewWarnDays: z.number().int().min(0).max(365).default(30),
  /** access-reviews-current: a system's review period when the system sets none. */
  accessReviewPeriodDays: z.number().int().min(1).max(3650).default(92),
  /** access-reviews-current: due soon this many days before a system's review falls due. */
  accessReviewWarnDays: z.number().int().min(0).max(365).default(14),
  /** Days reviewers have to decide a campaign's items (its due date); scheduled campaigns start this early. */
  accessReviewDueDays: z.number().int().min(1).max(365).default(14),
  /** unneeded-access-removed: days to carry out a review's revoke decision or an ended role's grants. */
  accessReviewRevocationDays: z.number().int().min(1).max(90).default(7),
  /** vulnerabilities-within-sla: days from first detection to remediate a critical finding. */
  vulnerabilityCriticalDays: z.number().int().min(1).max(3650).default(7),
  /** … a high finding. */
  vulnerabilityHighDays: z.number().int().min(1).max(3650).default(30),
  /** … a medium finding. */
  vulnerabilityMediumDays: z.number().int().min(1).max(3650).default(90),
  /** … a low finding. */
  vulnerabilityLowDays: z.number().int().min(1).max(3650).default(180),
  /** vulnerabilities-within-sla, pentest-findings-resolved: due soon this many days before a deadline. */
  vulnerabilityWarnDays: z.number().int().min(0).max(365).default(3),
  /** scans-recent: every scanned system needs a scan imported within this many days. */
  scanMaxAgeDays: z.number().int().min(1).max(3650).default(90),
  /** scans-recent: due soon this many days before a system's scan grows too old. */
  scanWarnDays: z.number().int().min(0).max(365).default(14),
  /** pentest-annual: an external penetration test completed within this many days. */
  pentestMaxAgeDays: z.number().int().min(1).max(3650).default(365),
  /** pentest-annual: due soon this many days before the last test grows too old. */
  pentestWarnDays: z.number().int().min(0).max(365).default(30),
  /** incidents-triaged: hours from an incident's report to its triage (severity and owner set). */
  incidentTriageHours: z.number().int().min(1).max(720).default(24),
  /** incidents-progressing: longest a critical open incident may go without a timeline entry. */
  incidentUpdateDaysCritical: z.number().int().min(1).max(365).default(1),
  /** incidents-progressing: the same for a high incident. */
  incidentUpdateDaysHigh: z.number().int().min(1).max(365).default(3),
  /** incidents-progressing: the same for a medium incident. */
  incidentUpdateDaysMedium: z.number().int().min(1).max(365).default(7),
  /** incidents-progressing: the same for a low incident. */
  incidentUpdateDaysLow: z.number().int().min(1).max(365).default(14),
  /** lessons-learned-shared: days after resolution to approve and share the lessons learned. */
  incidentLessonsDays: z.number().int().min(1).max(365).default(14),
  /** lessons-learned-shared: due soon this many days before that. */
  incidentLessonsWarnDays: z.number().int().min(0).max(365).default(3),
  /** customers-notified: hours from confirmation to a published notice for customers. */
  customerNoticeHours: z.number().int().min(1).max(720).default(72),
  /** customers-notified: due soon this many hours before that. */
  customerNoticeWarnHours: z.number().int().min(0).max(720).default(24),
  /** ir-plan-exercised: a test of the Incident Response Plan completed within this many days. */
  irPlanExerciseDays: z.number().int().min(1).max(3650).default(365),
  /** ir-plan-exercised: due soon this many days before the last test grows too old. */
  irPlanExerciseWarnDays: z.number().int().min(0).max(365).default(30),
  /** ir-plan-updated: days after an exercise to change the plan (or close the outcome with a reason). */
  irPlanChangeDays: z.number().int().min(1).max(3650).default(90),
  /** ir-plan-updated: due soon this many days before that. */
  irPlanChangeWarnDays: z.number().int().min(0).max(365).default(14),
  /** retention-agreed: the default retention period (days after contract end) a customer may be given. */
  customerRetentionDefaultDays: z.number().int().min(0).max(36500).default(90),
  /** disposal-on-time: due soon this many days before a disposal deadline. */
  customerDisposalWarnDays: z.number().int().min(0).max(365).default(14),
  /** What each incident severity means here, shown when choosing one. */
  incidentSeverityCritical: z
    .string()
    .max(1000)
    .default(
      "Customer data exposed or likely exposed, the service down for most customers, or an attacker active in production.",
    ),
  incidentSeverityHigh: z
    .string()
    .max(1000)
    .default(
      "A confirmed compromise of an internal system or account, or a major part of the service degraded, without known exposure of customer data.",
    ),
  incidentSeverityMedium: z
    .string()
    .max(1000)
    .default(
      "A contained security event with limited impact: a lost device with encryption, a phishing click without credentials given, a policy breach.",
    ),
  incidentSeverityLow: z
    .string()
    .max(1000)
    .default("A suspicious event or near miss with no impact, recorded to learn from."),
});

export type Settings = z.infer<typeof settingsSchema>;

/** Stored settings with defaults filled in; unknown or invalid stored keys fall back. */
export function resolveSettings(stored: unknown): Settings {
  const parsed = settingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : settingsSchema.parse({});
}

export const settingsPatchSchema = settingsSchema.partial().strict();
