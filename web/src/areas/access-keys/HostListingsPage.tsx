// Host listings: what each host's authorized_keys files allowed when collected (by `attest
// collect ssh-keys` or the API), newest first, filtered by system and host; /key-listings/:id
// is one listing with its keys.
import "../../styles/host-listings.css";
import { Link, useParams, useSearchParams } from "react-router";
import { SelectField, TextField } from "../../ui/Field";
import { FilterForm, useFilterValues } from "../../ui/FilterForm";
import { formatDateTime } from "../../ui/format";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { LoadMore } from "../access/access-core.components";
import {
  type HostListingSummary,
  type HostListingsFilter,
  useHostListings,
  useSystemOptions,
} from "./HostListings.api";
import { HostListingsDetail } from "./HostListingsDetail";
import { ListingFindings } from "./HostListingsFindings";

interface Filter {
  systemId: string;
  host: string;
}

const EMPTY: Filter = { systemId: "", host: "" };

function ListingFilters({ initial, onApply }: { initial: Filter; onApply: (f: Filter) => void }) {
  const systems = useSystemOptions();
  const { values, set, apply, clear } = useFilterValues(initial, {
    empty: EMPTY,
    onApply,
    tidy: (v) => ({ ...v, host: v.host.trim() }),
  });
  return (
    <FilterForm label="Filter host listings" onApply={apply} onClear={clear}>
      <SelectField
        label="System"
        value={values.systemId}
        onChange={(e) => set("systemId", e.target.value)}
      >
        <option value="">Every system</option>
        {(systems.data ?? []).map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </SelectField>
      <TextField label="Host" value={values.host} onChange={(e) => set("host", e.target.value)} />
    </FilterForm>
  );
}

function ListingsTable({ listings }: { listings: HostListingSummary[] }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
    <section className="table-wrap" aria-label="Host listings" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Host</th>
            <th scope="col">System</th>
            <th scope="col">Collected</th>
            <th scope="col">Keys</th>
            <th scope="col">Findings</th>
            <th scope="col">Malformed lines</th>
          </tr>
        </thead>
        <tbody>
          {listings.map((l) => (
            <tr key={l.id} data-listing-id={l.id}>
              <td>
                <Link className="cell-primary" to={`/key-listings/${l.id}`}>
                  {l.host}
                </Link>
                {!l.latest && <div className="cell-secondary">Collected again since</div>}
              </td>
              <td>
                <Link to={`/systems/${l.system.id}`}>{l.system.name}</Link>
              </td>
              <td>
                {formatDateTime(l.collectedAt)}
                <div className="cell-secondary">
                  {l.source === "cli" ? "attest collect" : "API"}
                  {l.collectedBy ? `, ${l.collectedBy.name}` : ""}
                </div>
              </td>
              <td>{l.keys}</td>
              <td>
                <ListingFindings listing={l} />
              </td>
              <td>{l.problemCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function HostListingsList() {
  const [params, setParams] = useSearchParams();
  const filter: Filter = { systemId: params.get("systemId") ?? "", host: params.get("host") ?? "" };
  const query: HostListingsFilter = {
    ...(filter.systemId ? { systemId: filter.systemId } : {}),
    ...(filter.host ? { host: filter.host } : {}),
  };
  const listings = useHostListings(query);
  function onApply(next: Filter) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(next)) if (value) search.set(key, value);
    setParams(search);
  }
  const items = listings.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader
        title="Host listings"
        eyebrow="Production access"
        description="What each host's authorized_keys files allowed when they were collected, and whom each key is registered to. Collect from a host with: attest collect ssh-keys --system NAME FILES…"
      />
      <ListingFilters key={params.toString()} initial={filter} onApply={onApply} />
      {listings.isPending && <PageLoading label="Loading host listings" />}
      {listings.isError && <LoadError error={listings.error} onRetry={() => listings.refetch()} />}
      {listings.isSuccess && items.length === 0 && (
        <p className="muted">
          No listings collected yet{filter.systemId || filter.host ? " that match" : ""}.
        </p>
      )}
      {items.length > 0 && <ListingsTable listings={items} />}
      <LoadMore
        hasMore={listings.hasNextPage}
        loading={listings.isFetchingNextPage}
        onMore={() => listings.fetchNextPage()}
      />
    </>
  );
}

/** /key-listings and /key-listings/:id (one route: the list, or one listing). */
export function HostListingsPage() {
  const { id } = useParams();
  return id ? <HostListingsDetail id={id} /> : <HostListingsList />;
}
