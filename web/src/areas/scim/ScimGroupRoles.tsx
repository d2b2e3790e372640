// The provider's groups and the job role each gives its members (its name unless set here).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { FormAlert } from "../../ui/FormAlert";
import { fieldErrorsOf } from "../../ui/forms";
import { LoadError, PageLoading } from "../../ui/Loading";
import { type ScimGroupRole, scimGroupApi, scimGroupKeys } from "./scim.api";

function GroupRoleRow({ group }: { group: ScimGroupRole }) {
  const queryClient = useQueryClient();
  const [jobRole, setJobRole] = useState(group.jobRole ?? "");
  const save = useMutation({
    mutationFn: (value: string) => scimGroupApi.setJobRole(group.id, value.trim() || null),
    onSuccess: (saved) => {
      setJobRole(saved.jobRole ?? "");
      void queryClient.invalidateQueries({ queryKey: scimGroupKeys.groups });
    },
  });
  const error = fieldErrorsOf(save.error).jobRole;
  const inputId = `group-role-${group.id}`;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate(jobRole);
  }

  return (
    <tr data-scim-group={group.displayName}>
      <td>
        <div className="cell-primary">{group.displayName}</div>
        {group.externalId && <div className="cell-secondary">{group.externalId}</div>}
      </td>
      <td>{group.members}</td>
      <td>
        <form className="inline-form" onSubmit={onSubmit} aria-busy={save.isPending}>
          <label className="visually-hidden" htmlFor={inputId}>
            Job role for {group.displayName}
          </label>
          <input
            id={inputId}
            className="input"
            maxLength={200}
            placeholder={group.displayName}
            value={jobRole}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${inputId}-error` : undefined}
            onChange={(e) => setJobRole(e.target.value)}
          />
          <button
            type="submit"
            className="button button-secondary button-small"
            disabled={save.isPending}
          >
            Save<span className="visually-hidden"> the job role for {group.displayName}</span>
          </button>
          {error && (
            <span id={`${inputId}-error`} className="field-error">
              {error}
            </span>
          )}
          {save.error && !error && <FormAlert error={save.error} />}
        </form>
      </td>
    </tr>
  );
}

export function ScimGroupRoles() {
  const groups = useQuery({ queryKey: scimGroupKeys.groups, queryFn: scimGroupApi.groups });
  return (
    <section className="card section" aria-labelledby="scim-groups-heading">
      <h2 id="scim-groups-heading" className="section-title">
        Groups and job roles
      </h2>
      <p className="section-description">
        A person provisioned by SCIM takes the job role of the group they joined most recently: the
        group's name, unless you give it a job role here. Their job role changes at once, and its
        history is kept.
      </p>
      {groups.isPending && <PageLoading label="Loading SCIM groups" />}
      {groups.isError && <LoadError error={groups.error} onRetry={() => groups.refetch()} />}
      {groups.isSuccess && groups.data.items.length === 0 && (
        <p className="muted">
          No groups yet: your identity provider sends them when it pushes groups.
        </p>
      )}
      {groups.isSuccess && groups.data.items.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
        <section className="table-wrap" aria-label="SCIM groups" tabIndex={0}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">Members</th>
                <th scope="col">Job role</th>
              </tr>
            </thead>
            <tbody>
              {groups.data.items.map((group) => (
                <GroupRoleRow key={group.id} group={group} />
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}
