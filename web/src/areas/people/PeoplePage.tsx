// People: everyone policies apply to, with job role and dates; filter, add and edit.
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { SelectField } from "../../ui/Field";
import { formatDay, plural, utcDay } from "../../ui/format";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { keys } from "../../ui/queries";
import { useCan } from "../../ui/session";
import { peopleApi } from "./api";
import { PersonDialog } from "./PersonDialog";
import { PersonStatus } from "./PersonStatus";
import { useJobRoles } from "./queries";
import type { PeopleFilter, Person } from "./types";

function PeopleTable({ people, onEdit }: { people: Person[]; onEdit?: (p: Person) => void }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
    <section className="table-wrap" aria-label="People list" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Job role</th>
            <th scope="col">Start date</th>
            <th scope="col">End date</th>
            <th scope="col">Status</th>
            {onEdit && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {people.map((person) => (
            <tr key={person.id} data-person-email={person.email}>
              <td>
                <div className="cell-primary">
                  <Link to={`/people/${person.id}`}>{person.name}</Link>
                </div>
                <div className="cell-secondary">{person.email}</div>
              </td>
              <td>{person.jobRole ?? <span className="muted">None</span>}</td>
              <td>{formatDay(person.startDate)}</td>
              <td>
                {person.endDate ? formatDay(person.endDate) : <span className="muted">—</span>}
              </td>
              <td>
                <PersonStatus person={person} />
              </td>
              {onEdit && (
                <td className="cell-actions">
                  <button
                    type="button"
                    className="button button-ghost button-small"
                    onClick={() => onEdit(person)}
                  >
                    Edit<span className="visually-hidden"> {person.name}</span>
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function PeoplePage() {
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const show = params.get("show") === "all" ? "all" : "active";
  const jobRole = params.get("jobRole") ?? "";
  const roles = useJobRoles();
  const [editing, setEditing] = useState<Person | null | undefined>(undefined);
  const filter: PeopleFilter = {
    ...(show === "active" ? { activeOn: utcDay() } : {}),
    ...(jobRole ? { jobRole } : {}),
  };
  const people = useInfiniteQuery({
    queryKey: keys.peopleList(filter),
    queryFn: ({ pageParam }) => peopleApi.people(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  function setFilter(name: "show" | "jobRole", value: string) {
    const next = new URLSearchParams(params);
    if (value && !(name === "show" && value === "active")) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  }

  const items = people.data?.pages.flatMap((p) => p.items) ?? [];
  const manage = can("people.manage");
  return (
    <>
      <PageHeader
        title="People"
        description="Everyone who works for you, whether or not they sign in to Attest. Policies apply to them from their start date until their end date."
        actions={
          manage && (
            <button
              type="button"
              className="button button-primary"
              onClick={() => setEditing(null)}
            >
              <Icon name="plus" />
              Add person
            </button>
          )
        }
      />
      <search className="toolbar" aria-label="Filter people">
        <SelectField label="Show" value={show} onChange={(e) => setFilter("show", e.target.value)}>
          <option value="active">Active today</option>
          <option value="all">Everyone, including past and future</option>
        </SelectField>
        <SelectField
          label="Job role"
          value={jobRole}
          onChange={(e) => setFilter("jobRole", e.target.value)}
        >
          <option value="">All job roles</option>
          {(roles.data ?? []).map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </SelectField>
      </search>
      {people.isPending && <PageLoading label="Loading people" />}
      {people.isError && <LoadError error={people.error} onRetry={() => people.refetch()} />}
      {people.isSuccess && (
        <p className="result-count" aria-live="polite">
          {plural(items.length, "person", "people")}
          {people.hasNextPage ? " so far" : ""}
        </p>
      )}
      {people.isSuccess && items.length === 0 && (
        <EmptyState icon="people" title="Nobody matches">
          <p>Try showing everyone, or another job role.</p>
        </EmptyState>
      )}
      {items.length > 0 && <PeopleTable people={items} onEdit={manage ? setEditing : undefined} />}
      {people.hasNextPage && (
        <div className="load-more">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => people.fetchNextPage()}
            disabled={people.isFetchingNextPage}
          >
            {people.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        </div>
      )}
      {manage && <PersonDialog person={editing} onClose={() => setEditing(undefined)} />}
    </>
  );
}
