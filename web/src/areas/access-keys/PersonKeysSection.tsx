// A person's keys, on their page: SSH keys, cloud access keys and API keys registered to them.
import { useState } from "react";
import { LoadError, Spinner } from "../../ui/Loading";
import { useCan } from "../../ui/session";
import { LoadMore } from "../access/access-core.components";
import { RegisterKeyDialog } from "./KeyDialogs";
import { KeyTable } from "./keys.components";
import { useAccessKeys } from "./keys.queries";

/** Shown to those who may read access (access.read). */
export function PersonKeysSection({ personId }: { personId: string }) {
  const can = useCan();
  return can("access.read") ? (
    <PersonKeys personId={personId} manage={can("access.manage")} />
  ) : null;
}

function PersonKeys({ personId, manage }: { personId: string; manage: boolean }) {
  const keys = useAccessKeys({ personId });
  const [adding, setAdding] = useState(false);
  const items = keys.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="card section" aria-labelledby="person-keys-heading">
      <div className="section-header">
        <h2 id="person-keys-heading" className="section-title">
          Keys
        </h2>
        <p className="section-description">
          The SSH keys, cloud access keys and API keys registered to this person.
        </p>
        {manage && (
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => setAdding(true)}
          >
            Register a key
          </button>
        )}
      </div>
      {keys.isPending && <Spinner label="Loading keys" />}
      {keys.isError && <LoadError error={keys.error} onRetry={() => keys.refetch()} />}
      {keys.isSuccess && items.length === 0 && <p className="muted">No keys.</p>}
      {items.length > 0 && <KeyTable keys={items} label="Keys of this person" showPerson={false} />}
      <LoadMore
        hasMore={keys.hasNextPage}
        loading={keys.isFetchingNextPage}
        onMore={() => keys.fetchNextPage()}
      />
      {adding && <RegisterKeyDialog personId={personId} onClose={() => setAdding(false)} />}
    </section>
  );
}
