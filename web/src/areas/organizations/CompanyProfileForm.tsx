// Settings → Organization, Company profile: the facts the policy templates ask for. A new
// policy made from a template has them written in; the organization's name fills
// {{company_name}} and approval fills {{effective_date}}.
import { useState } from "react";
import { TextAreaField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { SaveActions, useOrganizationSave } from "./OrganizationSave";
import type { CompanyProfile, OrganizationDetails, UpdateOrganizationInput } from "./types";

type Name = keyof CompanyProfile;
type Patch = NonNullable<UpdateOrganizationInput["companyProfile"]>;

interface FieldSpec {
  name: Name;
  label: string;
  placeholder: string;
  hint: string;
  kind?: "email" | "url" | "number" | "long";
}

const GROUPS: { group: string; fields: FieldSpec[] }[] = [
  {
    group: "Company and product",
    fields: [
      {
        name: "legalEntity",
        label: "Legal entity",
        placeholder: "legal_entity",
        hint: "The registered name, such as “Acme Software Ltd”.",
      },
      {
        name: "productName",
        label: "Product name",
        placeholder: "product_name",
        hint: "The service your customers use.",
      },
      {
        name: "serviceSummary",
        label: "What the product does",
        placeholder: "service_summary",
        hint: "One or two sentences on what it does and for whom (Description of Services).",
        kind: "long",
      },
      {
        name: "websiteUrl",
        label: "Website",
        placeholder: "website_url",
        hint: "Such as https://acme.example.",
        kind: "url",
      },
      {
        name: "jurisdiction",
        label: "Jurisdiction and governing law",
        placeholder: "jurisdiction",
        hint: "Such as “England and Wales” or “the State of Delaware”.",
      },
    ],
  },
  {
    group: "Security and privacy contacts",
    fields: [
      {
        name: "securityLead",
        label: "Security lead",
        placeholder: "security_lead",
        hint: "Who owns the security program: a name and title, or a role.",
      },
      {
        name: "securityEmail",
        label: "Security contact email",
        placeholder: "security_email",
        hint: "Where customers and researchers report security issues.",
        kind: "email",
      },
      {
        name: "privacyEmail",
        label: "Privacy contact email",
        placeholder: "privacy_email",
        hint: "Where people exercise their data-protection rights.",
        kind: "email",
      },
      {
        name: "trustCenterUrl",
        label: "Trust center address",
        placeholder: "trust_center_url",
        hint: "Where your public trust center is published, such as https://trust.acme.example.",
        kind: "url",
      },
    ],
  },
  {
    group: "Hosting and recovery",
    fields: [
      {
        name: "hostingProvider",
        label: "Hosting provider",
        placeholder: "hosting_provider",
        hint: "Such as “Amazon Web Services”.",
      },
      {
        name: "primaryRegion",
        label: "Primary region",
        placeholder: "primary_region",
        hint: "Where customer data is stored, such as “eu-central-1 (Frankfurt)”.",
      },
      {
        name: "rtoHours",
        label: "Recovery time objective (hours)",
        placeholder: "rto_hours",
        hint: "Choose a value a restore test has shown you can meet.",
        kind: "number",
      },
      {
        name: "rpoHours",
        label: "Recovery point objective (hours)",
        placeholder: "rpo_hours",
        hint: "How much recent data a restore may lose, at most.",
        kind: "number",
      },
      {
        name: "backupRetentionDays",
        label: "Backups kept for (days)",
        placeholder: "backup_retention_days",
        hint: "How long a backup exists before it is deleted.",
        kind: "number",
      },
      {
        name: "retentionDefaultDays",
        label: "Customer data kept after the contract ends (days)",
        placeholder: "retention_default_days",
        hint: "Before it is deleted, unless the customer asks sooner.",
        kind: "number",
      },
    ],
  },
];

/** What a draft's placeholders take from the organization: its name and its company profile. */
export function profileValues(organization: OrganizationDetails): Record<string, string> {
  const values: Record<string, string> = { company_name: organization.name };
  for (const { fields } of GROUPS) {
    for (const { name, placeholder } of fields) {
      const value = organization.companyProfile[name];
      if (value !== undefined) values[placeholder] = String(value);
    }
  }
  return values;
}

function initialValues(profile: CompanyProfile): Record<Name, string> {
  const values = {} as Record<Name, string>;
  for (const { fields } of GROUPS) {
    for (const { name } of fields)
      values[name] = profile[name] === undefined ? "" : String(profile[name]);
  }
  return values;
}

/** Only what changed: a cleared field is sent as null. */
function changes(profile: CompanyProfile, values: Record<Name, string>): Patch {
  const patch: Record<string, string | number | null> = {};
  for (const { fields } of GROUPS) {
    for (const { name, kind } of fields) {
      const text = values[name].trim();
      const before = profile[name] === undefined ? "" : String(profile[name]);
      if (text === before) continue;
      patch[name] = text === "" ? null : kind === "number" ? Number(text) : text;
    }
  }
  return patch as Patch;
}

export function CompanyProfileForm({ organization }: { organization: OrganizationDetails }) {
  const profile = organization.companyProfile;
  const [values, setValues] = useState(() => initialValues(profile));
  const { formRef, onSubmit, save, errors, saved, edited } = useOrganizationSave({
    changes: () => {
      const patch = changes(profile, values);
      return Object.keys(patch).length === 0 ? null : { companyProfile: patch };
    },
    onSaved: (updated) => setValues(initialValues(updated.companyProfile)),
  });

  return (
    <section className="card section" aria-labelledby="company-profile-heading">
      <div className="section-header">
        <h2 id="company-profile-heading" className="section-title">
          Company profile
        </h2>
        <p className="section-description">
          The policy templates ask for these facts. A new policy made from a template has them
          written in; the organization name fills {"{{company_name}}"} and approval fills{" "}
          {"{{effective_date}}"}. Policies already drafted keep their text.
        </p>
      </div>
      <form ref={formRef} className="form" onSubmit={onSubmit} aria-busy={save.isPending}>
        <FormAlert error={save.error} />
        {GROUPS.map(({ group, fields }) => (
          <fieldset key={group} className="fieldset">
            <legend className="field-label">{group}</legend>
            {fields.map((field) => {
              const common = {
                label: field.label,
                name: field.name,
                value: values[field.name],
                hint: `${field.hint} Fills {{${field.placeholder}}}.`,
                error: errors[field.name],
              };
              const change = (value: string) => {
                setValues({ ...values, [field.name]: value });
                edited();
              };
              return field.kind === "long" ? (
                <TextAreaField
                  key={field.name}
                  {...common}
                  rows={2}
                  maxLength={1000}
                  onChange={(e) => change(e.target.value)}
                />
              ) : (
                <TextField
                  key={field.name}
                  {...common}
                  type={field.kind === "number" ? "number" : (field.kind ?? "text")}
                  {...(field.kind === "number"
                    ? { inputMode: "numeric" as const, min: 1, step: 1, className: "input-number" }
                    : { maxLength: field.kind ? 500 : 200 })}
                  onChange={(e) => change(e.target.value)}
                />
              );
            })}
          </fieldset>
        ))}
        <SaveActions
          pending={save.isPending}
          label="Save company profile"
          saved={saved}
          savedText="Saved. New policies made from a template use it."
        />
      </form>
    </section>
  );
}
