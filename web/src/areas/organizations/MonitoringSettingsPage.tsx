// Settings → Monitoring: the periods control tests use. Changing one re-evaluates every
// control at once.
import { useState } from "react";
import { TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { keys } from "../../ui/queries";
import { SaveActions, useOrganizationSave } from "./OrganizationSave";
import { useOrganization } from "./queries";
import type { OrganizationDetails, OrganizationSettings } from "./types";

type Name = keyof OrganizationSettings;

const FIELDS: {
  group: string;
  fields: { name: Name; label: string; hint: string; min: number; max: number }[];
}[] = [
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
  }, // issue 13: findings
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
];

function SettingsForm({ organization }: { organization: OrganizationDetails }) {
  const initial = organization.settings;
  const [values, setValues] = useState<Record<Name, string>>(
    () =>
      Object.fromEntries(Object.entries(initial).map(([k, v]) => [k, String(v)])) as Record<
        Name,
        string
      >,
  );
  const { formRef, onSubmit, save, errors, saved, edited } = useOrganizationSave({
    changes: () => {
      const changed: Partial<OrganizationSettings> = {};
      for (const [name, text] of Object.entries(values) as [Name, string][]) {
        const value = Number(text);
        if (value !== initial[name]) changed[name] = value;
      }
      return Object.keys(changed).length === 0 ? null : { settings: changed };
    },
    // Every control was re-evaluated with the new periods.
    invalidates: [keys.controls, keys.dashboard, keys.myPolicies],
  });

  return (
    <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={save.isPending}>
      <FormAlert error={save.error} />
      {FIELDS.map(({ group, fields }) => (
        <fieldset key={group} className="card section settings-group">
          <legend className="section-title settings-legend">{group}</legend>
          {fields.map((field) => (
            <TextField
              key={field.name}
              label={field.label}
              name={field.name}
              type="number"
              inputMode="numeric"
              required
              min={field.min}
              max={field.max}
              step={1}
              className="input-number"
              value={values[field.name]}
              onChange={(e) => {
                setValues({ ...values, [field.name]: e.target.value });
                edited();
              }}
              hint={field.hint}
              error={errors[field.name]}
            />
          ))}
        </fieldset>
      ))}
      <SaveActions
        pending={save.isPending}
        label="Save changes"
        saved={saved}
        savedText="Saved. Every control was re-evaluated with these periods."
      />
    </form>
  );
}

export function MonitoringSettingsPage() {
  const organization = useOrganization();
  return (
    <>
      <PageHeader
        title="Monitoring"
        eyebrow="Settings"
        description="The periods your control tests use. The defaults follow common SOC 2 practice; if you change one, change your policies' text to match. Every control is re-evaluated as soon as you save."
      />
      {organization.isPending && <PageLoading label="Loading settings" />}
      {organization.isError && (
        <LoadError error={organization.error} onRetry={() => organization.refetch()} />
      )}
      {organization.isSuccess && <SettingsForm organization={organization.data} />}
    </>
  );
}
