// Settings → Single sign-on (owners): the identity provider, who may sign in through it, the
// group → role mapping, the password and two-factor rules; a discovery test; removal.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { Callout } from "../../ui/Callout";
import { CheckboxField, SelectField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { ssoApi } from "./sso.api";
import "./sso.css";
import type { Provider, ProviderAnswer, SsoRole } from "./sso.types";

const ROLES: SsoRole[] = ["admin", "editor", "member"];
const list = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((v) => v.trim())
    .filter(Boolean);

function MappingRows({
  rows,
  onChange,
}: {
  rows: { group: string; role: SsoRole }[];
  onChange: (rows: { group: string; role: SsoRole }[]) => void;
}) {
  const set = (i: number, row: { group: string; role: SsoRole }) =>
    onChange(rows.map((r, j) => (j === i ? row : r)));
  return (
    <fieldset className="sso-mapping">
      <legend className="field-label">Groups → roles (first match wins)</legend>
      {rows.map((row, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
        <div className="sso-mapping-row" key={i}>
          <TextField
            label={`Group ${i + 1}`}
            value={row.group}
            onChange={(e) => set(i, { ...row, group: e.target.value })}
          />
          <SelectField
            label={`Role of group ${i + 1}`}
            value={row.role}
            onChange={(e) => set(i, { ...row, role: e.target.value as SsoRole })}
          >
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </SelectField>
          <button
            type="button"
            className="button button-ghost-danger"
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            Remove group {i + 1}
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button button-secondary"
        onClick={() => onChange([...rows, { group: "", role: "member" }])}
      >
        Add a group
      </button>
    </fieldset>
  );
}

function ProviderForm({ answer }: { answer: ProviderAnswer }) {
  const p: Provider | null = answer.provider;
  const client = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [mapping, setMapping] = useState(p?.roleMapping ?? []);
  const save = useMutation({
    mutationFn: ssoApi.save,
    onSuccess: (data) => client.setQueryData(["sso", "provider"], data),
  });
  const discover = useMutation({ mutationFn: ssoApi.discover });
  const remove = useMutation({
    mutationFn: ssoApi.remove,
    onSuccess: () => client.invalidateQueries({ queryKey: ["sso"] }),
  });
  const errors = fieldErrorsOf(save.error ?? discover.error);
  useFocusFirstInvalid(formRef, save.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const text = (k: string) => String(f.get(k) ?? "").trim();
    const secret = text("clientSecret");
    save.mutate({
      name: text("name"),
      issuerUrl: text("issuerUrl"),
      clientId: text("clientId"),
      ...(secret ? { clientSecret: secret } : {}),
      allowedDomains: list(text("allowedDomains").toLowerCase()),
      passwordSignInAllowed: f.get("passwordSignInAllowed") === "on",
      groupsClaim: text("groupsClaim") || "groups",
      roleMapping: mapping.filter((r) => r.group.trim()),
      defaultRole: text("defaultRole") as SsoRole,
      acceptProviderMfa: f.get("acceptProviderMfa") === "on",
      mfaAcrValues: list(text("mfaAcrValues")),
      enabled: f.get("enabled") === "on",
    });
  }

  return (
    <form
      ref={formRef}
      className="card section form"
      onSubmit={onSubmit}
      aria-busy={save.isPending}
    >
      <FormAlert error={save.error ?? discover.error ?? remove.error} />
      {save.isSuccess && <Callout tone="success" title="Single sign-on saved" focusOnMount />}
      {discover.isSuccess && (
        <Callout tone="success" title="The provider answered">
          <p>
            Issuer {discover.data.issuer}; keys at {discover.data.jwksUri}.
          </p>
        </Callout>
      )}
      <p className="sso-redirect">
        Register this redirect URI at your provider: <code>{answer.redirectUri}</code>
      </p>
      <TextField
        label="Name on the sign-in button"
        name="name"
        required
        defaultValue={p?.name ?? ""}
        error={errors.name}
      />
      <TextField
        label="Issuer URL"
        name="issuerUrl"
        type="url"
        required
        defaultValue={p?.issuerUrl ?? ""}
        hint="The provider's issuer, e.g. https://example.okta.com"
        error={errors.issuerUrl}
      />
      <TextField
        label="Client ID"
        name="clientId"
        required
        defaultValue={p?.clientId ?? ""}
        error={errors.clientId}
      />
      <TextField
        label="Client secret"
        name="clientSecret"
        type="password"
        autoComplete="off"
        required={!p}
        hint={p ? "Stored encrypted and never shown; leave empty to keep it." : "Stored encrypted."}
        error={errors.clientSecret}
      />
      <TextField
        label="Allowed email domains"
        name="allowedDomains"
        required
        defaultValue={p?.allowedDomains.join(", ") ?? ""}
        hint="Comma-separated. People of these domains get an account at their first sign-in."
        error={errors.allowedDomains}
      />
      <TextField
        label="Groups claim"
        name="groupsClaim"
        defaultValue={p?.groupsClaim ?? "groups"}
        error={errors.groupsClaim}
      />
      <MappingRows rows={mapping} onChange={setMapping} />
      <SelectField
        label="Role of people in none of the groups"
        name="defaultRole"
        defaultValue={p?.defaultRole ?? "member"}
      >
        {ROLES.map((r) => (
          <option key={r}>{r}</option>
        ))}
      </SelectField>
      <CheckboxField
        label="People other than owners may also sign in with a password"
        name="passwordSignInAllowed"
        defaultChecked={p?.passwordSignInAllowed ?? true}
        hint="Owners always can, so a broken provider cannot lock your organization out."
      />
      <CheckboxField
        label="Accept the provider's two-factor authentication"
        name="acceptProviderMfa"
        defaultChecked={p?.acceptProviderMfa ?? false}
        hint="When the provider reports a second factor (amr), it meets your organization's two-factor requirement."
      />
      <TextField
        label="acr values that count as two-factor"
        name="mfaAcrValues"
        defaultValue={p?.mfaAcrValues.join(", ") ?? ""}
        error={errors.mfaAcrValues}
      />
      <CheckboxField label="Enabled" name="enabled" defaultChecked={p?.enabled ?? true} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save single sign-on"}
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={discover.isPending}
          onClick={() => {
            const issuer = formRef.current?.elements.namedItem("issuerUrl") as HTMLInputElement;
            discover.mutate(issuer.value.trim());
          }}
        >
          Test discovery
        </button>
        {p && (
          <button
            type="button"
            className="button button-ghost-danger"
            onClick={() => remove.mutate()}
          >
            Remove single sign-on
          </button>
        )}
      </div>
    </form>
  );
}

export function SsoSettingsPage() {
  const provider = useQuery({ queryKey: ["sso", "provider"], queryFn: ssoApi.provider });
  return (
    <>
      <PageHeader
        title="Single sign-on"
        eyebrow="Settings"
        description="Let your team sign in with your identity provider (OpenID Connect)."
      />
      {provider.isPending && <PageLoading label="Loading single sign-on" />}
      {provider.isError && <LoadError error={provider.error} onRetry={() => provider.refetch()} />}
      {provider.isSuccess && <ProviderForm answer={provider.data} />}
    </>
  );
}
