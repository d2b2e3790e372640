// The settings of Settings → Monitoring: the periods (whole numbers) by group, and the texts
// (what each incident severity means here, shown when one is chosen).
import type { OrganizationSettings } from "./types";

type Settings = OrganizationSettings;

/** The settings that are whole numbers. */
export type NumberName = {
  [K in keyof Settings]: Settings[K] extends number ? K : never;
}[keyof Settings];

/** The settings that are texts. */
export type TextName = Exclude<keyof Settings, NumberName>;

interface NumberGroup {
  group: string;
  fields: { name: NumberName; label: string; hint: string; min: number; max: number }[];
}

export const NUMBER_FIELDS: NumberGroup[] = [
  {
    group: "Policy review",
    fields: [
      {
        name: "policyReviewDays",
        label: "Review every (days)",
        hint: "A policy's current version must be approved, or re-approved unchanged, within this many days. Default 365.",
        min: 1,
        max: 3650,
      },
      {
        name: "policyReviewWarnDays",
        label: "Warn before the review is due (days)",
        hint: "The control shows “Needs attention” this many days before the review falls due. Default 30.",
        min: 0,
        max: 365,
      },
    ],
  },
  {
    group: "Policy acknowledgement",
    fields: [
      {
        name: "policyAcknowledgementDays",
        label: "Time to acknowledge (days)",
        hint: "Everyone in a policy's audience must acknowledge a new version within this many days of its publication, or of their start date if later. Default 30.",
        min: 1,
        max: 365,
      },
      {
        name: "policyAcknowledgementWarnDays",
        label: "Remind before the deadline (days)",
        hint: "Reminders go out, and the control shows “Needs attention”, this many days before a person's deadline. Default 7.",
        min: 0,
        max: 365,
      },
    ],
  },
  {
    group: "Evidence",
    fields: [
      {
        name: "evidenceMaxAgeDays",
        label: "Evidence counts for (days)",
        hint: "An evidence file or link counts for a test for this many days after its evidence date, unless it has its own “valid until” date. Default 365.",
        min: 1,
        max: 3650,
      },
    ],
  },
  {
    group: "Confidential reports",
    fields: [
      {
        name: "reportAcknowledgeDays",
        label: "Time to acknowledge a report (days)",
        hint: "Every report must be acknowledged within this many days of its receipt. Handlers are reminded two days before. Default 7.",
        min: 1,
        max: 365,
      },
      {
        name: "reportFeedbackDays",
        label: "Time to give the reporter feedback (days)",
        hint: "Every reporter must hear back (a reply, or closure with an outcome) within this many days of receipt. Handlers are reminded 14 days before. Default 90.",
        min: 1,
        max: 3650,
      },
    ],
  },
  {
    group: "Systems and access",
    fields: [
      {
        name: "accessRevocationDays",
        label: "Time to remove a leaver's access (days)",
        hint: "Every grant and account of a person who left must be revoked within this many days of their end date. Revocation tasks are due then. Default 3.",
        min: 1,
        max: 90,
      },
      {
        name: "accessProvisionDays",
        label: "Time to carry out approved access (days)",
        hint: "A system owner has this many days to carry out a grant a new starter's role implies, or an approved access request. Default 5.",
        min: 1,
        max: 90,
      },
      {
        name: "accessExceptionWarnDays",
        label: "Warn before an exception expires (days)",
        hint: "Access that relies on an approved exception shows “Needs attention” this many days before the exception expires. Default 14.",
        min: 0,
        max: 365,
      },
      {
        name: "inventoryReviewDays",
        label: "Sign off the inventory every (days)",
        hint: "The inventory of systems must be reviewed and signed off within this many days. Default 365.",
        min: 1,
        max: 3650,
      },
      {
        name: "inventoryReviewWarnDays",
        label: "Warn before the sign-off is due (days)",
        hint: "The asset inventory control shows “Needs attention” this many days before the sign-off falls due. Default 30.",
        min: 0,
        max: 365,
      },
      {
        name: "accessReviewPeriodDays",
        label: "Review access every (days)",
        hint: "How often a system in scope needs an access review, unless the system sets its own period. Default 92.",
        min: 1,
        max: 3650,
      },
      {
        name: "accessReviewWarnDays",
        label: "Warn before an access review is due (days)",
        hint: "User access reviews show “Needs attention” this many days before a system's review falls due. Default 14.",
        min: 0,
        max: 365,
      },
      {
        name: "accessReviewDueDays",
        label: "Time to decide a campaign (days)",
        hint: "Reviewers have this many days to decide a campaign's items; scheduled campaigns start this long before a review falls due. Default 14.",
        min: 1,
        max: 365,
      },
      {
        name: "accessReviewRevocationDays",
        label: "Time to carry out a review's revocation (days)",
        hint: "A revoke decision, or the grants of a job role someone no longer holds, must be carried out within this many days. Default 7.",
        min: 1,
        max: 90,
      },
    ],
  },
  // issue 13: findings
  {
    group: "Vulnerabilities",
    fields: [
      {
        name: "vulnerabilityCriticalDays",
        label: "Fix a critical finding within (days)",
        hint: "From its first detection; the clock never restarts when it is detected again. A change applies to findings detected afterwards. Default 7.",
        min: 1,
        max: 3650,
      },
      {
        name: "vulnerabilityHighDays",
        label: "Fix a high finding within (days)",
        hint: "From its first detection. A change applies to findings detected afterwards. Default 30.",
        min: 1,
        max: 3650,
      },
      {
        name: "vulnerabilityMediumDays",
        label: "Fix a medium finding within (days)",
        hint: "From its first detection. A change applies to findings detected afterwards. Default 90.",
        min: 1,
        max: 3650,
      },
      {
        name: "vulnerabilityLowDays",
        label: "Fix a low finding within (days)",
        hint: "From its first detection. A change applies to findings detected afterwards. Default 180.",
        min: 1,
        max: 3650,
      },
      {
        name: "vulnerabilityWarnDays",
        label: "Warn before a finding is due (days)",
        hint: "Findings show “Due soon”, and assignees are reminded, this many days before their deadline. Default 3.",
        min: 0,
        max: 365,
      },
      {
        name: "scanMaxAgeDays",
        label: "Scan every system marked scanned every (days)",
        hint: "Every system marked as scanned needs a scan imported within this many days. Default 90.",
        min: 1,
        max: 3650,
      },
      {
        name: "scanWarnDays",
        label: "Warn before a scan is due (days)",
        hint: "The control shows “Needs attention” this many days before a system's scan grows too old. Default 14.",
        min: 0,
        max: 365,
      },
      {
        name: "pentestMaxAgeDays",
        label: "Penetration test every (days)",
        hint: "An external penetration test of production must be completed within this many days. Default 365.",
        min: 1,
        max: 3650,
      },
      {
        name: "pentestWarnDays",
        label: "Warn before a penetration test is due (days)",
        hint: "The control shows “Needs attention” this many days before the last test grows too old. Default 30.",
        min: 0,
        max: 365,
      },
    ],
  },
  // issue 14: incidents
  {
    group: "Incidents",
    fields: [
      {
        name: "incidentTriageHours",
        label: "Triage an incident within (hours)",
        hint: "A reported incident must have a severity and an owner within this many hours. The owner is reminded in the last quarter. Default 24.",
        min: 1,
        max: 720,
      },
      {
        name: "incidentUpdateDaysCritical",
        label: "Update a critical incident every (days)",
        hint: "An open critical incident needs a timeline entry at least this often. Default 1.",
        min: 1,
        max: 365,
      },
      {
        name: "incidentUpdateDaysHigh",
        label: "Update a high incident every (days)",
        hint: "The same for a high incident. Default 3.",
        min: 1,
        max: 365,
      },
      {
        name: "incidentUpdateDaysMedium",
        label: "Update a medium incident every (days)",
        hint: "The same for a medium incident. Default 7.",
        min: 1,
        max: 365,
      },
      {
        name: "incidentUpdateDaysLow",
        label: "Update a low incident every (days)",
        hint: "The same for a low incident. Default 14.",
        min: 1,
        max: 365,
      },
      {
        name: "incidentLessonsDays",
        label: "Share the lessons learned within (days)",
        hint: "After an incident is resolved, its lessons learned must be approved and shared with the team within this many days. Default 14.",
        min: 1,
        max: 365,
      },
      {
        name: "incidentLessonsWarnDays",
        label: "Warn before the lessons learned are due (days)",
        hint: "The control shows “Needs attention” this many days before. Default 3.",
        min: 0,
        max: 365,
      },
      {
        name: "customerNoticeHours",
        label: "Tell affected customers within (hours)",
        hint: "From an incident's confirmation (or from when it was marked as affecting customers, if later) to a published notice. Default 72.",
        min: 1,
        max: 720,
      },
      {
        name: "customerNoticeWarnHours",
        label: "Warn before the customer notice is due (hours)",
        hint: "The control shows “Needs attention” this many hours before. Default 24.",
        min: 0,
        max: 720,
      },
    ],
  },
  {
    group: "Incident Response Plan",
    fields: [
      {
        name: "irPlanExerciseDays",
        label: "Test the plan every (days)",
        hint: "A tabletop exercise, or a real incident marked as the plan's test, must be completed within this many days. Default 365.",
        min: 1,
        max: 3650,
      },
      {
        name: "irPlanExerciseWarnDays",
        label: "Warn before the plan's test is due (days)",
        hint: "The control shows “Needs attention” this many days before the last test grows too old. Default 30.",
        min: 0,
        max: 365,
      },
      {
        name: "irPlanChangeDays",
        label: "Change the plan after an exercise within (days)",
        hint: "An outcome that calls for a change of the plan must be linked to the plan's new version, or closed with a reason, within this many days. Default 90.",
        min: 1,
        max: 3650,
      },
      {
        name: "irPlanChangeWarnDays",
        label: "Warn before a plan change is due (days)",
        hint: "The control shows “Needs attention” this many days before. Default 14.",
        min: 0,
        max: 365,
      },
    ],
  },
  // issue 15: customers
  {
    group: "Customer data",
    fields: [
      {
        name: "customerRetentionDefaultDays",
        label: "Default retention after a contract ends (days)",
        hint: "The policy's default period, applied explicitly to a customer with no agreed period (recorded on the customer; a later change here does not move it). Default 90.",
        min: 0,
        max: 36500,
      },
      {
        name: "customerDisposalWarnDays",
        label: "Warn before a disposal is due (days)",
        hint: "The control shows “Needs attention”, and owners and admins are mailed, this many days before a customer's data must be disposed of. Default 14.",
        min: 0,
        max: 365,
      },
    ],
  },
];

// issue 14: incidents
export const TEXT_FIELDS: { group: string; fields: { name: TextName; label: string }[] } = {
  group: "Incident severities",
  fields: [
    { name: "incidentSeverityCritical", label: "Critical means" },
    { name: "incidentSeverityHigh", label: "High means" },
    { name: "incidentSeverityMedium", label: "Medium means" },
    { name: "incidentSeverityLow", label: "Low means" },
  ],
};
