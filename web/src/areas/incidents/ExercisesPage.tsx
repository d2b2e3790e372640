// Tests of the Incident Response Plan: tabletop exercises and real incidents marked as the
// plan's test, the latest first.
import "./incidents.css";
import { Link } from "react-router";
import { EmptyState } from "../../ui/EmptyState";
import { formatDay, plural } from "../../ui/format";
import { Icon } from "../../ui/Icon";
import { LoadError, PageLoading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { Badge } from "../../ui/StatusBadge";
import { useCan } from "../../ui/session";
import { LoadMore } from "../access/access-core.components";
import { useExercises } from "./incidents.queries";

export function ExercisesPage() {
  const can = useCan();
  const exercises = useExercises();
  const items = exercises.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader
        eyebrow={<Link to="/incidents">Incidents</Link>}
        title="Exercises of the plan"
        description="Tabletop exercises and real incidents that tested the Incident Response Plan, with who took part and what the plan must change."
        actions={
          can("incidents.manage") && (
            <Link className="button button-primary" to="/ir-exercises/new">
              <Icon name="plus" />
              New tabletop exercise
            </Link>
          )
        }
      />
      {exercises.isPending && <PageLoading label="Loading exercises" />}
      {exercises.isError && (
        <LoadError error={exercises.error} onRetry={() => exercises.refetch()} />
      )}
      {exercises.isSuccess && (
        <p className="result-count" aria-live="polite">
          {plural(items.length, "exercise")}
          {exercises.hasNextPage ? " so far" : ""}
        </p>
      )}
      {exercises.isSuccess && items.length === 0 && (
        <EmptyState icon="incidents" title="No exercises yet">
          <p>
            Test the plan at least once a year: run a tabletop exercise on a scenario, or mark a
            real incident as the plan's test.
          </p>
        </EmptyState>
      )}
      {items.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must be reachable by keyboard
        <section className="table-wrap" aria-label="Exercises" tabIndex={0}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Exercise</th>
                <th scope="col">Kind</th>
                <th scope="col">Held</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <td>
                    <Link to={`/ir-exercises/${e.id}`}>{e.title}</Link>
                  </td>
                  <td>{e.kind === "tabletop" ? "Tabletop" : "Real incident"}</td>
                  <td>{formatDay(e.heldOn)}</td>
                  <td>
                    {e.status === "completed" ? (
                      <Badge tone="success">Completed</Badge>
                    ) : (
                      <Badge tone="info">Planned</Badge>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <LoadMore
        hasMore={exercises.hasNextPage}
        loading={exercises.isFetchingNextPage}
        onMore={() => exercises.fetchNextPage()}
      />
    </>
  );
}
