// One policy: its current text, the draft in progress, the approval workflow, details,
// acknowledgements, versions and their differences.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { Callout } from "../../ui/Callout";
import { EmptyState } from "../../ui/EmptyState";
import { formatDate } from "../../ui/format";
import { ApiError } from "../../ui/http";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { PolicyHtml } from "../../ui/PolicyHtml";
import { keys } from "../../ui/queries";
import { Badge } from "../../ui/StatusBadge";
import { useCan } from "../../ui/session";
import { useControls } from "../controls/queries";
import { policiesApi } from "./api";
import { PolicyAcknowledgements } from "./PolicyAcknowledgements";
import { VersionStatusBadge, VisibilityBadge } from "./PolicyBadges";
import { PolicyDiff } from "./PolicyDiff";
import { PolicyEditor } from "./PolicyEditor";
import { PolicyMetaForm } from "./PolicyMetaForm";
import { PolicyTextLeft } from "./PolicyTextLeft";
import { PolicyVersions } from "./PolicyVersions";
import { PolicyWorkflow } from "./PolicyWorkflow";
import type { Policy, PolicyVersion } from "./types";

function BackLink() {
  return (
    <Link className="back-link" to="/policies">
      <Icon name="arrowLeft" />
      All policies
    </Link>
  );
}

/** A version published before approval checked its text may still hold placeholders. */
function PublishedPlaceholders({ version }: { version: PolicyVersion | undefined }) {
  const names = version?.placeholders ?? [];
  if (names.length === 0 && !version?.templateNote) return null;
  return (
    <Callout tone="warning" title="The published version is not finished">
      <p>
        Replace these in a new version and publish it; it cannot be re-approved as it is
        {version?.templateNote ? " (the template note is still in it too)" : ""}
        {names.length > 0 ? ": " : "."}
        {names.map((name, i) => (
          <span key={name}>
            {i > 0 && ", "}
            <code>{`{{${name}}}`}</code>
          </span>
        ))}
      </p>
    </Callout>
  );
}

function Facts({ policy }: { policy: Policy }) {
  return (
    <dl className="facts">
      <div>
        <dt>Visibility</dt>
        <dd>
          <VisibilityBadge visibility={policy.visibility} />
        </dd>
      </div>
      <div>
        <dt>Who must acknowledge it</dt>
        <dd>
          {policy.audience.all
            ? "All personnel"
            : `Job roles: ${policy.audience.jobRoles.join(", ")}`}
        </dd>
      </div>
    </dl>
  );
}

