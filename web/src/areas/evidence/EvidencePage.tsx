// The evidence library: every file and link kept as evidence, across all controls, newest
// first, filtered and searched on the server; the filters live in the URL.
import { Link, useSearchParams } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { EvidenceLibraryFilters, NO_FILTER } from "./EvidenceLibraryFilters";
import { EvidenceLibraryItem } from "./EvidenceLibraryItem";
import { useEvidenceLibrary } from "./queries";
import { KINDS, type LibraryFilter, VALIDITIES } from "./types";
import "../../styles/evidence-library.css";

const FILTER_NAMES = ["q", "control", "validity", "kind"] as const;

/** The filter a URL carries; values the API would refuse are dropped. */
function filterOf(params: URLSearchParams): LibraryFilter {
  const validity = params.get("validity") ?? "";
  const kind = params.get("kind") ?? "";
  const control = params.get("control") ?? "";
  return {
    q: (params.get("q") ?? "").slice(0, 200),
    control: /^[a-z0-9]+(-[a-z0-9]+)*$/.test(control) ? control : "",
    validity: VALIDITIES.find((v) => v.value === validity)?.value ?? "",
    kind: KINDS.find((k) => k.value === kind)?.value ?? "",
  };
}

function countText(shown: number, total: number | null, capped: boolean): string {
  if (total === null) return `Showing ${shown} items`;
  if (capped) return `Showing ${shown} of more than ${total.toLocaleString()} items`;
  return `Showing ${shown} of ${total.toLocaleString()} ${total === 1 ? "item" : "items"}`;
}

export function EvidencePage() {
  const [params, setParams] = useSearchParams();
  const filter = filterOf(params);
  const library = useEvidenceLibrary(filter);

  function apply(next: LibraryFilter) {
    const search = new URLSearchParams();
    for (const name of FILTER_NAMES) if (next[name]) search.set(name, next[name]);
    setParams(search);
  }

  const pages = library.data?.pages ?? [];
  const items = pages.flatMap((page) => page.items);
  const first = pages[0];
  const filtered = FILTER_NAMES.some((name) => filter[name]);

  return (
    <>
      <PageHeader
        title="Evidence"
        description="Every file and link kept as evidence, with the control it proves and whether it is still valid. Files are stored encrypted and checked against their checksum on download."
      />
      <EvidenceLibraryFilters key={params.toString()} initial={filter} onApply={apply} />
      {library.isPending && <PageLoading label="Loading evidence" />}
      {library.isError && !library.isFetchNextPageError && (
        <LoadError error={library.error} onRetry={() => library.refetch()} />
      )}
      {library.isSuccess && items.length === 0 && (
        <EmptyState
          icon="evidence"
          title={filtered ? "No evidence matches these filters" : "No evidence yet"}
          actions={
            filtered ? (
              <button
                type="button"
                className="button button-secondary"
                onClick={() => apply(NO_FILTER)}
              >
                Clear filters
              </button>
            ) : (
              <Link className="button button-secondary" to="/controls">
                Browse the controls
              </Link>
            )
          }
        >
          <p>
            {filtered
              ? "Try other words, or widen the filters."
              : "Evidence is added on a control's page: upload a file or add a link there."}
          </p>
        </EmptyState>
      )}
      {items.length > 0 && (
        <>
          <p className="library-count" aria-live="polite">
            {countText(items.length, first?.total ?? null, first?.totalCapped ?? false)}
          </p>
          <div className="library-header" aria-hidden="true">
            <span>Evidence</span>
            <span>Control</span>
            <span>Dates</span>
            <span>Validity</span>
            <span>Added</span>
          </div>
          <ul className="library-list" aria-label="Evidence">
            {items.map((item) => (
              <EvidenceLibraryItem key={item.id} item={item} />
            ))}
          </ul>
        </>
      )}
      {library.hasNextPage && (
        <div className="load-more">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => library.fetchNextPage()}
            disabled={library.isFetchingNextPage}
          >
            {library.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        </div>
      )}
      {library.isFetchNextPageError && (
        <LoadError error={library.error} onRetry={() => library.fetchNextPage()} />
      )}
    </>
  );
}
