// Settings → SCIM provisioning: the tokens an identity provider (Okta, Entra ID) provisions
// people with. A token is shown once, with the base URL to paste into the provider.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Callout } from "../../ui/Callout";
import { CopyButton } from "../../ui/CopyButton";
import { CreateTokenForm } from "../../ui/CreateTokenForm";
import { FormAlert } from "../../ui/FormAlert";
import { LoadError, PageLoading } from "../../ui/Loading";
import { ConfirmDialog } from "../../ui/Modal";
import { PageHeader } from "../../ui/PageHeader";
import { TokenTable } from "../../ui/TokenTable";
import { ScimGroupRoles } from "./ScimGroupRoles";
import { type CreatedScimToken, type ScimToken, scimApi, scimKeys } from "./scim.api";

function NewToken({ token, onDone }: { token: CreatedScimToken; onDone: () => void }) {
  return (
    <Callout tone="success" title={`SCIM token “${token.name}” created`} role="status">
      <p>Copy it now: it is shown only once. In your identity provider, enter:</p>
      <dl className="secret-list">
        <dt>SCIM base URL (tenant URL)</dt>
        <dd className="secret-box">
          <code className="secret-value" data-testid="scim-base-url">
            {token.baseUrl}
          </code>
          <CopyButton value={token.baseUrl} label="Copy base URL" />
        </dd>
        <dt>Bearer token (secret token)</dt>
        <dd className="secret-box">
          <code className="secret-value" data-testid="scim-token">
            {token.token}
          </code>
          <CopyButton value={token.token} label="Copy token" />
        </dd>
      </dl>
      <button type="button" className="button button-secondary button-small" onClick={onDone}>
        Done
      </button>
    </Callout>
  );
}

export function ScimSettingsPage() {
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: scimKeys.tokens, queryFn: scimApi.tokens });
  const [created, setCreated] = useState<CreatedScimToken | null>(null);
  const [revoking, setRevoking] = useState<ScimToken | null>(null);
  const revoke = useMutation({
    mutationFn: (token: ScimToken) => scimApi.revoke(token.id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: scimKeys.tokens });
      setRevoking(null);
    },
  });

  return (
    <>
      <PageHeader
        title="SCIM provisioning"
        eyebrow="Settings"
        description="Let your identity provider (Okta, Microsoft Entra ID) create, update and offboard your people. Groups become job roles; deactivating someone in the provider ends their employment today and starts their offboarding."
      />
      <section className="card section" aria-labelledby="scim-tokens-heading">
        <h2 id="scim-tokens-heading" className="section-title">
          SCIM tokens
        </h2>
        {tokens.isSuccess && (
          <p className="section-description">
            SCIM base URL: <code>{tokens.data.baseUrl}</code>. A SCIM token works only there, and
            nothing else works there.
          </p>
        )}
        {created ? (
          <NewToken token={created} onDone={() => setCreated(null)} />
        ) : (
          <CreateTokenForm
            create={scimApi.create}
            listKey={scimKeys.tokens}
            onCreated={setCreated}
            maxLength={200}
            placeholder="e.g. Okta"
            submitLabel="Create SCIM token"
          />
        )}
        {tokens.isPending && <PageLoading label="Loading SCIM tokens" />}
        {tokens.isError && <LoadError error={tokens.error} onRetry={() => tokens.refetch()} />}
        {tokens.isSuccess && (
          <TokenTable
            tokens={tokens.data.items}
            onRevoke={setRevoking}
            label="SCIM tokens"
            empty="No SCIM tokens yet."
          />
        )}
      </section>
      <ScimGroupRoles />
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke “${revoking?.name ?? ""}”?`}
        confirmLabel="Revoke token"
        pending={revoke.isPending}
        error={<FormAlert error={revoke.error} />}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        onClose={() => {
          revoke.reset();
          setRevoking(null);
        }}
      >
        <p>The identity provider's next request is refused. This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
