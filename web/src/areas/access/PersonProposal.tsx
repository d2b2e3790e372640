// A person's access after a change of job role: the grants the new role's rules imply that
// they lack, and the rule grants it no longer implies; an admin opens the tasks chosen.
import { useState } from "react";
import { CheckboxField } from "../../ui/Field";
import { FormAlert } from "../../ui/FormAlert";
import { LoadError, Spinner } from "../../ui/Loading";
import { useCan } from "../../ui/session";
import { accessWorkflowApi } from "./access-workflow.api";
import { useAccessMutation, useAccessProposal } from "./access-workflow.queries";

export function PersonProposal({ personId }: { personId: string }) {
  const can = useCan();
  const proposal = useAccessProposal(personId, can("access.read"));
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const apply = useAccessMutation(() => {
    const p = proposal.data;
    const add = (p?.add ?? []).filter((r) => chosen.has(r.id)).map((r) => r.id);
    const remove = (p?.remove ?? []).filter((g) => chosen.has(g.id)).map((g) => g.id);
    return accessWorkflowApi.applyProposal(personId, add, remove);
  });
  if (!can("access.read")) return null;
  const p = proposal.data;
  if (p && p.add.length === 0 && p.remove.length === 0) return null;
  const toggle = (id: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    setChosen(next);
  };
  const manage = can("access.manage");
  return (
    <section className="card section" aria-labelledby="proposal-heading">
      <h2 id="proposal-heading" className="section-title">
        Access for {p?.jobRole ?? "their job role"}
      </h2>
      {proposal.isPending && <Spinner label="Loading the proposal" />}
      {proposal.isError && <LoadError error={proposal.error} onRetry={() => proposal.refetch()} />}
      {p && (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            apply.mutate(undefined, { onSuccess: () => setChosen(new Set()) });
          }}
        >
          {p.add.map((rule) => (
            <CheckboxField
              key={rule.id}
              label={`Give ${rule.systemRole}${rule.admin ? " (admin)" : ""} on ${rule.system.name}`}
              checked={chosen.has(rule.id)}
              disabled={!manage}
              onChange={(e) => toggle(rule.id, e.target.checked)}
            />
          ))}
          {p.remove.map((grant) => (
            <CheckboxField
              key={grant.id}
              label={`Revoke ${grant.systemRole}${grant.admin ? " (admin)" : ""} on ${grant.system.name}`}
              checked={chosen.has(grant.id)}
              disabled={!manage}
              onChange={(e) => toggle(grant.id, e.target.checked)}
            />
          ))}
          <FormAlert error={apply.error} />
          {manage && (
            <div className="form-actions">
              <button
                type="submit"
                className="button button-primary"
                disabled={chosen.size === 0 || apply.isPending}
              >
                Open the tasks
              </button>
            </div>
          )}
        </form>
      )}
    </section>
  );
}
