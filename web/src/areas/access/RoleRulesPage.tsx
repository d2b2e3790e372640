// Role rules: which system role each job role implies on each system. Removing a rule ends it
// (the history stays for the checks' past evaluations).
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { CheckboxField, SelectField, TextField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { fieldErrorsOf } from "../../ui/forms";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { ConfirmDialog, Modal } from "../../ui/Modal";
import { PageHeader } from "../../ui/PageHeader";
import { fetchAll } from "../../ui/pager";
import { Badge } from "../../ui/StatusBadge";
import { useCan } from "../../ui/session";
import { LoadMore } from "./access-core.components";
import {
  accessCoreApi,
  type RoleRule,
  useAccessMutation,
  useRoleRules,
} from "./access-core.queries";

interface SystemOption {
  id: string;
  name: string;
}

function NewRuleDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const systems = useQuery({
    queryKey: ["systems", "options"],
    queryFn: () => fetchAll<SystemOption>("/systems", { limit: 200 }, 20),
    enabled: open,
  });
  const [jobRole, setJobRole] = useState("");
  const [systemId, setSystemId] = useState("");
  const [systemRole, setSystemRole] = useState("");
  const [admin, setAdmin] = useState(false);
  const create = useAccessMutation(
    () => accessCoreApi.createRoleRule({ jobRole, systemId, systemRole, admin }),
    onClose,
  );
  const errors = fieldErrorsOf(create.error);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate(undefined);
  }
  return (
    <Modal open={open} title="New role rule" onClose={onClose}>
      <form className="form" onSubmit={onSubmit} aria-busy={create.isPending}>
        <div className="modal-body">
          <FormAlert error={create.error} />
          <TextField
            label="Job role"
            required
            value={jobRole}
            error={errors.jobRole}
            onChange={(e) => setJobRole(e.target.value)}
          />
          <SelectField
            label="System"
            required
            value={systemId}
            error={errors.systemId}
            onChange={(e) => setSystemId(e.target.value)}
          >
            <option value="">Choose a system</option>
            {(systems.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </SelectField>
          <TextField
            label="System role"
            hint="The role on the system, as the system names it (reader, developer, admin…)."
            required
            value={systemRole}
            error={errors.systemRole}
            onChange={(e) => setSystemRole(e.target.value)}
          />
          <CheckboxField
            label="As administrator"
            checked={admin}
            onChange={(e) => setAdmin(e.target.checked)}
          />
        </div>
        <div className="modal-footer">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? "Saving…" : "Add rule"}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function RoleRulesPage() {
  const can = useCan();
  const rules = useRoleRules({});
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<RoleRule | null>(null);
  const remove = useAccessMutation(
    (rule: RoleRule) => accessCoreApi.removeRoleRule(rule.id),
    () => setRemoving(null),
  );
  const items = rules.data?.pages.flatMap((p) => p.items) ?? [];
  const manage = can("access.manage");
  return (
    <>
      <PageHeader
        title="Role rules"
        eyebrow="Access"
        description="Each job role's access: a grant a rule implies is justified; admin beyond the rule is flagged."
        actions={
          manage && (
            <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
              <Icon name="plus" />
              New rule
            </button>
          )
        }
      />
      {rules.isPending && <PageLoading label="Loading role rules" />}
      {rules.isError && <LoadError error={rules.error} onRetry={() => rules.refetch()} />}
      {rules.isSuccess && items.length === 0 && <p className="muted">No role rules yet.</p>}
      {items.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
        <section className="table-wrap" aria-label="Role rules" tabIndex={0}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Job role</th>
                <th scope="col">System</th>
                <th scope="col">System role</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((rule) => (
                <tr key={rule.id}>
                  <td>{rule.jobRole}</td>
                  <td>
                    <Link to={`/systems/${rule.system.id}`}>{rule.system.name}</Link>
                  </td>
                  <td>
                    {rule.systemRole} {rule.admin && <Badge tone="warning">Admin</Badge>}
                  </td>
                  <td>
                    {manage && (
                      <button
                        type="button"
                        className="button button-ghost-danger button-small"
                        onClick={() => setRemoving(rule)}
                      >
                        Remove
                        <span className="visually-hidden">
                          {" "}
                          {rule.jobRole} on {rule.system.name}
                        </span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <LoadMore
        hasMore={rules.hasNextPage}
        loading={rules.isFetchingNextPage}
        onMore={() => rules.fetchNextPage()}
      />
      {adding && <NewRuleDialog open onClose={() => setAdding(false)} />}
      <ConfirmDialog
        open={removing !== null}
        title={`Remove the rule for ${removing?.jobRole ?? ""}?`}
        confirmLabel="Remove"
        pending={remove.isPending}
        error={<FormAlert error={remove.error} />}
        onConfirm={() => removing && remove.mutate(removing)}
        onClose={() => setRemoving(null)}
      >
        <p>
          Grants it implies are no longer justified by it from now on; its history stays for past
          evaluations.
        </p>
      </ConfirmDialog>
    </>
  );
}
