// My account → API tokens for scripts: create (shown once), list, revoke.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { Callout } from "../../ui/Callout";
import { CopyButton } from "../../ui/CopyButton";
import { TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { fieldErrorsOf, useFocusFirstInvalid } from "../../ui/forms";
import { LoadError, Spinner } from "../../ui/Loading";
import { ConfirmDialog } from "../../ui/Modal";
import { keys } from "../../ui/queries";
import { TokenTable } from "../../ui/TokenTable";
import { authApi } from "./api";
import type { ApiToken, CreatedApiToken } from "./types";

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedApiToken) => void }) {
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [name, setName] = useState("");
  const create = useMutation({
    mutationFn: authApi.createToken,
    onSuccess: (token) => {
      setName("");
      void queryClient.invalidateQueries({ queryKey: keys.tokens });
      onCreated(token);
    },
  });
  const errors = fieldErrorsOf(create.error);
  useFocusFirstInvalid(formRef, create.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate(name.trim());
  }

  return (
    <form
      ref={formRef}
      className="form inline-form"
      onSubmit={onSubmit}
      aria-busy={create.isPending}
    >
      <FormAlert error={create.error} />
      <TextField
        label="Token name"
        name="name"
        required
        maxLength={100}
        placeholder="e.g. CI scan import"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.name}
      />
      <button type="submit" className="button button-secondary" disabled={create.isPending}>
        {create.isPending ? "Creating…" : "Create token"}
      </button>
    </form>
  );
}

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
        <CreateTokenForm onCreated={setCreated} />
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
