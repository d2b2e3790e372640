// One system: its attributes, owner, the history of its versions; edit, archive, restore.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import "../../styles/systems.css";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { FormAlert } from "../../ui/FormAlert";
import { formatDateTime } from "../../ui/format";
import { ApiError } from "../../ui/http";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { ConfirmDialog } from "../../ui/Modal";
import { PageHeader } from "../../ui/PageHeader";
import { keys } from "../../ui/queries";
import { useCan } from "../../ui/session";
import { SystemAccessSection } from "../access/SystemAccessSection";
import { SystemTasksSection } from "../access/SystemTasksSection";
import { systemsApi } from "./api";
import { classificationLabel, fieldList, kindLabel } from "./labels";
import { systemKeys } from "./queries";
import { SystemDialog } from "./SystemDialog";
import type { System } from "./types";

function BackLink() {
  return (
    <Link className="back-link" to="/systems">
      <Icon name="arrowLeft" />
      All systems
    </Link>
  );
}

function yesNo(value: boolean) {
  return value ? "Yes" : "No";
}

function Roles({ roles }: { roles: string[] }) {
  if (roles.length === 0) return <span className="muted">None</span>;
  return (
    <ul className="chip-list">
      {roles.map((role) => (
        <li key={role} className="chip">
          {role}
        </li>
      ))}
    </ul>
  );
}

