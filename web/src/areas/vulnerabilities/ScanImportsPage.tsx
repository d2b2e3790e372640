// Scanner file imports, newest first, of one system or all: when each scan ran, what file, and
// what it changed (new, unchanged, reopened, resolved findings), with the file as evidence.
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { SelectField } from "../../ui/Field";
import { formatBytes, formatDateTime } from "../../ui/format";
import { get } from "../../ui/http";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { fetchAll, type Page } from "../../ui/pager";
import type { ItemOf } from "../../ui/schema";
import { useSession } from "../../ui/session";

export type ScanImport = ItemOf<"/api/v1/finding-imports">;

export const scanImportKeys = {
  all: ["finding-imports"] as const,
  list: (systemId: string) => ["finding-imports", "list", systemId] as const,
};

/** The systems one may import a scan for or filter by (archived ones left out). */
export function useScanSystems() {
  return useQuery({
    queryKey: ["systems", "options"],
    queryFn: () => fetchAll<{ id: string; name: string }>("/systems", { limit: 200 }, 20),
    staleTime: 60_000,
  });
}

function useScanImports(systemId: string) {
  return useInfiniteQuery({
    queryKey: scanImportKeys.list(systemId),
    queryFn: ({ pageParam }: { pageParam: string | undefined }) =>
      get<Page<ScanImport>>("/finding-imports", {
        systemId: systemId || undefined,
        cursor: pageParam,
        limit: 50,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: Page<ScanImport>) => last.nextCursor ?? undefined,
  });
}

function ImportsTable({ imports }: { imports: ScanImport[] }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
    <section className="table-wrap" aria-label="Scan imports" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Scan</th>
            <th scope="col">System</th>
            <th scope="col">Scanned</th>
            <th scope="col">File</th>
            <th scope="col">Results</th>
            <th scope="col">New</th>
            <th scope="col">Reopened</th>
            <th scope="col">Resolved</th>
          </tr>
        </thead>
        <tbody>
          {imports.map((i) => (
            <tr key={i.id ?? i.sha256} data-import-id={i.id}>
              <td>
                <span className="cell-primary">{i.tool}</span>
                <div className="cell-secondary">
                  {i.format}, imported {formatDateTime(i.importedAt)}
                  {i.importedBy ? ` by ${i.importedBy.name}` : ""}
                </div>
              </td>
              <td>
                <Link to={`/vulnerabilities?systemId=${encodeURIComponent(i.systemId)}`}>
                  {i.systemName}
                </Link>
              </td>
              <td>{formatDateTime(i.scannedAt)}</td>
              <td>
                {i.evidenceId ? (
                  <Link to={`/evidence?q=${encodeURIComponent(i.fileName ?? i.tool)}`}>
                    {i.fileName ?? "the file"}
                  </Link>
                ) : (
                  (i.fileName ?? "—")
                )}
                <div className="cell-secondary">{formatBytes(i.bytes)}</div>
              </td>
              <td>{i.results}</td>
              <td>{i.created}</td>
              <td>{i.reopened}</td>
              <td>{i.resolved}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ScanImportsPage() {
  const [params, setParams] = useSearchParams();
  const systemId = params.get("systemId") ?? "";
  const systems = useScanSystems();
  const imports = useScanImports(systemId);
  const { permissions } = useSession();
  const items = imports.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader
        title="Scan imports"
        eyebrow={<Link to="/vulnerabilities">Vulnerabilities</Link>}
        description="Each scanner file imported for a system: when the scan ran and what it changed. The files are kept in the evidence library."
        actions={
          permissions.includes("vulnerabilities.manage") ? (
            <Link className="button button-primary" to="/vulnerabilities/import">
              Import a scan
            </Link>
          ) : undefined
        }
      />
      <SelectField
        label="System"
        value={systemId}
        onChange={(e) => setParams(e.target.value ? { systemId: e.target.value } : {})}
      >
        <option value="">Every system</option>
        {(systems.data ?? []).map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </SelectField>
      {imports.isPending && <PageLoading label="Loading scan imports" />}
      {imports.isError && <LoadError error={imports.error} onRetry={() => imports.refetch()} />}
      {imports.isSuccess && items.length === 0 && (
        <p className="muted">No scans imported yet{systemId ? " for this system" : ""}.</p>
      )}
      {items.length > 0 && <ImportsTable imports={items} />}
      {imports.hasNextPage && (
        <div className="load-more">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => imports.fetchNextPage()}
            disabled={imports.isFetchingNextPage}
          >
            {imports.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        </div>
      )}
    </>
  );
}
