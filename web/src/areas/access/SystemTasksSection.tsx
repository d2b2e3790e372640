// A system's open access tasks, for its page (the systems area places it).
import { Link } from "react-router";
import { LoadError, Spinner } from "../../ui/Loading";
import { useAccessTasks } from "./access-workflow.queries";
import { TaskTable } from "./TasksPage";

export function SystemTasksSection({ systemId }: { systemId: string }) {
  const tasks = useAccessTasks({ systemId, state: "open" });
  const items = tasks.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="card section" aria-labelledby="system-tasks-heading">
      <div className="section-header">
        <h2 id="system-tasks-heading" className="section-title">
          Open access tasks
        </h2>
        <p className="section-description">
          Access to give or take away on this system. <Link to="/access/tasks">All tasks</Link>
        </p>
      </div>
      {tasks.isPending && <Spinner label="Loading tasks" />}
      {tasks.isError && <LoadError error={tasks.error} onRetry={() => tasks.refetch()} />}
      {tasks.isSuccess && items.length === 0 && <p className="muted">No open tasks.</p>}
      {items.length > 0 && <TaskTable tasks={items} label="Open access tasks of the system" />}
    </section>
  );
}
