// The key registry: every SSH key, cloud access key and API key, filtered by kind, status and
// fingerprint (and by person or system through the URL: ?personId=, ?systemId=).
import { useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { SelectField, TextField } from "../../ui/Field";
import { FilterForm, useFilterValues } from "../../ui/FilterForm";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { useCan } from "../../ui/session";
import { LoadMore } from "../access/access-core.components";
import { RegisterKeyDialog } from "./KeyDialogs";
import { KeyTable } from "./keys.components";
import { type AccessKey, KIND_LABELS, useAccessKeys } from "./keys.queries";

interface Filter {
  kind: AccessKey["kind"] | "";
  status: AccessKey["status"] | "";
  fingerprint: string;
}

const EMPTY: Filter = { kind: "", status: "", fingerprint: "" };

function KeyFilters({ initial, onApply }: { initial: Filter; onApply: (f: Filter) => void }) {
  const { values, set, apply, clear } = useFilterValues(initial, { empty: EMPTY, onApply });
  return (
    <FilterForm label="Filter keys" onApply={apply} onClear={clear}>
      <SelectField
        label="Kind"
        value={values.kind}
        onChange={(e) => set("kind", e.target.value as Filter["kind"])}
      >
        <option value="">Any kind</option>
        {(Object.keys(KIND_LABELS) as AccessKey["kind"][]).map((k) => (
          <option key={k} value={k}>
            {KIND_LABELS[k]}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Status"
        value={values.status}
        onChange={(e) => set("status", e.target.value as Filter["status"])}
      >
        <option value="">Active or revoked</option>
        <option value="active">Active</option>
        <option value="revoked">Revoked</option>
      </SelectField>
      <TextField
        label="Fingerprint or key id"
        value={values.fingerprint}
        onChange={(e) => set("fingerprint", e.target.value)}
      />
    </FilterForm>
  );
}

export function KeysPage() {
  const can = useCan();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [adding, setAdding] = useState(false);
  const filter: Filter = {
    kind: (params.get("kind") as Filter["kind"]) || "",
    status: (params.get("status") as Filter["status"]) || "",
    fingerprint: params.get("fingerprint") ?? "",
  };
  const personId = params.get("personId") ?? undefined;
  const systemId = params.get("systemId") ?? undefined;
  const keys = useAccessKeys({
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.fingerprint.trim() ? { fingerprint: filter.fingerprint.trim() } : {}),
    ...(personId ? { personId } : {}),
    ...(systemId ? { systemId } : {}),
  });
  function onApply(next: Filter) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...next, personId, systemId })) {
      if (value) search.set(key, value);
    }
    setParams(search);
  }
  const items = keys.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader
        title="Keys"
        eyebrow="Access"
        description="The SSH keys, cloud access keys and API keys that open systems, each registered to one person: by fingerprint or id, never a secret."
        actions={
          can("access.manage") && (
            <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
              <Icon name="plus" />
              Register key
            </button>
          )
        }
      />
      <KeyFilters key={params.toString()} initial={filter} onApply={onApply} />
      {keys.isPending && <PageLoading label="Loading keys" />}
      {keys.isError && <LoadError error={keys.error} onRetry={() => keys.refetch()} />}
      {keys.isSuccess && items.length === 0 && <p className="muted">No keys match.</p>}
      {items.length > 0 && <KeyTable keys={items} label="Keys" />}
      <LoadMore
        hasMore={keys.hasNextPage}
        loading={keys.isFetchingNextPage}
        onMore={() => keys.fetchNextPage()}
      />
      {adding && (
        <RegisterKeyDialog
          onClose={() => setAdding(false)}
          onDone={(id) => navigate(`/access-keys/${id}`)}
        />
      )}
    </>
  );
}