function Details({ s }: { s: System }) {
  const can = useCan();
  return (
    <section className="card section" aria-labelledby="system-heading">
      <h2 id="system-heading" className="section-title">
        Details
      </h2>
      {s.description && <p>{s.description}</p>}
      <dl className="facts facts-inline">
        <div>
          <dt>Owner</dt>
          <dd>
            {s.ownerId ? (
              <>
                <Link to={`/people/${s.ownerId}`}>{s.ownerName}</Link>
                {!s.ownerActive && <span className="badge badge-danger">Not active</span>}
              </>
            ) : (
              <span className="badge badge-danger">No owner</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Kind</dt>
          <dd>{kindLabel(s.kind)}</dd>
        </div>
        <div>
          <dt>Data classification</dt>
          <dd>
            {s.classification ? (
              classificationLabel(s.classification)
            ) : (
              <span className="badge badge-warning">Unclassified</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Production</dt>
          <dd>{yesNo(s.production)}</dd>
        </div>
        <div>
          <dt>Holds customer data</dt>
          <dd>{yesNo(s.customerData)}</dd>
        </div>
        <div>
          <dt>Backed up</dt>
          <dd>
            {yesNo(s.backedUp)}
            {/* issue 15: continuity */}
            {s.backedUp && can("continuity.read") && (
              <>
                {" · "}
                <Link to={`/continuity?system=${s.id}`}>Restore tests</Link>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>Scanned</dt>
          <dd>{yesNo(s.scanned)}</dd>
        </div>
        <div>
          <dt>Internet-facing</dt>
          <dd>{yesNo(s.internetFacing)}</dd>
        </div>
        <div>
          <dt>Access review period</dt>
          <dd>
            {s.reviewPeriodDays ? (
              `${s.reviewPeriodDays} days`
            ) : (
              <span className="muted">Organization default</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Job roles allowed</dt>
          <dd>
            <Roles roles={s.allowedRoles} />
          </dd>
        </div>
        <div>
          <dt>Job roles allowed admin</dt>
          <dd>
            <Roles roles={s.adminRoles} />
          </dd>
        </div>
      </dl>
    </section>
  );
}

function History({ id }: { id: string }) {
  const history = useQuery({
    queryKey: systemKeys.history(id),
    queryFn: () => systemsApi.history(id),
  });
  return (
    <section className="card section" aria-labelledby="history-heading">
      <h2 id="history-heading" className="section-title">
        History
      </h2>
      {history.isPending && <PageLoading label="Loading history" />}
      {history.isError && <LoadError error={history.error} onRetry={() => history.refetch()} />}
      {history.data && (
        <ol className="history-list">
          {history.data.map((v, i) => (
            <li key={v.id}>
              <strong>{formatDateTime(v.validFrom)}</strong>{" "}
              {i === history.data.length - 1
                ? "Listed"
                : v.changedFields.length > 0
                  ? `Changed ${fieldList(v.changedFields)}`
                  : "Saved"}
              {v.changedByName ? ` by ${v.changedByName}` : ""}
              {v.archived && <span className="badge badge-neutral">Archived</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Actions({ s }: { s: System }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [confirm, setConfirm] = useState<"archive" | "delete" | null>(null);
  const done = (saved?: System) => {
    if (saved) queryClient.setQueryData(systemKeys.system(saved.id), saved);
    void queryClient.invalidateQueries({ queryKey: systemKeys.all });
    void queryClient.invalidateQueries({ queryKey: keys.controls });
    setConfirm(null);
  };
  const archive = useMutation({
    mutationFn: () => systemsApi.archiveSystem(s.id),
    onSuccess: done,
  });
  const restore = useMutation({
    mutationFn: () => systemsApi.restoreSystem(s.id),
    onSuccess: done,
  });
  const remove = useMutation({
    mutationFn: () => systemsApi.deleteSystem(s.id),
    onSuccess: () => {
      done();
      navigate("/systems");
    },
  });
  return (
    <>
      <FormAlert error={restore.error} />
      {s.archived ? (
        <button
          type="button"
          className="button button-secondary"
          onClick={() => restore.mutate()}
          disabled={restore.isPending}
        >
          Restore
        </button>
      ) : (
        <button
          type="button"
          className="button button-secondary"
          onClick={() => setConfirm("archive")}
        >
          Archive
        </button>
      )}
      <button type="button" className="button button-ghost" onClick={() => setConfirm("delete")}>
        Delete
      </button>
      <ConfirmDialog
        open={confirm === "archive"}
        title={`Archive ${s.name}?`}
        confirmLabel="Archive"
        pending={archive.isPending}
        error={<FormAlert error={archive.error} />}
        onConfirm={() => archive.mutate()}
        onClose={() => setConfirm(null)}
      >
        <p>It leaves the inventory; its history is kept, and you can restore it.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === "delete"}
        title={`Delete ${s.name}?`}
        confirmLabel="Delete"
        pending={remove.isPending}
        error={<FormAlert error={remove.error} />}
        onConfirm={() => remove.mutate()}
        onClose={() => setConfirm(null)}
      >
        <p>Only a system entered by mistake can be deleted; one with history must be archived.</p>
      </ConfirmDialog>
    </>
  );
}

export function SystemPage() {
  const { id = "" } = useParams();
  const can = useCan();
  const [editing, setEditing] = useState(false);
  const system = useQuery({
    queryKey: systemKeys.system(id),
    queryFn: () => systemsApi.system(id),
  });

  if (system.isPending) return <PageLoading label="Loading system" />;
  if (system.isError) {
    const missing =
      system.error instanceof ApiError &&
      (system.error.status === 404 || system.error.status === 400);
    return (
      <>
        <BackLink />
        <PageHeader title={missing ? "System not found" : "System"} />
        {missing ? (
          <EmptyState icon="search" title="There is no such system" />
        ) : (
          <LoadError error={system.error} onRetry={() => system.refetch()} />
        )}
      </>
    );
  }
  const s = system.data;
  const manage = can("systems.manage");
  return (
    <>
      <BackLink />
      <PageHeader
        title={s.name}
        eyebrow={s.archived ? "Archived system" : "System"}
        description={kindLabel(s.kind)}
        actions={
          manage && (
            <>
              {!s.archived && (
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => setEditing(true)}
                >
                  Edit
                </button>
              )}
              {!s.archived && can("access.manage") && (
                <Link className="button button-secondary" to={`/systems/${s.id}/import`}>
                  Import accounts
                </Link>
              )}
              {!s.archived && can("access.manage") && (
                <Link className="button button-secondary" to={`/access/reviews?start=${s.id}`}>
                  Review access
                </Link>
              )}
              <Actions s={s} />
            </>
          )
        }
      />
      <Details s={s} />
      <SystemAccessSection systemId={s.id} />
      {can("access.read") && (
        <Link to={`/key-listings?systemId=${s.id}`}>Host listings of authorized keys</Link>
      )}
      {/* issue 13: findings */}
      {can("vulnerabilities.read") && (
        <Link to={`/vulnerabilities?systemId=${s.id}`}>Vulnerabilities of this system</Link>
      )}
      <SystemTasksSection systemId={s.id} />
      <History id={s.id} />
      <SystemDialog system={editing ? s : undefined} onClose={() => setEditing(false)} />
    </>
  );
}
