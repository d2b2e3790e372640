// People: everyone policies apply to, with reference, job role, manager and dates; search,
// filter, page through, add, edit and import.
import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { SelectField, TextField } from "../../ui/Field";
import { formatDay, plural } from "../../ui/format";
import { useDebounced } from "../../ui/hooks";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { keys } from "../../ui/queries";
import { useCan } from "../../ui/session";
import { peopleApi } from "./api";
import { PersonDialog } from "./PersonDialog";
import { PersonStatus } from "./PersonStatus";
import { useJobRoles } from "./queries";
import { EMPLOYMENT_TYPES, employmentLabel, type PeopleFilter, type Person } from "./types";

function PeopleTable({ people, onEdit }: { people: Person[]; onEdit?: (p: Person) => void }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
    <section className="table-wrap" aria-label="People list" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Reference</th>
            <th scope="col">Name</th>
            <th scope="col">Job role</th>
            <th scope="col">Manager</th>
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
              <td>{person.reference}</td>
              <td>
                <div className="cell-primary">
                  <Link to={`/people/${person.id}`}>{person.name}</Link>
                </div>
                <div className="cell-secondary">{person.email}</div>
              </td>
              <td>
                {person.jobRole ?? <span className="muted">None</span>}
                {person.employmentType === "contractor" && (
                  <div className="cell-secondary">{employmentLabel(person.employmentType)}</div>
                )}
              </td>
              <td>
                {person.managerId ? (
                  <Link to={`/people/${person.managerId}`}>{person.managerName}</Link>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
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
  const status = (params.get("status") ?? "active") as NonNullable<PeopleFilter["status"]>;
  const jobRole = params.get("jobRole") ?? "";
  const employmentType = params.get("employmentType") ?? "";
  const managerId = params.get("managerId") ?? "";
  const [search, setSearch] = useState(params.get("q") ?? "");
  const q = useDebounced(search.trim(), 300);
  const roles = useJobRoles();
  const [editing, setEditing] = useState<Person | null | undefined>(undefined);
  const filter: PeopleFilter = {
    status,
    ...(q ? { q } : {}),
    ...(jobRole ? { jobRole } : {}),
    ...(managerId ? { managerId } : {}),
    ...(employmentType ? { employmentType: employmentType as Person["employmentType"] } : {}),
  };
  const people = useInfiniteQuery({
    queryKey: keys.peopleList(filter),
    queryFn: ({ pageParam }) => peopleApi.people(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  function setFilter(
    name: "status" | "jobRole" | "employmentType" | "managerId" | "q",
    value: string,
  ) {
    const next = new URLSearchParams(params);
    if (value && !(name === "status" && value === "active")) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  }
  // The search box's text reaches the URL once typing pauses.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new search moves the URL
  useEffect(() => {
    if ((params.get("q") ?? "") !== q) setFilter("q", q);
  }, [q]);

  const items = people.data?.pages.flatMap((p) => p.items) ?? [];
  const manage = can("people.manage");
  return (
    <>
      <PageHeader
        title="People"
        description="Everyone who works for you, whether or not they sign in to Attest. Policies apply to them from their start date until their end date."
        actions={
          manage && (
            <>
              <Link className="button button-secondary" to="/people/import">
                Import CSV
              </Link>
              <button
                type="button"
                className="button button-primary"
                onClick={() => setEditing(null)}
              >
                <Icon name="plus" />
                Add person
              </button>
            </>
          )
        }
      />
      <search className="toolbar" aria-label="Filter people">
        <TextField
          label="Search"
          type="search"
          name="q"
          value={search}
          placeholder="Name, email or P-12"
          onChange={(e) => setSearch(e.target.value)}
        />
        <SelectField
          label="Show"
          value={status}
          onChange={(e) => setFilter("status", e.target.value)}
        >
          <option value="active">Active today</option>
          <option value="upcoming">Starting later</option>
          <option value="left">Left</option>
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
        <SelectField
          label="Employment type"
          value={employmentType}
          onChange={(e) => setFilter("employmentType", e.target.value)}
        >
          <option value="">Employees and contractors</option>
          {EMPLOYMENT_TYPES.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </SelectField>
      </search>
      {managerId && (
        <p className="muted">
          Showing the direct reports of one person.{" "}
          <button
            type="button"
            className="button button-ghost button-small"
            onClick={() => setFilter("managerId", "")}
          >
            Show everyone
          </button>
        </p>
      )}
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
          <p>Try another search, showing everyone, or another job role.</p>
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