function Body({ policy }: { policy: Policy }) {
  const can = useCan();
  const [dirty, setDirty] = useState(false);
  // The version the user chose to start writing, when nothing is in progress yet.
  const [startedVersion, setStartedVersion] = useState(0);
  const current = policy.versions.find((v) => v.status === "published");
  const open = policy.versions.find((v) => v.status === "draft" || v.status === "submitted");
  const editable = can("policies.manage") && !policy.retiredAt;
  const nextVersion = (policy.versions[0]?.version ?? 0) + 1;

  return (
    <>
      <div className="detail-grid">
        <div className="detail-main">
          <PublishedPlaceholders version={current} />
          {open?.status === "submitted" && (
            <PolicyTextLeft
              left={{
                placeholders: open.placeholders,
                templateNote: open.templateNote,
                effectiveDate: open.body.includes("{{effective_date}}"),
              }}
              subject={`version ${open.version}`}
            />
          )}
          <section className="card section" aria-labelledby="workflow-heading">
            <h2 id="workflow-heading" className="section-title">
              Status and next steps
            </h2>
            <PolicyWorkflow policy={policy} dirty={dirty} />
          </section>
          <section className="card section" aria-labelledby="current-heading">
            <div className="section-heading-row">
              <div className="section-header">
                <h2 id="current-heading" className="section-title">
                  {current ? `Current version: ${current.version}` : "Current version"}
                </h2>
                {current && (
                  <p className="section-description">Published {formatDate(current.publishedAt)}</p>
                )}
              </div>
              {current && (
                <a
                  className="button button-secondary button-small"
                  href={policiesApi.policyPdfUrl(policy.id, current.id)}
                  download
                >
                  Download PDF
                </a>
              )}
            </div>
            {current ? (
              // biome-ignore lint/a11y/noNoninteractiveTabindex: the text scrolls in its pane; keyboard users must reach it
              <section className="policy-pane" tabIndex={0} aria-label="Current text">
                <PolicyHtml
                  html={current.html}
                  label={`${policy.title}, version ${current.version}`}
                />
              </section>
            ) : (
              <EmptyState icon="policies" title="Not published yet" headingLevel={3}>
                <p>Once an owner or admin approves a version, it is published and shown here.</p>
              </EmptyState>
            )}
          </section>
        </div>
        <aside className="detail-side" aria-label="Policy details">
          <section className="card section" aria-labelledby="ack-heading">
            <h2 id="ack-heading" className="section-title">
              Acknowledgements
            </h2>
            <PolicyAcknowledgements policy={policy} />
          </section>
          <section className="card section" aria-labelledby="meta-heading">
            <h2 id="meta-heading" className="section-title">
              Details
            </h2>
            {editable ? (
              <PolicyMetaForm key={policy.id} policy={policy} />
            ) : (
              <Facts policy={policy} />
            )}
          </section>
        </aside>
      </div>
      <div className="policy-wide">
        {editable && open?.status !== "submitted" && (
          <section className="card section" aria-labelledby="draft-heading">
            <h2 id="draft-heading" className="section-title">
              {open ? `Draft: version ${open.version}` : "Edit the policy"}
            </h2>
            {open || !current || startedVersion === nextVersion ? (
              <PolicyEditor
                key={open?.version ?? nextVersion}
                policy={policy}
                draft={open}
                base={current}
                onDirtyChange={setDirty}
                focusOnMount={startedVersion === nextVersion}
              />
            ) : (
              <div className="workflow-step">
                <p>
                  To change the policy, start a new version. It stays a draft, and version{" "}
                  {current.version} stays in force, until an owner or admin approves it.
                </p>
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => setStartedVersion(nextVersion)}
                >
                  Start version {nextVersion}
                </button>
              </div>
            )}
          </section>
        )}
        {open?.status === "submitted" && (
          <section className="card section" aria-labelledby="submitted-heading">
            <h2 id="submitted-heading" className="section-title">
              Awaiting approval: version {open.version}
            </h2>
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the text scrolls in its pane; keyboard users must reach it */}
            <section className="policy-pane" tabIndex={0} aria-label="Submitted text">
              <PolicyHtml html={open.html} label={`${policy.title}, version ${open.version}`} />
            </section>
          </section>
        )}
        <section className="card section" aria-labelledby="diff-heading">
          <h2 id="diff-heading" className="section-title">
            Compare versions
          </h2>
          <PolicyDiff key={policy.versions.map((v) => v.id).join()} policy={policy} />
        </section>
        <section className="card section" aria-labelledby="versions-heading">
          <h2 id="versions-heading" className="section-title">
            Version history
          </h2>
          <PolicyVersions policy={policy} />
        </section>
      </div>
    </>
  );
}

export function PolicyPage() {
  const { id = "" } = useParams();
  const policy = useQuery({ queryKey: keys.policy(id), queryFn: () => policiesApi.policy(id) });
  const controls = useControls();

  if (policy.isPending) return <PageLoading label="Loading policy" />;
  if (policy.isError) {
    const missing =
      policy.error instanceof ApiError &&
      (policy.error.status === 404 || policy.error.status === 400);
    return (
      <>
        <BackLink />
        <PageHeader title={missing ? "Policy not found" : "Policy"} />
        {missing ? (
          <EmptyState icon="search" title="There is no such policy" />
        ) : (
          <LoadError error={policy.error} onRetry={() => policy.refetch()} />
        )}
      </>
    );
  }

  const p = policy.data;
  const control = p.controlKey ? controls.data?.find((c) => c.key === p.controlKey) : undefined;
  const current = p.versions.find((v) => v.status === "published");
  const open = p.versions.find((v) => v.status === "draft" || v.status === "submitted");
  return (
    <>
      <BackLink />
      <PageHeader
        title={p.title}
        eyebrow={
          p.controlKey ? (
            <>
              Policy for{" "}
              <Link to={`/controls/${p.controlKey}`}>{control?.title ?? p.controlKey}</Link>
            </>
          ) : (
            "Policy"
          )
        }
        actions={
          <div className="badge-row">
            {p.retiredAt && <Badge>Retired</Badge>}
            {current && <VersionStatusBadge status="published" version={current.version} />}
            {open && <VersionStatusBadge status={open.status} version={open.version} />}
            <VisibilityBadge visibility={p.visibility} />
          </div>
        }
      />
      <Body policy={p} />
    </>
  );
}
