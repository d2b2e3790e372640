// Settings → Organization: the organization's name, its two-factor requirement, and the
// company profile that fills new policies.
import { useState } from "react";
import { Callout } from "../../ui/Callout";
import { CheckboxField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { keys } from "../../ui/queries";
import type { Organization } from "../../ui/schema";
import { useSession } from "../../ui/session";
import { CompanyProfileForm } from "./CompanyProfileForm";
import { SaveActions, useOrganizationSave } from "./OrganizationSave";
import { useOrganization } from "./queries";

function OrganizationForm({ organization }: { organization: Organization }) {
  const { user } = useSession();
  const [name, setName] = useState(organization.name);
  const [requireMfa, setRequireMfa] = useState(organization.requireMfa);
  const { formRef, onSubmit, save, errors, saved, edited } = useOrganizationSave({
    changes: () => {
      const input: { name?: string; requireMfa?: boolean } = {};
      if (name.trim() !== organization.name) input.name = name.trim();
      if (requireMfa !== organization.requireMfa) input.requireMfa = requireMfa;
      return Object.keys(input).length === 0 ? null : input;
    },
    // The sidebar shows the name, and the MFA rule may now apply to the current user.
    invalidates: [keys.me],
  });

  return (
    <form
      ref={formRef}
      className="card section form"
      onSubmit={onSubmit}
      aria-busy={save.isPending}
    >
      <FormAlert error={save.error} />
      <TextField
        label="Organization name"
        name="name"
        required
        maxLength={200}
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          edited();
        }}
        hint="Shown to your team and on your public trust center."
        error={errors.name}
      />
      <CheckboxField
        label="Require two-factor authentication for everyone"
        name="requireMfa"
        checked={requireMfa}
        onChange={(e) => {
          setRequireMfa(e.target.checked);
          edited();
        }}
        hint="People without it are asked to set it up before they can use Attest, and cannot turn it off."
        error={errors.requireMfa}
      />
      {requireMfa && !organization.requireMfa && !user.mfaEnabled && (
        <Callout tone="warning" title="You have not enabled two-factor authentication yet">
          <p>Once you save, you will be asked to set it up before you continue.</p>
        </Callout>
      )}
      <SaveActions pending={save.isPending} label="Save changes" saved={saved} savedText="Saved" />
    </form>
  );
}

export function OrganizationPage() {
  const organization = useOrganization();
  return (
    <>
      <PageHeader
        title="Organization"
        eyebrow="Settings"
        description="Settings that apply to everyone in your organization."
      />
      {organization.isPending && <PageLoading label="Loading organization" />}
      {organization.isError && (
        <LoadError error={organization.error} onRetry={() => organization.refetch()} />
      )}
      {organization.isSuccess && (
        <>
          <OrganizationForm organization={organization.data} />
          <CompanyProfileForm organization={organization.data} />
        </>
      )}
    </>
  );
}
