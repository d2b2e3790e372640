// My account → API tokens for scripts: create (shown once), list, revoke.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Callout } from "../../ui/Callout";
import { CopyButton } from "../../ui/CopyButton";
import { CreateTokenForm } from "../../ui/CreateTokenForm";
import { FormAlert } from "../../ui/FormAlert";
import { LoadError, Spinner } from "../../ui/Loading";
import { ConfirmDialog } from "../../ui/Modal";
import { keys } from "../../ui/queries";
import { TokenTable } from "../../ui/TokenTable";
import { authApi } from "./api";
import type { ApiToken, CreatedApiToken } from "./types";

function NewToken({ token, onDone }: { token: CreatedApiToken; onDone: () => void }) {
  return (
    <Callout tone="success" title={`Token “${token.name}” created`} role="status">
      <p>
        Copy it now: it is shown only once. Send it as{" "}
        <code>Authorization: Bearer &lt;token&gt;</code>.
      </p>
      <div className="secret-box">
        <code className="secret-value" data-testid="api-token">
          {token.token}
        </code>
        <CopyButton value={token.token} label="Copy token" />
      </div>
      <button type="button" className="button button-secondary button-small" onClick={onDone}>
        Done
      </button>
    </Callout>
  );
}

export function TokensSection() {
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: keys.tokens, queryFn: authApi.tokens });
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const revoke = useMutation({
    mutationFn: (token: ApiToken) => authApi.revokeToken(token.id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.tokens });
      setRevoking(null);
    },
  });

  return (
    <section className="card section" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading" className="section-title">
        API tokens
      </h2>
      <p className="section-description">
        Tokens let scripts and CI jobs call the Attest API with your permissions. Revoke any you no
        longer use.
      </p>
      {created ? (
        <NewToken token={created} onDone={() => setCreated(null)} />
      ) : (
        <CreateTokenForm
          create={authApi.createToken}
          listKey={keys.tokens}
          onCreated={setCreated}
          maxLength={100}
          placeholder="e.g. CI scan import"
          submitLabel="Create token"
        />
      )}
      {tokens.isPending && <Spinner label="Loading tokens" />}
      {tokens.isError && <LoadError error={tokens.error} onRetry={() => tokens.refetch()} />}
      {tokens.isSuccess && (
        <TokenTable
          tokens={tokens.data}
          onRevoke={setRevoking}
          label="Token list"
          empty="You have no API tokens."
        />
      )}
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
        <p>Scripts using this token stop working at once. This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}
