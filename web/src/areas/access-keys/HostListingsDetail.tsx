// One host listing: when and how it was collected, its malformed lines, and each key with
// whom it is registered to (or "Unknown"), whether they are active and hold a grant.
import "../../styles/host-listings.css";
import { Link } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { formatDateTime } from "../../ui/format";
import { ApiError } from "../../ui/http";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { Badge } from "../../ui/StatusBadge";
import { LoadMore } from "../access/access-core.components";
import { type HostKeyEntry, type HostListingDetail, useHostListing } from "./HostListings.api";
import { ListingFindings } from "./HostListingsFindings";

function BackLink({ systemId }: { systemId?: string }) {
  return (
    <Link
      className="back-link"
      to={systemId ? `/key-listings?systemId=${systemId}` : "/key-listings"}
    >
      <Icon name="arrowLeft" />
      All host listings
    </Link>
  );
}

function Facts({ listing }: { listing: HostListingDetail }) {
  return (
    <section className="card section" aria-labelledby="listing-heading">
      <h2 id="listing-heading" className="section-title">
        Collection
      </h2>
      <dl className="facts facts-inline">
        <div>
          <dt>System</dt>
          <dd>
            <Link to={`/systems/${listing.system.id}`}>{listing.system.name}</Link>
          </dd>
        </div>
        <div>
          <dt>Collected</dt>
          <dd>{formatDateTime(listing.collectedAt)}</dd>
        </div>
        <div>
          <dt>Sent by</dt>
          <dd>
            {listing.collectedBy?.name ?? "Unknown"} (
            {listing.source === "cli" ? "attest collect" : "API"})
          </dd>
        </div>
        <div>
          <dt>Keys</dt>
          <dd>{listing.keys}</dd>
        </div>
        <div>
          <dt>Findings</dt>
          <dd>
            <ListingFindings listing={listing} />
          </dd>
        </div>
        <div>
          <dt>Files</dt>
          <dd>
            {listing.files.map((file) => (
              <div key={file} className="mono listing-digest">
                {file}
              </div>
            ))}
          </dd>
        </div>
        <div>
          <dt>SHA-256</dt>
          <dd className="mono listing-digest">{listing.sha256}</dd>
        </div>
      </dl>
    </section>
  );
}

function Problems({ listing }: { listing: HostListingDetail }) {
  if (listing.problems.length === 0) return null;
  return (
    <section className="card section" aria-labelledby="problems-heading">
      <h2 id="problems-heading" className="section-title">
        Malformed lines ({listing.problems.length})
      </h2>
      <p className="section-description">sshd ignores these lines: they open nothing.</p>
      <ul className="listing-problems">
        {listing.problems.map((p) => (
          <li key={`${p.file}:${p.line}`}>
            <span className="mono">
              {p.file}:{p.line}
            </span>{" "}
            {p.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

function RegisteredTo({ entry }: { entry: HostKeyEntry }) {
  if (entry.registeredTo.length === 0) return <Badge tone="danger">Unknown</Badge>;
  return (
    <>
      {entry.registeredTo.map((r) => (
        <div key={r.keyId}>
          <Link to={`/people/${r.person.id}`}>{r.person.name}</Link>{" "}
          {!r.person.active && <Badge tone="danger">Departed</Badge>}
          {r.person.active && !r.hasGrant && <Badge tone="warning">No grant</Badge>}
        </div>
      ))}
      {entry.registeredTo.length > 1 && <Badge tone="warning">Several people</Badge>}
    </>
  );
}

function Entries({ entries }: { entries: HostKeyEntry[] }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
    <section className="table-wrap" aria-label="Keys" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Key</th>
            <th scope="col">Comment</th>
            <th scope="col">Options</th>
            <th scope="col">Registered to</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={`${e.file}:${e.line}`} data-fingerprint={e.fingerprint}>
              <td>
                <span className="mono">{e.line}</span>
                <div className="cell-secondary mono listing-digest">{e.file}</div>
              </td>
              <td>
                <div className="fingerprint">{e.fingerprint}</div>
                <div className="cell-secondary">
                  {e.keyType}
                  {e.bits ? `, ${e.bits} bits` : ""}
                </div>
              </td>
              <td>{e.comment ?? <span className="muted">None</span>}</td>
              <td>
                {e.options ? (
                  <span className="fingerprint">{e.options}</span>
                ) : (
                  <span className="muted">None</span>
                )}
              </td>
              <td>
                <RegisteredTo entry={e} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function HostListingsDetail({ id }: { id: string }) {
  const listing = useHostListing(id);
  if (listing.isPending) return <PageLoading label="Loading host listing" />;
  if (listing.isError) {
    const missing =
      listing.error instanceof ApiError &&
      (listing.error.status === 404 || listing.error.status === 400);
    return (
      <>
        <BackLink />
        <PageHeader title={missing ? "Listing not found" : "Host listing"} />
        {missing ? (
          <EmptyState icon="search" title="There is no such listing" />
        ) : (
          <LoadError error={listing.error} onRetry={() => listing.refetch()} />
        )}
      </>
    );
  }
  const first = listing.data.pages[0] as HostListingDetail;
  const entries = listing.data.pages.flatMap((p) => p.entries.items);
  return (
    <>
      <BackLink systemId={first.system.id} />
      <PageHeader
        title={first.host}
        eyebrow="Host listing"
        description={`The authorized_keys of ${first.host} (${first.system.name}) as collected on ${formatDateTime(first.collectedAt)}.`}
      />
      <Facts listing={first} />
      <Problems listing={first} />
      <h2 className="section-title">Keys ({first.keys})</h2>
      {entries.length === 0 ? (
        <p className="muted">The files held no keys.</p>
      ) : (
        <Entries entries={entries} />
      )}
      <LoadMore
        hasMore={listing.hasNextPage}
        loading={listing.isFetchingNextPage}
        onMore={() => listing.fetchNextPage()}
      />
    </>
  );
}
