// Policies: every policy document, its current version, what is in progress, and who sees it.
import { useState } from "react";
import { Link } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { CheckboxField } from "../../ui/Field";
import { formatDate, plural } from "../../ui/format";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { Badge } from "../../ui/StatusBadge";
import { useCan } from "../../ui/session";
import { useControls } from "../controls/queries";
import { policiesApi } from "./api";
import { VersionStatusBadge, VisibilityBadge } from "./PolicyBadges";
import { usePolicies } from "./queries";
import type { PolicySummary, VersionStatus } from "./types";

function PolicyTable({ policies }: { policies: PolicySummary[] }) {
  const controls = useControls();
  const controlTitle = (key: string | null) =>
    key ? (controls.data?.find((c) => c.key === key)?.title ?? key) : null;
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
    <section className="table-wrap" aria-label="Policy list" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Policy</th>
            <th scope="col">Current version</th>
            <th scope="col">In progress</th>
            <th scope="col">Visibility</th>
          </tr>
        </thead>
        <tbody>
          {policies.map((policy) => (
            <tr key={policy.id} data-policy-id={policy.id}>
              <td>
                <div className="cell-primary">
                  <Link to={`/policies/${policy.id}`}>{policy.title}</Link>
                  {policy.retiredAt && (
                    <>
                      {" "}
                      <Badge>Retired</Badge>
                    </>
                  )}
                </div>
                <div className="cell-secondary">
                  {policy.controlKey
                    ? `Control: ${controlTitle(policy.controlKey)}`
                    : "Not tied to a control"}
                </div>
              </td>
              <td>
                {policy.currentVersion ? (
                  <>
                    <div>Version {policy.currentVersion.version}</div>
                    <div className="cell-secondary">
                      Published {formatDate(policy.currentVersion.publishedAt)}
                    </div>
                  </>
                ) : (
                  <span className="muted">Not published</span>
                )}
              </td>
              <td>
                {policy.openVersion ? (
                  <VersionStatusBadge
                    // The list's schema names the status as a plain string; it is a version's.
                    status={policy.openVersion.status as VersionStatus}
                    version={policy.openVersion.version}
                  />
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td>
                <VisibilityBadge visibility={policy.visibility} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function PoliciesPage() {
  const can = useCan();
  const policies = usePolicies();
  const [showRetired, setShowRetired] = useState(false);
  const all = policies.data ?? [];
  const retired = all.filter((p) => p.retiredAt).length;
  const visible = showRetired ? all : all.filter((p) => !p.retiredAt);
  const published = all.some((p) => p.currentVersion && !p.retiredAt);

  return (
    <>
      <PageHeader
        title="Policies"
        description="Your policy documents: written from templates, approved by an owner or admin, published, and acknowledged by everyone they apply to."
        actions={
          <>
            {published && (
              <a className="button button-secondary" href={policiesApi.policiesExportUrl} download>
                Export all (ZIP)
              </a>
            )}
            {can("policies.manage") && (
              <Link className="button button-primary" to="/policies/new">
                <Icon name="plus" />
                New policy
              </Link>
            )}
          </>
        }
      />
      {policies.isPending && <PageLoading label="Loading policies" />}
      {policies.isError && <LoadError error={policies.error} onRetry={() => policies.refetch()} />}
      {policies.isSuccess && all.length === 0 && (
        <EmptyState
          icon="policies"
          title="No policies yet"
          actions={
            can("policies.manage") && (
              <Link className="button button-primary" to="/policies/new">
                Start from a template
              </Link>
            )
          }
        >
          <p>
            Attest ships a template for every policy control. Fill in the placeholders, have it
            approved, and ask your team to acknowledge it.
          </p>
        </EmptyState>
      )}
      {policies.isSuccess && all.length > 0 && (
        <>
          <div className="list-toolbar">
            <p className="result-count">
              {plural(visible.length, "policy", "policies")}
              {retired > 0 && !showRetired && `, ${retired} retired hidden`}
            </p>
            {retired > 0 && (
              <CheckboxField
                label="Show retired policies"
                checked={showRetired}
                onChange={(e) => setShowRetired(e.target.checked)}
              />
            )}
          </div>
          <PolicyTable policies={visible} />
        </>
      )}
    </>
  );
}
